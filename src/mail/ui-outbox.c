/* Outbox monitoring (/admin/courriels): how many messages wait, go, went
 * or failed, the latest ones, and sending a failed message again. */
#include <mongoc/mongoc.h>
#include <string.h>

#include "audit/audit.h"
#include "core/app.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/labels.h"
#include "core/paris_time.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/reply.h"
#include "mail/outbox.h"
#include "mail/sender.h"
#include "mail/ui.h"
#include "web/admin.h"
#include "web/db_reply.h"
#include "web/error_reply.h"
#include "web/page.h"
#include "web/pager.h"

static const char *const STATUSES[][2] = {
	{"pending", "en attente"},
	{"sending", "en cours d'envoi"},
	{"sent", "envoyé"},
	{"failed", "en échec"},
};
enum { N_STATUSES = sizeof(STATUSES) / sizeof(*STATUSES) };

static const char *const FILTERS[] = {"statut", NULL};

/* Far beyond any configured number of attempts. */
enum { MAX_CLAIMS = 1000 };

/* Returns one entry per status {value, label, count, current} and the sum
 * of the counts of status (NULL: all) in *total, or NULL with error set.
 * Owned by the request's arena. */
static json_t *status_counts(struct request *req, const char *status, int64_t *total,
			     bson_error_t *error)
{
	json_t *counts = arena_json(req->arena, json_array());
	*total = 0;
	for (size_t i = 0; i < N_STATUSES; i++) {
		bson_t *filter = BCON_NEW("status", BCON_UTF8(STATUSES[i][0]));
		int64_t n = mongoc_collection_count_documents(
			db_collection(req->db, MAIL_COLLECTION), filter, NULL, NULL, NULL, error);
		bson_destroy(filter);
		if (n < 0)
			return NULL;
		bool current = status && strcmp(status, STATUSES[i][0]) == 0;
		if (!status || current)
			*total += n;
		json_array_append_new(counts,
				      json_pack("{s:s, s:s, s:I, s:b}", "value", STATUSES[i][0],
						"label", STATUSES[i][1], "count", (json_int_t)n,
						"current", current));
	}
	return counts;
}

/* Returns the French form of date field key of doc, or "". Arena. */
static const char *date_fr(struct request *req, const bson_t *doc, const char *key)
{
	char text[PARIS_TIME_LONG_MAX] = "";
	int64_t ms = doc_int(doc, key, 0);
	if (ms > 0)
		paris_time_format_long(ms, text, sizeof(text));
	return arena_strdup(req->arena, text);
}

/* Returns the table row of message doc. New reference. */
static json_t *message_row(struct request *req, const bson_t *doc, void *ctx)
{
	(void)ctx;
	const char *status = doc_string(req->arena, doc, "status");
	const char *fields[] = {"_id", "to", "subject", "last_error"};
	const char *v[4];
	for (size_t i = 0; i < 4; i++) {
		v[i] = doc_string(req->arena, doc, fields[i]);
		v[i] = v[i] ? v[i] : "";
	}
	bool failed = status && strcmp(status, "failed") == 0;
	bool sent = status && strcmp(status, "sent") == 0;
	return json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:b}", "id", v[0], "to", v[1],
		"subject", v[2], "last_error", v[3], "status",
		label_or_code(STATUSES, N_STATUSES, status), "attempts",
		(json_int_t)doc_int(doc, "attempts", 0), "created", date_fr(req, doc, "created_at"),
		"sent", sent ? date_fr(req, doc, "sent_at") : "", "next",
		sent || failed ? "" : date_fr(req, doc, "next_attempt_at"), "failed", failed);
}

