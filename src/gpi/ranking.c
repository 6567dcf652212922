/* A category's ranking from the in-process indexes (ranking.h). */
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "core/arena.h"
#include "core/arena_json.h"
#include "core/log.h"
#include "db/db.h"
#include "db/doc.h"
#include "gpi/candidature.h"
#include "gpi/grid_store.h"
#include "gpi/jury.h"
#include "gpi/ranking.h"

/* Returns the calling thread's CPU time in microseconds: the compile's
 * own work, apart from the time other threads and processes take the
 * cores from it. */
static uint64_t cpu_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* What the compilation gathers of one candidature before ranking it. */
struct gathered {
	const json_t *row;
	int *totals;
	size_t n;
	int expected;
	/* recused[m]: the m-th juror may not score it; their grid never counts */
	bool *recused;
};

/* Returns the position of juror_id among members, or -1. */
static int member_index(const json_t *members, const char *juror_id)
{
	const json_t *m;
	size_t i;
	json_array_foreach(members, i, m)
		if (strcmp(json_str(m, "id"), juror_id) == 0)
			return (int)i;
	return -1;
}

/* Returns r's mean rounded to hundredths, from its exact sum (totals are
 * never negative: rounding half up is a matter of integers). */
static double mean_of(const struct gpi_rank_row *r)
{
	return r->grids ? (double)((r->sum * 200 + r->grids) / (2L * r->grids)) / 100 : 0;
}

static json_t *item_of(const struct gpi_rank_row *r, const json_t *row)
{
	return json_pack("{s:s, s:s, s:s, s:i, s:f, s:i, s:i, s:i, s:i, s:b}", "candidature_id",
			 r->candidature_id, "title", json_str(row, "title"), "organisation_id",
			 json_str(row, "organisation_id"), "rank", r->rank, "mean", mean_of(r),
			 "grids", r->grids, "expected", r->expected, "min", r->min, "max", r->max,
			 "disagreement", r->disagreement);
}

json_t *gpi_ranking_compile(struct db_ctx *db, const json_t *e, const char *category,
			    bson_error_t *error)
{
	uint64_t started = now_us(), cpu = cpu_us();
	int year = gpi_edition_year(e);
	struct gpi_grid_scale scale = gpi_grid_scale_of(e);
	json_t *rows = arena_json(db->arena, gpi_index_rows(db, year, category, NULL, error));
	json_t *members = rows ? arena_json(db->arena, gpi_jury_members(db, year, category, error))
			       : NULL;
	json_t *grids = members ? arena_json(db->arena,
					     gpi_grid_rows_of_category(db, year, category, error))
				: NULL;
	if (!grids)
		return NULL;
	size_t n_members = json_array_size(members), n = 0;
	struct gathered *g = arena_alloc(db->arena, (json_array_size(rows) + 1) * sizeof(*g));
	/* candidature id -> index in g */
	json_t *position = arena_json(db->arena, json_object());
	const json_t *row, *m;
	size_t i, k;
	json_array_foreach(rows, i, row) {
		if (!gpi_status_for_jury(json_str(row, "status")))
			continue;
		struct gathered *x = &g[n];
		*x = (struct gathered){row, arena_alloc(db->arena, (n_members + 1) * sizeof(int)),
				       0, 0,
				       arena_alloc(db->arena, (n_members + 1) * sizeof(bool))};
		json_array_foreach(members, k, m) {
			x->recused[k] = gpi_jury_member_recused(db, m, row);
			x->expected += !x->recused[k];
		}
		json_object_set_new(position, json_str(row, "id"), json_integer((json_int_t)n++));
	}
	json_array_foreach(grids, i, row) {
		if (gpi_grid_state_of(row) != GPI_GRID_SUBMITTED)
			continue;
		json_t *at = json_object_get(position, json_str(row, "candidature_id"));
		int who = member_index(members, json_str(row, "juror_id"));
		if (!at || who < 0)
			continue; /* not before the jury, or no longer a juror */
		struct gathered *x = &g[json_integer_value(at)];
		if (!x->recused[who] && x->n < n_members)
			x->totals[x->n++] = gpi_grid_total_of_json(&scale,
								   json_object_get(row, "scores"));
	}
	struct gpi_rank_input *in = arena_alloc(db->arena, (n + 1) * sizeof(*in));
	struct gpi_rank_row *out = arena_alloc(db->arena, (n + 1) * sizeof(*out));
	for (i = 0; i < n; i++)
		in[i] = (struct gpi_rank_input){json_str(g[i].row, "id"), g[i].totals, g[i].n,
						g[i].expected};
	int max_total = gpi_grid_max_total(&scale);
	gpi_ranking(in, n, max_total, out);
	json_t *items = json_array();
	for (i = 0; i < n; i++) {
		json_t *at = json_object_get(position, out[i].candidature_id);
		json_array_append_new(items, item_of(&out[i], g[json_integer_value(at)].row));
	}
	json_t *ranking = arena_json(db->arena,
				     json_pack("{s:s, s:i, s:i, s:o}", "category", category,
					       "max_total", max_total, "disagreement_percent",
					       GPI_DISAGREEMENT_PERCENT, "items", items));
	log_info(db->log_id,
		 "gpi ranking %d/%s: %zu candidatures, %zu grids in %.1f ms (cpu %.1f ms)", year,
		 category, n, json_array_size(grids), (double)(now_us() - started) / 1000.0,
		 (double)(cpu_us() - cpu) / 1000.0);
	return ranking;
}
