
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "http/multipart.h"
#include "http/params.h"

#define B "----cousilabXyZ42"
#define CT "multipart/form-data; boundary=" B
#define DISP(name) "Content-Disposition: form-data; name=\"" name "\""
#define TEXT(name, value) "--" B "\r\n" DISP(name) "\r\n\r\n" value "\r\n"
#define FILEPART(name, fname, value)                            \
	"--" B "\r\n" DISP(name) "; filename=\"" fname "\"\r\n" \
				 "Content-Type: text/plain\r\n\r\n" value "\r\n"
#define END "--" B "--\r\n"
#define LEN(lit) (sizeof(lit) - 1)

/* Read sizes that make the delimiter straddle reads in every position. */
static const size_t chunks[] = {1, 2, 7, 13, 64, 65536 + 3, SIZE_MAX};
#define NCHUNKS (sizeof(chunks) / sizeof(chunks[0]))

struct fx {
	char dir[64];
	struct multipart_limits lim;
	struct arena *a;
};

struct reader {
	const char *data;
	size_t len;
	size_t pos;
	size_t chunk;
	size_t overshoot; /* hostile callback: returns this much extra */
};

static size_t mem_read(void *ctx, char *dst, size_t n)
{
	struct reader *r = ctx;
	size_t k = r->len - r->pos;

	if (k > n)
		k = n;
	if (k > r->chunk)
		k = r->chunk;
	memcpy(dst, r->data + r->pos, k);
	r->pos += k;
	return k + r->overshoot;
}

static size_t dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	strcpy(f->dir, "/tmp/cousilab-mp-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	f->lim = (struct multipart_limits){
		.max_fields = 16,
		.max_value = 1024 * 1024,
		.max_files = 8,
		.max_file_size = 1024 * 1024,
		.tmpdir = f->dir,
	};
	f->a = arena_new();
	*state = f;
	return 0;
}

/* Fails the test if any temp file outlived its arena. */
static int teardown(void **state)
{
	struct fx *f = *state;
	int rc = 0;

	arena_free(f->a);
	if (dir_entries(f->dir) != 0 || rmdir(f->dir) != 0)
		rc = -1;
	free(f);
	return rc;
}

/* Replaces the fixture arena, checking the previous one left nothing. */
static void renew(struct fx *f)
{
	arena_free(f->a);
	assert_int_equal(dir_entries(f->dir), 0);
	f->a = arena_new();
}

static enum parse_status run(struct fx *f, const char *ct, const char *body, size_t len,
			     size_t chunk, struct param **fields, struct upload **files)
{
	struct reader r = {.data = body, .len = len, .chunk = chunk};

	return multipart_parse(f->a, ct, len, mem_read, &r, &f->lim, fields, files);
}

/* Runs body at every chunk size, expecting st; on error, also checks that
 * no temp file is left even before the arena is freed. */
static void expect_all(struct fx *f, const char *ct, const char *body, size_t len,
		       enum parse_status st)
{
	for (size_t i = 0; i < NCHUNKS; i++) {
		struct param *fields = (struct param *)1;
		struct upload *files = (struct upload *)1;

		renew(f);
		assert_int_equal(run(f, ct, body, len, chunks[i], &fields, &files), st);
		if (st != PARSE_OK) {
			assert_null(fields);
			assert_null(files);
			assert_int_equal(dir_entries(f->dir), 0);
		}
	}
}

static void assert_file(const struct upload *u, const char *bytes, size_t n)
{
	FILE *fp = fopen(u->path, "rb");
	char *got = malloc(n + 1);

	assert_non_null(fp);
	assert_int_equal(u->size, n);
	assert_int_equal(fread(got, 1, n + 1, fp), n);
	assert_memory_equal(got, bytes, n);
	fclose(fp);
	free(got);
}

static void assert_param(const struct param *p, const char *name, const char *value)
{
	assert_non_null(p);
	assert_string_equal(p->name, name);
	assert_string_equal(p->value, value);
	assert_int_equal(p->value_len, strlen(value));
}

