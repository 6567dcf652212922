/* libFuzzer target: cookie_parse on a NUL-terminated copy of the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "http/cookie.h"
#include "http/params.h"

#define CHECK(x)                 \
	do {                     \
		if (!(x))        \
			abort(); \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *h = xmalloc(size + 1);
	struct arena *a = arena_new();
	struct param *p;
	size_t n = 0;

	memcpy(h, data, size);
	h[size] = '\0';
	if (cookie_parse(a, h, &p) == PARSE_OK) {
		for (; p; p = p->next, n++) {
			size_t nl = strlen(p->name);

			CHECK(nl > 0 && nl <= COOKIE_MAX_LEN);
			CHECK(utf8_valid(p->name, nl));
			CHECK(strlen(p->value) == p->value_len);
			CHECK(p->value_len <= COOKIE_MAX_LEN);
			CHECK(utf8_valid(p->value, p->value_len));
			/* Trimmed: no OWS at either end of a name. */
			CHECK(p->name[0] != ' ' && p->name[nl - 1] != ' ');
		}
		CHECK(n <= COOKIE_MAX_COUNT);
	} else {
		CHECK(!p);
	}
	arena_free(a);
	free(h);
	return 0;
}
