/* Jurors' scoring grids (issue 13): their storage and every process's
 * index of them.
 *
 * Collection "gpi_grids", _id "<candidature_id>:<juror_id>" (one grid per
 * juror and candidature, so a juror's grid is read by _id):
 *   year (int), category, candidature_id, juror_id,
 *   scores {code: int 0..5} (the criteria scored so far),
 *   comments {code: text},
 *   status "draft" | "submitted", submitted_at (ms) or absent,
 *   reopened [{by, at (ms), reason}] (the secretariat's reopenings, oldest
 *     first),
 *   rev (int), created_at, updated_at (BSON dates).
 * Every write claims the grid's next revision (db/lookup.h lookup_claim
 * on "gpi_grids/<_id>"), so two tabs saving at once never interleave, and
 * a submission cannot be lost under a racing draft save.
 *
 * The index: every process keeps one small row per grid, loaded in one
 * cursor and kept coherent through the versioned cache stamp "gpi-grids"
 * (each write moves it: other processes reload within a second, the
 * writer's own at once). The ranking, the juror's progress and the
 * secretariat's counts read only the index. */
#ifndef COUSILAB_GPI_GRID_STORE_H
#define COUSILAB_GPI_GRID_STORE_H

#include <bson/bson.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "gpi/grid_rules.h"

struct arena;
struct audit_actor;
struct db_ctx;

#define GPI_GRIDS "gpi_grids"

/* A grid's state for one juror and candidature. */
enum gpi_grid_state {
	GPI_GRID_NONE,      /* never saved: still to do */
	GPI_GRID_DRAFT,     /* saved, not submitted */
	GPI_GRID_SUBMITTED, /* locked until the secretariat reopens it */
};

/* Refusals of the store's writes (besides -1 with an error). */
enum {
	GPI_GRID_LOCKED = 1,        /* the grid is submitted: 409 */
	GPI_GRID_NOT_SUBMITTED = 2, /* nothing to reopen */
};

/* Returns the _id of juror_id's grid of candidature_id, in a. */
const char *gpi_grid_id(struct arena *a, const char *candidature_id, const char *juror_id);

/* Returns the state a stored grid's or a row's "status" stands for. Pure. */
enum gpi_grid_state gpi_grid_state_of(const json_t *grid_or_row);

/* Returns juror_id's grid of candidature_id as stored (doc_to_json form,
 * plus "updated_at_ms"), or NULL: error->code 0 when the juror has none
 * yet. One read by _id. New reference. */
json_t *gpi_grid_load(struct db_ctx *db, const char *candidature_id, const char *juror_id,
		      bson_error_t *error);

/* Saves juror_id's grid of candidature row cand (an index row or the
 * document: id/_id, year, category are read), from in (already checked by
 * gpi_grid_check against s): the scores and comments replace the stored
 * ones; in->submit submits it (then stamped submitted_at, audited
 * "gpi.grid.submit" as done by by). Returns 0 with *saved (may be NULL)
 * the stored grid (new reference), GPI_GRID_LOCKED when it is already
 * submitted, or -1 with error set. */
int gpi_grid_save(struct db_ctx *db, const struct audit_actor *by, const json_t *cand,
		  const char *juror_id, const struct gpi_grid_scale *s,
		  const struct gpi_grid_input *in, json_t **saved, bson_error_t *error);

/* The secretariat reopens a submitted grid: it becomes a draft again,
 * its scores kept, {by, at, reason} appended to "reopened"; audited
 * "gpi.grid.reopen" with the reason. Returns 0, GPI_GRID_NOT_SUBMITTED
 * (a draft, or no grid), or -1 with error set. */
int gpi_grid_reopen(struct db_ctx *db, const struct audit_actor *by, const char *candidature_id,
		    const char *juror_id, const char *reason, bson_error_t *error);

/* ---- The index ----
 *
 * A row: id, year, category, candidature_id, juror_id, status, scores
 * {code: int}, submitted_ms (0 for a draft), updated_ms. Rows are shared
 * by every reader: never modify one. Comments stay in the database: only
 * the grid's own page and the CSV of grids read them. */

/* Returns the rows of the grids of edition year's category, drafts
 * included: a new reference to the index's own array (never modify it
 * nor its rows; empty when there is none), or NULL with error set when
 * the index could not be loaded yet. */
json_t *gpi_grid_rows_of_category(struct db_ctx *db, int year, const char *category,
				  bson_error_t *error);

/* Returns juror_id's rows of edition year as an object candidature_id →
 * row: a new reference to the index's own object (never modify it), or
 * NULL with error set. */
json_t *gpi_grid_rows_of_juror(struct db_ctx *db, int year, const char *juror_id,
			       bson_error_t *error);

/* Returns the state of candidature_id's grid in rows_of_juror (as
 * gpi_grid_rows_of_juror gives them). Pure. */
enum gpi_grid_state gpi_grid_state_in(const json_t *rows_of_juror, const char *candidature_id);

/* Takes in the change of grid id: this process's copy re-reads its row by
 * _id at once, and the stamp moves so every other process reloads on its
 * refresher's next pass. Returns 0, or -1 with error set. */
int gpi_grid_index_changed(struct db_ctx *db, const char *id, bson_error_t *error);

#endif
