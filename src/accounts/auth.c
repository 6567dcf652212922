#include "accounts/auth.h"

#include <sodium.h>
#include <string.h>
#include <strings.h>

#include "accounts/role_scope.h"
#include "accounts/session.h"
#include "accounts/user.h"
#include "core/arena.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/router.h"
#include "http/urlencoded.h"
#include "web/db_reply.h"

int auth_identify(struct request *req, bool *outage)
{
	bson_error_t error;
	const char *authz = request_env(req, "HTTP_AUTHORIZATION");
	if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
		const char *token = authz + 7;
		int found = strlen(token) == 36 && strncmp(token, "csl_", 4) == 0
				    ? api_token_load(req, token, &error) : 0;
		if (found < 0) {
			db_fail(req, "loading an API token", &error);
			return -1;
		}
		if (found == 0) {
			reply_header(req, "WWW-Authenticate", "Bearer");
			reply_error(req, 401, "invalid_token",
				    "Le jeton d'accès est invalide ou a été révoqué.", NULL);
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
	return arena_printf(req->arena, "/connexion?retour=%s",
			    url_encode(req->arena, uri));
}

/* Returns 0 when req's user, who holds r's role somewhere, holds it in
 * the scope r names; otherwise replies 404 and returns -1. */
static int authorize_scope(struct request *req, const struct route *r)
{
	const char *scope = role_scope_from_params(req->arena, r->scope, req->route_params);
	if (scope && user_has_role_in(req->user, r->role, scope))
		return 0;
	reply_not_found(req);
	return -1;
}

int auth_authorize(struct request *req, const struct route *r)
{
	if (user_has_role(req->user, r->role))
		return r->scope ? authorize_scope(req, r) : 0;
	if (!req->user) {
		if (req->is_api) {
			reply_header(req, "WWW-Authenticate", "Bearer");
			reply_error(req, 401, "unauthenticated",
				    "Authentification requise : connectez-vous ou "
				    "utilisez un jeton d'accès.", NULL);
		} else {
			reply_redirect(req, login_url(req));
			req->res.status = 302;
		}
		return -1;
	}
	reply_error(req, 403, "forbidden",
		    "Votre compte n'a pas les droits nécessaires pour cette page.", NULL);
	return -1;
}

/* The token is 16 random bytes, sent as 32 hex digits in the cookie. */
#define CSRF_BYTES 16
#define CSRF_HEX (CSRF_BYTES * 2)

/* Returns true when hex is CSRF_HEX * n lowercase hex digits, decoded into
 * out (CSRF_BYTES * n bytes). */
static bool csrf_decode(const char *hex, unsigned char *out, size_t n)
{
	return hex && strlen(hex) == CSRF_HEX * n &&
	       strspn(hex, "0123456789abcdef") == CSRF_HEX * n &&
	       sodium_hex2bin(out, CSRF_BYTES * n, hex, CSRF_HEX * n, NULL, NULL, NULL) == 0;
}

const char *csrf_token(struct request *req)
{
	if (!req->csrf) {
		unsigned char ignored[CSRF_BYTES];
		const char *sent = request_cookie(req, "csrf");
		if (csrf_decode(sent, ignored, 1))
			req->csrf = sent;
		else
			csrf_rotate(req);
	}
	unsigned char secret[CSRF_BYTES], masked[2 * CSRF_BYTES];
	csrf_decode(req->csrf, secret, 1);
	randombytes_buf(masked, CSRF_BYTES);
	for (size_t i = 0; i < CSRF_BYTES; i++)
		masked[CSRF_BYTES + i] = masked[i] ^ secret[i];
	char hex[2 * CSRF_HEX + 1];
	sodium_bin2hex(hex, sizeof(hex), masked, sizeof(masked));
	return arena_strdup(req->arena, hex);
}

void csrf_rotate(struct request *req)
{
	req->csrf = token_new(req->arena, "");
	reply_cookie(req, "csrf", req->csrf, -1);
}

/* Returns true when sent is the visitor's CSRF token (its cookie's
 * value): as it is, or masked as csrf_token writes it. Constant time in
 * the token. */
static bool csrf_matches(struct request *req, const char *sent)
{
	unsigned char want[CSRF_BYTES], got[2 * CSRF_BYTES];
	if (!csrf_decode(request_cookie(req, "csrf"), want, 1))
		return false;
	if (csrf_decode(sent, got, 1))
		return sodium_memcmp(want, got, CSRF_BYTES) == 0;
	if (!csrf_decode(sent, got, 2))
		return false;
	for (size_t i = 0; i < CSRF_BYTES; i++)
		got[i] ^= got[CSRF_BYTES + i];
	return sodium_memcmp(want, got, CSRF_BYTES) == 0;
}

/* Returns true for a multipart/form-data body. */
static bool is_multipart(const struct request *req)
{
	return req->content_type &&
	       strncasecmp(req->content_type, "multipart/form-data", 19) == 0;
}

void csrf_refuse(struct request *req)
{
	reply_error(req, 403, "csrf",
		    "Ce formulaire a expiré ou ne vient pas de Cousilab. "
		    "Rechargez la page et recommencez.", NULL);
}

int csrf_verify(struct request *req)
{
	if (req->via_token)
		return 0;
	const char *sent = param_get(req->form, "csrf");
	if (!sent)
		sent = request_env(req, "HTTP_X_CSRF_TOKEN");
	/* A multipart body is streamed by its handler, after this check:
	 * the token is its first field, checked by csrf_fields_ok before
	 * any file byte is kept. Only on routes that read such bodies: any
	 * other handler would never look. */
	if (!sent && is_multipart(req) && req->route && req->route->multipart) {
		req->csrf_pending = true;
		return 0;
	}
	if (csrf_matches(req, sent))
		return 0;
	csrf_refuse(req);
	return -1;
}

bool csrf_fields_ok(struct request *req, const struct param *fields)
{
	if (!req->csrf_pending)
		return true;
	if (!csrf_matches(req, param_get(fields, "csrf")))
		return false;
	req->csrf_pending = false;
	return true;
}
