#include "files/store.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mongoc/mongoc.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/fold.h"
#include "core/io.h"
#include "core/log.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "db/doc.h"

enum {
	ID_LEN = 24,
	CHUNK_ID_LEN = ID_LEN + 1 + 6, /* "<id>:<n>" */
	CHUNKS_MAX = 999999,
	SHA_HEX = crypto_hash_sha256_BYTES * 2 + 1,
	CHUNK_SIZE_MAX = 15 * 1024 * 1024, /* below the 16 MiB document limit */
	BATCH = 4,                         /* chunks per reply when reading */
	NS_NOT_FOUND = 26,
};

#define FILES "files"

bool file_id_valid(const char *id)
{
	size_t n = 0;
	for (; id && n <= ID_LEN && id[n]; n++)
		if (!((id[n] >= '0' && id[n] <= '9') || (id[n] >= 'a' && id[n] <= 'f')))
			return false;
	return n == ID_LEN && !id[n];
}

/* Returns a new handle on the chunk collection of file id (valid). */
static mongoc_collection_t *chunks_of(mongoc_client_t *client, const char *dbname, const char *id)
{
	char name[sizeof("file_chunks_") + ID_LEN];
	snprintf(name, sizeof(name), "file_chunks_%s", id);
	return mongoc_client_get_collection(client, dbname, name);
}

/* Drops the chunks of file id, a missing collection included. Returns
 * false with error set. */
static bool drop_chunks(mongoc_client_t *client, const char *dbname, const char *id,
			bson_error_t *error)
{
	mongoc_collection_t *c = chunks_of(client, dbname, id);
	bool ok = mongoc_collection_drop(c, error);
	if (!ok && error->code == NS_NOT_FOUND) {
		memset(error, 0, sizeof(*error));
		ok = true;
	}
	mongoc_collection_destroy(c);
	return ok;
}

/* Deletes the metadata of file id. Returns false with error set (a
 * missing document is no failure). */
static bool delete_meta(mongoc_client_t *client, const char *dbname, const char *id,
			bson_error_t *error)
{
	mongoc_collection_t *c = mongoc_client_get_collection(client, dbname, FILES);
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(id));
	bool ok = mongoc_collection_delete_one(c, filter, NULL, NULL, error);
	bson_destroy(filter);
	mongoc_collection_destroy(c);
	return ok;
}

static void sha256_hex(crypto_hash_sha256_state *sha, char hex[SHA_HEX])
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(sha, digest);
	sodium_bin2hex(hex, SHA_HEX, digest, sizeof(digest));
}

/* Copies the size bytes of fd into chunks of file id, hashing them into
 * hex. Returns the number of chunks written, or -1 with error set. */
static int64_t put_chunks(mongoc_client_t *client, const char *dbname, const char *id, int fd,
			  size_t size, char hex[SHA_HEX], bson_error_t *error)
{
	crypto_hash_sha256_state sha;
	crypto_hash_sha256_init(&sha);
	mongoc_collection_t *c = chunks_of(client, dbname, id);
	uint8_t *buf = xmalloc(FILE_CHUNK_SIZE);
	bool ok = true;
	int64_t n = 0;
	for (size_t done = 0; ok && done < size; n++) {
		size_t len = size - done < FILE_CHUNK_SIZE ? size - done : FILE_CHUNK_SIZE;
		if (!io_read_at(fd, buf, len, (off_t)done)) {
			bson_set_error(error, FILE_STORE_ERROR, FILE_STORE_EIO,
				       "upload shorter than %zu bytes or unreadable", size);
			ok = false;
			break;
		}
		char cid[CHUNK_ID_LEN + 1];
		snprintf(cid, sizeof(cid), "%s:%06lld", id, (long long)n);
		bson_t doc = BSON_INITIALIZER;
		BSON_APPEND_UTF8(&doc, "_id", cid);
		BSON_APPEND_BINARY(&doc, "data", BSON_SUBTYPE_BINARY, buf, (uint32_t)len);
		ok = mongoc_collection_insert_one(c, &doc, NULL, NULL, error);
		bson_destroy(&doc);
		crypto_hash_sha256_update(&sha, buf, len);
		done += len;
	}
	sha256_hex(&sha, hex);
	free(buf);
	mongoc_collection_destroy(c);
	return ok ? n : -1;
}

