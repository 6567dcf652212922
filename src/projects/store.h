/* The projects' storage: documents read by _id, writes under a revision
 * claim, the timeline and the journal as lookup lists. Every write moves
 * the "projects" stamp so each process's index (projects/index.h) takes
 * it in within a second. See projects/project.h for the documents. */
#ifndef COUSILAB_PROJECT_STORE_H
#define COUSILAB_PROJECT_STORE_H

#include <bson/bson.h>
#include <jansson.h>

struct db_ctx;
struct request;

/* Returns project id as stored (doc_to_json form: dates as ISO strings,
 * plus "<date>_ms" integers for the ones the rules read), or NULL: then
 * error->code is 0 when there is no such project. The request's arena
 * owns it: the caller never decrefs it. */
json_t *project_load(struct request *req, const char *id, bson_error_t *error);

/* Returns the id of the project with that slug (arena), or NULL: then
 * error->code is 0 when no project has it. One read by _id. */
const char *project_id_of_slug(struct request *req, const char *slug, bson_error_t *error);

/* Returns the slug of title before any claim: folded, lowercase letters
 * and digits joined by single dashes, at most 70 bytes, never a page of
 * /projets/ (arena). */
struct arena;
const char *project_slug_base(struct arena *a, const char *title);

/* Inserts project p (the fields of the form, and its _id when the caller
 * chose it; gains _id, slug, rev,
 * stage, state, dates) after claiming a slug from its title. Returns the
 * new id (arena), or NULL with error set. p is borrowed and updated. */
const char *project_insert(struct request *req, json_t *p, bson_error_t *error);

/* What an edit decides, given the project as it is now. */
enum project_edit_result { PROJECT_EDIT_WRITE, PROJECT_EDIT_REFUSED, PROJECT_EDIT_FAILED };

/* Fills set (a JSON object of top-level fields to $set; a value
 * {"$date_ms": n} becomes a BSON date) from project p, or refuses (the
 * callback keeps why in ctx). */
typedef enum project_edit_result (*project_edit_fn)(struct request *req, const json_t *p,
						    json_t *set, void *ctx);

/* Reads project id, lets edit decide, and writes its fields with the
 * next revision, claimed first (a racing writer makes this read again),
 * then "updated_at" and the stamp. Returns 1 when written, 0 when edit
 * refused, -1 with error set (no such project: error->code 0). */
int project_update(struct request *req, const char *id, project_edit_fn edit, void *ctx,
		   bson_error_t *error);

/* Appends an event to project id's timeline: kind (move, proposal,
 * decision, journal, measurement, state, member), from and to stage codes
 * (NULL for none), note and evidence ({file_id|url}, NULL for none), by
 * the request's user, now. Returns 0, or -1 with error set. */
int project_event_add(struct request *req, const char *id, const char *kind, const char *from,
		      const char *to, const char *note, const json_t *evidence,
		      bson_error_t *error);

/* Returns the newest max events of project id, newest first, owned by
 * the request's arena (never decref'd), or NULL with error set. */
json_t *project_events(struct request *req, const char *id, size_t max, bson_error_t *error);

/* Inserts doc (a JSON object without _id) into collection with a new
 * random _id, and lists it under list when not NULL. Returns the id
 * (arena), or NULL with error set. */
const char *project_insert_child(struct db_ctx *db, const char *collection, const char *list,
				 json_t *doc, bson_error_t *error);

/* Returns the newest max documents of collection listed under list,
 * newest first, owned by the request's arena (never decref'd), or NULL
 * with error set. */
json_t *project_children(struct request *req, const char *list, const char *collection, size_t max,
			 bson_error_t *error);

/* Makes every process's index take in the change of project id (NULL:
 * of many): projects_index_changed. Returns 0 or -1. */
int project_changed(struct db_ctx *db, const char *id, bson_error_t *error);

/* Returns a BSON document for the JSON object j, turning every member
 * {"$date_ms": n} into a BSON date (user text never becomes a key: only
 * the code names members). New, or NULL with error set. */
bson_t *project_bson_of(const json_t *j, bson_error_t *error);

/* Returns the JSON {"$date_ms": ms} that project_bson_of turns into a
 * date. New reference. */
json_t *project_date(int64_t ms);

#endif
