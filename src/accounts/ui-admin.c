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
#include "web/db_reply.h"

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

/* Where a page starts: after (or, going back, before) the row whose date
 * is ms and _id is id; id NULL for the first page. */
struct position {
	int64_t ms;
	const char *id;
	bool backward;
	long page;
};

/* Returns true when text is "<ms>-<id>" with an id of 1 to 128 bytes and
 * no control character, filling p. The id is only ever compared with
 * _ids, as a string. Pure. */
static bool position_parse(const char *text, struct position *p)
{
	char *end;
	long long ms = text && *text != '-' ? strtoll(text, &end, 10) : -1;
	if (ms < 0 || end == text || *end != '-')
		return false;
	const char *id = end + 1;
	size_t n = strlen(id);
	if (n == 0 || n > 128)
		return false;
	for (const char *c = id; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return false;
	p->ms = ms;
	p->id = id;
	return true;
}

/* Returns the position the request asks for (the first page when none or
 * when it is malformed). */
static struct position position_of(struct request *req)
{
	struct position p = {0};
	if (!position_parse(request_param(req, "apres"), &p))
		p.backward = position_parse(request_param(req, "avant"), &p);
	const char *n = request_param(req, "page");
	char *end;
	p.page = n ? strtol(n, &end, 10) : 1;
	if (!n || *end || p.page < 1 || p.page > 1000000 || !p.id)
		p.page = 1;
	return p;
}

/* Returns l's filter with the range beyond p added (new document). */
static bson_t *range_filter(const struct admin_list *l, const struct position *p)
{
	if (!p->id)
		return bson_copy(l->filter);
	const char *op = p->backward ? "$gt" : "$lt";
	return BCON_NEW("$and", "[", BCON_DOCUMENT(l->filter), "{", "$or", "[",
			"{", l->date_field, "{", op, BCON_DATE_TIME(p->ms), "}", "}",
			"{", l->date_field, BCON_DATE_TIME(p->ms), "_id", "{", op,
			BCON_UTF8(p->id), "}", "}", "]", "}", "]");
}

/* Returns the position key "<ms>-<id>" of doc (arena). */
static const char *key_of(struct request *req, const struct admin_list *l, const bson_t *doc)
{
	const char *id = doc_string(req->arena, doc, "_id");
	return arena_printf(req->arena, "%lld-%s", (long long)doc_int(doc, l->date_field, 0),
			    id ? id : "");
}

/* Fills rows and keys (parallel, in reading order) with up to
 * ADMIN_PAGE_SIZE + 1 rows from p on. Returns 0, or -1 with error set. */
static int read_rows(struct request *req, const struct admin_list *l,
		     const struct position *p, json_t *rows, json_t *keys, bson_error_t *error)
{
	int dir = p->backward ? 1 : -1;
	bson_t *filter = range_filter(l, p);
	bson_t *opts = BCON_NEW("sort", "{", l->date_field, BCON_INT32(dir), "_id",
				BCON_INT32(dir), "}");
	if (l->projection)
		BSON_APPEND_DOCUMENT(opts, "projection", l->projection);
	/* Without filters of its own, the database stops after one row past
	 * the page (which says whether there is a next one). */
	if (!l->row_filters)
		BSON_APPEND_INT64(opts, "limit", ADMIN_PAGE_SIZE + 1);
	mongoc_cursor_t *c = mongoc_collection_find_with_opts(
	    db_collection(req->db, l->collection), filter, opts, NULL);
	const bson_t *doc;
	while (json_array_size(rows) <= ADMIN_PAGE_SIZE && mongoc_cursor_next(c, &doc)) {
		json_t *row = l->row(req, doc, l->ctx);
		if (!row)
			continue;
		json_array_append_new(rows, row);
		json_array_append_new(keys, json_string(key_of(req, l, doc)));
	}
	bool failed = mongoc_cursor_error(c, error);
	mongoc_cursor_destroy(c);
	bson_destroy(opts);
	bson_destroy(filter);
	return failed ? -1 : 0;
}

/* Returns how many rows the whole list has, or -1 with error set. */
static int64_t count_rows(struct request *req, const struct admin_list *l,
			  bson_error_t *error)
{
	mongoc_collection_t *coll = db_collection(req->db, l->collection);
	if (!l->row_filters)
		return mongoc_collection_count_documents(coll, l->filter, NULL, NULL, NULL,
							 error);
	bson_t *opts = l->projection ? BCON_NEW("projection", BCON_DOCUMENT(l->projection))
				     : NULL;
	mongoc_cursor_t *c = mongoc_collection_find_with_opts(coll, l->filter, opts, NULL);
	const bson_t *doc;
	int64_t n = 0;
	while (mongoc_cursor_next(c, &doc)) {
		json_t *row = l->row(req, doc, l->ctx);
		n += row != NULL;
		json_decref(row);
	}
	bool failed = mongoc_cursor_error(c, error);
	mongoc_cursor_destroy(c);
	bson_destroy(opts);
	return failed ? -1 : n;
}

/* Reverses a JSON array in place. */
static void reverse(json_t *a)
{
	for (size_t i = 0, n = json_array_size(a); i < n / 2; i++) {
		json_t *x = json_incref(json_array_get(a, i));
		json_array_set(a, i, json_array_get(a, n - 1 - i));
		json_array_set_new(a, n - 1 - i, x);
	}
}

int admin_list_page(struct request *req, const struct admin_list *l, int64_t total,
		    json_t *data, bson_error_t *error)
{
	struct position p = position_of(req);
	json_t *rows = json_array(), *keys = json_array();
	if (total < 0)
		total = count_rows(req, l, error);
	if (total < 0 || read_rows(req, l, &p, rows, keys, error)) {
		json_decref(keys);
		json_decref(rows);
		return -1;
	}
	/* The row past the page only tells that there is more that way. */
	bool more = json_array_size(rows) > ADMIN_PAGE_SIZE;
	if (more) {
		json_array_remove(rows, ADMIN_PAGE_SIZE);
		json_array_remove(keys, ADMIN_PAGE_SIZE);
	}
	if (p.backward) {
		reverse(rows);
		reverse(keys);
	}
	bool prev = p.backward ? more : p.id != NULL;
	bool next = p.backward || more;
	long page = p.backward && !more ? 1 : p.page;
	long pages = total ? (long)((total + ADMIN_PAGE_SIZE - 1) / ADMIN_PAGE_SIZE) : 1;
	if (page > pages)
		pages = page;
	json_t *pager = json_pack("{s:I, s:I, s:I, s:b}", "total", (json_int_t)total,
				  "page", (json_int_t)page, "pages", (json_int_t)pages,
				  "several", prev || next);
	size_t n = json_array_size(keys);
	if (prev && n)
		json_object_set_new(pager, "prev", json_string(arena_printf(req->arena,
			"%s?%savant=%s&page=%ld", l->path, l->query,
			url_encode(req->arena, json_string_value(json_array_get(keys, 0))),
			page - 1)));
	if (next && n)
		json_object_set_new(pager, "next", json_string(arena_printf(req->arena,
			"%s?%sapres=%s&page=%ld", l->path, l->query,
			url_encode(req->arena, json_string_value(json_array_get(keys, n - 1))),
			page + 1)));
	json_decref(keys);
	json_object_set_new(data, "rows", rows);
	json_object_set_new(data, "pager", pager);
	return 0;
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
	int64_t n = mongoc_collection_count_documents(db_collection(req->db, collection),
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