static void test_text_fields(void **state)
{
	struct fx *f = *state;
	static const char body[] = TEXT("title", "Bonjour \xC3\xA0 tous")
		TEXT("tag", "a") "--" B "\r\ncontent-disposition: FORM-DATA; NAME=tag\r\n"
				 "X-Ignored: yes\r\n\r\nb\r\n" TEXT("empty", "")
					 TEXT("multi", "line 1\r\nline 2\r\n") END;

	for (size_t i = 0; i < NCHUNKS; i++) {
		struct param *p;
		struct upload *u;

		renew(f);
		assert_int_equal(run(f, CT, body, LEN(body), chunks[i], &p, &u), PARSE_OK);
		assert_null(u);
		assert_int_equal(param_count(p), 5);
		assert_param(p, "title", "Bonjour \xC3\xA0 tous");
		assert_param(p->next, "tag", "a");
		assert_param(p->next->next, "tag", "b");
		assert_param(p->next->next->next, "empty", "");
		assert_param(p->next->next->next->next, "multi", "line 1\r\nline 2\r\n");
		assert_string_equal(param_get(p, "tag"), "a");
	}
}

static void test_file_with_tricky_content(void **state)
{
	struct fx *f = *state;
	/* CRLFs, NUL, partial delimiters, "--boundary" not preceded by CRLF,
	 * and a full "\r\n--boundary" followed by a non-delimiter byte. */
	static const char content[] = "line1\r\nline2\r\n\r\n\0\xFF\r\r\n"
				      ">--" B "\r\n"
				      "\n--" B "\r\n"
				      "\r\n--" B "X not a delimiter\r\n"
				      "\r\n--" B "_also_not\r\n"
				      "\r\n--"
				      "----cousilabXy"
				      "Q\r\n"
				      "\r\n-\r\n--\r\n"
				      "ends with CRLF\r\n";
	static const char body[] = "--" B
				   "\r\n" DISP("doc") "; filename=\"notes.txt\"\r\n"
						      "Content-Type: application/x-weird\r\n\r\n"
						      "line1\r\nline2\r\n\r\n\0\xFF\r\r\n"
						      ">--" B "\r\n"
						      "\n--" B "\r\n"
						      "\r\n--" B "X not a delimiter\r\n"
						      "\r\n--" B "_also_not\r\n"
						      "\r\n--"
						      "----cousilabXy"
						      "Q\r\n"
						      "\r\n-\r\n--\r\n"
						      "ends with CRLF\r\n"
						      "\r\n" TEXT("after", "ok") END;

	for (size_t i = 0; i < NCHUNKS; i++) {
		struct param *p;
		struct upload *u;

		renew(f);
		assert_int_equal(run(f, CT, body, LEN(body), chunks[i], &p, &u), PARSE_OK);
		assert_non_null(u);
		assert_null(u->next);
		assert_string_equal(u->field, "doc");
		assert_string_equal(u->filename, "notes.txt");
		assert_string_equal(u->content_type, "application/x-weird");
		assert_file(u, content, LEN(content));
		assert_int_equal(strncmp(u->path, f->dir, strlen(f->dir)), 0);
		assert_int_equal(param_count(p), 1);
		assert_param(p, "after", "ok");
	}
}

static void test_several_files_and_fields_in_order(void **state)
{
	struct fx *f = *state;
	static const char body[] = FILEPART("f", "a.txt", "AAA") TEXT("x", "1") "--" B "\r\n" DISP(
		"f") "; filename=\"b.bin\"\r\n\r\nBB\r\n" TEXT("y", "2") END;
	struct param *p;
	struct upload *u;

	assert_int_equal(run(f, CT, body, LEN(body), 5, &p, &u), PARSE_OK);
	assert_int_equal(param_count(p), 2);
	assert_param(p, "x", "1");
	assert_param(p->next, "y", "2");
	assert_string_equal(u->filename, "a.txt");
	assert_string_equal(u->content_type, "text/plain");
	assert_file(u, "AAA", 3);
	assert_string_equal(u->next->filename, "b.bin");
	assert_string_equal(u->next->content_type, "application/octet-stream");
	assert_file(u->next, "BB", 2);
	assert_null(u->next->next);
	assert_string_not_equal(u->path, u->next->path);
}

static void test_large_file_streamed(void **state)
{
	struct fx *f = *state;
	const size_t n = 300 * 1000;
	static const char head[] = "--" B "\r\n" DISP("big") "; filename=\"big.bin\"\r\n\r\n";
	static const char tail[] = "\r\n" END;
	char *body = malloc(LEN(head) + n + LEN(tail));
	char *content = body + LEN(head);
	size_t len = LEN(head) + n + LEN(tail);
	uint32_t x = 12345;
	static const size_t sizes[] = {1, 7, 4099, 65536, 65537, SIZE_MAX};

	memcpy(body, head, LEN(head));
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245 + 12345;
		/* Dense in delimiter prefixes to exercise partial matches. */
		content[i] = "\r\n-" B[(x >> 16) % (3 + LEN(B))];
	}
	memcpy(content + n, tail, LEN(tail));

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct param *p;
		struct upload *u;

		renew(f);
		assert_int_equal(run(f, CT, body, len, sizes[i], &p, &u), PARSE_OK);
		assert_non_null(u);
		assert_file(u, content, n);
	}
	free(body);
}

