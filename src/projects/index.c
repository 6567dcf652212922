#include "projects/index.h"

#include <mongoc/mongoc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/organisation.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/xalloc.h"
#include "db/cache.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/request.h"
#include "projects/access.h"
#include "projects/search.h"

/* The stored fields a summary keeps as they are. */
static const char *const KEPT[] = {"slug",           "title",       "summary",    "organisation_id",
				   "themes",         "stage",       "state",      "visibility",
				   "coordinator_id", "practice_id", "started_on", "example"};

/* Returns the summary of a stored project (new reference). */
static json_t *summary_of(const bson_t *doc)
{
	json_t *p = doc_to_json(doc), *s = json_object();
	json_object_set(s, "id", json_object_get(p, "_id"));
	for (size_t i = 0; i < sizeof(KEPT) / sizeof(*KEPT); i++) {
		json_t *v = json_object_get(p, KEPT[i]);
		if (v)
			json_object_set(s, KEPT[i], v);
	}
	json_t *origin = json_object_get(p, "origin");
	json_object_set_new(s, "origin_kind", json_string(json_str(origin, "kind")));
	json_object_set_new(s, "origin_year",
			    json_integer(json_integer_value(json_object_get(origin, "year"))));
	json_t *ids = json_array(), *m;
	size_t i;
	json_array_foreach(json_object_get(p, "members"), i, m)
		json_array_append_new(ids, json_string(json_str(m, "user_id")));
	json_object_set_new(s, "member_ids", ids);
	json_object_set_new(
		s, "pending",
		json_integer((json_int_t)json_array_size(json_object_get(p, "pending"))));
	json_object_set_new(s, "last_activity_ms",
			    json_integer(doc_int(doc, "last_activity_at", 0)));
	json_object_set_new(s, "created_ms", json_integer(doc_int(doc, "created_at", 0)));
	json_decref(p);
	return s;
}

static int newest_first(const void *x, const void *y)
{
	json_int_t a = json_integer_value(json_object_get(*(json_t *const *)x, "last_activity_ms"));
	json_int_t b = json_integer_value(json_object_get(*(json_t *const *)y, "last_activity_ms"));
	return a < b ? 1 : a > b ? -1 : 0;
}

/* Loads every project's summary: one unsorted cursor (a sort would be
 * done in memory by FerretDB anyway), sorted here. */
static json_t *load_index(struct db_ctx *db, bson_error_t *error)
{
	bson_t *filter = bson_new();
	bson_t *opts = BCON_NEW("projection", "{", "problem", BCON_INT32(0), "solution",
				BCON_INT32(0), "indicators", BCON_INT32(0), "}");
	mongoc_cursor_t *c = mongoc_collection_find_with_opts(db_collection(db, "projects"), filter,
							      opts, NULL);
	size_t n = 0, cap = 256;
	json_t **all = malloc(cap * sizeof(*all));
	const bson_t *doc;
	while (all && mongoc_cursor_next(c, &doc)) {
		if (n == cap) {
			json_t **more = realloc(all, (cap *= 2) * sizeof(*all));
			if (!more)
				break;
			all = more;
		}
		all[n++] = summary_of(doc);
	}
	json_t *list = NULL;
	if (all && !mongoc_cursor_error(c, error)) {
		qsort(all, n, sizeof(*all), newest_first);
		list = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append(list, all[i]);
	} else if (!all) {
		bson_set_error(error, DB_ERROR_DOMAIN_COUSILAB, DB_ERROR_LOCAL, "out of memory");
	}
	for (size_t i = 0; all && i < n; i++)
		json_decref(all[i]);
	free(all);
	mongoc_cursor_destroy(c);
	bson_destroy(opts);
	bson_destroy(filter);
	return list;
}

static struct versioned_cache index_cache = VERSIONED_CACHE("projects", load_index);

json_t *projects_index(struct db_ctx *db, bson_error_t *error)
{
	return cache_get(&index_cache, db, error);
}

/* The summaries of one copy of the index by id: rebuilt when the copy
 * changes (a copy is replaced, never changed). The copy is held so that
 * its address cannot be reused by another while it names this map. */
static struct {
	pthread_mutex_t lock;
	json_t *of, *by_id;
} finder = {.lock = PTHREAD_MUTEX_INITIALIZER};

json_t *projects_index_find(struct db_ctx *db, const char *id, bson_error_t *error)
{
	memset(error, 0, sizeof(*error));
	json_t *index = projects_index(db, error), *s;
	if (!index)
		return NULL;
	pthread_mutex_lock(&finder.lock);
	if (finder.of != index) {
		json_t *by_id = json_object();
		size_t i;
		json_array_foreach(index, i, s)
			json_object_set(by_id, json_str(s, "id"), s);
		json_decref(finder.by_id);
		json_decref(finder.of);
		finder.of = json_incref(index);
		finder.by_id = by_id;
	}
	json_t *found = json_incref(json_object_get(finder.by_id, id));
	pthread_mutex_unlock(&finder.lock);
	json_decref(index);
	return found;
}

