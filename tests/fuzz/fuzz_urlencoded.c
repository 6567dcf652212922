/* libFuzzer target: urlencoded_parse and url_decode on raw bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/utf8.h"
#include "http/params.h"
#include "http/urlencoded.h"

/* Not assert(): must hold in release-mode fuzz builds too. */
#define CHECK(x)                 \
	do {                     \
		if (!(x))        \
			abort(); \
	} while (0)

static void check_list(const struct param *p, const struct form_limits *lim)
{
	size_t n = 0;

	for (; p; p = p->next, n++) {
		size_t nl = strlen(p->name);

		CHECK(nl > 0 && nl <= lim->max_name);
		CHECK(utf8_valid(p->name, nl));
		CHECK(strlen(p->value) == p->value_len);
		CHECK(p->value_len <= lim->max_value);
		CHECK(utf8_valid(p->value, p->value_len));
	}
	CHECK(n <= lim->max_fields);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct form_limits tiny = {
		.max_fields = 4,
		.max_name = 8,
		.max_value = 16,
	};
	const char *s = (const char *)data;
	struct arena *a = arena_new();
	struct param *p;
	size_t n;

	if (urlencoded_parse(a, s, size, NULL, &p) == PARSE_OK)
		check_list(p, &FORM_LIMITS_DEFAULT);
	else
		CHECK(!p);
	if (urlencoded_parse(a, s, size, &tiny, &p) == PARSE_OK)
		check_list(p, &tiny);
	else
		CHECK(!p);

	char *d = url_decode(a, s, size, size & 1, &n);
	if (d)
		CHECK(n <= size && d[n] == '\0');

	arena_free(a);
	return 0;
}
