/* A juror's list of the candidatures they judge (issue 13: "a juror's
 * page shows their progress: scored, drafts, still to do"): every
 * assignment with the state of their grid, the counts over all of them,
 * and the ones a filter by state keeps, for a page of 50 or an API page.
 * Read from the in-process indexes only (candidatures, grids, declared
 * conflicts), each taken once for the whole list: a juror of 500
 * candidatures costs a pass over the edition's rows, and only the rows
 * shown are turned into items. Recusal is gpi_juror_assignments'. */
#ifndef COUSILAB_GPI_JUROR_LIST_H
#define COUSILAB_GPI_JUROR_LIST_H

#include <bson/bson.h>
#include <jansson.h>
#include <stddef.h>

#include "gpi/grid_store.h"

struct db_ctx;
struct user;

enum { GPI_GRID_STATES = GPI_GRID_SUBMITTED + 1 };

struct gpi_juror_list {
	json_t *rows;                 /* gpi_juror_assignments' rows (new reference) */
	unsigned char *states;        /* each row's enum gpi_grid_state (db's arena) */
	size_t *kept;                 /* indexes in rows of those the filter keeps (db's arena) */
	size_t n_kept;
	int counts[GPI_GRID_STATES];  /* by state, over every row whatever the filter */
};

/* The code of each state in URLs and the API ("a-faire", "brouillon",
 * "notee") and its French label, in enum order. */
extern const char *const GPI_GRID_STATE_CODES[GPI_GRID_STATES];
extern const char *const GPI_GRID_STATE_LABELS[GPI_GRID_STATES];

/* Returns the state whose code is code, or -1 (no filter) for NULL or
 * anything else. Pure. */
int gpi_grid_state_from(const char *code);

/* Fills l with user's assignments in edition year (0: every edition),
 * keeping those whose grid is in state filter (-1: all). Allocates in
 * db's arena; gpi_juror_list_close releases the rows. Returns 0, or -1
 * with error set (l then holds nothing to close). */
int gpi_juror_list_open(struct db_ctx *db, const struct user *user, int year, int filter,
			struct gpi_juror_list *l, bson_error_t *error);

/* Returns the i-th row the filter keeps (borrowed from l). */
const json_t *gpi_juror_list_row(const struct gpi_juror_list *l, size_t i);

/* Returns the grid state of the i-th row the filter keeps. */
enum gpi_grid_state gpi_juror_list_state(const struct gpi_juror_list *l, size_t i);

void gpi_juror_list_close(struct gpi_juror_list *l);

#endif
