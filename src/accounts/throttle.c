#include "accounts/throttle.h"

#include <mongoc/mongoc.h>
#include <stdbool.h>
#include <string.h>

#include "accounts/rules.h"
#include "accounts/session.h"
#include "core/arena.h"
#include "core/token.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/form.h"
#include "http/reply.h"
#include "http/request.h"
#include "web/db_reply.h"

int64_t throttle_window(int64_t now_ms, long window_s)
{
	return now_ms / ((int64_t)window_s * 1000);
}

long throttle_retry_after_s(int64_t now_ms, long window_s)
{
	int64_t window_ms = (int64_t)window_s * 1000;
	int64_t left = (throttle_window(now_ms, window_s) + 1) * window_ms - now_ms;
	return (long)((left + 999) / 1000);
}

const char *throttle_slot_id(struct arena *a, const char *key, int64_t window, int n)
{
	return arena_printf(a, "%s:%lld:%d", key, (long long)window, n);
}

const char *throttle_key_hashed(struct arena *a, const char *kind, const char *value)
{
	return arena_printf(a, "%s:%s", kind, token_hash(a, value));
}

/* Inserts the slot id for holder (may be NULL), kept until expires_ms.
 * Returns 1 when this call took it, 0 when someone had, -1 with error. */
static int take_slot(struct request *req, const char *id, const char *holder, int64_t expires_ms,
		     bson_error_t *error)
{
	bson_t *doc = BCON_NEW("_id", BCON_UTF8(id), "expires_at", BCON_DATE_TIME(expires_ms));
	if (holder)
		BSON_APPEND_UTF8(doc, "holder", holder);
	bool ok = mongoc_collection_insert_one(db_collection(req->db, THROTTLE_COLLECTION), doc,
					       NULL, NULL, error);
	bson_destroy(doc);
	if (ok)
		return 1;
	if (error->code == 11000) {
		memset(error, 0, sizeof(*error));
		return 0;
	}
	return -1;
}

/* Returns 1 when slot id is taken, 0 when free, -1 with error set. */
static int slot_taken(struct request *req, const char *id, bson_error_t *error)
{
	bson_t *doc = doc_find_id(req->db, THROTTLE_COLLECTION, id, error);
	if (!doc)
		return error->code ? -1 : 0;
	bson_destroy(doc);
	return 1;
}

int throttle_claim(struct request *req, const char *key, int limit, long window_s,
		   struct throttle_claim *out, bson_error_t *error)
{
	return throttle_claim_as(req, key, NULL, limit, window_s, out, error);
}

/* Returns the first free slot of key in window after slot 1, limit + 1
 * when all are taken, or -1 with error set. Slots fill from the bottom
 * up, so the taken ones form a prefix (a released slot leaves a hole,
 * which only makes the count stricter): bisection finds its end. */
static int first_free_slot(struct request *req, const char *key, int64_t window, int limit,
			   bson_error_t *error)
{
	int lo = 2, hi = limit + 1;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		int taken = slot_taken(req, throttle_slot_id(req->arena, key, window, mid), error);
		if (taken < 0)
			return -1;
		if (taken)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int throttle_claim_as(struct request *req, const char *key, const char *holder, int limit,
		      long window_s, struct throttle_claim *out, bson_error_t *error)
{
	memset(out, 0, sizeof(*out));
	memset(error, 0, sizeof(*error));
	int64_t now = doc_now_ms();
	int64_t window = throttle_window(now, window_s);
	int64_t expires = (window + 1) * (int64_t)window_s * 1000;
	/* Most keys see one event per window, if any: slot 1 is tried blind,
	 * at the cost of one insert. A duplicate key means that someone holds
	 * the slot: look further up. */
	for (int n = 1; n <= limit;) {
		const char *id = throttle_slot_id(req->arena, key, window, n);
		int rc = take_slot(req, id, holder, expires, error);
		if (rc > 0) {
			out->slot_id = id;
			out->slot = n;
		}
		if (rc != 0)
			return rc;
		n = n == 1 ? first_free_slot(req, key, window, limit, error) : n + 1;
		if (n < 0)
			return -1;
	}
	out->retry_after_s = throttle_retry_after_s(now, window_s);
	return 0;
}

int throttle_held_by(struct request *req, const char *key, const char *holder, int limit,
		     long window_s, bson_error_t *error)
{
	int64_t window = throttle_window(doc_now_ms(), window_s);
	for (int n = 1; n <= limit; n++) {
		bson_t *doc = doc_find_id(req->db, THROTTLE_COLLECTION,
					  throttle_slot_id(req->arena, key, window, n), error);
		if (!doc && error->code)
			return -1;
		const char *by = doc ? doc_string(req->arena, doc, "holder") : NULL;
		bson_destroy(doc);
		if (by && strcmp(by, holder) == 0)
			return 1;
	}
	return 0;
}

int throttle_release(struct request *req, const char *slot_id, bson_error_t *error)
{
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(slot_id));
	bool ok = mongoc_collection_delete_one(db_collection(req->db, THROTTLE_COLLECTION), filter,
					       NULL, NULL, error);
	bson_destroy(filter);
	return ok ? 0 : -1;
}

int throttle_clear(struct request *req, const char *key, int limit, long window_s,
		   bson_error_t *error)
{
	int64_t window = throttle_window(doc_now_ms(), window_s);
	/* One delete command with a statement per slot, each by exact _id:
	 * an $in filter would scan the collection on FerretDB. */
	mongoc_bulk_operation_t *bulk = mongoc_collection_create_bulk_operation_with_opts(
		db_collection(req->db, THROTTLE_COLLECTION), NULL);
	for (int n = 1; n <= limit; n++) {
		bson_t *filter = BCON_NEW("_id",
					  BCON_UTF8(throttle_slot_id(req->arena, key, window, n)));
		mongoc_bulk_operation_remove_one_with_opts(bulk, filter, NULL, NULL);
		bson_destroy(filter);
	}
	bool ok = mongoc_bulk_operation_execute(bulk, NULL, error) != 0;
	mongoc_bulk_operation_destroy(bulk);
	return ok ? 0 : -1;
}

const char *throttle_refusal(struct request *req, const char *sentence, long retry_after_s)
{
	char wait[32];
	account_wait_text_fr(retry_after_s, wait, sizeof(wait));
	reply_header(req, "Retry-After", arena_printf(req->arena, "%ld", retry_after_s));
	return arena_printf(req->arena, "%s Réessayez dans %s.", sentence, wait);
}

int throttle_form_claim_or_reply(struct form *f, const char *field,
				 const struct throttle_rule *rules, size_t n)
{
	struct throttle_claim c;
	bson_error_t error;
	for (size_t i = 0; i < n; i++) {
		int rc = throttle_claim(f->req, rules[i].key, rules[i].limit, rules[i].window_s, &c,
					&error);
		if (rc < 0) {
			db_fail(f->req, "counting a submission", &error);
			return -1;
		}
		if (rc == 0) {
			form_error(f, field,
				   throttle_refusal(f->req, rules[i].refusal, c.retry_after_s));
			return 0;
		}
	}
	return 1;
}
