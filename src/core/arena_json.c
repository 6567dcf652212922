#include "core/arena_json.h"

#include "core/arena.h"

static void json_release(void *ctx)
{
	json_decref(ctx);
}

json_t *arena_json(struct arena *a, json_t *v)
{
	if (v)
		arena_on_free(a, json_release, v);
	return v;
}
