#include "accounts/roles.h"

#include <string.h>

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
