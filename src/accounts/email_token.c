#include "accounts/email_token.h"

#include <mongoc/mongoc.h>
#include <string.h>

#include "accounts/session.h"
#include "accounts/throttle.h"
#include "accounts/user.h"
#include "core/arena.h"
#include "core/token.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/request.h"
#include "web/db_reply.h"
#include "web/error_reply.h"

const char *email_token_create(struct request *req, const char *user_id, const char *kind,
			       long ttl_s, bson_error_t *error)
{
	const char *token = token_new(req->arena, "");
	int64_t now = doc_now_ms();
	bson_t *doc = BCON_NEW(
		"_id", BCON_UTF8(token_hash(req->arena, token)), "kind", BCON_UTF8(kind), "user_id",
		BCON_UTF8(user_id), "created_at", BCON_DATE_TIME(now), "expires_at",
		BCON_DATE_TIME(now + (int64_t)ttl_s * 1000), "used", BCON_BOOL(false));
	bool ok = mongoc_collection_insert_one(db_collection(req->db, "email_tokens"), doc, NULL,
					       NULL, error);
	bson_destroy(doc);
	return ok ? token : NULL;
}

/* Marks token id used unless someone already did. Returns 1 when this
 * call won, 0 when the token was already used, -1 on error. The claim is
 * an insert with the token's _id: a conditional update is not atomic on
 * every backend (FerretDB reads, then writes), a unique _id is. */
static int consume(struct request *req, const char *id, bson_error_t *error)
{
	int64_t now = doc_now_ms();
	bson_t *claim = BCON_NEW("_id", BCON_UTF8(id), "at", BCON_DATE_TIME(now));
	bool won = mongoc_collection_insert_one(db_collection(req->db, "email_token_uses"), claim,
						NULL, NULL, error);
	bson_destroy(claim);
	if (!won)
		return error->code == 11000 ? 0 : -1;
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(id));
	bson_t *update = BCON_NEW("$set", "{", "used", BCON_BOOL(true), "used_at",
				  BCON_DATE_TIME(now), "}");
	/* Only informative now: the claim above already decided. */
	mongoc_collection_update_one(db_collection(req->db, "email_tokens"), filter, update, NULL,
				     NULL, NULL);
	bson_destroy(update);
	bson_destroy(filter);
	return 1;
}

struct user *email_token_check(struct request *req, const char *token, const char *kind,
			       bool consume_it, bson_error_t *error)
{
	memset(error, 0, sizeof(*error));
	if (!token || strlen(token) != 32 || strspn(token, "0123456789abcdef") != 32)
		return NULL;
	const char *id = token_hash(req->arena, token);
	bson_t *doc = doc_find_id(req->db, "email_tokens", id, error);
	if (!doc)
		return NULL;
	bson_iter_t it;
	bool used = bson_iter_init_find(&it, doc, "used") && bson_iter_as_bool(&it);
	const char *doc_kind = doc_string(req->arena, doc, "kind");
	const char *user_id = doc_string(req->arena, doc, "user_id");
	bool valid = !used && doc_kind && strcmp(doc_kind, kind) == 0 && user_id &&
		     doc_int(doc, "expires_at", 0) > doc_now_ms();
	int64_t created = doc_int(doc, "created_at", 0);
	bson_destroy(doc);
	if (!valid)
		return NULL;
	struct user *u = user_find_id(req->db, user_id, error);
	/* A password change voids the links made before it: a reset link
	 * still in a mailbox must not undo the new password. */
	if (!u || !user_credential_current(u, created))
		return NULL;
	if (consume_it && consume(req, id, error) != 1)
		return NULL;
	return u;
}

int email_token_guard_or_reply(struct request *req)
{
	struct throttle_claim c;
	bson_error_t error;
	int rc = throttle_claim(req, arena_printf(req->arena, "link:ip:%s", req->remote_addr),
				EMAIL_TOKEN_USES_PER_IP, EMAIL_TOKEN_WINDOW_S, &c, &error);
	if (rc < 0)
		db_fail(req, "counting a link use", &error);
	else if (rc == 0)
		reply_error(req, 429, "too_many_requests",
			    throttle_refusal(req,
					     "Trop de liens essayés depuis votre adresse réseau.",
					     c.retry_after_s),
			    NULL);
	return rc > 0 ? 0 : -1;
}
