/* The administration dashboard (/admin) and the helper the
 * administration lists share: folded text. */
#include <mongoc/mongoc.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/organisation.h"
#include "accounts/ui.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/fold.h"
#include "db/db.h"
#include "db/doc.h"
#include "web/admin.h"
#include "web/db_reply.h"
#include "web/page.h"

char *admin_fold(struct arena *a, const char *text)
{
	char *folded = text_fold(a, text);
	for (char *p = folded; *p; p++)
		if (*p == '-' || *p == '\'')
			*p = ' ';
	return folded;
}

/* Returns how many documents of collection match filter (destroyed
 * here), or -1 with error set. */
static int64_t count_where(struct request *req, const char *collection, bson_t *filter,
			   bson_error_t *error)
{
	int64_t n = mongoc_collection_count_documents(db_collection(req->db, collection), filter,
						      NULL, NULL, NULL, error);
	bson_destroy(filter);
	return n;
}

/* The dashboard's counts: collection, exact status (NULL for all), key. */
static const char *const COUNTS[][3] = {
	{"users", NULL, "users"},
	{"users", "pending", "pending"},
	{"outbox", "failed", "failed"},
	{"outbox", "pending", "queued"},
};

/* Returns the dashboard's counts, owned by the request's arena, or NULL
 * with error set. */
static json_t *dashboard_counts(struct request *req, bson_error_t *error)
{
	json_t *counts = arena_json(req->arena, json_object());
	for (size_t i = 0; i < sizeof(COUNTS) / sizeof(*COUNTS); i++) {
		bson_t *filter = COUNTS[i][1] ? BCON_NEW("status", BCON_UTF8(COUNTS[i][1]))
					      : bson_new();
		int64_t n = count_where(req, COUNTS[i][0], filter, error);
		if (n < 0)
			return NULL;
		json_object_set_new(counts, COUNTS[i][2], json_integer(n));
	}
	int64_t day_ago = doc_now_ms() - 24LL * 3600 * 1000;
	int64_t events = count_where(
		req, "audit", BCON_NEW("at", "{", "$gte", BCON_DATE_TIME(day_ago), "}"), error);
	json_t *orgs = events < 0 ? NULL
				  : arena_json(req->arena, organisations_all(req->db, error));
	if (!orgs)
		return NULL;
	json_t *o;
	size_t i, active = 0;
	json_array_foreach(orgs, i, o)
		active += json_is_true(json_object_get(o, "active"));
	json_object_set_new(counts, "events", json_integer(events));
	json_object_set_new(counts, "organisations",
			    json_integer((json_int_t)json_array_size(orgs)));
	json_object_set_new(counts, "active_organisations", json_integer((json_int_t)active));
	return counts;
}

void admin_home(struct request *req)
{
	bson_error_t error;
	json_t *counts = dashboard_counts(req, &error);
	if (!counts) {
		db_fail(req, "counting for the dashboard", &error);
		return;
	}
	json_t *data = arena_json(req->arena, admin_data("home"));
	json_object_set(data, "counts", counts);
	page_reply(req, 200, "admin/home", "Administration", NULL, data);
}
