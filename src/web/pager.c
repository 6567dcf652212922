#include "web/pager.h"

#include <mongoc/mongoc.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/request.h"
#include "http/urlencoded.h"

int64_t pager_pages(int64_t total, int64_t per_page)
{
	return total > 0 ? (total + per_page - 1) / per_page : 1;
}

json_t *pager_new(int64_t page, int64_t pages, const char *prev, const char *next)
{
	json_t *pager = json_pack("{s:I, s:I, s:b}", "page", (json_int_t)page, "pages",
				  (json_int_t)pages, "several", prev || next);
	if (prev)
		json_object_set_new(pager, "prev", json_string(prev));
	if (next)
		json_object_set_new(pager, "next", json_string(next));
	return pager;
}

long pager_number(struct request *req, const char *name, long fallback, long max)
{
	const char *p = request_param(req, name);
	long n = p && *p && strspn(p, "0123456789") == strlen(p) && strlen(p) < 7 ? atol(p)
										  : fallback;
	return n < 1 ? 1 : n > max ? max : n;
}

const char *pager_filter_query(struct request *req, const char *const *names)
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
static bson_t *range_filter(const struct pager_list *l, const struct position *p)
{
	if (!p->id)
		return bson_copy(l->filter);
	const char *op = p->backward ? "$gt" : "$lt";
	return BCON_NEW("$and", "[", BCON_DOCUMENT(l->filter), "{", "$or", "[", "{", l->date_field,
			"{", op, BCON_DATE_TIME(p->ms), "}", "}", "{", l->date_field,
			BCON_DATE_TIME(p->ms), "_id", "{", op, BCON_UTF8(p->id), "}", "}", "]", "}",
			"]");
}

/* Returns the position key "<ms>-<id>" of doc (arena). */
static const char *key_of(struct request *req, const struct pager_list *l, const bson_t *doc)
{
	const char *id = doc_string(req->arena, doc, "_id");
	return arena_printf(req->arena, "%lld-%s", (long long)doc_int(doc, l->date_field, 0),
			    id ? id : "");
}

/* Fills rows and keys (parallel, in reading order) with up to
 * PAGER_LIST_SIZE + 1 rows from p on. Returns 0, or -1 with error set. */
static int read_rows(struct request *req, const struct pager_list *l, const struct position *p,
		     json_t *rows, json_t *keys, bson_error_t *error)
{
	int dir = p->backward ? 1 : -1;
	bson_t *filter = range_filter(l, p);
	bson_t *opts = BCON_NEW("sort", "{", l->date_field, BCON_INT32(dir), "_id", BCON_INT32(dir),
				"}");
	if (l->projection)
		BSON_APPEND_DOCUMENT(opts, "projection", l->projection);
	/* Without filters of its own, the database stops after one row past
	 * the page (which says whether there is a next one). */
	if (!l->row_filters)
		BSON_APPEND_INT64(opts, "limit", PAGER_LIST_SIZE + 1);
	mongoc_cursor_t *c = mongoc_collection_find_with_opts(db_collection(req->db, l->collection),
							      filter, opts, NULL);
	const bson_t *doc;
	while (json_array_size(rows) <= PAGER_LIST_SIZE && mongoc_cursor_next(c, &doc)) {
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
static int64_t count_rows(struct request *req, const struct pager_list *l, bson_error_t *error)
{
	mongoc_collection_t *coll = db_collection(req->db, l->collection);
	if (!l->row_filters)
		return mongoc_collection_count_documents(coll, l->filter, NULL, NULL, NULL, error);
	bson_t *opts = l->projection ? BCON_NEW("projection", BCON_DOCUMENT(l->projection)) : NULL;
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

int pager_list_page(struct request *req, const struct pager_list *l, int64_t total, json_t *data,
		    bson_error_t *error)
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
	bool more = json_array_size(rows) > PAGER_LIST_SIZE;
	if (more) {
		json_array_remove(rows, PAGER_LIST_SIZE);
		json_array_remove(keys, PAGER_LIST_SIZE);
	}
	if (p.backward) {
		reverse(rows);
		reverse(keys);
	}
	bool prev = p.backward ? more : p.id != NULL;
	bool next = p.backward || more;
	int64_t page = p.backward && !more ? 1 : p.page;
	int64_t pages = pager_pages(total, PAGER_LIST_SIZE);
	size_t n = json_array_size(keys);
	const char *prev_url = prev && n ? arena_printf(req->arena, "%s?%savant=%s&page=%lld",
							l->path, l->query,
							url_encode(req->arena,
								   json_string_value(json_array_get(
									   keys, 0))),
							(long long)page - 1)
					 : NULL;
	const char *next_url = next && n ? arena_printf(req->arena, "%s?%sapres=%s&page=%lld",
							l->path, l->query,
							url_encode(req->arena,
								   json_string_value(json_array_get(
									   keys, n - 1))),
							(long long)page + 1)
					 : NULL;
	json_decref(keys);
	/* Rows may have come or gone since the first page was counted. */
	json_t *pager = pager_new(page, page > pages ? page : pages, prev_url, next_url);
	json_object_set_new(pager, "total", json_integer(total));
	json_object_set_new(data, "rows", rows);
	json_object_set_new(data, "pager", pager);
	return 0;
}
