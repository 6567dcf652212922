/* Role scopes: where a grant applies. A scope is a path of segments
 * joined by ':', from the widest to the narrowest: "gpi:2026" is the 2026
 * edition of the Grand Prix, "gpi:2026:rh" its "rh" category. A grant
 * scoped to a path covers everything below it; an unscoped grant covers
 * every scope. Segments are 1 to ROLE_SCOPE_SEGMENT_MAX characters among
 * a-z, 0-9, '-' and '_', so a scope never needs escaping in a URL, a
 * document or a log line. */
#ifndef COUSILAB_ROLE_SCOPE_H
#define COUSILAB_ROLE_SCOPE_H

#include <stdbool.h>

struct arena;
struct param;

#define ROLE_SCOPE_SEGMENT_MAX 32
#define ROLE_SCOPE_SEGMENTS_MAX 4

/* Returns true when scope is a well-formed, non-empty scope. Pure. */
bool role_scope_valid(const char *scope);

/* Returns true when a grant scoped to grant (NULL or "": unscoped) covers
 * wanted, a valid scope: grant is wanted itself or one of its ancestors
 * ("gpi:2026" covers "gpi:2026:rh", not "gpi:2027" nor "gpi:20261").
 * Pure. */
bool role_scope_covers(const char *grant, const char *wanted);

/* Returns the scope that template ("gpi:{year}:{category}") names for a
 * route's params: each {name} replaced by that parameter's value.
 * Returns NULL when a parameter is missing or its value cannot be a
 * segment (such a resource cannot exist). Arena-allocated. */
const char *role_scope_from_params(struct arena *a, const char *template,
				   const struct param *params);

/* Returns the French description of a valid scope ("Grand Prix 2026,
 * catégorie rh"); a scope of an unknown kind is shown as it is stored.
 * Arena-allocated. */
const char *role_scope_label(struct arena *a, const char *scope);

#endif
