#include "accounts/roles.h"

#include <string.h>

#include "accounts/role_scope.h"
#include "accounts/user.h"

static const struct {
	const char *name;
	const char *label;
} ROLES[ROLE_COUNT] = {
	[ROLE_PUBLIC] = {"public", "Public"},
	[ROLE_AGENT] = {"agent", "Agent"},
	[ROLE_COORDINATOR] = {"coordinator", "Coordination du Lab"},
	[ROLE_SECRETARIAT] = {"secretariat", "Secrétariat du Grand Prix"},
	[ROLE_JUROR] = {"juror", "Jury"},
	[ROLE_GRAND_JUROR] = {"grand_juror", "Grand jury"},
	[ROLE_ADMIN] = {"admin", "Administration"},
};

const char *role_name(enum role r)
{
	return r < ROLE_COUNT ? ROLES[r].name : "?";
}

const char *role_label(enum role r)
{
	return r < ROLE_COUNT ? ROLES[r].label : "?";
}

int role_from_name(const char *name)
{
	for (int r = ROLE_AGENT; r < ROLE_COUNT; r++)
		if (strcmp(ROLES[r].name, name) == 0)
			return r;
	return -1;
}

bool user_has_role(const struct user *user, enum role r)
{
	if (r == ROLE_PUBLIC)
		return true;
	if (!user || !user_is_active(user))
		return false;
	if (r == ROLE_AGENT || (user->roles & (1u << ROLE_ADMIN)))
		return true;
	return (user->roles & (1u << r)) != 0;
}

bool user_has_role_in(const struct user *user, enum role r, const char *scope)
{
	if (!user_has_role(user, r))
		return false;
	if (!scope || r <= ROLE_AGENT || (user->roles & (1u << ROLE_ADMIN)))
		return true;
	return user_holds_grant(user, r, scope);
}

bool user_holds_grant(const struct user *user, enum role r, const char *scope)
{
	if (!user || !user_is_active(user) || !scope)
		return false;
	struct role_grants g;
	int held;
	const char *grant;
	role_grants_begin(&g, user->doc);
	while (role_grants_next(&g, &held, &grant))
		if (held == (int)r && role_scope_covers(grant, scope))
			return true;
	return false;
}

void role_grants_begin(struct role_grants *g, const bson_t *user_doc)
{
	bson_iter_t roles;
	g->ok = user_doc && bson_iter_init_find(&roles, user_doc, "roles") &&
		BSON_ITER_HOLDS_ARRAY(&roles) && bson_iter_recurse(&roles, &g->it);
}

/* Returns the string field key of the document grant is at, or NULL. */
static const char *grant_field(const bson_iter_t *grant, const char *key)
{
	bson_iter_t field;
	return bson_iter_recurse(grant, &field) && bson_iter_find(&field, key) &&
			       BSON_ITER_HOLDS_UTF8(&field)
		       ? bson_iter_utf8(&field, NULL)
		       : NULL;
}

bool role_grants_next(struct role_grants *g, int *role, const char **scope)
{
	while (g->ok && bson_iter_next(&g->it)) {
		if (!BSON_ITER_HOLDS_DOCUMENT(&g->it))
			continue;
		const char *name = grant_field(&g->it, "role");
		*role = name ? role_from_name(name) : -1;
		*scope = grant_field(&g->it, "scope");
		return true;
	}
	return false;
}

/* Returns true when both scopes are the same (NULL: unscoped). */
static bool same_scope(const char *a, const char *b)
{
	return a && b ? strcmp(a, b) == 0 : a == b;
}

/* Returns the key of the next element of an array being built, written
 * into buf, and advances *i. */
static const char *next_key(uint32_t *i, char buf[static 16])
{
	const char *key;
	bson_uint32_to_string((*i)++, &key, buf, 16);
	return key;
}

void user_roles_edit(const bson_t *user_doc, bson_t *out, const char *key, enum role r,
		     const char *scope, bool add)
{
	bson_t array;
	uint32_t i = 0;
	char index[16];
	bool present = false;
	bson_append_array_begin(out, key, -1, &array);
	struct role_grants g;
	int held;
	const char *grant;
	role_grants_begin(&g, user_doc);
	while (role_grants_next(&g, &held, &grant)) {
		bool same_role = held == (int)r;
		present |= same_role && same_scope(grant, scope);
		if (add || !same_role || (scope && !same_scope(grant, scope)))
			bson_append_value(&array, next_key(&i, index), -1, bson_iter_value(&g.it));
	}
	if (add && !present) {
		bson_t *added = scope ? BCON_NEW("role", BCON_UTF8(role_name(r)), "scope",
						 BCON_UTF8(scope))
				      : BCON_NEW("role", BCON_UTF8(role_name(r)));
		bson_append_document(&array, next_key(&i, index), -1, added);
		bson_destroy(added);
	}
	bson_append_array_end(out, &array);
}