static void test_preamble_epilogue_padding(void **state)
{
	struct fx *f = *state;
	static const char body[] = "This is the preamble.\r\n--" B "oops\r\n\r\n"
				   "--" B " \t \r\n" DISP("a") "\r\n\r\n1\r\n"
							       "--" B
							       "--   trailing epilogue\r\n--" B
							       "\r\ngarbage";
	static const char leading_crlf[] = "\r\n" TEXT("a", "1") END;
	static const char close_only[] = "--" B "--";

	for (size_t i = 0; i < NCHUNKS; i++) {
		struct reader r = {.data = body, .len = LEN(body), .chunk = chunks[i]};
		struct param *p;
		struct upload *u;

		renew(f);
		assert_int_equal(
			multipart_parse(f->a, CT, LEN(body), mem_read, &r, &f->lim, &p, &u),
			PARSE_OK);
		assert_int_equal(param_count(p), 1);
		assert_param(p, "a", "1");
		/* Small reads show the epilogue is left unread. */
		if (chunks[i] <= 13)
			assert_true(r.pos < LEN(body));

		assert_int_equal(run(f, CT, leading_crlf, LEN(leading_crlf), chunks[i], &p, &u),
				 PARSE_OK);
		assert_param(p, "a", "1");

		p = (struct param *)1;
		assert_int_equal(run(f, CT, close_only, LEN(close_only), chunks[i], &p, &u),
				 PARSE_OK);
		assert_null(p);
		assert_null(u);
	}
}

static void test_missing_closing_boundary(void **state)
{
	struct fx *f = *state;
	static const char *const bodies[] = {
		"",
		"preamble only",
		"--" B,
		"--" B "-",
		"--" B "\r",
		"--" B "\r\n",
		"--" B "\r\n" DISP("a"),
		"--" B "\r\n" DISP("a") "\r\n\r\nvalue",
		"--" B "\r\n" DISP("a") "\r\n\r\nvalue\r\n--" B,
		"--" B "\r\n" DISP("a") "\r\n\r\nvalue\r\n--" B "\r\n",
		FILEPART("f", "a.txt", "data data data"),
		"--" B "\r\n" DISP("f") "; filename=\"a.txt\"\r\n\r\ndata\r\n--",
		FILEPART("f", "a.txt", "x") FILEPART("g", "b.txt", "partial"),
	};

	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++)
		expect_all(f, CT, bodies[i], strlen(bodies[i]), PARSE_TRUNCATED);
}

static void test_reader_ends_early_or_length_short(void **state)
{
	struct fx *f = *state;
	static const char body[] = FILEPART("f", "a.txt", "abc") END;
	struct param *p;
	struct upload *u;

	/* Content-Length claims more than the reader delivers. */
	struct reader r = {.data = body, .len = LEN(body) - 3, .chunk = 7};
	assert_int_equal(multipart_parse(f->a, CT, LEN(body), mem_read, &r, &f->lim, &p, &u),
			 PARSE_TRUNCATED);
	assert_int_equal(dir_entries(f->dir), 0);

	/* Content-Length shorter than the data: the rest is never read. */
	r = (struct reader){.data = body, .len = LEN(body), .chunk = 7};
	assert_int_equal(multipart_parse(f->a, CT, LEN(body) - 5, mem_read, &r, &f->lim, &p, &u),
			 PARSE_TRUNCATED);
	assert_int_equal(r.pos, LEN(body) - 5);
	assert_int_equal(dir_entries(f->dir), 0);
}

