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
	struct role_grants g;
	int r;
	const char *scope;
	role_grants_begin(&g, u->doc);
	while (role_grants_next(&g, &r, &scope))
		if (r > 0)
			u->roles |= 1u << r;
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
