/* Lifting a login lock (/connexion/deverrouiller): the owner of a locked
 * account follows the mailed link, and its button forgets the account's
 * failures. Following the link changes nothing: the button POSTs. */
#include "accounts/accounts.h"
#include "accounts/email_token.h"
#include "accounts/login_guard.h"
#include "accounts/user.h"
#include "audit/audit.h"
#include "db/db.h"
#include "http/reply.h"

static const char TITLE[] = "Débloquer la connexion";

void accounts_unlock_form(struct request *req)
{
	accounts_link_page(req, "unlock", "accounts/unlock", TITLE);
}

void accounts_unlock(struct request *req)
{
	if (email_token_guard(req))
		return;
	bson_error_t error;
	struct user *u = email_token_check(req, request_param(req, "jeton"), "unlock", true,
					   &error);
	if (!u) {
		if (error.code)
			db_fail(req, "using an unlock link", &error);
		else
			accounts_unlock_form(req);
		return;
	}
	if (login_guard_clear(req, u->email, &error)) {
		db_fail(req, "clearing login failures", &error);
		return;
	}
	audit_record(req, "login.unlocked", u->id, NULL, u->email);
	reply_redirect(req, "/connexion?info=deverrouille");
}
