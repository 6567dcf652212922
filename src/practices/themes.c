#include "practices/themes.h"

#include <mongoc/mongoc.h>
#include <string.h>

#include "db/cache.h"
#include "db/db.h"
#include "db/doc.h"

/* Loads every theme, sorted by name. */
static json_t *load_themes(struct request *req, bson_error_t *error)
{
	bson_t filter = BSON_INITIALIZER;
	bson_t *opts = BCON_NEW("sort", "{", "name", BCON_INT32(1), "}");
	mongoc_cursor_t *c = mongoc_collection_find_with_opts(db_collection(req, "themes"),
							      &filter, opts, NULL);
	json_t *list = json_array();
	const bson_t *doc;
	while (mongoc_cursor_next(c, &doc))
		json_array_append_new(list, doc_to_json(doc));
	if (mongoc_cursor_error(c, error)) {
		json_decref(list);
		list = NULL;
	}
	mongoc_cursor_destroy(c);
	bson_destroy(opts);
	bson_destroy(&filter);
	return list;
}

static struct versioned_cache themes_cache = VERSIONED_CACHE("themes", load_themes);

json_t *themes_all(struct request *req, bson_error_t *error)
{
	return cache_get(&themes_cache, req, error);
}

json_t *theme_in(json_t *list, const char *code)
{
	json_t *t;
	size_t i;
	json_array_foreach(list, i, t)
		if (strcmp(json_str(t, "_id"), code) == 0)
			return t;
	return NULL;
}

int themes_changed(struct request *req, bson_error_t *error)
{
	return cache_bump(req, "themes", error);
}