const char *file_store_put(mongoc_client_t *client, const char *dbname, struct arena *a,
			   const char *path, size_t size, const char *name, enum file_type type,
			   const char *owner_kind, const char *owner_id, bson_error_t *error)
{
	memset(error, 0, sizeof(*error));
	if (!name || !utf8_valid(name, strlen(name)) ||
	    size > (size_t)CHUNKS_MAX * FILE_CHUNK_SIZE) {
		bson_set_error(error, FILE_STORE_ERROR, FILE_STORE_EARG,
			       "file name not UTF-8 or file too large");
		return NULL;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		bson_set_error(error, FILE_STORE_ERROR, FILE_STORE_EIO, "open upload: %s",
			       strerror(errno));
		return NULL;
	}
	const char *id = doc_new_id(a);
	char sha[SHA_HEX];
	int64_t chunks = put_chunks(client, dbname, id, fd, size, sha, error);
	bool ok = chunks >= 0;
	close(fd);
	if (ok) {
		const struct file_kind_info *k = file_type_info(type);
		bson_t *meta = BCON_NEW(
			"_id", BCON_UTF8(id), "name", BCON_UTF8(name), "mime", BCON_UTF8(k->mime),
			"ext", BCON_UTF8(k->ext), "size", BCON_INT64((int64_t)size), "sha256",
			BCON_UTF8(sha), "chunk_size", BCON_INT32(FILE_CHUNK_SIZE), "chunks",
			BCON_INT64(chunks), "created_at", BCON_DATE_TIME(doc_now_ms()),
			"owner_kind", BCON_UTF8(owner_kind ? owner_kind : ""), "owner_id",
			BCON_UTF8(owner_id ? owner_id : ""));
		mongoc_collection_t *c = mongoc_client_get_collection(client, dbname, FILES);
		ok = mongoc_collection_insert_one(c, meta, NULL, NULL, error);
		mongoc_collection_destroy(c);
		bson_destroy(meta);
		if (ok)
			return id;
	}
	/* A timed-out write may still have landed: the metadata too. */
	bson_error_t e;
	if (!delete_meta(client, dbname, id, &e) || !drop_chunks(client, dbname, id, &e))
		log_error(NULL, "file %s: cleanup after a failed upload: %s", id, e.message);
	return NULL;
}

bson_t *file_store_meta(mongoc_client_t *client, const char *dbname, const char *id,
			bson_error_t *error)
{
	memset(error, 0, sizeof(*error));
	if (!file_id_valid(id))
		return NULL;
	mongoc_collection_t *c = mongoc_client_get_collection(client, dbname, FILES);
	bson_t *found = doc_find_id_in(c, id, error);
	mongoc_collection_destroy(c);
	return found;
}

/* What materialize needs from the metadata, checked for consistency. */
struct layout {
	const char *id;
	int64_t size, chunk_size, chunks;
	char sha256[SHA_HEX];
};

static bool read_layout(const bson_t *meta, struct layout *l)
{
	bson_iter_t it;
	l->size = doc_int(meta, "size", -1);
	l->chunk_size = doc_int(meta, "chunk_size", 0);
	l->chunks = doc_int(meta, "chunks", -1);
	if (!bson_iter_init_find(&it, meta, "sha256") || !BSON_ITER_HOLDS_UTF8(&it) ||
	    strlen(bson_iter_utf8(&it, NULL)) != SHA_HEX - 1)
		return false;
	memcpy(l->sha256, bson_iter_utf8(&it, NULL), SHA_HEX);
	return l->size >= 0 && l->chunk_size > 0 && l->chunk_size <= CHUNK_SIZE_MAX &&
	       l->chunks <= CHUNKS_MAX &&
	       l->chunks == (l->size + l->chunk_size - 1) / l->chunk_size;
}

/* Returns the index of chunk doc of the file l, or -1 when its _id is
 * not "<id>:<6 digits>" with an index below l->chunks. */
static int64_t chunk_index(const bson_t *doc, const struct layout *l)
{
	bson_iter_t it;
	if (!bson_iter_init_find(&it, doc, "_id") || !BSON_ITER_HOLDS_UTF8(&it))
		return -1;
	uint32_t len;
	const char *cid = bson_iter_utf8(&it, &len);
	if (len != CHUNK_ID_LEN || memcmp(cid, l->id, ID_LEN) || cid[ID_LEN] != ':')
		return -1;
	int64_t n = 0;
	for (const char *p = cid + ID_LEN + 1; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		n = n * 10 + (*p - '0');
	}
	return n < l->chunks ? n : -1;
}

