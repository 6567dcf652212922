/* Accounts: the "users" collection and the signed-in user of a request. */
#ifndef COUSILAB_USER_H
#define COUSILAB_USER_H

#include <bson/bson.h>
#include <stdbool.h>

#include "accounts/roles.h"

struct arena;
struct db_ctx;

struct user {
	const char *id;
	const char *email; /* lowercase */
	const char *name;
	const char *organisation; /* organisation code */
	const char *job;
	/* "pending" (email not confirmed), "active", "deactivated", or
	 * "deleted" (personal data erased, contributions kept anonymous) */
	const char *status;
	const char *password_hash;
	unsigned roles; /* bit (1u << enum role) per granted role */
	bson_t *doc;    /* the whole document, freed with the arena */
};

/* Returns true when the account may act (confirmed and not deactivated). */
bool user_is_active(const struct user *u);

/* Returns the user built from doc, arena-owned (doc is copied). */
struct user *user_from_doc(struct arena *a, const bson_t *doc);

/* Lookup documents of addresses: {_id: lowercase address, user_id}. The
 * insert of one is the claim that makes an address unique. */
#define USER_EMAILS "user_emails"

/* Each returns the user or NULL. On NULL, error->code is 0 when there is
 * no such user and non-zero on a database error. Arena-owned.
 * user_find_id reads through the process's account cache (coherent
 * within a second), user_load from the database (before a write based
 * on the document), user_find_email through the address's claim, then
 * from the database. */
struct user *user_find_id(struct db_ctx *db, const char *id, bson_error_t *error);
struct user *user_load(struct db_ctx *db, const char *id, bson_error_t *error);
struct user *user_find_email(struct db_ctx *db, const char *email, bson_error_t *error);

/* Returns true when a mailed link of u issued at issued_ms is still
 * good: issued after u's last password change ("credentials_changed_at"),
 * which voids all earlier ones at once without listing them. Pure. */
bool user_credential_current(const struct user *u, int64_t issued_ms);

/* Claims email (lowercase) for user_id, taking over a claim whose account
 * does not hold that address. Returns 1 when claimed, 0 when a live
 * account has it, -1 with error set. Call it before inserting or
 * re-addressing the account. */
int user_email_claim(struct db_ctx *db, const char *email, const char *user_id,
		     bson_error_t *error);

/* Deletes user_id's claim of email (none of another account). Returns 0
 * or -1 with error set. */
int user_email_release(struct db_ctx *db, const char *email, const char *user_id,
		       bson_error_t *error);

/* Applies update to the user matched by filter (which names its _id;
 * both destroyed here) and logs the change, so every process drops its
 * copy within a second. Returns 0, or -1 with error set. */
int user_update(struct db_ctx *db, bson_t *filter, bson_t *update, bson_error_t *error);

/* Returns an arena copy of email trimmed and lowercased (ASCII). */
char *user_email_normalize(struct arena *a, const char *email);

#endif
