/* Jurors' grids in "gpi_grids" (grid_store.h): reads by _id, writes under
 * a claim on the grid's next revision. */
#include <mongoc/mongoc.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/arena.h"
#include "db/db.h"
#include "db/doc.h"
#include "db/lookup.h"
#include "gpi/grid_store.h"

/* Attempts of a write that keeps losing its revision claim to others. */
enum { WRITE_ATTEMPTS = 12 };

const char *gpi_grid_id(struct arena *a, const char *candidature_id, const char *juror_id)
{
	return arena_printf(a, "%s:%s", candidature_id, juror_id);
}

enum gpi_grid_state gpi_grid_state_of(const json_t *grid_or_row)
{
	const char *s = json_string_value(json_object_get(grid_or_row, "status"));
	if (!s)
		return GPI_GRID_NONE;
	return strcmp(s, "submitted") == 0 ? GPI_GRID_SUBMITTED : GPI_GRID_DRAFT;
}

/* Returns the stored grid id as JSON with "updated_at_ms" and
 * "created_at_ms", or NULL (error->code 0: none). New reference. */
static json_t *load_id(struct db_ctx *db, const char *id, int64_t *rev, bson_error_t *error)
{
	memset(error, 0, sizeof(*error));
	*rev = 0;
	bson_t *doc = doc_find_id(db, GPI_GRIDS, id, error);
	if (!doc)
		return NULL;
	json_t *j = doc_to_json(doc);
	*rev = doc_int(doc, "rev", 1);
	json_object_set_new(j, "updated_at_ms", json_integer(doc_int(doc, "updated_at", 0)));
	json_object_set_new(j, "created_at_ms", json_integer(doc_int(doc, "created_at", 0)));
	bson_destroy(doc);
	return j;
}

json_t *gpi_grid_load(struct db_ctx *db, const char *candidature_id, const char *juror_id,
		      bson_error_t *error)
{
	int64_t rev;
	return load_id(db, gpi_grid_id(db->arena, candidature_id, juror_id), &rev, error);
}

/* The stored fields of a grid: the JSON form's, minus what the BSON dates
 * and the revision become. */
static const char *const STORED[] = {"year",     "category", "candidature_id", "juror_id", "scores",
				     "comments", "status",   "submitted_at",   "reopened"};

/* Writes grid (JSON form) as revision rev of id at now_ms. Returns 0, or
 * -1 with error set. */
static int write_grid(struct db_ctx *db, const char *id, const json_t *grid, int64_t rev,
		      int64_t now_ms, bson_error_t *error)
{
	json_t *fields = json_object();
	for (size_t i = 0; i < sizeof(STORED) / sizeof(*STORED); i++) {
		json_t *v = json_object_get(grid, STORED[i]);
		if (v)
			json_object_set(fields, STORED[i], v);
	}
	char *text = json_dumps(fields, JSON_COMPACT);
	json_decref(fields);
	bson_t *doc = text ? bson_new_from_json((const uint8_t *)text, -1, error) : NULL;
	free(text);
	if (!doc)
		return -1;
	int64_t created = json_integer_value(json_object_get(grid, "created_at_ms"));
	BSON_APPEND_UTF8(doc, "_id", id);
	BSON_APPEND_INT64(doc, "rev", rev);
	BSON_APPEND_DATE_TIME(doc, "created_at", created ? created : now_ms);
	BSON_APPEND_DATE_TIME(doc, "updated_at", now_ms);
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(id));
	bson_t *opts = BCON_NEW("upsert", BCON_BOOL(true));
	bool ok = mongoc_collection_replace_one(db_collection(db, GPI_GRIDS), filter, doc, opts,
						NULL, error);
	bson_destroy(opts);
	bson_destroy(filter);
	bson_destroy(doc);
	return ok && gpi_grid_index_changed(db, id, error) == 0 ? 0 : -1;
}

/* Changes a grid in place (JSON form; a new grid is an empty object),
 * given ctx and the instant of the write. Returns 0 to write it, or a
 * positive refusal. */
typedef int (*grid_edit_fn)(json_t *grid, void *ctx, int64_t now_ms);

/* Reads grid id, applies edit and writes it back under a claim on its
 * next revision (a racing writer makes this one read and apply again).
 * Returns 0 with *saved (may be NULL) the written grid, edit's refusal,
 * or -1 with error set. */
