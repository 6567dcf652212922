/* jansson values whose last reference goes with a request's arena, so a
 * handler builds its page data once and returns from anywhere without a
 * json_decref on each exit path. Kept apart from arena.h so the arena does
 * not drag jansson into every file that allocates. */
#ifndef COUSILAB_ARENA_JSON_H
#define COUSILAB_ARENA_JSON_H

#include <jansson.h>

struct arena;

/* Returns v itself, whose reference (the caller's) now belongs to arena a:
 * it is dropped when a is freed, among the arena's other cleanups. v may be
 * NULL (a failed json_pack), then nothing is registered, so
 * the call wraps a constructor directly. Allocates a small record in a.
 * Use it only for values that may live as long as the request: one built
 * per item of a large loop must still be released at the end of its turn. */
json_t *arena_json(struct arena *a, json_t *v);

#endif
