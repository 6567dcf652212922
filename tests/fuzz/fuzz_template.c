/* libFuzzer target for src/view/mustache.c.
 *
 * Input: a template, optionally followed by a NUL byte and a second
 * template. The first is compiled as "t", the second as the partial "p"
 * (so both "{{>p}}" and the recursive "{{>t}}" are reachable). When "t"
 * compiles it is rendered with fixed data full of the names the seed
 * corpus uses; everything is freed so LeakSanitizer sees any leak. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "view/mustache.h"

static const char fixed_json[] = "{\"name\": \"<b>Tom & \\\"Jerry\\\"</b>\", \"title\": \"T\","
				 " \"n\": 42, \"zero\": 0, \"r\": 1.5, \"t\": true, \"f\": false,"
				 " \"z\": null, \"empty\": \"\", \"none\": [],"
				 " \"a\": {\"b\": {\"c\": \"deep\", \"list\": [1, 2]}},"
				 " \"list\": [{\"name\": \"x\", \"list\": [\"<i>\", 3.25]},"
				 "            {\"name\": \"y\", \"t\": false}, \"s\", 7, [1, [2]]],"
				 " \"obj\": {\"name\": \"inner\", \"n\": -1}}";

/* Fuzzer-side state only; the engine itself keeps none. */
static json_t *data;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	data = json_loads(fixed_json, 0, NULL);
	if (!data)
		abort();
	return 0;
}

/* Every compile error must be a "name:line: message" string. */
static void add(struct mustache_set *set, const char *name, const char *src, size_t len, int *rc)
{
	char err[128] = "";
	*rc = mustache_set_add(set, name, src, len, err, sizeof(err));
	if (*rc && (strncmp(err, name, strlen(name)) || err[strlen(name)] != ':'))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size)
{
	const char *src = (const char *)in;
	const char *sep = memchr(src, '\0', size);
	size_t len = sep ? (size_t)(sep - src) : size;
	struct mustache_set *set = mustache_set_new();
	int rc;
	if (sep)
		add(set, "p", sep + 1, size - len - 1, &rc);
	add(set, "t", src, len, &rc);
	if (!rc) {
		struct buf out = BUF_INIT;
		if (mustache_render(set, "t", data, &out))
			abort();
		if (strlen(out.data) > out.len)
			abort();
		buf_free(&out);
	}
	mustache_set_free(set);
	return 0;
}