static void test_filename_paths(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *sent, *kept;
	} cases[] = {
		{"../../etc/passwd", "passwd"},
		{"C:\\Users\\bob\\My Documents\\cv.pdf", "cv.pdf"},
		{"..\\..\\windows\\win.ini", "win.ini"},
		{"\\\\server\\share\\x.txt", "x.txt"},
		{"a\\\"b.txt", "a\"b.txt"},
		{"/abs/..hidden", "..hidden"},
		{"r\xC3\xA9sum\xC3\xA9.odt", "r\xC3\xA9sum\xC3\xA9.odt"},
		{"plain name.txt", "plain name.txt"},
	};
	static const char *const bad[] = {"/", "dir/", "dir/..", "..", ".", "x\\."};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char body[512];
		struct param *p;
		struct upload *u;
		int n = snprintf(body, sizeof(body),
				 "--" B "\r\n" DISP("f") "; filename=\"%s\"\r\n"
							 "\r\nx\r\n" END,
				 cases[i].sent);

		renew(f);
		assert_int_equal(run(f, CT, body, (size_t)n, 3, &p, &u), PARSE_OK);
		assert_non_null(u);
		assert_string_equal(u->filename, cases[i].kept);
		assert_null(strchr(u->path + strlen(f->dir) + 1, '/'));
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char body[512];
		int n = snprintf(body, sizeof(body),
				 "--" B "\r\n" DISP("f") "; filename=\"%s\"\r\n"
							 "\r\nx\r\n" END,
				 bad[i]);

		expect_all(f, CT, body, (size_t)n, PARSE_MALFORMED);
	}
}

static void test_filename_star(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *params;
		enum parse_status st;
		const char *kept;
	} cases[] = {
		{"filename=\"fallback.txt\"; filename*=UTF-8''%E2%82%AC%20rates.txt", PARSE_OK,
		 "\xE2\x82\xAC rates.txt"},
		{"filename*=utf-8'fr'..%2F..%2Fx+y.txt", PARSE_OK, "x+y.txt"},
		{"filename*=\"UTF-8''quoted.txt\"", PARSE_OK, "quoted.txt"},
		{"filename*=ISO-8859-1''a.txt", PARSE_BAD_ENCODING, NULL},
		{"filename*=UTF-8'a.txt", PARSE_BAD_ENCODING, NULL},
		{"filename*=UTF-8''%zz", PARSE_BAD_ENCODING, NULL},
		{"filename*=UTF-8''a%0", PARSE_BAD_ENCODING, NULL},
		{"filename*=UTF-8''a%00b", PARSE_BAD_UTF8, NULL},
		{"filename*=UTF-8''%C0%AF", PARSE_BAD_UTF8, NULL},
		/* Control characters are kept for files/rules.h to refuse
		 * next to the field, where the user sees why. */
		{"filename*=UTF-8''a%0Db", PARSE_OK, "a\rb"},
		{"filename=\"a\tb\"", PARSE_OK, "a\tb"},
		{"filename=\"\xC3(\"", PARSE_BAD_UTF8, NULL},
		{"filename=a.txt; filename=b.txt", PARSE_MALFORMED, NULL},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char body[512];
		struct param *p;
		struct upload *u;
		int n = snprintf(body, sizeof(body),
				 "--" B "\r\n" DISP("f") "; %s\r\n\r\nx\r\n" END, cases[i].params);

		renew(f);
		assert_int_equal(run(f, CT, body, (size_t)n, 4, &p, &u), cases[i].st);
		if (cases[i].kept) {
			assert_non_null(u);
			assert_string_equal(u->filename, cases[i].kept);
		} else {
			assert_null(u);
			assert_int_equal(dir_entries(f->dir), 0);
		}
	}
}

static void test_empty_filename_is_no_file(void **state)
{
	struct fx *f = *state;
	static const char body[] = FILEPART("f", "", "")
		FILEPART("g", "", "content sent anyway") "--" B "\r\n" DISP(
			"h") "; filename*=UTF-8''\r\n\r\nz\r\n"
			     "--" B "\r\n" DISP("") "\r\n\r\nnameless\r\n" TEXT("t", "kept") END;

	for (size_t i = 0; i < NCHUNKS; i++) {
		struct param *p;
		struct upload *u = (struct upload *)1;

		renew(f);
		assert_int_equal(run(f, CT, body, LEN(body), chunks[i], &p, &u), PARSE_OK);
		assert_null(u);
		assert_int_equal(dir_entries(f->dir), 0);
		assert_int_equal(param_count(p), 1);
		assert_param(p, "t", "kept");
	}
}

