/* Single-use links sent by mail (address confirmation, password reset,
 * lifting a login lock): "email_tokens", _id = SHA-256 of the token, with
 * a kind and an expiry. A link made before the account's last password
 * change is void (user_credential_current). */
#ifndef COUSILAB_EMAIL_TOKEN_H
#define COUSILAB_EMAIL_TOKEN_H

#include <bson/bson.h>
#include <stdbool.h>

struct request;
struct user;

enum {
	EMAIL_TOKEN_CONFIRM_TTL_S = 48 * 3600,
	EMAIL_TOKEN_RESET_TTL_S = 3600,
	EMAIL_TOKEN_UNLOCK_TTL_S = 24 * 3600
};

/* Uses of links (valid or not) per IP, per window: 128-bit tokens cannot
 * be guessed, but each try costs lookups. */
enum { EMAIL_TOKEN_USES_PER_IP = 30, EMAIL_TOKEN_WINDOW_S = 900 };

/* Returns a new raw token of kind ("confirm", "reset", "unlock") for user_id, valid
 * ttl_s seconds (arena), or NULL with error set. */
const char *email_token_create(struct request *req, const char *user_id, const char *kind,
			       long ttl_s, bson_error_t *error);

/* Returns the user a valid, unused, unexpired token of kind belongs to,
 * or NULL (error->code 0 when simply invalid). With consume, the token is
 * marked used atomically, so two concurrent uses cannot both succeed. */
struct user *email_token_check(struct request *req, const char *token, const char *kind,
			       bool consume, bson_error_t *error);

/* Counts one use of a link from the request's IP. Returns 0, or -1 after
 * replying 429 (too many) or 503. For the POSTs that take a link. */
int email_token_guard_or_reply(struct request *req);

#endif
