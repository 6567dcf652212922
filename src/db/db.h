/* The database: one libmongoc client pool per process; each request pops
 * a client on first use and pushes it back when it ends. */
#ifndef COUSILAB_DB_H
#define COUSILAB_DB_H

#include <bson/bson.h>
#include <stdbool.h>

struct request;
typedef struct _mongoc_client_t mongoc_client_t;
typedef struct _mongoc_client_pool_t mongoc_client_pool_t;
typedef struct _mongoc_collection_t mongoc_collection_t;

#define DB_DEFAULT_URI "mongodb://127.0.0.1:27018/cousilab"

struct db {
	mongoc_client_pool_t *pool;
	char *name; /* database name from the URI, "cousilab" by default */
};

/* Opens a pool for uri (NULL: $MONGODB_URI, else DB_DEFAULT_URI), adding
 * tight timeouts the URI does not set itself. Returns NULL with a message
 * in err. Does not connect yet. The caller owns the result (db_close). */
struct db *db_open(const char *uri, size_t max_clients, char *err,
		   size_t errlen);
void db_close(struct db *db);

/* Returns the request's client, popping it from the pool on first use;
 * the request gives it back when it ends. Never NULL. */
mongoc_client_t *db_client(struct request *req);

/* Returns the database's name (borrowed from the app). */
const char *db_name(struct request *req);

/* Returns a new handle on collection name for the request; freed with
 * the request. */
mongoc_collection_t *db_collection(struct request *req, const char *name);

/* Our own error domain: a write refused because the document changed
 * since it was read (optimistic concurrency: db_fail answers 409), or a
 * local resource that failed on the way (a file: 500). */
enum { DB_ERROR_DOMAIN_COUSILAB = 10000, DB_ERROR_CONFLICT = 1, DB_ERROR_LOCAL = 2 };

/* Returns true when error means the server could not be reached (the
 * reply should be 503) rather than a bug (500). */
bool db_error_is_outage(const bson_error_t *error);

/* Logs error with context and replies 503 (outage), 409 (conflict) or
 * 500 as fits. */
void db_fail(struct request *req, const char *what, const bson_error_t *error);

/* Returns true when the server answers a ping within the pool's timeouts. */
bool db_ping(mongoc_client_t *client, bson_error_t *error);

#endif