/* One write's change to the index: a project's new summary, or its
 * removal (fresh NULL). */
struct index_change {
	const char *id;
	json_t *fresh;
};

/* cache_edit's step: returns a new array (the summaries themselves are
 * shared) with the changed project in its place by activity. */
static json_t *with_change(const json_t *index, void *arg)
{
	const struct index_change *ch = arg;
	size_t n = json_array_size(index), k = 0;
	json_t **all = xmalloc((n + 1) * sizeof(*all));
	json_t *s;
	size_t i;
	json_array_foreach(index, i, s)
		if (strcmp(json_str(s, "id"), ch->id) != 0)
			all[k++] = s;
	if (ch->fresh)
		all[k++] = ch->fresh;
	qsort(all, k, sizeof(*all), newest_first);
	json_t *copy = json_array();
	for (i = 0; i < k; i++)
		json_array_append(copy, all[i]);
	free(all);
	return copy;
}

int projects_index_changed(struct db_ctx *db, const char *id, bson_error_t *error)
{
	if (id) {
		bson_t *doc = doc_find_id(db, "projects", id, error);
		if (!doc && error->code)
			return -1;
		struct index_change ch = {id, doc ? summary_of(doc) : NULL};
		cache_edit(&index_cache, with_change, &ch);
		json_decref(ch.fresh);
		bson_destroy(doc);
	}
	return cache_version_bump(db, "projects", error);
}

static bool empty(const char *s)
{
	return !s || !*s;
}

bool projects_list_has(const json_t *list, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

/* Returns true when summary s matches every filter of f; ranks (NULL
 * without words to search) holds the ids that match them. */
static bool matches(const json_t *s, const struct project_filter *f, const json_t *orgs,
		    const json_t *ranks)
{
	if ((!empty(f->stage) && strcmp(json_str(s, "stage"), f->stage) != 0) ||
	    (!empty(f->state) && strcmp(json_str(s, "state"), f->state) != 0) ||
	    (!empty(f->organisation) &&
	     strcmp(json_str(s, "organisation_id"), f->organisation) != 0) ||
	    (!empty(f->coordinator) &&
	     strcmp(json_str(s, "coordinator_id"), f->coordinator) != 0) ||
	    (!empty(f->theme) && !projects_list_has(json_object_get(s, "themes"), f->theme)) ||
	    (f->defi_year &&
	     (strcmp(json_str(s, "origin_kind"), "defi") != 0 ||
	      json_integer_value(json_object_get(s, "origin_year")) != f->defi_year)))
		return false;
	if (!empty(f->branch) || !empty(f->region)) {
		json_t *o = json_object_get(orgs, json_str(s, "organisation_id"));
		if ((!empty(f->branch) && strcmp(json_str(o, "branch"), f->branch) != 0) ||
		    (!empty(f->region) && strcmp(json_str(o, "region"), f->region) != 0))
			return false;
	}
	return !ranks || json_object_get(ranks, json_str(s, "id"));
}

/* A summary with its search rank, for sorting. */
struct ranked {
	json_int_t rank;
	json_t *item;
};

static int by_rank(const void *x, const void *y)
{
	json_int_t a = ((const struct ranked *)x)->rank, b = ((const struct ranked *)y)->rank;
	return a < b ? -1 : a > b;
}

json_t *projects_select(struct request *req, const json_t *index, const struct project_filter *f)
{
	bson_error_t error;
	json_t *orgs = arena_json(req->arena, organisations_by_code(req->db, &error));
	json_t *ranks = !empty(f->q) ? arena_json(req->arena, projects_search(req, index, f->q))
				     : NULL;
	json_t *out = arena_json(req->arena, json_array()), *s;
	size_t i;
	json_array_foreach(index, i, s)
		if (project_visible(req, s) && matches(s, f, orgs, ranks))
			json_array_append(out, s);
	if (!ranks)
		return out;
	/* Best match first, as the engine ranked them. */
	size_t n = json_array_size(out);
	struct ranked *items = arena_alloc(req->arena, (n ? n : 1) * sizeof(*items));
	for (i = 0; i < n; i++) {
		items[i].item = json_array_get(out, i);
		items[i].rank = json_integer_value(
			json_object_get(ranks, json_str(items[i].item, "id")));
	}
	qsort(items, n, sizeof(*items), by_rank);
	json_t *sorted = arena_json(req->arena, json_array());
	for (i = 0; i < n; i++)
		json_array_append(sorted, items[i].item);
	return sorted;
}
