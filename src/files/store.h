/* Uploaded files, stored in the database itself so that it stays the one
 * source of truth and a mongodump holds them too:
 *   files              {_id: 24 hex, name, mime, ext, size, sha256 (hex),
 *                       chunk_size, chunks, created_at, owner_kind, owner_id}
 *   file_chunks_<id>   {_id: "<id>:<n>" (n on 6 digits, from 0), data}
 * Each file's chunks have a collection of their own, read with one cursor
 * and no filter: FerretDB 1.24's SQLite backend never uses its _id index
 * (it queries _ferretdb_sjson->'$._id', the index is on ->"_id"), so a
 * lookup by _id in one shared chunk collection would parse every chunk
 * of every file. This way reading a file costs O(its size) on both
 * backends, and deleting one is a drop. nginx serves the bytes from a
 * local cache that file_store_materialize fills.
 * Ids are checked to be 24 lowercase hex characters before any use, so
 * no id from a request ever becomes anything but a file or collection
 * name of ours. */
#ifndef COUSILAB_FILE_STORE_H
#define COUSILAB_FILE_STORE_H

#include <bson/bson.h>
#include <stdbool.h>
#include <stddef.h>

#include "files/sniff.h"

struct arena;
typedef struct _mongoc_client_t mongoc_client_t;

#define FILE_CHUNK_SIZE (255 * 1024)

/* error->domain of the store's own failures; the others are libmongoc's. */
#define FILE_STORE_ERROR 0x46494c45u
enum {
	FILE_STORE_EARG = 1, /* bad name or size */
	FILE_STORE_EIO,      /* reading the upload or writing the cache */
	FILE_STORE_EDATA,    /* stored data missing or not matching its metadata */
};

/* Returns true when id is 24 lowercase hex characters. Pure. */
bool file_id_valid(const char *id);

/* Streams the size bytes of the file at path into the store, one chunk at
 * a time (~2 chunks of heap; at most 999999 chunks), then writes its metadata: name (the
 * original UTF-8 name, for Content-Disposition), type's mime and ext,
 * owner_kind and owner_id: the feature and the thing that hold the file,
 * which decide who may read it (files/owner.h). The metadata is written last, so a file is visible only once
 * complete. Returns the new id (in a), or NULL with error set: then the
 * chunks written so far have been dropped. */
const char *file_store_put(mongoc_client_t *client, const char *dbname, struct arena *a,
			   const char *path, size_t size, const char *name, enum file_type type,
			   const char *owner_kind, const char *owner_id, bson_error_t *error);

/* Makes sure cache_dir/<id> holds the file's bytes, copying them chunk by
 * chunk (a few in memory at a time, in whatever order the database gives
 * them) into a temp file of cache_dir that is checked against the stored
 * size and SHA-256, synced and renamed into place: a reader never sees a
 * partial file, and concurrent callers (threads or processes) are safe.
 * Creates cache_dir (one level) when missing. A cached copy is trusted
 * without reading the database: the caller reads the metadata anyway, to
 * check rights. Returns 0, 1 when there is no such file (or id is not an
 * id), -1 on error (error set). */
int file_store_materialize(mongoc_client_t *client, const char *dbname, const char *id,
			   const char *cache_dir, bson_error_t *error);

/* Reads file id's bytes in order, one chunk at a time (a few chunks of
 * heap), and hands each to sink(ctx, data, len), which returns false to
 * stop (its reader went away). meta is the file's metadata
 * (file_store_meta). The chunks are checked against the metadata as they
 * come, and the SHA-256 at the end: a mismatch (error set) then means the
 * sink got bytes that were not the file's, and the caller must make its
 * output fail. Returns 0, 1 when the sink stopped, -1 with error set. */
int file_store_stream(mongoc_client_t *client, const char *dbname, const bson_t *meta,
		      bool (*sink)(void *ctx, const void *data, size_t len), void *ctx,
		      bson_error_t *error);

/* Returns a new copy of the metadata document of id (caller destroys), or
 * NULL: then error->code is 0 when there is simply no such file. */
bson_t *file_store_meta(mongoc_client_t *client, const char *dbname, const char *id,
			bson_error_t *error);

/* Deletes the metadata of id first (the file is gone for readers at once),
 * then drops its chunks. Cached copies are the caller's to remove.
 * Returns 0, 1 when there is no such file, -1 on error (error set; the
 * chunks may be left behind, in a collection no metadata names). */
int file_store_delete(mongoc_client_t *client, const char *dbname, const char *id,
		      bson_error_t *error);

/* Returns the RFC 6266 Content-Disposition value for a file named name
 * (UTF-8): attachment (or inline); filename="<ASCII fallback>";
 * filename*=UTF-8''<percent-encoded name>. The fallback keeps printable
 * ASCII, drops accents from Latin letters and turns anything else, and
 * quotes, backslashes and '%', into '_'. An empty or NULL name becomes
 * "fichier"; invalid UTF-8 gets no filename*. Allocated in a. */
const char *file_content_disposition(struct arena *a, const char *name, bool inline_);

#endif
