#include "accounts/user.h"

#include <ctype.h>
#include <mongoc/mongoc.h>
#include <string.h>

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
	bson_iter_t it, grant;
	if (bson_iter_init_find(&it, doc, "roles") && BSON_ITER_HOLDS_ARRAY(&it) &&
	    bson_iter_recurse(&it, &grant))
		while (bson_iter_next(&grant)) {
			bson_iter_t field;
			if (BSON_ITER_HOLDS_DOCUMENT(&grant) &&
			    bson_iter_recurse(&grant, &field) &&
			    bson_iter_find(&field, "role") && BSON_ITER_HOLDS_UTF8(&field)) {
				int r = role_from_name(bson_iter_utf8(&field, NULL));
				if (r > 0)
					u->roles |= 1u << r;
			}
		}
	return u;
}

/* Returns the first user matching filter (destroyed here), or NULL. */
static struct user *user_find(struct request *req, bson_t *filter,
			      bson_error_t *error)
{
	memset(error, 0, sizeof(*error));
	bson_t *opts = BCON_NEW("limit", BCON_INT64(1));
	mongoc_cursor_t *c = mongoc_collection_find_with_opts(
	    db_collection(req, "users"), filter, opts, NULL);
	const bson_t *doc;
	struct user *u = NULL;
	if (mongoc_cursor_next(c, &doc))
		u = user_from_doc(req->arena, doc);
	else
		mongoc_cursor_error(c, error);
	mongoc_cursor_destroy(c);
	bson_destroy(opts);
	bson_destroy(filter);
	return u;
}

struct user *user_find_id(struct request *req, const char *id, bson_error_t *error)
{
	return user_find(req, BCON_NEW("_id", BCON_UTF8(id)), error);
}

struct user *user_find_email(struct request *req, const char *email,
			     bson_error_t *error)
{
	return user_find(req, BCON_NEW("email", BCON_UTF8(email)), error);
}

bool user_credential_current(const struct user *u, int64_t issued_ms)
{
	return issued_ms > doc_int(u->doc, "credentials_changed_at", 0);
}

char *email_normalize(struct arena *a, const char *email)
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

/* Appends grant (a role document) to array at position *i. */
static void append_grant(bson_t *array, uint32_t *i, const bson_t *grant)
{
	char index[16];
	const char *key;
	bson_uint32_to_string((*i)++, &key, index, sizeof(index));
	bson_append_document(array, key, -1, grant);
}

void user_roles_edit(const bson_t *user_doc, bson_t *out, const char *key,
		     enum role r, bool add)
{
	bson_t array;
	uint32_t i = 0;
	bool present = false;
	bson_append_array_begin(out, key, -1, &array);
	bson_iter_t it, grant;
	if (bson_iter_init_find(&it, user_doc, "roles") && BSON_ITER_HOLDS_ARRAY(&it) &&
	    bson_iter_recurse(&it, &grant))
		while (bson_iter_next(&grant)) {
			uint32_t len;
			const uint8_t *data;
			if (!BSON_ITER_HOLDS_DOCUMENT(&grant))
				continue;
			bson_iter_document(&grant, &len, &data);
			bson_t g;
			bson_init_static(&g, data, len);
			bson_iter_t field;
			bool same = bson_iter_init_find(&field, &g, "role") &&
				    BSON_ITER_HOLDS_UTF8(&field) &&
				    strcmp(bson_iter_utf8(&field, NULL), role_name(r)) == 0;
			present |= same;
			/* Removing drops every grant of the role, scoped or not. */
			if (!same || add)
				append_grant(&array, &i, &g);
		}
	if (add && !present) {
		bson_t *g = BCON_NEW("role", BCON_UTF8(role_name(r)));
		append_grant(&array, &i, g);
		bson_destroy(g);
	}
	bson_append_array_end(out, &array);
}
