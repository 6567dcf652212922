/* Per-user lookup documents: the ids of a user's sessions and of their API
 * tokens, one small document per user keyed by the user's id
 * ({_id: user id, ids: [oldest … newest], rev}), so that listing or ending
 * them reads by _id instead of filtering a collection on user_id.
 *
 * A session or token counts only while it is listed: whatever a race
 * does to a list (FerretDB runs updates as a read, then a write), it can
 * end a session, never keep one alive. Lists are bounded: adding past the
 * limit takes the oldest out, and the caller ends them. */
#ifndef COUSILAB_USER_LIST_H
#define COUSILAB_USER_LIST_H

#include <bson/bson.h>
#include <jansson.h>
#include <stdbool.h>

struct db_ctx;

#define USER_SESSIONS "user_sessions"
#define USER_TOKENS "user_tokens"

/* Sessions open at once per account (the oldest ends on the next login),
 * and API tokens per account. */
enum { USER_SESSIONS_MAX = 10, USER_TOKENS_MAX = 20 };

/* Returns the ids listed for user_id in list (USER_SESSIONS or
 * USER_TOKENS), oldest first; fresh skips this process's copy. Owned by
 * the context's arena (an empty array when none), or NULL with error set. */
json_t *user_list_get(struct db_ctx *db, const char *list, const char *user_id, bool fresh,
		      bson_error_t *error);

/* Returns true when ids (a JSON array of strings) holds id. Pure. */
bool user_list_has(const json_t *ids, const char *id);

/* Returns ids with id appended at the end and, when that makes more than
 * max, the oldest moved to *dropped; any previous id equal to id is
 * removed first. Both new references. Pure. */
json_t *user_list_appended(const json_t *ids, const char *id, size_t max, json_t **dropped);

/* Adds id to user_id's list, taking the oldest out past max: their ids go
 * to *dropped (owned by the context's arena) for the caller to end. Logs no change (the
 * caller logs every key it changed at once). Returns 0, or -1 with error
 * set. */
int user_list_add(struct db_ctx *db, const char *list, const char *user_id, const char *id,
		  size_t max, json_t **dropped, bson_error_t *error);

/* Takes id out of user_id's list; with id NULL, takes every id but keep
 * (may be NULL) out. The ids taken out go to *dropped (owned by the context's
 * arena; dropped may be NULL when not wanted). Returns 0, or -1 with error set. */
int user_list_remove(struct db_ctx *db, const char *list, const char *user_id, const char *id,
		     const char *keep, json_t **dropped, bson_error_t *error);

#endif
