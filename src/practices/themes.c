#include "practices/themes.h"

#include <mongoc/mongoc.h>
#include <string.h>

#include "db/cache.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/request.h"

/* Loads every theme, sorted by name. */
static json_t *load_themes(struct db_ctx *db, bson_error_t *error)
{
	return doc_find_all(db, "themes", bson_new(),
			    BCON_NEW("sort", "{", "name", BCON_INT32(1), "}"), error);
}

static struct versioned_cache themes_cache = VERSIONED_CACHE("themes", load_themes);

json_t *themes_all(struct db_ctx *db, bson_error_t *error)
{
	return cache_get(&themes_cache, db, error);
}

json_t *theme_in(json_t *list, const char *code)
{
	return json_find_id(list, code);
}

int themes_changed(struct request *req, bson_error_t *error)
{
	return cache_bump(req->db, "themes", error);
}
