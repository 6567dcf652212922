/* Roles, HotCRP-style: every route names the one it needs, and users hold
 * a set of them; stored as [{"role": "juror", ...scope}] so that a scope
 * (GPI edition, category) can be added to a grant. */
#ifndef COUSILAB_ROLES_H
#define COUSILAB_ROLES_H

#include <stdbool.h>

enum role {
	ROLE_PUBLIC = 0,   /* anyone, signed in or not */
	ROLE_AGENT,        /* any signed-in, confirmed, active account */
	ROLE_COORDINATOR,  /* Lab coordinator */
	ROLE_SECRETARIAT,  /* Grand Prix secretariat */
	ROLE_JUROR,        /* scoped to an edition and a category */
	ROLE_GRAND_JUROR,
	ROLE_ADMIN,        /* passes every check */
	ROLE_COUNT
};

struct user;

/* Returns the stored name ("coordinator"), static. */
const char *role_name(enum role r);

/* Returns the French label ("Coordinateur ou coordinatrice du Lab"). */
const char *role_label(enum role r);

/* Returns the role named name, or -1. Pure. */
int role_from_name(const char *name);

/* Returns true when user may use a route that needs role r. A NULL user
 * only passes ROLE_PUBLIC. Pure. */
bool user_has_role(const struct user *user, enum role r);

#endif
