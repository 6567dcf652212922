/* GET /fichiers/{id}/{name}. The file's metadata names the kind and id
 * of its owner; the read check the owning feature registered for that
 * kind (files/owner.h) says whether the reader may have it. */
#include <string.h>

#include "core/app.h"
#include "core/arena.h"
#include "db/db.h"
#include "db/doc.h"
#include "files/local.h"
#include "files/owner.h"
#include "files/store.h"
#include "files/ui.h"
#include "http/reply.h"
#include "web/db_reply.h"
#include "web/error_reply.h"

/* Types a browser shows itself; the others are saved. */
static bool shown_inline(const char *mime)
{
	return strcmp(mime, "application/pdf") == 0 || strncmp(mime, "image/", 6) == 0 ||
	       strncmp(mime, "video/", 6) == 0;
}

static void not_found(struct request *req)
{
	reply_error(req, 404, "not_found",
		    "Ce fichier n’existe pas ou n’est pas "
		    "accessible pour vous.",
		    NULL);
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
	const char *kind = doc_string(req->arena, meta, "owner_kind");
	const char *owner = doc_string(req->arena, meta, "owner_id");
	const char *name = doc_string(req->arena, meta, "name");
	const char *mime = doc_string(req->arena, meta, "mime");
	bson_destroy(meta);
	files_read_check readable = files_owner_check(kind);
	int rc = readable && owner ? readable(req, owner, id) : 0;
	if (rc <= 0) {
		if (rc == 0)
			not_found(req);
		return;
	}
	const char *dir = files_local_dir(req->app, req->arena, req->request_id, "files");
	rc = file_store_materialize(client, dbname, id, dir, &error);
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
	reply_header(
		req, "Content-Disposition",
		file_content_disposition(req->arena, name, shown_inline(req->res.content_type)));
}