static void test_empty_file(void **state)
{
	struct fx *f = *state;
	static const char body[] = FILEPART("f", "empty.txt", "") END;
	struct param *p;
	struct upload *u;
	struct stat sb;

	assert_int_equal(run(f, CT, body, LEN(body), 1, &p, &u), PARSE_OK);
	assert_non_null(u);
	assert_string_equal(u->filename, "empty.txt");
	assert_int_equal(u->size, 0);
	assert_int_equal(stat(u->path, &sb), 0);
	assert_int_equal(sb.st_size, 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
}

static void test_temp_files_removed_with_arena(void **state)
{
	struct fx *f = *state;
	static const char body[] = FILEPART("a", "1.txt", "one") FILEPART("b", "2.txt", "two") END;
	struct param *p;
	struct upload *u;
	char *paths[2];

	assert_int_equal(run(f, CT, body, LEN(body), 7, &p, &u), PARSE_OK);
	paths[0] = strdup(u->path);
	paths[1] = strdup(u->next->path);
	assert_int_equal(access(paths[0], F_OK), 0);
	assert_int_equal(access(paths[1], F_OK), 0);
	assert_int_equal(dir_entries(f->dir), 2);
	renew(f);
	assert_int_equal(access(paths[0], F_OK), -1);
	assert_int_equal(access(paths[1], F_OK), -1);
	free(paths[0]);
	free(paths[1]);
}

static void test_file_too_large(void **state)
{
	struct fx *f = *state;
	char body[1024];
	char content[102];
	int n;

	memset(content, 'z', sizeof(content) - 1);
	content[sizeof(content) - 1] = '\0';
	f->lim.max_file_size = 100;

	/* Exactly at the limit is fine. */
	n = snprintf(body, sizeof(body), FILEPART("f", "a", "%.100s") END, content);
	expect_all(f, CT, body, (size_t)n, PARSE_OK);

	/* One byte over fails, and the earlier, valid file goes too. */
	n = snprintf(body, sizeof(body), FILEPART("ok", "small", "s") FILEPART("f", "a", "%s") END,
		     content);
	expect_all(f, CT, body, (size_t)n, PARSE_TOO_LARGE);
}

static void test_too_many_files(void **state)
{
	struct fx *f = *state;
	static const char body[] = FILEPART("f", "1", "1") FILEPART("f", "", "")
		FILEPART("f", "2", "2") FILEPART("f", "3", "3") END;

	f->lim.max_files = 3;
	expect_all(f, CT, body, LEN(body), PARSE_OK);
	f->lim.max_files = 2;
	expect_all(f, CT, body, LEN(body), PARSE_TOO_MANY);
	f->lim.max_files = 0;
	expect_all(f, CT, body, LEN(body), PARSE_TOO_MANY);
}

static void test_too_many_fields(void **state)
{
	struct fx *f = *state;
	static const char body[] = FILEPART("f", "1", "1") TEXT("a", "1") TEXT("b", "2")
		TEXT("c", "3") END;

	f->lim.max_fields = 3;
	expect_all(f, CT, body, LEN(body), PARSE_OK);
	f->lim.max_fields = 2;
	expect_all(f, CT, body, LEN(body), PARSE_TOO_MANY);
}

static void test_value_too_large(void **state)
{
	struct fx *f = *state;
	static const char head[] = "--" B "\r\n" DISP("v") "\r\n\r\n";
	static const char tail[] = "\r\n" END;
	size_t len = LEN(head) + 10000 + LEN(tail);
	char *body = malloc(len);

	memcpy(body, head, LEN(head));
	memset(body + LEN(head), 'v', 10000);
	memcpy(body + LEN(head) + 10000, tail, LEN(tail));

	f->lim.max_value = 10000;
	expect_all(f, CT, body, len, PARSE_OK);
	f->lim.max_value = 9999;
	expect_all(f, CT, body, len, PARSE_TOO_LARGE);
	free(body);
}

static void test_bad_utf8(void **state)
{
	struct fx *f = *state;
	static const char overlong[] = TEXT("a", "\xC0\xAF") END;
	static const char nul[] = TEXT("a", "x\0y") END;
	static const char surrogate[] = TEXT("a", "\xED\xA0\x80") END;
	static const char name[] = TEXT("\xFF", "x") END;
	static const char ctype[] = "--" B "\r\n" DISP("f") "; filename=\"a\"\r\n"
							    "Content-Type: \xC3\r\n\r\nx\r\n" END;
	static const char after_file[] = FILEPART("f", "a", "x") TEXT("a", "\xE2\x82") END;

	expect_all(f, CT, overlong, LEN(overlong), PARSE_BAD_UTF8);
	expect_all(f, CT, nul, LEN(nul), PARSE_BAD_UTF8);
	expect_all(f, CT, surrogate, LEN(surrogate), PARSE_BAD_UTF8);
	expect_all(f, CT, name, LEN(name), PARSE_BAD_UTF8);
	expect_all(f, CT, ctype, LEN(ctype), PARSE_BAD_UTF8);
	expect_all(f, CT, after_file, LEN(after_file), PARSE_BAD_UTF8);
}

static void test_content_type(void **state)
{
	struct fx *f = *state;
	static const char body[] = TEXT("a", "1") END;
	static const char quoted[] = "--a b:c=?\r\n" DISP("a") "\r\n\r\n1\r\n--a b:c=?--";
	static const char *const bad[] = {
		"text/plain; boundary=" B,
		"multipart/mixed; boundary=" B,
		"multipart/form-data",
		"multipart/form-data;",
		"multipart/form-data; boundary=",
		"multipart/form-data; boundary=\"\"",
		"multipart/form-data; boundary=\"" B,
		"multipart/form-data; boundary=\"abc \"",
		"multipart/form-data; boundary=ab@c",
		"multipart/form-data; boundary=" B "; boundary=" B,
		"multipart/form-data; boundary " B,
		"multipart/form-data; =x; boundary=" B,
		"multipart/form-data boundary=" B,
		"multipart/form-data; boundary=\"a\r\nb\"",
		"multipart/form-data; boundary=x"
		"1234567890123456789012345678901234567890123456789012345678901234567890",
		"",
		NULL,
	};
	struct param *p;
	struct upload *u;

	assert_int_equal(run(f, "Multipart/Form-Data; charset=utf-8; BOUNDARY=" B "; x=\"y;z\";",
			     body, LEN(body), 3, &p, &u),
			 PARSE_OK);
	assert_param(p, "a", "1");
	assert_int_equal(run(f, "multipart/form-data ; boundary = \"a b:c=?\"", quoted, LEN(quoted),
			     3, &p, &u),
			 PARSE_OK);
	assert_param(p, "a", "1");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		p = (struct param *)1;
		assert_int_equal(run(f, bad[i], body, LEN(body), 3, &p, &u), PARSE_MALFORMED);
		assert_null(p);
	}
}

