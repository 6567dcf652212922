/* Lifting a login lock (/connexion/deverrouiller): the owner of a locked
 * account follows the mailed link, and its button forgets the account's
 * failures. Following the link changes nothing: the button POSTs. */
#include "accounts/login_guard.h"
#include "accounts/ui.h"
#include "accounts/user.h"
#include "audit/audit.h"
#include "db/db.h"
#include "http/reply.h"
#include "web/db_reply.h"

static const char TITLE[] = "Débloquer la connexion";

void accounts_unlock_form(struct request *req)
{
	accounts_link_page(req, "unlock", "accounts/unlock", TITLE);
}

void accounts_unlock(struct request *req)
{
	struct user *u = accounts_link_use_or_reply(req, "unlock", "accounts/unlock", TITLE);
	if (!u)
		return;
	bson_error_t error;
	if (login_guard_clear(req, u->email, &error)) {
		db_fail(req, "clearing login failures", &error);
		return;
	}
	audit_record(req, "login.unlocked", u->id, NULL, u->email);
	reply_redirect(req, "/connexion?info=deverrouille");
}