/* Writes chunk doc of the file l at its place in fd, once. Returns false
 * with error set. */
static bool place_chunk(const bson_t *doc, const struct layout *l, uint8_t *seen, int fd,
			bson_error_t *error)
{
	int64_t n = chunk_index(doc, l);
	bson_iter_t it;
	const uint8_t *data = NULL;
	uint32_t len = 0;
	if (n >= 0 && bson_iter_init_find(&it, doc, "data") && BSON_ITER_HOLDS_BINARY(&it))
		bson_iter_binary(&it, NULL, &len, &data);
	int64_t left = n >= 0 ? l->size - n * l->chunk_size : 0;
	if (!data || seen[n / 8] & (1 << (n % 8)) ||
	    len != (left < l->chunk_size ? left : l->chunk_size)) {
		bson_set_error(error, FILE_STORE_ERROR, FILE_STORE_EDATA,
			       "file %s: unexpected chunk", l->id);
		return false;
	}
	seen[n / 8] |= (uint8_t)(1 << (n % 8));
	if (!io_write_at(fd, data, len, (off_t)(n * l->chunk_size))) {
		bson_set_error(error, FILE_STORE_ERROR, FILE_STORE_EIO, "write cache: %s",
			       strerror(errno));
		return false;
	}
	return true;
}

/* Returns true when the first l->size bytes of fd hash to l->sha256, else
 * false with error set. Chunks may come in any order: the hash is taken
 * once they are all in place. */
static bool sha256_matches(int fd, const struct layout *l, bson_error_t *error)
{
	uint8_t buf[64 * 1024];
	crypto_hash_sha256_state sha;
	crypto_hash_sha256_init(&sha);
	for (int64_t done = 0; done < l->size;) {
		size_t len = l->size - done < (int64_t)sizeof(buf) ? (size_t)(l->size - done)
								   : sizeof(buf);
		if (!io_read_at(fd, buf, len, (off_t)done)) {
			bson_set_error(error, FILE_STORE_ERROR, FILE_STORE_EIO, "read cache: %s",
				       strerror(errno));
			return false;
		}
		crypto_hash_sha256_update(&sha, buf, len);
		done += (int64_t)len;
	}
	char hex[SHA_HEX];
	sha256_hex(&sha, hex);
	if (strcmp(hex, l->sha256)) {
		bson_set_error(error, FILE_STORE_ERROR, FILE_STORE_EDATA,
			       "file %s: SHA-256 mismatch", l->id);
		return false;
	}
	return true;
}

/* Writes the file l into fd, from one scan of its chunk collection, and
 * checks its SHA-256. Returns false with error set. */
static bool copy_file(mongoc_client_t *client, const char *dbname, const struct layout *l, int fd,
		      bson_error_t *error)
{
	mongoc_collection_t *c = chunks_of(client, dbname, l->id);
	bson_t filter = BSON_INITIALIZER;
	bson_t *opts = BCON_NEW("batchSize", BCON_INT32(BATCH));
	mongoc_cursor_t *cur = mongoc_collection_find_with_opts(c, &filter, opts, NULL);
	uint8_t *seen = xcalloc((size_t)l->chunks / 8 + 1, 1);
	int64_t count = 0;
	const bson_t *doc;
	bool ok = true;
	while (ok && mongoc_cursor_next(cur, &doc))
		ok = place_chunk(doc, l, seen, fd, error) && ++count;
	if (ok && mongoc_cursor_error(cur, error))
		ok = false;
	free(seen);
	mongoc_cursor_destroy(cur);
	bson_destroy(opts);
	mongoc_collection_destroy(c);
	if (ok && count != l->chunks) {
		bson_set_error(error, FILE_STORE_ERROR, FILE_STORE_EDATA,
			       "file %s: %lld of %lld chunks", l->id, (long long)count,
			       (long long)l->chunks);
		return false;
	}
	return ok && sha256_matches(fd, l, error);
}

