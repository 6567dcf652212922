/* GET /fichiers/{id}/{name}. The file's metadata names the practice that
 * holds it; a published practice is looked up in the catalogue, any other
 * in the database, and the reader must be allowed to see it. */
#include <string.h>

#include "app.h"
#include "core/arena.h"
#include "db/db.h"
#include "db/doc.h"
#include "files/download.h"
#include "files/store.h"
#include "http/reply.h"
#include "practices/catalogue.h"
#include "practices/practice.h"
#include "practices/store.h"
#include "practices/toolbox.h"
#include "web/db_reply.h"

/* Types a browser shows itself; the others are saved. */
static bool shown_inline(const char *mime)
{
	return strcmp(mime, "application/pdf") == 0 || strncmp(mime, "image/", 6) == 0 ||
	       strncmp(mime, "video/", 6) == 0;
}

/* Returns true when practice p lists file id in its toolbox. */
static bool holds(const json_t *p, const char *id)
{
	size_t i;
	json_t *res;
	json_array_foreach(json_object_get(p, "toolbox"), i, res)
		if (strcmp(json_str(res, "file_id"), id) == 0)
			return true;
	return false;
}

/* Returns 1 when the user may read file id of practice owner, 0 when not
 * (or when that practice does not hold it), -1 after replying 503. */
static int readable(struct request *req, const char *owner, const char *id)
{
	if (!file_id_valid(owner)) /* practice ids look like file ids */
		return 0;
	json_t *p = catalogue_get(req, owner);
	bool ok = p && holds(p, id);
	json_decref(p);
	if (ok || !req->user) /* drafts are never anyone's but signed-in users' */
		return ok;
	/* A draft, or a file newer than this process's catalogue. */
	bson_error_t error;
	p = practice_load(req, owner, &error);
	if (!p && error.code) {
		db_fail(req, "loading a practice", &error);
		return -1;
	}
	int st = p ? practice_status_from(json_str(p, "status")) : -1;
	ok = st >= 0 && holds(p, id) &&
	     practice_allowed(req->user, json_str(p, "author_id"), (enum practice_status)st,
			      PRACTICE_VIEW);
	json_decref(p);
	return ok;
}

static void not_found(struct request *req)
{
	reply_error(req, 404, "not_found", "Ce fichier n’existe pas ou n’est pas "
		    "accessible pour vous.", NULL);
}

void files_download(struct request *req)
{
	const char *id = param_get(req->route_params, "id");
	if (!file_id_valid(id)) {
		not_found(req);
		return;
	}
	mongoc_client_t *client = db_client(req->db);
	const char *dbname = req->app->db->name;
	bson_error_t error;
	bson_t *meta = file_store_meta(client, dbname, id, &error);
	if (!meta) {
		if (error.code)
			db_fail(req, "reading a file's metadata", &error);
		else
			not_found(req);
		return;
	}
	const char *owner = doc_string(req->arena, meta, "owner_id");
	const char *name = doc_string(req->arena, meta, "name");
	const char *mime = doc_string(req->arena, meta, "mime");
	bson_destroy(meta);
	int rc = readable(req, owner, id);
	if (rc <= 0) {
		if (rc == 0)
			not_found(req);
		return;
	}
	rc = file_store_materialize(client, dbname, id, toolbox_cache_dir(req, "files"), &error);
	if (rc) {
		if (rc > 0)
			not_found(req);
		else
			db_fail(req, "copying a file to the cache", &error);
		return;
	}
	req->res.status = 200;
	req->res.content_type = mime && *mime ? mime : "application/octet-stream";
	reply_header(req, "X-Accel-Redirect", arena_printf(req->arena, "/_fichiers/%s", id));
	reply_header(req, "Content-Disposition",
		     content_disposition(req->arena, name, shown_inline(req->res.content_type)));
}
