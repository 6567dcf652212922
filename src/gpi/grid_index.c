/* Every process's index of the jurors' grids (grid_store.h): one row per
 * grid, loaded from "gpi_grids" in one cursor (comments left out) and kept
 * coherent through the versioned cache stamp "gpi-grids", which every
 * write moves; the writer's own process takes its change in at once.
 *
 * The cached value is {by_id: {id: row}, by_category: {"<year>:<category>":
 * [rows]}, by_juror: {"<year>:<juror>": {candidature_id: row}}}: the
 * ranking reads one category's rows, a juror's page their own, each
 * without a pass over the others. */
#include <mongoc/mongoc.h>
#include <string.h>

#include "core/arena.h"
#include "db/cache.h"
#include "db/db.h"
#include "db/doc.h"
#include "gpi/grid_store.h"
#include "gpi/serial.h"

#define INDEX_KEY "gpi-grids"

/* Returns the row of a stored grid (new reference). */
static json_t *row_of(const bson_t *doc)
{
	json_t *g = doc_to_json(doc);
	json_t *scores = json_object_get(g, "scores");
	json_t *row = json_pack("{s:O, s:O, s:s, s:s, s:s, s:s, s:o, s:I, s:I}", "id",
				json_object_get(g, "_id"), "year", json_object_get(g, "year"),
				"category", json_str(g, "category"), "candidature_id",
				json_str(g, "candidature_id"), "juror_id", json_str(g, "juror_id"),
				"status", json_str(g, "status"), "scores",
				json_is_object(scores) ? json_incref(scores) : json_object(),
				"submitted_ms", (json_int_t)doc_int(doc, "submitted_at", 0),
				"updated_ms", (json_int_t)doc_int(doc, "updated_at", 0));
	json_decref(g);
	return row;
}

/* Returns the cached value built from by_id (whose rows it shares). New
 * reference; takes by_id's reference. */
static json_t *value_of(json_t *by_id)
{
	json_t *by_category = json_object(), *by_juror = json_object(), *row;
	const char *id;
	struct arena *a = arena_new();
	json_object_foreach(by_id, id, row) {
		json_int_t year = json_integer_value(json_object_get(row, "year"));
		const char *ck = arena_printf(a, "%lld:%s", (long long)year,
					      json_str(row, "category"));
		const char *jk = arena_printf(a, "%lld:%s", (long long)year,
					      json_str(row, "juror_id"));
		json_t *list = json_object_get(by_category, ck);
		if (!list)
			json_object_set_new(by_category, ck, list = json_array());
		json_array_append(list, row);
		json_t *mine = json_object_get(by_juror, jk);
		if (!mine)
			json_object_set_new(by_juror, jk, mine = json_object());
		json_object_set(mine, json_str(row, "candidature_id"), row);
	}
	arena_free(a);
	return json_pack("{s:o, s:o, s:o}", "by_id", by_id, "by_category", by_category, "by_juror",
			 by_juror);
}

static json_t *load_index(struct db_ctx *db, bson_error_t *error)
{
	/* Before the copy is installed: pages of the old one go stale. */
	gpi_serial_move();
	bson_t *opts = BCON_NEW("projection", "{", "comments", BCON_INT32(0), "reopened",
				BCON_INT32(0), "}");
	bson_t *filter = bson_new();
	mongoc_cursor_t *c = mongoc_collection_find_with_opts(db_collection(db, GPI_GRIDS), filter,
							      opts, NULL);
	json_t *by_id = json_object();
	const bson_t *doc;
	while (mongoc_cursor_next(c, &doc)) {
		json_t *row = row_of(doc);
		json_object_set_new(by_id, json_str(row, "id"), row);
	}
	json_t *value = NULL;
	if (mongoc_cursor_error(c, error))
		json_decref(by_id);
	else
		value = value_of(by_id);
	mongoc_cursor_destroy(c);
	bson_destroy(opts);
	bson_destroy(filter);
	return value;
}

static struct versioned_cache index_cache = VERSIONED_CACHE(INDEX_KEY, load_index);

/* The change of one grid: its new row, or its removal (NULL). */
struct change {
	const char *id;
	json_t *fresh;
};

/* cache_edit's step: the value with the changed row in its place. */
static json_t *with_change(const json_t *value, void *arg)
{
	const struct change *ch = arg;
	/* Before the copy is installed: pages of the old one go stale. */
	gpi_serial_move();
	json_t *by_id = json_copy(json_object_get(value, "by_id"));
	if (ch->fresh)
		json_object_set(by_id, ch->id, ch->fresh);
	else
		json_object_del(by_id, ch->id);
	return value_of(by_id);
}

int gpi_grid_index_changed(struct db_ctx *db, const char *id, bson_error_t *error)
{
	bson_t *doc = doc_find_id(db, GPI_GRIDS, id, error);
	if (!doc && error->code)
		return -1;
	struct change ch = {id, doc ? row_of(doc) : NULL};
	cache_edit(&index_cache, with_change, &ch);
	json_decref(ch.fresh);
	bson_destroy(doc);
	return cache_version_bump(db, INDEX_KEY, error);
}

/* Returns a new reference to the value's member group[key], or to an
 * empty (array or object, as empty_list says) when there is none; NULL
 * with error set when the index cannot be loaded. */
static json_t *part(struct db_ctx *db, const char *group, const char *key, bool empty_list,
		    bson_error_t *error)
{
	json_t *value = cache_get(&index_cache, db, error);
	if (!value)
		return NULL;
	json_t *found = json_object_get(json_object_get(value, group), key);
	json_t *out = found ? json_incref(found) : empty_list ? json_array() : json_object();
	json_decref(value);
	return out;
}

json_t *gpi_grid_rows_of_category(struct db_ctx *db, int year, const char *category,
				  bson_error_t *error)
{
	return part(db, "by_category", arena_printf(db->arena, "%d:%s", year, category), true,
		    error);
}

json_t *gpi_grid_rows_of_juror(struct db_ctx *db, int year, const char *juror_id,
			       bson_error_t *error)
{
	return part(db, "by_juror", arena_printf(db->arena, "%d:%s", year, juror_id), false, error);
}

enum gpi_grid_state gpi_grid_state_in(const json_t *rows_of_juror, const char *candidature_id)
{
	return gpi_grid_state_of(json_object_get(rows_of_juror, candidature_id));
}