int file_store_stream(mongoc_client_t *client, const char *dbname, const bson_t *meta,
		      bool (*sink)(void *ctx, const void *data, size_t len), void *ctx,
		      bson_error_t *error)
{
	memset(error, 0, sizeof(*error));
	bson_iter_t id_it;
	struct layout l = {0};
	if (bson_iter_init_find(&id_it, meta, "_id") && BSON_ITER_HOLDS_UTF8(&id_it))
		l.id = bson_iter_utf8(&id_it, NULL);
	if (!l.id || !file_id_valid(l.id) || !read_layout(meta, &l)) {
		bson_set_error(error, FILE_STORE_ERROR, FILE_STORE_EDATA,
			       "file %s: inconsistent metadata", l.id ? l.id : "?");
		return -1;
	}
	/* In _id order ("<id>:<6 digits>"): a file's own collection is small,
	 * so sorting it is cheap on both backends. */
	mongoc_collection_t *c = chunks_of(client, dbname, l.id);
	bson_t filter = BSON_INITIALIZER;
	bson_t *opts = BCON_NEW("batchSize", BCON_INT32(BATCH), "sort", "{", "_id", BCON_INT32(1),
				"}");
	mongoc_cursor_t *cur = mongoc_collection_find_with_opts(c, &filter, opts, NULL);
	crypto_hash_sha256_state sha;
	crypto_hash_sha256_init(&sha);
	int64_t next = 0;
	int rc = 0;
	const bson_t *doc;
	while (rc == 0 && mongoc_cursor_next(cur, &doc)) {
		bson_iter_t it;
		const uint8_t *data = NULL;
		uint32_t len = 0;
		if (chunk_index(doc, &l) == next && bson_iter_init_find(&it, doc, "data") &&
		    BSON_ITER_HOLDS_BINARY(&it))
			bson_iter_binary(&it, NULL, &len, &data);
		int64_t left = l.size - next * l.chunk_size;
		if (!data || len != (left < l.chunk_size ? left : l.chunk_size)) {
			bson_set_error(error, FILE_STORE_ERROR, FILE_STORE_EDATA,
				       "file %s: chunk %lld missing or out of order", l.id,
				       (long long)next);
			rc = -1;
			break;
		}
		crypto_hash_sha256_update(&sha, data, len);
		next++;
		if (!sink(ctx, data, len))
			rc = 1;
	}
	if (rc == 0 && mongoc_cursor_error(cur, error))
		rc = -1;
	mongoc_cursor_destroy(cur);
	bson_destroy(opts);
	mongoc_collection_destroy(c);
	if (rc)
		return rc;
	char hex[SHA_HEX];
	sha256_hex(&sha, hex);
	if (next != l.chunks || strcmp(hex, l.sha256)) {
		bson_set_error(error, FILE_STORE_ERROR, FILE_STORE_EDATA,
			       "file %s: %lld of %lld chunks, or SHA-256 mismatch", l.id,
			       (long long)next, (long long)l.chunks);
		return -1;
	}
	return 0;
}

/* Copies file id, described by meta, into a temp file tmp of its cache
 * directory and renames it to path. Returns 0, or -1 with error set. */
static int fill_cache(mongoc_client_t *client, const char *dbname, const char *id,
		      const bson_t *meta, const char *path, char *tmp, bson_error_t *error)
{
	struct layout l = {.id = id};
	if (!read_layout(meta, &l)) {
		bson_set_error(error, FILE_STORE_ERROR, FILE_STORE_EDATA,
			       "file %s: inconsistent metadata", id);
		return -1;
	}
	int fd = mkstemp(tmp), rc = -1;
	if (fd < 0) {
		bson_set_error(error, FILE_STORE_ERROR, FILE_STORE_EIO, "cache %s: %s", tmp,
			       strerror(errno));
		return -1;
	}
	if (copy_file(client, dbname, &l, fd, error)) {
		/* nginx may run as another user; synced before the rename so
		 * a crash never leaves a short file under the final name */
		if (fchmod(fd, 0644) || fdatasync(fd) || rename(tmp, path))
			bson_set_error(error, FILE_STORE_ERROR, FILE_STORE_EIO, "cache %s: %s",
				       path, strerror(errno));
		else
			rc = 0;
	}
	close(fd);
	if (rc)
		unlink(tmp);
	return rc;
}

