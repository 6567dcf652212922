/* The administration dashboard (/admin) and the helpers every
 * administration list shares: sub-navigation, filters kept across pages,
 * pagination and <option> data. */
#include <mongoc/mongoc.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/admin.h"
#include "accounts/organisation.h"
#include "core/arena.h"
#include "core/fold.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/urlencoded.h"
#include "view/page.h"

json_t *admin_data(const char *section)
{
	return json_pack("{s:{s:b}}", "admin_nav", section, 1);
}

char *admin_fold(struct arena *a, const char *text)
{
	char *folded = text_fold(a, text);
	for (char *p = folded; *p; p++)
		if (*p == '-' || *p == '\'')
			*p = ' ';
	return folded;
}

long admin_page_number(struct request *req)
{
	const char *p = request_param(req, "page");
	char *end;
	long n = p ? strtol(p, &end, 10) : 1;
	return p && (*end || n < 1 || n > 1000000) ? 1 : n;
}

const char *admin_filter_query(struct request *req, const char *const *names)
{
	const char *q = "";
	for (; *names; names++) {
		const char *v = request_param(req, *names);
		if (v && *v)
			q = arena_printf(req->arena, "%s%s=%s&", q, *names,
					 url_encode(req->arena, v));
	}
	return q;
}

json_t *admin_pager(struct request *req, const char *path, const char *query,
		    long page, int64_t total)
{
	long pages = total ? (long)((total + ADMIN_PAGE_SIZE - 1) / ADMIN_PAGE_SIZE) : 1;
	json_t *pager = json_pack("{s:I, s:I, s:I, s:b}", "total", (json_int_t)total,
				  "page", (json_int_t)page, "pages", (json_int_t)pages,
				  "several", pages > 1);
	if (page > 1)
		json_object_set_new(pager, "prev", json_string(arena_printf(
			req->arena, "%s?%spage=%ld", path, query,
			page > pages ? pages : page - 1)));
	if (page < pages)
		json_object_set_new(pager, "next", json_string(arena_printf(
			req->arena, "%s?%spage=%ld", path, query, page + 1)));
	return pager;
}

json_t *admin_options(const char *const pairs[][2], size_t n, const char *selected)
{
	json_t *options = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(options, json_pack("{s:s, s:s, s:b}",
			"value", pairs[i][0], "label", pairs[i][1], "selected",
			selected && strcmp(selected, pairs[i][0]) == 0));
	return options;
}

/* Returns how many documents of collection match filter (destroyed
 * here), or -1 with error set. */
static int64_t count_where(struct request *req, const char *collection, bson_t *filter,
			   bson_error_t *error)
{
	int64_t n = mongoc_collection_count_documents(db_collection(req, collection),
						      filter, NULL, NULL, NULL, error);
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

/* Returns the dashboard's counts, or NULL with error set. New reference. */
static json_t *dashboard_counts(struct request *req, bson_error_t *error)
{
	json_t *counts = json_object();
	for (size_t i = 0; i < sizeof(COUNTS) / sizeof(*COUNTS); i++) {
		bson_t *filter = COUNTS[i][1] ? BCON_NEW("status", BCON_UTF8(COUNTS[i][1]))
					      : bson_new();
		int64_t n = count_where(req, COUNTS[i][0], filter, error);
		if (n < 0)
			goto fail;
		json_object_set_new(counts, COUNTS[i][2], json_integer(n));
	}
	int64_t day_ago = doc_now_ms() - 24LL * 3600 * 1000;
	int64_t events = count_where(req, "audit", BCON_NEW("at", "{", "$gte",
				     BCON_DATE_TIME(day_ago), "}"), error);
	json_t *orgs = events < 0 ? NULL : organisations_all(req, error);
	if (!orgs)
		goto fail;
	json_t *o;
	size_t i, active = 0;
	json_array_foreach(orgs, i, o)
		active += json_is_true(json_object_get(o, "active"));
	json_object_set_new(counts, "events", json_integer(events));
	json_object_set_new(counts, "organisations", json_integer((json_int_t)json_array_size(orgs)));
	json_object_set_new(counts, "active_organisations", json_integer((json_int_t)active));
	json_decref(orgs);
	return counts;
fail:
	json_decref(counts);
	return NULL;
}

void admin_home(struct request *req)
{
	bson_error_t error;
	json_t *counts = dashboard_counts(req, &error);
	if (!counts) {
		db_fail(req, "counting for the dashboard", &error);
		return;
	}
	json_t *data = admin_data("home");
	json_object_set_new(data, "counts", counts);
	page_reply(req, 200, "admin/home", "Administration", NULL, data);
	json_decref(data);
}
