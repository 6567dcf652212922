#include "accounts/auth.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "accounts/role_scope.h"
#include "accounts/session.h"
#include "accounts/user.h"
#include "accounts/write_limit.h"
#include "core/arena.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/urlencoded.h"
#include "web/db_reply.h"
#include "web/error_reply.h"
#include "web/router.h"
#include "web/visitor.h"

int auth_identify_or_reply(struct request *req, bool *outage)
{
	bson_error_t error;
	const char *authz = request_env(req, "HTTP_AUTHORIZATION");
	if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
		const char *token = authz + 7;
		int found = strlen(token) == 36 && strncmp(token, "csl_", 4) == 0
				    ? api_token_load(req, token, &error)
				    : 0;
		if (found < 0) {
			db_fail(req, "loading an API token", &error);
			return -1;
		}
		if (found == 0) {
			reply_header(req, "WWW-Authenticate", "Bearer");
			reply_error(req, 401, "invalid_token",
				    "Le jeton d’accès est invalide ou a été révoqué.", NULL);
			return -1;
		}
		return 0;
	}
	if (session_load(req, &error)) {
		if (outage && db_error_is_outage(&error)) {
			req->user = NULL;
			req->session_id = NULL;
			*outage = true;
			return 0;
		}
		db_fail(req, "loading a session", &error);
		return -1;
	}
	return 0;
}

bool auth_anonymous(struct request *req)
{
	return !request_env(req, "HTTP_AUTHORIZATION") && !request_cookie(req, "sid");
}

/* Returns the login URL that brings the user back to this page. */
static const char *login_url(struct request *req)
{
	const char *uri = request_env(req, "REQUEST_URI");
	if (!uri || strcmp(req->method, "GET") != 0)
		return "/connexion";
	return arena_printf(req->arena, "/connexion?retour=%s", url_encode(req->arena, uri));
}

/* Returns 0 when req's user, who holds r's role somewhere, holds it in
 * the scope r names; otherwise replies 404 and returns -1. */
static int authorize_scope_or_reply(struct request *req, const struct route *r)
{
	const char *scope = role_scope_from_params(req->arena, r->scope, req->route_params);
	if (scope && user_has_role_in(req->user, r->role, scope))
		return 0;
	reply_not_found(req);
	return -1;
}

int auth_authorize_or_reply(struct request *req, const struct route *r)
{
	if (user_has_role(req->user, r->role))
		return r->scope ? authorize_scope_or_reply(req, r) : 0;
	if (!req->user) {
		if (req->is_api) {
			reply_header(req, "WWW-Authenticate", "Bearer");
			reply_error(req, 401, "unauthenticated",
				    "Authentification requise\u202f: connectez-vous ou "
				    "utilisez un jeton d’accès.",
				    NULL);
		} else {
			reply_redirect(req, login_url(req));
			req->res.status = 302;
		}
		return -1;
	}
	reply_error(req, 403, "forbidden",
		    "Votre compte n’a pas les droits nécessaires pour cette page.", NULL);
	return -1;
}

/* The variant of a shared page: the roles and whether the account is
 * active, all that a page built for a nameless member depends on. */
static const char *variant(struct request *req)
{
	return arena_printf(req->arena, "%x %d", req->user->roles, user_is_active(req->user));
}

static struct user *nameless(struct request *req)
{
	struct user *member = arena_alloc(req->arena, sizeof(*member));
	*member = (struct user){.roles = req->user->roles, .status = req->user->status};
	return member;
}

/* Returns what templates know of the signed-in user: name and one
 * "is_<role>" flag per role held (admins hold them all). New reference. */
static json_t *user_data(const struct user *u)
{
	json_t *out = json_pack("{s:s, s:s, s:s}", "id", u->id ? u->id : "", "name",
				u->name ? u->name : "", "email", u->email ? u->email : "");
	for (int r = ROLE_AGENT; r < ROLE_COUNT; r++)
		if (user_has_role(u, (enum role)r)) {
			char key[32];
			snprintf(key, sizeof(key), "is_%s", role_name((enum role)r));
			json_object_set_new(out, key, json_true());
		}
	return out;
}

static struct visitor_identity identity(const struct user *u)
{
	return (struct visitor_identity){u->id ? u->id : "", u->email ? u->email : ""};
}

const struct visitor_ops auth_visitor = {
	.anonymous = auth_anonymous,
	.identify = auth_identify_or_reply,
	.authorize = auth_authorize_or_reply,
	.write_take = write_limit_check_or_reply,
	.write_refund = write_limit_refund,
	.variant = variant,
	.nameless = nameless,
	.data = user_data,
	.identity = identity,
};