static void test_boundary_lengths(void **state)
{
	struct fx *f = *state;
	char b70[71], ct[128], body[512];
	int n;

	memset(b70, 'b', 70);
	b70[70] = '\0';
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s", b70);
	n = snprintf(body, sizeof(body), "--%s\r\n" DISP("a") "\r\n\r\n1\r\n--%s--", b70, b70);
	expect_all(f, ct, body, (size_t)n, PARSE_OK);

	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%sb", b70);
	expect_all(f, ct, body, (size_t)n, PARSE_MALFORMED);

	n = snprintf(body, sizeof(body), "--x\r\n" DISP("a") "\r\n\r\n\r\n--x-\r\n--x--");
	expect_all(f, "multipart/form-data; boundary=x", body, (size_t)n, PARSE_MALFORMED);
	n = snprintf(body, sizeof(body), "--x\r\n" DISP("a") "\r\n\r\nx--x\r\n--xx\r\n--x--");
	for (size_t i = 0; i < NCHUNKS; i++) {
		struct param *p;
		struct upload *u;

		renew(f);
		assert_int_equal(run(f, "multipart/form-data; boundary=x", body, (size_t)n,
				     chunks[i], &p, &u),
				 PARSE_OK);
		assert_param(p, "a", "x--x\r\n--xx");
	}
}

static void test_bad_delimiter_line(void **state)
{
	struct fx *f = *state;
	static const char *const bodies[] = {
		TEXT("a", "1") "--" B "-x",        TEXT("a", "1") "--" B " x\r\n",
		TEXT("a", "1") "--" B "\rx",       TEXT("a", "1") "--" B "\t\n",
		"--" B "-\r\n" TEXT("a", "1") END,
	};

	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++)
		expect_all(f, CT, bodies[i], strlen(bodies[i]), PARSE_MALFORMED);
}

static void test_bad_part_headers(void **state)
{
	struct fx *f = *state;
	static const char *const bodies[] = {
		"--" B "\r\n\r\nno headers\r\n" END,
		"--" B "\r\nContent-Type: text/plain\r\n\r\nx\r\n" END,
		"--" B "\r\nContent-Disposition: form-data\r\n\r\nx\r\n" END,
		"--" B "\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n" END,
		"--" B "\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nx\r\n" END,
		"--" B "\r\n" DISP("a") "\r\n" DISP("b") "\r\n\r\nx\r\n" END,
		"--" B "\r\n" DISP("a") "\r\nContent-Type: a\r\nContent-Type: b\r\n\r\nx\r\n" END,
		"--" B "\r\n" DISP("a") "\r\nno colon here\r\n\r\nx\r\n" END,
		"--" B "\r\n" DISP("a") "\r\n: empty name\r\n\r\nx\r\n" END,
		"--" B "\r\n" DISP("a") "\r\nBad Name: x\r\n\r\nx\r\n" END,
		"--" B "\r\n" DISP("a") "\nX-Bare-LF: 1\r\n\r\nx\r\n" END,
		"--" B "\r\n" DISP("a") "\r\nX: a\rb\r\n\r\nx\r\n" END,
		"--" B "\r\n" DISP("a") "\r\n folded\r\n\r\nx\r\n" END,
		"--" B "\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n" END,
		"--" B "\r\nContent-Disposition: form-data; name\r\n\r\nx\r\n" END,
		"--" B "\r\nContent-Disposition: form-data; name=a b\r\n\r\nx\r\n" END,
		"--" B "\r\n\n" DISP("a") "\r\n\r\nx\r\n" END,
	};

	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++)
		expect_all(f, CT, bodies[i], strlen(bodies[i]), PARSE_MALFORMED);
}

