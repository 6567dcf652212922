/* Route matching against every pattern of the real table, with hostile
 * paths: no read past the end, no leak, consistent parameters. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "http/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	char *path = arena_strndup(a, (const char *)data, size);
	for (size_t i = 0; i < ROUTES_COUNT; i++) {
		struct param *params = NULL;
		if (route_match(a, ROUTES[i].pattern, path, &params))
			for (struct param *p = params; p; p = p->next)
				if (!p->value[0] || strchr(p->value, '/'))
					abort();
	}
	arena_free(a);
	return 0;
}
