/* The laureates under the embargo (laureates.h). */
#include "gpi/laureates.h"

#include "core/arena_json.h"
#include "db/db.h"
#include "db/doc.h"
#include "gpi/candidature.h"
#include "gpi/edition.h"
#include "gpi/results.h"
#include "gpi/results_rules.h"

/* gpi_laureate_row_fn's context: the rows read are kept in held (db's
 * arena's) until the list is built; error is set (code not 0) when the index failed. */
struct index_rows {
	struct db_ctx *db;
	json_t *held;
	bson_error_t error;
};

static const json_t *index_row(void *ctx, const char *id)
{
	struct index_rows *r = ctx;
	bson_error_t error;
	json_t *row = gpi_index_row(r->db, id, &error);
	if (row)
		json_array_append_new(r->held, row);
	else if (error.code)
		r->error = error;
	return row;
}

json_t *gpi_laureates_all(struct db_ctx *db, const json_t *e, bson_error_t *err)
{
	int year = gpi_edition_year(e);
	const json_t *results = gpi_edition_results(db, year, err), *c;
	if (!results)
		return NULL;
	json_t *states = arena_json(db->arena, json_object());
	size_t i;
	json_array_foreach(json_object_get(e, "categories"), i, c) {
		const json_t *state = gpi_category_state(db, year, json_str(c, "code"), err);
		if (!state)
			return NULL;
		json_object_set(states, json_str(c, "code"), (json_t *)state);
	}
	struct index_rows rows = {.db = db, .held = arena_json(db->arena, json_array())};
	json_t *list = gpi_laureates_list(e, states, results, index_row, &rows);
	if (rows.error.code) {
		/* A laureate left out would be a palmarès, or a mail pass, short
		 * of a prize: none rather than part. */
		*err = rows.error;
		json_decref(list);
		return NULL;
	}
	return list;
}

json_t *gpi_laureates_for(struct db_ctx *db, const struct user *user, const json_t *e,
			  int64_t now_ms, bson_error_t *err)
{
	if (!gpi_results_visible(user, e, now_ms))
		return json_array();
	return gpi_laureates_all(db, e, err);
}