/* Renders the outbox page with status, and error (may be NULL). */
static void outbox_page(struct request *req, int status, const char *error_text)
{
	const char *filter = request_param(req, "statut");
	if (!label_find(STATUSES, N_STATUSES, filter))
		filter = NULL;
	int64_t total;
	bson_error_t error;
	json_t *data = arena_json(req->arena, admin_data("mail"));
	json_t *counts = status_counts(req, filter, &total, &error);
	bson_t *where = filter ? BCON_NEW("status", BCON_UTF8(filter)) : bson_new();
	/* Without their bodies. */
	bson_t *projection = BCON_NEW("text", BCON_INT32(0), "html", BCON_INT32(0));
	const struct pager_list list = {
		.collection = MAIL_COLLECTION,
		.date_field = "created_at",
		.filter = where,
		.projection = projection,
		.row = message_row,
		.path = "/admin/courriels",
		.query = pager_filter_query(req, FILTERS),
	};
	int rc = counts ? pager_list_page(req, &list, total, data, &error) : -1;
	bson_destroy(projection);
	bson_destroy(where);
	if (rc) {
		db_fail(req, "reading the outbox", &error);
		return;
	}
	json_object_set(data, "counts", counts);
	json_object_set_new(data, "filter",
			    json_string(filter ? label_or_code(STATUSES, N_STATUSES, filter) : ""));
	const char *info = request_param(req, "info");
	if (info && strcmp(info, "relance") == 0)
		json_object_set_new(
			data, "notice",
			json_string(
				"Le courriel est remis en attente\u202f: il part dans quelques secondes."));
	if (error_text)
		json_object_set_new(data, "error", json_string(error_text));
	page_reply(req, status, "admin/outbox", "Courriels", NULL, data);
}

void mail_outbox(struct request *req)
{
	outbox_page(req, 200, NULL);
}

/* Deletes the sender's claim keys of message id's attempts 1..attempts
 * (at most MAX_CLAIMS), so that its numbering can start again. Returns 0
 * or -1. */
static int forget_claims(struct request *req, const char *id, int64_t attempts, bson_error_t *error)
{
	bson_t *filter = bson_new(), in, keys;
	BSON_APPEND_DOCUMENT_BEGIN(filter, "_id", &in);
	BSON_APPEND_ARRAY_BEGIN(&in, "$in", &keys);
	for (int64_t i = 1; i <= attempts && i <= MAX_CLAIMS; i++) {
		char index[16];
		const char *key;
		bson_uint32_to_string((uint32_t)(i - 1), &key, index, sizeof(index));
		BSON_APPEND_UTF8(&keys, key, arena_printf(req->arena, "%s#%lld", id, (long long)i));
	}
	bson_append_array_end(&in, &keys);
	bson_append_document_end(filter, &in);
	bool ok = mongoc_collection_delete_many(db_collection(req->db, MAIL_CLAIMS_COLLECTION),
						filter, NULL, NULL, error);
	bson_destroy(filter);
	return ok ? 0 : -1;
}

void mail_outbox_retry(struct request *req)
{
	bson_error_t error;
	const char *id = request_param(req, "id");
	bson_t *doc = doc_find_id(req->db, MAIL_COLLECTION, id, &error);
	if (!doc) {
		if (error.code)
			db_fail(req, "reading a message", &error);
		else
			reply_error(req, 404, "not_found", "Ce courriel n’existe pas.", NULL);
		return;
	}
	const char *status = doc_string(req->arena, doc, "status");
	const char *to = doc_string(req->arena, doc, "to");
	int64_t attempts = doc_int(doc, "attempts", 0);
	bson_destroy(doc);
	if (!status || strcmp(status, "failed") != 0) {
		outbox_page(req, 422, "Seul un courriel en échec peut être relancé.");
		return;
	}
	/* A failed message is no sender's business any more: its claim keys
	 * can go before its attempts count restarts at 0. */
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(id), "status", BCON_UTF8("failed"));
	bson_t *update = BCON_NEW("$set", "{", "status", BCON_UTF8("pending"), "attempts",
				  BCON_INT32(0), "next_attempt_at", BCON_DATE_TIME(doc_now_ms()),
				  "lease_until", BCON_NULL, "claim", BCON_NULL, "}");
	bool ok = forget_claims(req, id, attempts, &error) == 0 &&
		  mongoc_collection_update_one(db_collection(req->db, MAIL_COLLECTION), filter,
					       update, NULL, NULL, &error);
	bson_destroy(update);
	bson_destroy(filter);
	if (!ok) {
		db_fail(req, "retrying a message", &error);
		return;
	}
	audit_record(req, "mail.retry", id, to, NULL);
	if (req->app->mail)
		mail_sender_wake(req->app->mail);
	reply_redirect(req, "/admin/courriels?info=relance");
}
