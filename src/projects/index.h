/* The in-process index of every project's summary, for the lists, the
 * board, the funnel and the export: loaded from "projects" in one read
 * and kept coherent across processes through the versioned cache stamp
 * "projects" (db/cache.h), which every project write moves. Requests only
 * ever read the copy; the refresher reloads it.
 *
 * A summary: id, slug, title, summary, organisation_id,
 * organisation_name, branch, region, themes [codes], stage, state,
 * visibility, coordinator_id, origin_kind, origin_year, member_ids
 * [user ids], pending (open proposals), practice_id, started_on,
 * last_activity_ms, created_ms, example. The list is sorted by last activity, newest first. */
#ifndef COUSILAB_PROJECT_INDEX_H
#define COUSILAB_PROJECT_INDEX_H

#include <bson/bson.h>
#include <jansson.h>
#include <stdbool.h>

struct db_ctx;
struct request;

/* Returns every summary as a JSON array (shared by every reader until
 * the next change: read it, never modify it). New reference, or NULL with
 * error set when nothing could be loaded yet. */
json_t *projects_index(struct db_ctx *db, bson_error_t *error);

/* Returns the summary of project id (new reference to the shared
 * summary: read it, never modify it), or NULL: error->code 0 when there
 * is no such project. A lookup by id in a map made once per copy of the
 * index, so it costs the same however many projects there are. */
json_t *projects_index_find(struct db_ctx *db, const char *id, bson_error_t *error);

/* Takes in the change of project id (NULL: of many, as a seed makes):
 * this process's copy gets the project's summary re-read by _id at once
 * (or loses it when deleted), and the version moves so every process
 * reloads on its refresher's next pass, never on the writer's request.
 * Returns 0, or -1 with error set. */
int projects_index_changed(struct db_ctx *db, const char *id, bson_error_t *error);

/* Filters of a list; NULL or "" for none. */
struct project_filter {
	const char *stage, *state, *organisation, *theme, *q, *branch, *region, *coordinator;
	long defi_year; /* 0 for none */
};

/* Returns the summaries of index that req's visitor may see and that
 * match f: in the index's order, or best match first when f->q has words
 * (projects/search.h). The array belongs to the request's arena (never
 * decref'd); its items are shared. */
json_t *projects_select(struct request *req, const json_t *index, const struct project_filter *f);

/* Returns true when the JSON array list holds the string s. Pure. */
bool projects_list_has(const json_t *list, const char *s);

#endif
