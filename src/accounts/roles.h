/* Roles, HotCRP-style: every route names the one it needs, and users hold
 * a set of them. A user document stores its grants as
 * "roles": [{"role": "juror", "scope": "gpi:2026:rh"}, {"role": "admin"}]:
 * a grant without "scope" holds everywhere; scopes are described in
 * accounts/role_scope.h. The roles themselves are web/role.h: the route
 * table names them. */
#ifndef COUSILAB_ROLES_H
#define COUSILAB_ROLES_H

#include <bson/bson.h>
#include <stdbool.h>

#include "web/role.h"

struct user;

/* Returns the stored name ("coordinator"), static. */
const char *role_name(enum role r);

/* Returns the French label ("Coordinateur ou coordinatrice du Lab"). */
const char *role_label(enum role r);

/* Returns the role named name, or -1. Pure. */
int role_from_name(const char *name);

/* Returns true when user may use a route that needs role r, that is when
 * it holds r in at least one scope. A NULL user only passes ROLE_PUBLIC.
 * Pure. */
bool user_has_role(const struct user *user, enum role r);

/* Returns true when user holds role r in scope (a valid scope, see
 * role_scope.h): through an unscoped grant of r, a grant of r scoped to
 * scope or one of its ancestors, or the admin role. A NULL scope asks
 * for r anywhere, as user_has_role does. Pure. */
bool user_has_role_in(const struct user *user, enum role r, const char *scope);

/* Returns true when user (active) holds a grant of r of its own covering
 * scope: unscoped, or scoped to scope or an ancestor. Unlike
 * user_has_role_in, the admin role implies nothing: for duties one is
 * appointed to (a juror), not permissions. Pure. */
bool user_holds_grant(const struct user *user, enum role r, const char *scope);

/* Walks the grants of a user document, in stored order. */
struct role_grants {
	bson_iter_t it;
	bool ok;
};

/* Starts a walk over user_doc's grants (user_doc must outlive it). */
void role_grants_begin(struct role_grants *g, const bson_t *user_doc);

/* Returns true with the next grant's role (-1 for a name this version
 * does not know) and scope (NULL when unscoped; borrowed from the
 * document), or false at the end. */
bool role_grants_next(struct role_grants *g, int *role, const char **scope);

/* Appends to out, under key, the user's grants with role r added or
 * removed in scope (NULL: unscoped). Adding keeps every grant and
 * appends {role, scope} unless that exact grant exists; removing with a
 * scope drops that one grant, and without a scope every grant of r,
 * scoped or not. Other roles' grants are kept as they are. */
void user_roles_edit(const bson_t *user_doc, bson_t *out, const char *key, enum role r,
		     const char *scope, bool add);

#endif