static int edit_grid(struct db_ctx *db, const char *id, grid_edit_fn edit, void *ctx,
		     json_t **saved, bson_error_t *error)
{
	for (int attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
		int64_t rev;
		json_t *grid = load_id(db, id, &rev, error);
		if (!grid && error->code)
			return -1;
		if (!grid)
			grid = json_object();
		int64_t now = doc_now_ms();
		int refused = edit(grid, ctx, now);
		if (refused) {
			json_decref(grid);
			return refused;
		}
		int64_t next = rev + 1;
		int won = lookup_claim(db, arena_printf(db->arena, "gpi_grids/%s", id), &next,
				       error);
		if (won == 1) {
			int rc = write_grid(db, id, grid, next, now, error);
			json_object_set_new(grid, "rev", json_integer(next));
			json_object_set_new(grid, "updated_at_ms", json_integer(now));
			if (rc == 0 && saved)
				*saved = grid;
			else
				json_decref(grid);
			return rc;
		}
		json_decref(grid);
		if (won < 0)
			return -1;
		lookup_back_off();
	}
	bson_set_error(error, DB_ERROR_DOMAIN_COUSILAB, DB_ERROR_CONFLICT, "grid %s kept changing",
		       id);
	return -1;
}

struct save {
	const json_t *cand;
	const char *juror_id;
	const struct gpi_grid_scale *s;
	const struct gpi_grid_input *in;
};

static const char *cand_id(const json_t *cand)
{
	const char *id = json_str(cand, "id");
	return *id ? id : json_str(cand, "_id");
}

static int apply_save(json_t *grid, void *arg, int64_t now_ms)
{
	const struct save *sv = arg;
	if (gpi_grid_state_of(grid) == GPI_GRID_SUBMITTED)
		return GPI_GRID_LOCKED;
	json_t *scores = json_object(), *comments = json_object();
	for (size_t i = 0; i < sv->s->n; i++) {
		const char *code = sv->s->criteria[i].code;
		if (sv->in->scores[i] >= GPI_SCORE_MIN)
			json_object_set_new(scores, code, json_integer(sv->in->scores[i]));
		if (sv->in->comments[i] && *sv->in->comments[i])
			json_object_set_new(comments, code, json_string(sv->in->comments[i]));
	}
	json_object_set(grid, "year", json_object_get(sv->cand, "year"));
	json_object_set_new(grid, "category", json_string(json_str(sv->cand, "category")));
	json_object_set_new(grid, "candidature_id", json_string(cand_id(sv->cand)));
	json_object_set_new(grid, "juror_id", json_string(sv->juror_id));
	json_object_set_new(grid, "scores", scores);
	json_object_set_new(grid, "comments", comments);
	json_object_set_new(grid, "status", json_string(sv->in->submit ? "submitted" : "draft"));
	if (sv->in->submit)
		json_object_set_new(grid, "submitted_at", json_integer(now_ms));
	else
		json_object_del(grid, "submitted_at");
	if (!json_object_get(grid, "reopened"))
		json_object_set_new(grid, "reopened", json_array());
	return 0;
}

int gpi_grid_save(struct db_ctx *db, const struct audit_actor *by, const json_t *cand,
		  const char *juror_id, const struct gpi_grid_scale *s,
		  const struct gpi_grid_input *in, json_t **saved, bson_error_t *error)
{
	struct save sv = {cand, juror_id, s, in};
	const char *id = gpi_grid_id(db->arena, cand_id(cand), juror_id);
	int rc = edit_grid(db, id, apply_save, &sv, saved, error);
	if (rc == 0 && in->submit) {
		audit_write(db, by, "gpi.grid.submit", id,
			    arena_printf(db->arena, "total %d", gpi_grid_total(s, in->scores)));
	}
	return rc;
}

struct reopen {
	const char *by_id, *reason;
};

static int apply_reopen(json_t *grid, void *arg, int64_t now_ms)
{
	const struct reopen *r = arg;
	if (gpi_grid_state_of(grid) != GPI_GRID_SUBMITTED)
		return GPI_GRID_NOT_SUBMITTED;
	json_object_set_new(grid, "status", json_string("draft"));
	json_object_del(grid, "submitted_at");
	json_t *log = json_object_get(grid, "reopened");
	if (!json_is_array(log))
		json_object_set_new(grid, "reopened", log = json_array());
	json_array_append_new(log, json_pack("{s:s, s:I, s:s}", "by", r->by_id, "at",
					     (json_int_t)now_ms, "reason", r->reason));
	return 0;
}

int gpi_grid_reopen(struct db_ctx *db, const struct audit_actor *by, const char *candidature_id,
		    const char *juror_id, const char *reason, bson_error_t *error)
{
	struct reopen r = {by->id ? by->id : "", reason};
	const char *id = gpi_grid_id(db->arena, candidature_id, juror_id);
	int rc = edit_grid(db, id, apply_reopen, &r, NULL, error);
	if (rc == 0)
		audit_write(db, by, "gpi.grid.reopen", id, reason);
	return rc;
}
