#include "db/db.h"

#include <mongoc/mongoc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/scan_watch.h"
#include "core/xalloc.h"
#include "db/monitor.h"

/* Timeouts that keep a dead database from pinning worker threads. A URI
 * may set its own (a far server may need a longer connect). */
static const struct {
	const char *option;
	int32_t value;
} DEFAULT_TIMEOUTS[] = {
	/* A call waits this long for a server the pool has lost: the first
	 * calls after a crash, before the monitor trips (each later one fails
	 * at once). Server selection never waits on a known server. */
	{MONGOC_URI_SERVERSELECTIONTIMEOUTMS, 500},
	/* A live server answers the pool's heartbeat well within this. */
	{MONGOC_URI_CONNECTTIMEOUTMS, 1000},
	/* A slow answer (a catalogue load at 50,000 practices): not an outage. */
	{MONGOC_URI_SOCKETTIMEOUTMS, 15000},
	/* Pooled clients check a lost server this often: recovery speed. */
	{MONGOC_URI_HEARTBEATFREQUENCYMS, 1000},
};

/* The request pool lost the server it writes to (a heartbeat or a call
 * failed on a connection): trip the breaker now rather than let every
 * request wait for server selection until the monitor's next probe. A
 * replica set's secondary going away trips nothing. */
static void on_topology_changed(const mongoc_apm_topology_changed_t *event)
{
	const mongoc_topology_description_t
		*was = mongoc_apm_topology_changed_get_previous_description(event);
	const mongoc_topology_description_t *now = mongoc_apm_topology_changed_get_new_description(
		event);
	if (mongoc_topology_description_has_writable_server(was) &&
	    !mongoc_topology_description_has_writable_server(now))
		db_trip(mongoc_apm_topology_changed_get_context(event), "the pool lost the server");
}

/* Returns a pool on uri with the error API we use. NULL on failure. */
static mongoc_client_pool_t *pool_new(const mongoc_uri_t *uri)
{
	mongoc_client_pool_t *pool = mongoc_client_pool_new(uri);
	if (pool)
		mongoc_client_pool_set_error_api(pool, MONGOC_ERROR_API_VERSION_2);
	return pool;
}

/* Returns uri's copy for the fail-fast pool: server selection gives up
 * after 1 ms (0 would mean the default), a connection after 250 ms. */
static mongoc_uri_t *fail_fast_uri(const mongoc_uri_t *uri)
{
	mongoc_uri_t *copy = mongoc_uri_copy(uri);
	mongoc_uri_set_option_as_int32(copy, MONGOC_URI_SERVERSELECTIONTIMEOUTMS, 1);
	mongoc_uri_set_option_as_int32(copy, MONGOC_URI_CONNECTTIMEOUTMS, 250);
	return copy;
}

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
				   ? bson_iter_utf8(&it, NULL)
				   : "";
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

struct db *db_open(const char *uri_string, size_t max_clients, char *err, size_t errlen)
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
		mongoc_uri_set_option_as_int32(uri, MONGOC_URI_MAXPOOLSIZE, (int32_t)max_clients);
	if (!mongoc_uri_has_option(uri, MONGOC_URI_APPNAME))
		mongoc_uri_set_appname(uri, "cousilab");

	struct db *db = xcalloc(1, sizeof(*db));
	const char *name = mongoc_uri_get_database(uri);
	db->name = xstrdup(name && *name ? name : "cousilab");
	db->uri = uri;
	mongoc_uri_t *fast = fail_fast_uri(uri);
	db->pool = pool_new(uri);
	db->fail_fast = pool_new(fast);
	mongoc_uri_destroy(fast);
	if (!db->pool || !db->fail_fast) {
		snprintf(err, errlen, "impossible de créer le pool de connexions");
		db_close(db);
		return NULL;
	}
	mongoc_apm_callbacks_t *callbacks = mongoc_apm_callbacks_new();
	mongoc_apm_set_topology_changed_cb(callbacks, on_topology_changed);
#ifndef NDEBUG
	mongoc_apm_set_command_started_cb(callbacks, watch_command);
#endif
	mongoc_client_pool_set_apm_callbacks(db->pool, callbacks, db);
	mongoc_apm_callbacks_destroy(callbacks);
	return db;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	if (db->pool)
		mongoc_client_pool_destroy(db->pool);
	if (db->fail_fast)
		mongoc_client_pool_destroy(db->fail_fast);
	db_monitor_stop(db);
	mongoc_uri_destroy(db->uri);
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

struct db_ctx *db_ctx_new(struct db *db, struct arena *arena, const char *log_id)
{
	struct db_ctx *ctx = arena_alloc(arena, sizeof(*ctx));
	*ctx = (struct db_ctx){.db = db, .name = db->name, .arena = arena, .log_id = log_id};
	return ctx;
}

struct db_ctx *db_ctx_open(struct db *db, const char *log_id)
{
	return db_ctx_new(db, arena_new(), log_id);
}

void db_ctx_close(struct db_ctx *ctx)
{
	if (ctx)
		arena_free(ctx->arena);
}

mongoc_client_t *db_client(struct db_ctx *ctx)
{
	if (!ctx->client) {
		struct pooled *p = arena_alloc(ctx->arena, sizeof(*p));
		p->pool = db_available(ctx->db) ? ctx->db->pool : ctx->db->fail_fast;
		p->client = mongoc_client_pool_pop(p->pool);
		arena_on_free(ctx->arena, pooled_release, p);
		ctx->client = p->client;
	}
	return ctx->client;
}

static void collection_release(void *ctx)
{
	mongoc_collection_destroy(ctx);
}

const char *db_name(struct db_ctx *ctx)
{
	return ctx->name;
}

mongoc_collection_t *db_collection(struct db_ctx *ctx, const char *name)
{
	mongoc_collection_t *c = mongoc_client_get_collection(db_client(ctx), ctx->name, name);
	arena_on_free(ctx->arena, collection_release, c);
	return c;
}

enum db_error_kind db_error_kind(const bson_error_t *error)
{
	if (error->domain == MONGOC_ERROR_SERVER_SELECTION || error->domain == MONGOC_ERROR_STREAM)
		return DB_KIND_OUTAGE;
	if (error->domain == DB_ERROR_DOMAIN_COUSILAB && error->code == DB_ERROR_CONFLICT)
		return DB_KIND_CONFLICT;
	return DB_KIND_BUG;
}

bool db_error_is_outage(const bson_error_t *error)
{
	return db_error_kind(error) == DB_KIND_OUTAGE;
}

bool db_ping(mongoc_client_t *client, bson_error_t *error)
{
	bson_t cmd = BSON_INITIALIZER;
	BSON_APPEND_INT32(&cmd, "ping", 1);
	bool ok = mongoc_client_command_simple(client, "admin", &cmd, NULL, NULL, error);
	bson_destroy(&cmd);
	return ok;
}