static void test_header_block_limit(void **state)
{
	struct fx *f = *state;
	static const char head[] = "--" B "\r\n" DISP("a") "\r\nX-Pad: ";
	static const char tail[] = "\r\n\r\nv\r\n" END;
	size_t fixed = LEN(DISP("a") "\r\nX-Pad: ") + 4;
	size_t pad = 8192 - fixed;
	char *body = malloc(LEN(head) + 9000 + LEN(tail));

	/* A header block of exactly 8 KiB (blank line included) passes. */
	memcpy(body, head, LEN(head));
	memset(body + LEN(head), 'p', pad);
	memcpy(body + LEN(head) + pad, tail, LEN(tail));
	expect_all(f, CT, body, LEN(head) + pad + LEN(tail), PARSE_OK);

	memset(body + LEN(head), 'p', pad + 1);
	memcpy(body + LEN(head) + pad + 1, tail, LEN(tail));
	/* One byte more: its own status, not "too large" (a file). */
	expect_all(f, CT, body, LEN(head) + pad + 1 + LEN(tail), PARSE_HEADER_TOO_LARGE);
	free(body);
}

/* A before_file hook that wants field "csrf" to be "ok" and counts its
 * calls. */
struct gate {
	int calls;
};

static bool csrf_ok(void *ctx, const struct param *fields)
{
	struct gate *g = ctx;
	const char *v = param_get(fields, "csrf");

	g->calls++;
	return v && strcmp(v, "ok") == 0;
}

static void test_before_file_gate(void **state)
{
	struct fx *f = *state;
	static const char first[] = TEXT("csrf", "ok") FILEPART("f", "a.txt", "data") END;
	static const char wrong[] = TEXT("csrf", "no") FILEPART("f", "a.txt", "data") END;
	static const char after[] = FILEPART("f", "a.txt", "data") TEXT("csrf", "ok") END;
	static const char text_only[] = TEXT("csrf", "no") END;
	struct gate g = {0};

	f->lim.before_file = csrf_ok;
	f->lim.before_file_ctx = &g;
	expect_all(f, CT, first, LEN(first), PARSE_OK);
	assert_int_equal(g.calls, (int)NCHUNKS);
	/* Refused before any byte of the file is written: expect_all checks
	 * that no temp file is left, and a refusal means none was opened. */
	expect_all(f, CT, wrong, LEN(wrong), PARSE_REFUSED);
	expect_all(f, CT, after, LEN(after), PARSE_REFUSED);
	g.calls = 0;
	expect_all(f, CT, text_only, LEN(text_only), PARSE_OK);
	assert_int_equal(g.calls, 0);
	f->lim.before_file = NULL;
}

static void test_io_errors(void **state)
{
	struct fx *f = *state;
	static const char body[] = FILEPART("f", "a", "x") END;
	static const char text[] = TEXT("a", "1") END;
	struct param *p;
	struct upload *u;
	char missing[80];

	snprintf(missing, sizeof(missing), "%s/does-not-exist", f->dir);
	f->lim.tmpdir = missing;
	assert_int_equal(run(f, CT, body, LEN(body), 9, &p, &u), PARSE_IO);
	/* Text-only bodies never touch the temp dir. */
	assert_int_equal(run(f, CT, text, LEN(text), 9, &p, &u), PARSE_OK);
	f->lim.tmpdir = f->dir;

	struct reader r = {.data = body, .len = LEN(body), .chunk = 9, .overshoot = 1};
	assert_int_equal(multipart_parse(f->a, CT, LEN(body), mem_read, &r, &f->lim, &p, &u),
			 PARSE_IO);
	assert_int_equal(dir_entries(f->dir), 0);
}

