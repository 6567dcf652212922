/* Sessions and API tokens. Only SHA-256 hashes of tokens are stored, as
 * the _id of their document, so every lookup is by _id; each account's
 * sessions and tokens are found through its lists (user_list.h), and a
 * session or token counts only while listed. Reads go through the
 * process's account cache (account_cache.h). */
#ifndef COUSILAB_SESSION_H
#define COUSILAB_SESSION_H

#include <bson/bson.h>
#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db_ctx;
struct request;

/* Returns true when a session created at created_ms and last seen at
 * seen_ms has outlived the idle or absolute limit at now_ms. Pure. */
bool session_expired(int64_t created_ms, int64_t seen_ms, int64_t now_ms, long idle_s,
		     long absolute_s);

/* Starts a session for user_id and sets its cookie (the token rotates:
 * any previous session of this browser is ended first; past
 * USER_SESSIONS_MAX the account's oldest session ends). Returns 0, or -1
 * with error set. */
int session_start(struct request *req, const char *user_id, bson_error_t *error);

/* Ends the request's session and clears its cookie. */
int session_end_current(struct request *req, bson_error_t *error);

/* Ends session id of user_id (hash), only if it belongs to that user. */
int session_end(struct request *req, const char *user_id, const char *id, bson_error_t *error);

/* Ends every session of user_id except keep (may be NULL). */
int session_end_all(struct request *req, const char *user_id, const char *keep,
		    bson_error_t *error);

/* Returns the session document id (caller destroys), with *live false
 * when it has outlived its limits at now (checked against the database
 * before it is believed), or NULL: error->code 0 when there is none. */
bson_t *session_find(struct request *req, const char *id, int64_t now, bool *live,
		     bson_error_t *error);

/* Loads the session whose token is in the request's cookie and its user
 * into req->user and req->session_id, refreshing its idle clock now and
 * then; an expired or unknown session clears the cookie. Returns 0 (maybe
 * with no user), or -1 on a database error. */
int session_load(struct request *req, bson_error_t *error);

/* Creates an API token named label for user_id. Returns the raw token
 * (arena; shown once), or NULL with error set. */
const char *api_token_create(struct db_ctx *db, const char *user_id, const char *label,
			     bson_error_t *error);

/* Loads the user of bearer token into req->user (via_token). Returns 1
 * when valid, 0 when unknown or revoked, -1 on a database error. */
int api_token_load(struct request *req, const char *token, bson_error_t *error);

/* Revokes token id (hash) of user_id, only if it belongs to that user.
 * Returns 1 when revoked, 0 when there is no such token of hers, -1 with
 * error set. */
int api_token_revoke(struct request *req, const char *user_id, const char *id, bson_error_t *error);

/* Revokes every API token of user_id. Returns 0, or -1 with error set. */
int api_token_revoke_all(struct request *req, const char *user_id, bson_error_t *error);

#endif
