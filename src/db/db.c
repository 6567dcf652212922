#include "db/db.h"

#include <mongoc/mongoc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/scan_watch.h"
#include "core/xalloc.h"
#include "http/reply.h"
#include "http/request.h"

/* Timeouts that keep a dead database from pinning worker threads. A URI
 * may set its own, as long as they stay within these bounds in spirit. */
static const struct {
	const char *option;
	int32_t value;
} DEFAULT_TIMEOUTS[] = {
	{MONGOC_URI_SERVERSELECTIONTIMEOUTMS, 3000},
	{MONGOC_URI_SOCKETTIMEOUTMS, 15000},
	{MONGOC_URI_CONNECTTIMEOUTMS, 2000},
	/* Pooled clients check a lost server this often: recovery speed. */
	{MONGOC_URI_HEARTBEATFREQUENCYMS, 1000},
};

#ifndef NDEBUG
/* Returns true when the value under it is exactly {_id: <string or
 * ObjectId>}: the one filter FerretDB v1.24 pushes down to SQLite. */
static bool by_id(const bson_iter_t *it)
{
	bson_iter_t f;
	if (!BSON_ITER_HOLDS_DOCUMENT(it) || !bson_iter_recurse(it, &f))
		return false;
	int keys = 0;
	bool id = false;
	while (bson_iter_next(&f)) {
		keys++;
		id = strcmp(bson_iter_key(&f), "_id") == 0 &&
		     (BSON_ITER_HOLDS_UTF8(&f) || BSON_ITER_HOLDS_OID(&f));
	}
	return keys == 1 && id;
}

/* Notes each filter of a command that is not by_id (core/scan_watch.h).
 * A file's own chunk collection is read whole by design: its size is the
 * file's. */
static void watch_command(const mongoc_apm_command_started_t *event)
{
	const char *name = mongoc_apm_command_started_get_command_name(event);
	const bson_t *cmd = mongoc_apm_command_started_get_command(event);
	bson_iter_t it, list, one;
	const char *coll = bson_iter_init_find(&it, cmd, name) && BSON_ITER_HOLDS_UTF8(&it)
				   ? bson_iter_utf8(&it, NULL) : "";
	if (strncmp(coll, "file_chunks_", 12) == 0)
		return;
	bool find = strcmp(name, "find") == 0;
	if (find || strcmp(name, "count") == 0 || strcmp(name, "distinct") == 0 ||
	    strcmp(name, "findAndModify") == 0) {
		if (!bson_iter_init_find(&it, cmd, find ? "filter" : "query") || !by_id(&it))
			scan_watch_note(coll);
	} else if (strcmp(name, "aggregate") == 0) {
		scan_watch_note(coll);
	} else if (strcmp(name, "update") == 0 || strcmp(name, "delete") == 0) {
		if (bson_iter_init_find(&it, cmd, name[0] == 'u' ? "updates" : "deletes") &&
		    bson_iter_recurse(&it, &list))
			while (bson_iter_next(&list))
				if (!bson_iter_recurse(&list, &one) || !bson_iter_find(&one, "q") ||
				    !by_id(&one))
					scan_watch_note(coll);
	}
}
#endif