static void test_write_failure_removes_files(void **state)
{
	struct fx *f = *state;
	static const char first[] = FILEPART("ok", "ok.txt", "fine");
	static const char head[] = "--" B "\r\n" DISP("f") "; filename=\"big\"\r\n\r\n";
	size_t n = 200 * 1024;
	size_t len = LEN(first) + LEN(head) + n + LEN("\r\n" END);
	char *body = malloc(len);
	struct rlimit old, lim;
	struct param *p;
	struct upload *u;

	memcpy(body, first, LEN(first));
	memcpy(body + LEN(first), head, LEN(head));
	memset(body + LEN(first) + LEN(head), 'w', n);
	memcpy(body + len - LEN("\r\n" END), "\r\n" END, LEN("\r\n" END));

	/* A file size limit makes write() fail with EFBIG, like a full disk. */
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 100 * 1024;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	enum parse_status st = run(f, CT, body, len, 4096, &p, &u);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);

	assert_int_equal(st, PARSE_IO);
	assert_null(u);
	assert_int_equal(dir_entries(f->dir), 0);
	free(body);
}

/* Appends a part of name (a file part when fname) holding n bytes of 'v',
 * its header block padded to exactly 8 KiB, delimited by bnd. */
static size_t put_full_part(char *body, const char *bnd, const char *name, const char *fname,
			    size_t n)
{
	char head[256];
	size_t len = (size_t)snprintf(body, 128, "--%s\r\n", bnd);
	int hl = snprintf(head, sizeof(head),
			  "Content-Disposition: form-data; name=\"%s\"%s%s%s\r\nX-Pad: ", name,
			  fname ? "; filename=\"" : "", fname ? fname : "", fname ? "\"" : "");
	memcpy(body + len, head, (size_t)hl);
	len += (size_t)hl;
	size_t pad = 8192 - (size_t)hl - 4;
	memset(body + len, 'p', pad);
	len += pad;
	memcpy(body + len, "\r\n\r\n", 4);
	len += 4;
	memset(body + len, 'v', n);
	len += n;
	memcpy(body + len, "\r\n", 2);
	return len + 2;
}

/* The longest form within the limits fits multipart_body_max: the early
 * Content-Length refusal never turns a valid form away. */
static void test_body_max(void **state)
{
	struct fx *f = *state;
	char bnd[71];
	memset(bnd, 'b', 70);
	bnd[70] = '\0';
	char ct[128];
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s", bnd);
	f->lim.max_fields = 2;
	f->lim.max_value = 100;
	f->lim.max_files = 2;
	f->lim.max_file_size = 1000;
	char *body = malloc(64 * 1024);
	size_t len = put_full_part(body, bnd, "a", NULL, 100);
	len += put_full_part(body + len, bnd, "b", NULL, 100);
	len += put_full_part(body + len, bnd, "f", "un.txt", 1000);
	len += put_full_part(body + len, bnd, "g", "deux.txt", 1000);
	len += (size_t)sprintf(body + len, "--%s--\r\n", bnd);
	expect_all(f, ct, body, len, PARSE_OK);
	assert_true(len <= multipart_body_max(&f->lim));
	assert_true(multipart_body_max(&f->lim) < len + 128 * 1024);
	free(body);

	/* 500 Mo and a few fields: about 64 KiB over the file */
	struct multipart_limits video = {
		.max_fields = 4, .max_value = 1024, .max_files = 1, .max_file_size = 524288000};
	assert_true(multipart_body_max(&video) > 524288000 + 5 * 8192);
	assert_true(multipart_body_max(&video) < 524288000 + 128 * 1024);
	struct multipart_limits huge = {.max_files = SIZE_MAX / 2, .max_file_size = 4};
	assert_int_equal(multipart_body_max(&huge), SIZE_MAX);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_text_fields),
		T(test_file_with_tricky_content),
		T(test_several_files_and_fields_in_order),
		T(test_large_file_streamed),
		T(test_preamble_epilogue_padding),
		T(test_missing_closing_boundary),
		T(test_reader_ends_early_or_length_short),
		T(test_filename_paths),
		T(test_filename_star),
		T(test_empty_filename_is_no_file),
		T(test_empty_file),
		T(test_temp_files_removed_with_arena),
		T(test_file_too_large),
		T(test_too_many_files),
		T(test_too_many_fields),
		T(test_value_too_large),
		T(test_bad_utf8),
		T(test_content_type),
		T(test_boundary_lengths),
		T(test_bad_delimiter_line),
		T(test_bad_part_headers),
		T(test_header_block_limit),
		T(test_before_file_gate),
		T(test_io_errors),
		T(test_write_failure_removes_files),
		T(test_body_max),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