static bool is_cached(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int file_store_materialize(mongoc_client_t *client, const char *dbname, const char *id,
			   const char *cache_dir, bson_error_t *error)
{
	memset(error, 0, sizeof(*error));
	if (!file_id_valid(id))
		return 1;
	char path[PATH_MAX], tmp[PATH_MAX], lock[PATH_MAX];
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", cache_dir, id) >= sizeof(tmp)) {
		bson_set_error(error, FILE_STORE_ERROR, FILE_STORE_EARG, "cache dir too long");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", cache_dir, id);
	snprintf(lock, sizeof(lock), "%s/.%s.lock", cache_dir, id);
	if (is_cached(path))
		return 0;
	if (mkdir(cache_dir, 0755) && errno != EEXIST) {
		bson_set_error(error, FILE_STORE_ERROR, FILE_STORE_EIO, "cache %s: %s", cache_dir,
			       strerror(errno));
		return -1;
	}
	/* The lock only spares the database a stampede on a big file: the
	 * temp file and rename keep concurrent copies correct without it. */
	int lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lock_fd >= 0 && flock(lock_fd, LOCK_EX)) {
		close(lock_fd);
		lock_fd = -1;
	}
	int rc = 0;
	if (!is_cached(path)) { /* not done while we waited */
		bson_t *meta = file_store_meta(client, dbname, id, error);
		rc = meta          ? fill_cache(client, dbname, id, meta, path, tmp, error)
		     : error->code ? -1
				   : 1;
		bson_destroy(meta);
	}
	if (lock_fd >= 0) {
		unlink(lock);
		close(lock_fd);
	}
	return rc;
}

int file_store_delete(mongoc_client_t *client, const char *dbname, const char *id,
		      bson_error_t *error)
{
	bson_t *meta = file_store_meta(client, dbname, id, error);
	if (!meta)
		return error->code ? -1 : 1;
	bson_destroy(meta);
	if (!delete_meta(client, dbname, id, error) || !drop_chunks(client, dbname, id, error))
		return -1;
	return 0;
}

/* ---- Content-Disposition ------------------------------------------ */

/* Appends to o the ASCII stand-in for the character c[0..n) of a file
 * name and returns the new end. */
static char *fallback_char(struct arena *a, char *o, const unsigned char *c, size_t n)
{
	if (n == 1) {
		bool plain = *c >= 0x20 && *c < 0x7f && *c != '"' && *c != '\\' && *c != '%';
		*o++ = plain ? (char)*c : '_';
		return o;
	}
	char one[5] = {0};
	memcpy(one, c, n);
	const char *f = text_fold(a, one);
	if ((unsigned char)*f >= 0x80) {
		*o++ = '_';
		return o;
	}
	/* À..Þ, Œ, Ÿ: keep the capital */
	unsigned cp = n == 2 ? (unsigned)(c[0] & 0x1f) << 6 | (c[1] & 0x3f) : 0;
	bool upper = (cp >= 0xc0 && cp <= 0xde) || cp == 0x152 || cp == 0x178;
	for (size_t i = 0; f[i]; i++)
		*o++ = i == 0 && upper && f[i] >= 'a' && f[i] <= 'z' ? (char)(f[i] - 32) : f[i];
	return o;
}

static bool is_attr_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$&+-.^_`|~", c));
}

const char *file_content_disposition(struct arena *a, const char *name, bool inline_)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!name || !*name)
		name = "fichier";
	size_t len = strlen(name);
	bool utf8 = utf8_valid(name, len);
	/* the fallback never outgrows the name, the encoding triples it */
	char *out = arena_alloc(a, 4 * len + 64), *o = out;
	o += sprintf(o, "%s; filename=\"", inline_ ? "inline" : "attachment");
	for (const char *p = name, *end = name + len; p < end;) {
		size_t n = (unsigned char)*p < 0x80 ? 1 : utf8_char_len(p, (size_t)(end - p));
		if (!n) {
			*o++ = '_';
			p++;
			continue;
		}
		o = fallback_char(a, o, (const unsigned char *)p, n);
		p += n;
	}
	*o++ = '"';
	if (utf8) {
		o += sprintf(o, "; filename*=UTF-8''");
		for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
			if (is_attr_char(*p)) {
				*o++ = (char)*p;
			} else {
				*o++ = '%';
				*o++ = hex[*p >> 4];
				*o++ = hex[*p & 15];
			}
		}
	}
	*o = '\0';
	return out;
}
