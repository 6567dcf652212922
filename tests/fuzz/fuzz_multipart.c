/*
 * libFuzzer target: multipart_parse. The input's first line is the
 * boundary (or a whole Content-Type if it starts with "multipart/"), the
 * rest is the body, fed in varying read sizes derived from the input so
 * delimiters straddle reads. A before_file hook refuses a file that
 * follows a field "csrf" whose value is not "ok" (none: taken), as the
 * upload handler's CSRF check does. Temp files must be gone after an error
 * and after arena_free.
 */

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/utf8.h"
#include "http/multipart.h"
#include "http/params.h"

#define CHECK(x)                 \
	do {                     \
		if (!(x))        \
			abort(); \
	} while (0)

static char tmpdir[] = "/tmp/cousilab-fuzz-mp-XXXXXX";

static void remove_tmpdir(void)
{
	rmdir(tmpdir);
}

static const char *fuzz_tmpdir(void)
{
	static int ready;

	if (!ready) {
		CHECK(mkdtemp(tmpdir));
		atexit(remove_tmpdir);
		ready = 1;
	}
	return tmpdir;
}

static int dir_is_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int empty = 1;

	CHECK(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = 0;
	closedir(d);
	return empty;
}

struct reader {
	const char *data;
	size_t len;
	size_t pos;
	uint32_t rng;
};

static size_t fuzz_read(void *ctx, char *dst, size_t n)
{
	static const size_t sizes[] = {1, 2, 3, 7, 13, 64, 4093, 65536};
	struct reader *r = ctx;
	size_t k = r->len - r->pos;

	r->rng = r->rng * 1103515245u + 12345u;
	if (k > sizes[(r->rng >> 16) % 8])
		k = sizes[(r->rng >> 16) % 8];
	if (k > n)
		k = n;
	memcpy(dst, r->data + r->pos, k);
	r->pos += k;
	return k;
}

/* The before_file hook: counts its calls, refuses a wrong "csrf". */
static bool gate(void *ctx, const struct param *fields)
{
	const char *csrf = param_get(fields, "csrf");

	++*(size_t *)ctx;
	return !csrf || strcmp(csrf, "ok") == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *nl = memchr(s, '\n', size);
	size_t line = nl ? (size_t)(nl - s) : size;
	size_t body = nl ? line + 1 : size;
	char ct[256];
	struct multipart_limits lim = {
		.max_fields = 8,
		.max_value = 256,
		.max_files = 3,
		.max_file_size = 2048,
		.tmpdir = fuzz_tmpdir(),
		.before_file = gate,
	};
	size_t gated = 0;
	struct reader r = {
		.data = s + body,
		.len = size - body,
		.rng = (uint32_t)size,
	};
	struct arena *a;
	struct param *fields;
	struct upload *files;

	if (line && s[line - 1] == '\r')
		line--;
	if (line > 200)
		return 0;
	if (line >= 10 && memcmp(s, "multipart/", 10) == 0)
		snprintf(ct, sizeof(ct), "%.*s", (int)line, s);
	else
		snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%.*s", (int)line, s);

	lim.before_file_ctx = &gated;
	a = arena_new();
	if (multipart_parse(a, ct, r.len, fuzz_read, &r, &lim, &fields, &files) == PARSE_OK) {
		size_t n = 0;

		for (; fields; fields = fields->next, n++) {
			CHECK(utf8_valid(fields->name, strlen(fields->name)));
			CHECK(strlen(fields->value) == fields->value_len);
			CHECK(fields->value_len <= lim.max_value);
			CHECK(utf8_valid(fields->value, fields->value_len));
		}
		CHECK(n <= lim.max_fields);
		for (n = 0; files; files = files->next, n++) {
			struct stat sb;

			CHECK(files->filename[0] != '\0');
			CHECK(!strchr(files->filename, '/'));
			CHECK(!strchr(files->filename, '\\'));
			CHECK(utf8_valid(files->filename, strlen(files->filename)));
			CHECK(stat(files->path, &sb) == 0);
			CHECK((size_t)sb.st_size == files->size);
			CHECK(files->size <= lim.max_file_size);
		}
		CHECK(n <= lim.max_files);
		CHECK(gated == n); /* every kept file was let through first */
	} else {
		CHECK(!fields && !files);
		CHECK(dir_is_empty(tmpdir));
	}
	arena_free(a);
	CHECK(dir_is_empty(tmpdir));
	return 0;
}
