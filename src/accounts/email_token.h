/* Single-use links sent by mail (address confirmation, password reset):
 * "email_tokens", _id = SHA-256 of the token, with a kind and an expiry. */
#ifndef COUSILAB_EMAIL_TOKEN_H
#define COUSILAB_EMAIL_TOKEN_H

#include <bson/bson.h>
#include <stdbool.h>

struct request;
struct user;

enum { CONFIRM_TTL_S = 48 * 3600, RESET_TTL_S = 3600 };

/* Returns a new raw token of kind ("confirm", "reset") for user_id, valid
 * ttl_s seconds (arena), or NULL with error set. */
const char *email_token_create(struct request *req, const char *user_id,
			       const char *kind, long ttl_s, bson_error_t *error);

/* Returns the user a valid, unused, unexpired token of kind belongs to,
 * or NULL (error->code 0 when simply invalid). With consume, the token is
 * marked used atomically, so two concurrent uses cannot both succeed. */
struct user *email_token_check(struct request *req, const char *token,
			       const char *kind, bool consume, bson_error_t *error);

#endif
