/* The database: one libmongoc client pool per process. Whoever talks to
 * the database (a request, a CLI command, a background thread) holds a
 * database context that pops a client on first use and pushes it back when
 * the context's arena is freed. db/ knows nothing of HTTP.
 *
 * Outages: a monitor thread (db/monitor.h) owns the database's state. While
 * it says the server is down, requests get their client from a second pool
 * whose server selection gives up at once, so every database call fails
 * immediately with a server-selection error instead of waiting for the
 * server: the circuit breaker. The monitor's probe closes it again. */
#ifndef COUSILAB_DB_H
#define COUSILAB_DB_H

#include <bson/bson.h>
#include <stdbool.h>

struct arena;
struct db_monitor;
typedef struct _mongoc_client_t mongoc_client_t;
typedef struct _mongoc_client_pool_t mongoc_client_pool_t;
typedef struct _mongoc_collection_t mongoc_collection_t;
typedef struct _mongoc_uri_t mongoc_uri_t;

#define DB_DEFAULT_URI "mongodb://127.0.0.1:27018/cousilab"

struct db {
	mongoc_client_pool_t *pool;
	/* Same server, with a server selection timeout of 1 ms: lent to
	 * requests while the monitor says the server is down. */
	mongoc_client_pool_t *fail_fast;
	mongoc_uri_t *uri;          /* with our timeouts: the monitor's probe */
	char *name;                 /* database name from the URI, "cousilab" by default */
	struct db_monitor *monitor; /* NULL unless db_monitor_start ran */
};

/* Opens the pools for uri (NULL: $MONGODB_URI, else DB_DEFAULT_URI),
 * adding tight timeouts the URI does not set itself. Returns NULL with a
 * message in err. Does not connect yet. The caller owns the result
 * (db_close, after db_monitor_stop). */
struct db *db_open(const char *uri, size_t max_clients, char *err, size_t errlen);
void db_close(struct db *db);

/* One user of the database: a request, a CLI command or a background
 * thread. Allocated in arena (db_ctx_new); what it pops or opens is given
 * back when the arena is freed. */
struct db_ctx {
	struct db *db;           /* the pools (shared) */
	const char *name;        /* database name (borrowed from db) */
	mongoc_client_t *client; /* popped on first use */
	struct arena *arena;     /* owns the context and its handles */
	const char *log_id;      /* request id, or the name of the thread */
};

/* Returns a context on db for the owner of arena, allocated in arena.
 * log_id (borrowed, must outlive arena) tags the log lines. */
struct db_ctx *db_ctx_new(struct db *db, struct arena *arena, const char *log_id);

/* Returns a context on db with an arena of its own, for a command or a
 * migration step: what it allocates lives until db_ctx_close (the caller
 * owns it). log_id (borrowed) tags the log lines. */
struct db_ctx *db_ctx_open(struct db *db, const char *log_id);
void db_ctx_close(struct db_ctx *ctx);

/* Returns the context's client, popping it on first use from the pool,
 * or from the fail-fast pool while the database is down; it goes back when
 * the context's arena is freed. Never NULL. */
mongoc_client_t *db_client(struct db_ctx *ctx);

/* Returns the database's name (borrowed from the pools). */
const char *db_name(struct db_ctx *ctx);

/* Returns a new handle on collection name; freed with the context's
 * arena. */
mongoc_collection_t *db_collection(struct db_ctx *ctx, const char *name);

/* Our own error domain: a write refused because the document changed
 * since it was read (optimistic concurrency: db_fail answers 409), a
 * local resource that failed on the way (a file: 500), or a change-log
 * record already purged (db/changelog.h: its reader reloads). */
enum {
	DB_ERROR_DOMAIN_COUSILAB = 10000,
	DB_ERROR_CONFLICT = 1,
	DB_ERROR_LOCAL = 2,
	DB_ERROR_GONE = 3
};

/* What a failed database call means for the caller's answer. */
enum db_error_kind {
	DB_KIND_OUTAGE,   /* the server could not be reached: 503, try later */
	DB_KIND_CONFLICT, /* the document changed since it was read: 409 */
	DB_KIND_BUG,      /* anything else: a logged 500 */
};

/* Returns the kind of error. Pure: no I/O, no logging. */
enum db_error_kind db_error_kind(const bson_error_t *error);

/* Returns true when error means the server could not be reached. */
bool db_error_is_outage(const bson_error_t *error);

/* Returns true when the server answers a ping within the client's
 * timeouts. */
bool db_ping(mongoc_client_t *client, bson_error_t *error);

#endif
