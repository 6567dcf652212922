#include "projects/search.h"

#include <pthread.h>

#include "accounts/organisation.h"
#include "core/arena.h"
#include "db/doc.h"
#include "http/request.h"
#include "search/index.h"

enum { FIELD_TITLE, FIELD_SUMMARY, FIELD_ORGANISATION, FIELD_COUNT };

static const struct search_schema PROJECT_SCHEMA = {
	.n_fields = FIELD_COUNT,
	.fields = {{6.0f, 0.3f}, {2.0f, 0.5f}, {1.0f, 0.5f}},
};

/* The engine's index and the projects' index it was built from, held by
 * reference so that its address names it (the versioned cache gives a new
 * array on each change). The lock guards both; searches hold it shared. */
static struct {
	pthread_rwlock_t lock;
	struct search_index *ix;
	json_t *built_from;
} engine = {PTHREAD_RWLOCK_INITIALIZER, NULL, NULL};

/* Returns a new engine index of every summary of index. */
static struct search_index *build(struct request *req, const json_t *index)
{
	bson_error_t error;
	json_t *orgs = organisations_by_code(req->db, &error);
	struct search_index *ix = search_index_new(&PROJECT_SCHEMA);
	size_t i;
	json_t *s;
	json_array_foreach(index, i, s) {
		json_t *org = json_object_get(orgs, json_str(s, "organisation_id"));
		struct search_doc d = {
			.id = json_str(s, "id"),
			.fields = {[FIELD_TITLE] = json_str(s, "title"),
				   [FIELD_SUMMARY] = json_str(s, "summary"),
				   [FIELD_ORGANISATION] = json_str(org, "name")},
			.date_ms = json_integer_value(json_object_get(s, "last_activity_ms")),
		};
		search_index_put(ix, &d); /* an id of another form is not searchable */
	}
	json_decref(orgs);
	return ix;
}

/* Makes the engine's index the one of index, rebuilding it when index is
 * newer. Leaves the lock held shared. */
static void engine_for(struct request *req, const json_t *index)
{
	pthread_rwlock_rdlock(&engine.lock);
	if (engine.built_from == index)
		return;
	pthread_rwlock_unlock(&engine.lock);
	struct search_index *fresh = build(req, index);
	pthread_rwlock_wrlock(&engine.lock);
	struct search_index *old = engine.ix;
	json_t *old_from = engine.built_from;
	engine.ix = fresh;
	engine.built_from = json_incref((json_t *)index);
	pthread_rwlock_unlock(&engine.lock);
	search_index_free(old);
	json_decref(old_from);
	pthread_rwlock_rdlock(&engine.lock);
}

json_t *projects_search(struct request *req, const json_t *index, const char *q)
{
	engine_for(req, index);
	json_t *ranks = json_object();
	struct search_query query = {.q = q, .page = 1, .page_size = SEARCH_PAGE_MAX};
	for (;;) {
		struct search_result r;
		if (search_run(engine.ix, &query, req->arena, &r) != 0)
			break;
		for (size_t i = 0; i < r.n_ids; i++)
			json_object_set_new(ranks, r.ids[i],
					    json_integer((json_int_t)json_object_size(ranks)));
		if (r.n_ids < SEARCH_PAGE_MAX || json_object_size(ranks) >= r.total)
			break;
		query.page++;
	}
	pthread_rwlock_unlock(&engine.lock);
	return ranks;
}
