/* Route patterns: "/pratiques/{slug}", where {name} is one path segment.
 * Matching and precedence are pure HTTP; the table that names handlers
 * and roles is web/router.h. */
#ifndef COUSILAB_ROUTE_MATCH_H
#define COUSILAB_ROUTE_MATCH_H

#include <stdbool.h>

struct arena;
struct param;

/* Returns true when path matches pattern; route parameters are prepended
 * to *params (arena-allocated values). Pure apart from the arena. */
bool route_match(struct arena *a, const char *pattern, const char *path, struct param **params);

/* Returns >0 when pattern a takes precedence over pattern b for a path
 * both match, <0 when b does, 0 when neither does. The first segment,
 * left to right, where one is literal and the other holds a {param}
 * decides: the literal wins, so "/pratiques/nouvelle" beats
 * "/pratiques/{slug}" wherever either sits in the table. Pure. */
int route_precedence(const char *a, const char *b);

#endif
