/* Route matching against every pattern of the real table, with hostile
 * paths: no read past the end, no leak, consistent parameters, and the
 * lookup's choice among matching routes is one of them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "web/router.h"

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
	/* The route chosen among several matching ones matches too. */
	struct param *params = NULL, *again = NULL;
	bool path_known;
	const struct route *r = route_lookup(a, "GET", path, &params, &path_known);
	if (r && !route_match(a, r->pattern, path, &again))
		abort();
	arena_free(a);
	return 0;
}
