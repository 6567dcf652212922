#include "accounts/user.h"

#include <ctype.h>
#include <mongoc/mongoc.h>
#include <string.h>

#include "accounts/account_cache.h"
#include "core/arena.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/request.h"

bool user_is_active(const struct user *u)
{
	return u && u->status && strcmp(u->status, "active") == 0;
}

static void doc_release(void *ctx)
{
	bson_destroy(ctx);
}

struct user *user_from_doc(struct arena *a, const bson_t *doc)
{
	struct user *u = arena_alloc(a, sizeof(*u));
	u->doc = bson_copy(doc);
	arena_on_free(a, doc_release, u->doc);
	u->id = doc_string(a, doc, "_id");
	u->email = doc_string(a, doc, "email");
	u->name = doc_string(a, doc, "name");
	u->organisation = doc_string(a, doc, "organisation");
	u->job = doc_string(a, doc, "job");
	u->status = doc_string(a, doc, "status");
	u->password_hash = doc_string(a, doc, "password_hash");
	struct role_grants g;
	int r;
	const char *scope;
	role_grants_begin(&g, u->doc);
	while (role_grants_next(&g, &r, &scope))
		if (r > 0)
			u->roles |= 1u << r;
	return u;
}

/* Returns the user built from doc (destroyed here), or NULL. */
static struct user *user_of(struct db_ctx *db, bson_t *doc)
{
	struct user *u = doc ? user_from_doc(db->arena, doc) : NULL;
	bson_destroy(doc);
	return u;
}

struct user *user_find_id(struct db_ctx *db, const char *id, bson_error_t *error)
{
	return user_of(db, account_doc(db, "users", id, false, error));
}

struct user *user_load(struct db_ctx *db, const char *id, bson_error_t *error)
{
	return user_of(db, account_doc(db, "users", id, true, error));
}

struct user *user_find_email(struct db_ctx *db, const char *email, bson_error_t *error)
{
	bson_t *claim = doc_find_id(db, USER_EMAILS, email, error);
	const char *id = claim ? doc_string(db->arena, claim, "user_id") : NULL;
	bson_destroy(claim);
	/* From the database: it decides logins, which must see a password
	 * change at once, and it is no hot path (argon2 dwarfs it). */
	struct user *u = id ? user_load(db, id, error) : NULL;
	/* A claim left behind by a creation that failed halfway names an
	 * account with another address, or none. */
	return u && u->email && strcmp(u->email, email) == 0 ? u : NULL;
}

/* Inserts the claim of email for user_id. Returns 1, 0 when the address
 * is claimed already, -1 with error set. */
static int claim_insert(struct db_ctx *db, const char *email, const char *user_id,
			bson_error_t *error)
{
	bson_t *doc = BCON_NEW("_id", BCON_UTF8(email), "user_id", BCON_UTF8(user_id), "at",
			       BCON_DATE_TIME(doc_now_ms()));
	bool ok = mongoc_collection_insert_one(db_collection(db, USER_EMAILS), doc, NULL, NULL,
					       error);
	bson_destroy(doc);
	if (!ok && error->code == 11000) {
		memset(error, 0, sizeof(*error));
		return 0;
	}
	return ok ? 1 : -1;
}

int user_email_claim(struct db_ctx *db, const char *email, const char *user_id, bson_error_t *error)
{
	memset(error, 0, sizeof(*error));
	int rc = claim_insert(db, email, user_id, error);
	if (rc != 0)
		return rc;
	/* Claimed: by a live account, or left behind by one whose creation
	 * failed halfway (or whose address changed), which is taken over. */
	bson_t *claim = doc_find_id(db, USER_EMAILS, email, error);
	const char *owner = claim ? doc_string(db->arena, claim, "user_id") : NULL;
	bson_destroy(claim);
	if (!owner)
		return error->code ? -1 : claim_insert(db, email, user_id, error);
	if (strcmp(owner, user_id) == 0)
		return 1;
	bson_t *holder = doc_find_id(db, "users", owner, error);
	const char *held = holder ? doc_string(db->arena, holder, "email") : NULL;
	bson_destroy(holder);
	if (error->code)
		return -1;
	if (held && strcmp(held, email) == 0)
		return 0;
	if (user_email_release(db, email, owner, error))
		return -1;
	return claim_insert(db, email, user_id, error);
}

int user_email_release(struct db_ctx *db, const char *email, const char *user_id,
		       bson_error_t *error)
{
	/* Read by _id, then deleted by _id: a filter on {_id, user_id} would
	 * read every claim on FerretDB (which decides it by a read, then a
	 * write, all the same). The window between the two is one round trip,
	 * and only a take-over of a stale claim (user_email_claim) can fall
	 * into it. */
	bson_t *claim = doc_find_id(db, USER_EMAILS, email, error);
	const char *owner = claim ? doc_string(db->arena, claim, "user_id") : NULL;
	bson_destroy(claim);
	if (!owner || strcmp(owner, user_id) != 0)
		return error->code ? -1 : 0;
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(email));
	bool ok = mongoc_collection_delete_one(db_collection(db, USER_EMAILS), filter, NULL, NULL,
					       error);
	bson_destroy(filter);
	return ok ? 0 : -1;
}

int user_update(struct db_ctx *db, bson_t *filter, bson_t *update, bson_error_t *error)
{
	bson_iter_t it;
	const char *id = bson_iter_init_find(&it, filter, "_id") && BSON_ITER_HOLDS_UTF8(&it)
				 ? arena_strdup(db->arena, bson_iter_utf8(&it, NULL))
				 : "";
	bool ok = mongoc_collection_update_one(db_collection(db, "users"), filter, update, NULL,
					       NULL, error);
	bson_destroy(update);
	bson_destroy(filter);
	const char *key = account_key(db->arena, "users", id);
	return ok && account_changed(db, &key, 1, error) == 0 ? 0 : -1;
}

bool user_credential_current(const struct user *u, int64_t issued_ms)
{
	return issued_ms > doc_int(u->doc, "credentials_changed_at", 0);
}

char *user_email_normalize(struct arena *a, const char *email)
{
	while (isspace((unsigned char)*email))
		email++;
	size_t n = strlen(email);
	while (n && isspace((unsigned char)email[n - 1]))
		n--;
	char *out = arena_strndup(a, email, n);
	for (char *p = out; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return out;
}
