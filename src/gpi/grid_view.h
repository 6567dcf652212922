/* A juror's grid as the API and the pages show it (issue 13): shared by
 * the juror's grid page and the secretariat's view of a candidature's
 * grids. */
#ifndef COUSILAB_GPI_GRID_VIEW_H
#define COUSILAB_GPI_GRID_VIEW_H

#include <jansson.h>
#include <stdbool.h>

#include "gpi/grid_rules.h"

struct arena;

/* Returns grid (a stored grid, or NULL before the first save) of
 * candidature_id as the API gives it: {candidature_id, status ("none",
 * "draft" or "submitted"), locked (submitted, or scoring closed),
 * scoring_closed, scores {code: int}, comments {code: text}, total,
 * max_total, scored (criteria scored), criteria_count (how many), submitted_at
 * (RFC 3339) and submitted_fr, or null}. New reference. */
json_t *gpi_grid_json(const struct gpi_grid_scale *s, const char *candidature_id,
		      const json_t *grid, bool closed);

/* Returns the rows of the grid's form, one per criterion of s: {code,
 * label, weight, score_name, comment_name, comment, options [{value,
 * label, selected}], score_text, score_error, comment_error} from what
 * was typed (values: field → text, may be NULL) or else the stored grid
 * (may be NULL); errors (field → message, may be NULL) from a refused
 * save. Strings of a. New reference. */
json_t *gpi_grid_form_rows(struct arena *a, const struct gpi_grid_scale *s, const json_t *grid,
			   const json_t *values, const json_t *errors);

/* Returns a ranking's mean written the French way, two decimals after a
 * comma ("4,50"), allocated in a. */
const char *gpi_mean_fr(struct arena *a, double mean);

#endif
