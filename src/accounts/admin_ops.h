/* Account operations shared by the admin pages and the command line:
 * creating an account directly, and granting or removing a role. Both
 * write the audit log. */
#ifndef COUSILAB_ADMIN_OPS_H
#define COUSILAB_ADMIN_OPS_H

#include <stdbool.h>

#include "accounts/roles.h"

struct request;
struct user;

struct new_account {
	const char *email;
	const char *name;
	const char *organisation;
	const char *job;
	const char *password;
	enum role role; /* granted besides agent; ROLE_AGENT for none */
};

/* Creates an active (already confirmed) account. Returns its id (arena),
 * or NULL with a French reason in *why (static or arena). */
const char *account_create(struct request *req, const struct new_account *a,
			   const char **why);

/* Grants (add) or removes role r for u in scope (NULL: unscoped; see
 * user_roles_edit for what removing without a scope drops). Returns 0,
 * or -1 with a French reason in *why (static or arena). */
int account_set_role(struct request *req, const struct user *u, enum role r,
		     const char *scope, bool add, const char **why);

#endif
