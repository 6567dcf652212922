/* Account operations shared by the admin pages and the command line:
 * creating an account directly, and granting or removing a role. Both
 * write the audit log. */
#ifndef COUSILAB_ADMIN_OPS_H
#define COUSILAB_ADMIN_OPS_H

#include <stdbool.h>

#include "accounts/roles.h"

struct audit_actor;
struct common_passwords;
struct db_ctx;
struct user;

struct account_new {
	const char *email;
	const char *name;
	const char *organisation;
	const char *job;
	const char *password;
	enum role role; /* granted besides agent; ROLE_AGENT for none */
};

/* Creates an active (already confirmed) account through db, refusing the
 * passwords of common, and audits it as done by by. Returns its id (db's
 * arena), or NULL with a French reason in *why (static or db's arena). */
const char *account_create(struct db_ctx *db, const struct common_passwords *common,
			   const struct audit_actor *by, const struct account_new *a,
			   const char **why);

/* Grants (add) or removes role r for u in scope (NULL: unscoped; see
 * user_roles_edit for what removing without a scope drops), audited as
 * done by by. Returns 0, or -1 with a French reason in *why (static or
 * db's arena). */
int account_set_role(struct db_ctx *db, const struct audit_actor *by, const struct user *u,
		     enum role r, const char *scope, bool add, const char **why);

#endif
