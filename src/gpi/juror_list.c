/* A juror's list (juror_list.h). */
#include "gpi/juror_list.h"

#include <string.h>

#include "accounts/user.h"
#include "core/arena.h"
#include "db/db.h"
#include "db/doc.h"
#include "gpi/jury.h"

const char *const GPI_GRID_STATE_CODES[GPI_GRID_STATES] = {
	[GPI_GRID_NONE] = "a-faire",
	[GPI_GRID_DRAFT] = "brouillon",
	[GPI_GRID_SUBMITTED] = "notee",
};

const char *const GPI_GRID_STATE_LABELS[GPI_GRID_STATES] = {
	[GPI_GRID_NONE] = "À noter",
	[GPI_GRID_DRAFT] = "Brouillon",
	[GPI_GRID_SUBMITTED] = "Notée",
};

int gpi_grid_state_from(const char *code)
{
	for (int s = 0; code && s < GPI_GRID_STATES; s++)
		if (strcmp(code, GPI_GRID_STATE_CODES[s]) == 0)
			return s;
	return -1;
}

int gpi_juror_list_open(struct db_ctx *db, const struct user *user, int year, int filter,
			struct gpi_juror_list *l, bson_error_t *error)
{
	*l = (struct gpi_juror_list){0};
	l->rows = gpi_juror_assignments(db, user, year, error);
	if (!l->rows)
		return -1;
	size_t n = json_array_size(l->rows);
	l->states = arena_alloc(db->arena, n + 1);
	l->kept = arena_alloc(db->arena, (n + 1) * sizeof(*l->kept));
	/* The rows come edition by edition: the juror's grids of one edition
	 * are taken once for all its rows. */
	json_t *grids = NULL;
	json_int_t grids_year = 0;
	for (size_t i = 0; i < n; i++) {
		const json_t *row = json_array_get(l->rows, i);
		json_int_t y = json_integer_value(json_object_get(row, "year"));
		if (!grids || y != grids_year) {
			json_decref(grids);
			grids_year = y;
			grids = gpi_grid_rows_of_juror(db, (int)y, user->id, error);
			if (!grids) {
				gpi_juror_list_close(l);
				return -1;
			}
		}
		enum gpi_grid_state s = gpi_grid_state_in(grids, json_str(row, "id"));
		l->states[i] = (unsigned char)s;
		l->counts[s]++;
		if (filter < 0 || (int)s == filter)
			l->kept[l->n_kept++] = i;
	}
	json_decref(grids);
	return 0;
}

const json_t *gpi_juror_list_row(const struct gpi_juror_list *l, size_t i)
{
	return json_array_get(l->rows, l->kept[i]);
}

enum gpi_grid_state gpi_juror_list_state(const struct gpi_juror_list *l, size_t i)
{
	return (enum gpi_grid_state)l->states[l->kept[i]];
}

void gpi_juror_list_close(struct gpi_juror_list *l)
{
	json_decref(l->rows);
	*l = (struct gpi_juror_list){0};
}