struct db *db_open(const char *uri_string, size_t max_clients, char *err,
		   size_t errlen)
{
	if (!uri_string)
		uri_string = getenv("MONGODB_URI");
	if (!uri_string || !*uri_string)
		uri_string = DB_DEFAULT_URI;
	bson_error_t error;
	mongoc_uri_t *uri = mongoc_uri_new_with_error(uri_string, &error);
	if (!uri) {
		snprintf(err, errlen, "MONGODB_URI invalide : %s", error.message);
		return NULL;
	}
	for (size_t i = 0; i < sizeof(DEFAULT_TIMEOUTS) / sizeof(*DEFAULT_TIMEOUTS); i++)
		if (!mongoc_uri_has_option(uri, DEFAULT_TIMEOUTS[i].option))
			mongoc_uri_set_option_as_int32(uri, DEFAULT_TIMEOUTS[i].option,
						       DEFAULT_TIMEOUTS[i].value);
	if (!mongoc_uri_has_option(uri, MONGOC_URI_MAXPOOLSIZE))
		mongoc_uri_set_option_as_int32(uri, MONGOC_URI_MAXPOOLSIZE,
					       (int32_t)max_clients);
	if (!mongoc_uri_has_option(uri, MONGOC_URI_APPNAME))
		mongoc_uri_set_appname(uri, "cousilab");

	struct db *db = xcalloc(1, sizeof(*db));
	const char *name = mongoc_uri_get_database(uri);
	db->name = xstrdup(name && *name ? name : "cousilab");
	db->pool = mongoc_client_pool_new(uri);
	mongoc_uri_destroy(uri);
	if (!db->pool) {
		snprintf(err, errlen, "impossible de créer le pool de connexions");
		db_close(db);
		return NULL;
	}
	mongoc_client_pool_set_error_api(db->pool, MONGOC_ERROR_API_VERSION_2);
#ifndef NDEBUG
	mongoc_apm_callbacks_t *callbacks = mongoc_apm_callbacks_new();
	mongoc_apm_set_command_started_cb(callbacks, watch_command);
	mongoc_client_pool_set_apm_callbacks(db->pool, callbacks, NULL);
	mongoc_apm_callbacks_destroy(callbacks);
#endif
	return db;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	if (db->pool)
		mongoc_client_pool_destroy(db->pool);
	free(db->name);
	free(db);
}

struct pooled {
	mongoc_client_pool_t *pool;
	mongoc_client_t *client;
};

static void pooled_release(void *ctx)
{
	struct pooled *p = ctx;
	mongoc_client_pool_push(p->pool, p->client);
}

mongoc_client_t *db_client(struct request *req)
{
	if (!req->db) {
		struct pooled *p = arena_alloc(req->arena, sizeof(*p));
		p->pool = req->app->db->pool;
		p->client = mongoc_client_pool_pop(p->pool);
		arena_on_free(req->arena, pooled_release, p);
		req->db = p->client;
	}
	return req->db;
}

static void collection_release(void *ctx)
{
	mongoc_collection_destroy(ctx);
}

const char *db_name(struct request *req)
{
	return req->app->db->name;
}

mongoc_collection_t *db_collection(struct request *req, const char *name)
{
	mongoc_collection_t *c = mongoc_client_get_collection(
	    db_client(req), req->app->db->name, name);
	arena_on_free(req->arena, collection_release, c);
	return c;
}

bool db_error_is_outage(const bson_error_t *error)
{
	return error->domain == MONGOC_ERROR_SERVER_SELECTION ||
	       error->domain == MONGOC_ERROR_STREAM;
}

void db_fail(struct request *req, const char *what, const bson_error_t *error)
{
	log_error(req->request_id, "db: %s: %s (domain %u, code %u)", what,
		  error->message, error->domain, error->code);
	if (error->domain == DB_ERROR_DOMAIN_COUSILAB && error->code == DB_ERROR_CONFLICT)
		reply_error(req, 409, "conflict",
			    "Cette page a été modifiée entre-temps par quelqu'un d'autre. "
			    "Rechargez-la et recommencez.", NULL);
	else if (db_error_is_outage(error))
		reply_error(req, 503, "unavailable",
			    "Le service est momentanément indisponible. "
			    "Merci de réessayer dans quelques instants.",
			    NULL);
	else
		reply_error(req, 500, "internal",
			    "Une erreur interne est survenue. "
			    "Elle a été enregistrée.",
			    NULL);
}

bool db_ping(mongoc_client_t *client, bson_error_t *error)
{
	bson_t cmd = BSON_INITIALIZER;
	BSON_APPEND_INT32(&cmd, "ping", 1);
	bool ok = mongoc_client_command_simple(client, "admin", &cmd, NULL,
					       NULL, error);
	bson_destroy(&cmd);
	return ok;
}
