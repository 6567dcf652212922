/* The roles a route may need, HotCRP-style: every route of the table
 * (web/router.h) names the one it needs, and users hold a set of them
 * (accounts/roles.h grants and checks them, in scopes). Here because the
 * router needs the names and must not include accounts. */
#ifndef COUSILAB_ROLE_H
#define COUSILAB_ROLE_H

enum role {
	ROLE_PUBLIC = 0,  /* anyone, signed in or not */
	ROLE_AGENT,       /* any signed-in, confirmed, active account */
	ROLE_COORDINATOR, /* Lab coordinator */
	ROLE_SECRETARIAT, /* Grand Prix secretariat */
	ROLE_JUROR,       /* scoped to an edition ("gpi:2026") or a category */
	ROLE_GRAND_JUROR,
	ROLE_ADMIN, /* passes every check, in every scope */
	ROLE_COUNT
};

#endif
