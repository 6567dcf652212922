#include "files/store.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mongoc/mongoc.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/fold.h"
#include "core/log.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "db/doc.h"

enum {
	ID_LEN = 24,
	CHUNK_ID_MAX = ID_LEN + 1 + 20 + 1, /* "<id>:<n>" */
	SHA_HEX = crypto_hash_sha256_BYTES * 2 + 1,
	CHUNK_SIZE_MAX = 15 * 1024 * 1024, /* below the 16 MiB document limit */
};

#define FILES "files"
#define CHUNKS "file_chunks"

bool file_id_valid(const char *id)
{
	size_t n = 0;
	for (; id && n <= ID_LEN && id[n]; n++)
		if (!((id[n] >= '0' && id[n] <= '9') || (id[n] >= 'a' && id[n] <= 'f')))
			return false;
	return n == ID_LEN && !id[n];
}

static void chunk_id(char out[CHUNK_ID_MAX], const char *id, int64_t n)
{
	snprintf(out, CHUNK_ID_MAX, "%s:%06lld", id, (long long)n);
}

/* Deletes the document of collection with _id id. Returns false with
 * error set on failure (a missing document is no failure). */
static bool delete_id(mongoc_client_t *client, const char *dbname, const char *collection,
		      const char *id, bson_error_t *error)
{
	mongoc_collection_t *c = mongoc_client_get_collection(client, dbname, collection);
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(id));
	bool ok = mongoc_collection_delete_one(c, filter, NULL, NULL, error);
	bson_destroy(filter);
	mongoc_collection_destroy(c);
	return ok;
}

/* Deletes chunks [0, n) of file id, all of them even after a failure.
 * Returns false with error set (the first failure) if any failed. */
static bool delete_chunks(mongoc_client_t *client, const char *dbname, const char *id,
			  int64_t n, bson_error_t *error)
{
	bool ok = true;
	bson_error_t e;
	for (int64_t i = 0; i < n; i++) {
		char cid[CHUNK_ID_MAX];
		chunk_id(cid, id, i);
		if (!delete_id(client, dbname, CHUNKS, cid, &e) && ok) {
			*error = e;
			ok = false;
		}
	}
	return ok;
}

/* Reads exactly n bytes at off of fd. Returns false on error or EOF. */
static bool read_at(int fd, uint8_t *p, size_t n, off_t off)
{
	while (n) {
		ssize_t r = pread(fd, p, n, off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		p += r;
		n -= (size_t)r;
		off += r;
	}
	return true;
}

static bool write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t r = write(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		p += r;
		n -= (size_t)r;
	}
	return true;
}

/* Inserts chunk n of file id. Returns false with error set. */
static bool put_chunk(mongoc_collection_t *c, const char *id, int64_t n, const uint8_t *data,
		      size_t len, bson_error_t *error)
{
	char cid[CHUNK_ID_MAX];
	chunk_id(cid, id, n);
	bson_t doc = BSON_INITIALIZER;
	BSON_APPEND_UTF8(&doc, "_id", cid);
	BSON_APPEND_BINARY(&doc, "data", BSON_SUBTYPE_BINARY, data, (uint32_t)len);
	bool ok = mongoc_collection_insert_one(c, &doc, NULL, NULL, error);
	bson_destroy(&doc);
	return ok;
}

/* Copies the size bytes of fd into chunks of file id, hashing them into
 * sha_hex. Returns the number of chunks attempted (written, or failed
 * last) and whether all went well in *ok. */
static int64_t put_chunks(mongoc_client_t *client, const char *dbname, const char *id, int fd,
			  size_t size, char sha_hex[SHA_HEX], bool *ok, bson_error_t *error)
{
	mongoc_collection_t *c = mongoc_client_get_collection(client, dbname, CHUNKS);
	uint8_t *buf = xmalloc(FILE_CHUNK_SIZE);
	crypto_hash_sha256_state sha;
	crypto_hash_sha256_init(&sha);
	int64_t n = 0;
	*ok = true;
	for (size_t done = 0; *ok && done < size; n++) {
		size_t len = size - done < FILE_CHUNK_SIZE ? size - done : FILE_CHUNK_SIZE;
		if (!read_at(fd, buf, len, (off_t)done)) {
			bson_set_error(error, FILE_STORE_ERROR, FILE_STORE_EIO,
				       "upload shorter than %zu bytes or unreadable", size);
			*ok = false;
		} else if (!put_chunk(c, id, n, buf, len, error)) {
			*ok = false;
		} else {
			crypto_hash_sha256_update(&sha, buf, len);
			done += len;
		}
	}
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&sha, digest);
	sodium_bin2hex(sha_hex, SHA_HEX, digest, sizeof(digest));
	free(buf);
	mongoc_collection_destroy(c);
	return n;
}

const char *file_store_put(mongoc_client_t *client, const char *dbname, struct arena *a,
			   const char *path, size_t size, const char *name,
			   enum file_type type, const char *owner_id, bson_error_t *error)
{
	memset(error, 0, sizeof(*error));
	if (!name || !utf8_valid(name, strlen(name)) || size > INT64_MAX) {
		bson_set_error(error, FILE_STORE_ERROR, FILE_STORE_EARG,
			       "file name not UTF-8 or size too large");
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
	bool ok;
	int64_t chunks = put_chunks(client, dbname, id, fd, size, sha, &ok, error);
	close(fd);
	if (ok) {
		const struct file_kind_info *k = file_type_info(type);
		bson_t *meta = BCON_NEW("_id", BCON_UTF8(id), "name", BCON_UTF8(name),
					"mime", BCON_UTF8(k->mime), "ext", BCON_UTF8(k->ext),
					"size", BCON_INT64((int64_t)size), "sha256", BCON_UTF8(sha),
					"chunk_size", BCON_INT32(FILE_CHUNK_SIZE),
					"chunks", BCON_INT64(chunks),
					"created_at", BCON_DATE_TIME(doc_now_ms()),
					"owner_id", BCON_UTF8(owner_id ? owner_id : ""));
		mongoc_collection_t *c = mongoc_client_get_collection(client, dbname, FILES);
		ok = mongoc_collection_insert_one(c, meta, NULL, NULL, error);
		mongoc_collection_destroy(c);
		bson_destroy(meta);
		if (ok)
			return id;
	}
	/* A timed-out write may still have landed: the metadata too. */
	bson_error_t e;
	if (!delete_id(client, dbname, FILES, id, &e) ||
	    !delete_chunks(client, dbname, id, chunks, &e))
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
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(id));
	bson_t *opts = BCON_NEW("limit", BCON_INT64(1));
	mongoc_cursor_t *cur = mongoc_collection_find_with_opts(c, filter, opts, NULL);
	const bson_t *doc;
	bson_t *found = NULL;
	if (mongoc_cursor_next(cur, &doc))
		found = bson_copy(doc);
	else
		mongoc_cursor_error(cur, error);
	mongoc_cursor_destroy(cur);
	bson_destroy(opts);
	bson_destroy(filter);
	mongoc_collection_destroy(c);
	return found;
}

/* What materialize needs from the metadata, checked for consistency. */
struct layout {
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
	       l->chunks == (l->size + l->chunk_size - 1) / l->chunk_size;
}

/* Appends chunk n of file id, of exactly len bytes, to fd and to sha.
 * Returns false with error set. */
static bool copy_chunk(mongoc_collection_t *c, const char *id, int64_t n, size_t len, int fd,
		       crypto_hash_sha256_state *sha, bson_error_t *error)
{
	char cid[CHUNK_ID_MAX];
	chunk_id(cid, id, n);
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(cid));
	bson_t *opts = BCON_NEW("limit", BCON_INT64(1));
	mongoc_cursor_t *cur = mongoc_collection_find_with_opts(c, filter, opts, NULL);
	const bson_t *doc;
	bson_iter_t it;
	bool ok = false;
	if (!mongoc_cursor_next(cur, &doc)) {
		if (!mongoc_cursor_error(cur, error))
			bson_set_error(error, FILE_STORE_ERROR, FILE_STORE_EDATA,
				       "chunk %s missing", cid);
	} else if (!bson_iter_init_find(&it, doc, "data") || !BSON_ITER_HOLDS_BINARY(&it)) {
		bson_set_error(error, FILE_STORE_ERROR, FILE_STORE_EDATA, "chunk %s has no data",
			       cid);
	} else {
		const uint8_t *data;
		uint32_t got;
		bson_iter_binary(&it, NULL, &got, &data);
		if (got != len) {
			bson_set_error(error, FILE_STORE_ERROR, FILE_STORE_EDATA,
				       "chunk %s: %u bytes, %zu expected", cid, got, len);
		} else if (!write_all(fd, data, len)) {
			bson_set_error(error, FILE_STORE_ERROR, FILE_STORE_EIO,
				       "write cache: %s", strerror(errno));
		} else {
			crypto_hash_sha256_update(sha, data, len);
			ok = true;
		}
	}
	mongoc_cursor_destroy(cur);
	bson_destroy(opts);
	bson_destroy(filter);
	return ok;
}

/* Writes the file described by l into fd, checking its SHA-256. Returns
 * false with error set. */
static bool copy_file(mongoc_client_t *client, const char *dbname, const char *id,
		      const struct layout *l, int fd, bson_error_t *error)
{
	mongoc_collection_t *c = mongoc_client_get_collection(client, dbname, CHUNKS);
	crypto_hash_sha256_state sha;
	crypto_hash_sha256_init(&sha);
	bool ok = true;
	for (int64_t n = 0; ok && n < l->chunks; n++) {
		int64_t left = l->size - n * l->chunk_size;
		ok = copy_chunk(c, id, n, (size_t)(left < l->chunk_size ? left : l->chunk_size),
				fd, &sha, error);
	}
	mongoc_collection_destroy(c);
	unsigned char digest[crypto_hash_sha256_BYTES];
	char hex[SHA_HEX];
	crypto_hash_sha256_final(&sha, digest);
	sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
	if (ok && strcmp(hex, l->sha256)) {
		bson_set_error(error, FILE_STORE_ERROR, FILE_STORE_EDATA,
			       "file %s: SHA-256 mismatch", id);
		ok = false;
	}
	return ok;
}

int file_store_materialize(mongoc_client_t *client, const char *dbname, const char *id,
			   const char *cache_dir, bson_error_t *error)
{
	memset(error, 0, sizeof(*error));
	if (!file_id_valid(id))
		return 1;
	char path[PATH_MAX], tmp[PATH_MAX];
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", cache_dir, id) >= sizeof(tmp)) {
		bson_set_error(error, FILE_STORE_ERROR, FILE_STORE_EARG, "cache dir too long");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", cache_dir, id);
	struct stat st;
	int rc = -1, fd = -1;
	bson_t *meta = NULL;
	struct layout l;
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
		rc = 0;
	} else if (!(meta = file_store_meta(client, dbname, id, error))) {
		rc = error->code ? -1 : 1;
	} else if (!read_layout(meta, &l)) {
		bson_set_error(error, FILE_STORE_ERROR, FILE_STORE_EDATA,
			       "file %s: inconsistent metadata", id);
	} else if ((mkdir(cache_dir, 0755) && errno != EEXIST) || (fd = mkstemp(tmp)) < 0) {
		bson_set_error(error, FILE_STORE_ERROR, FILE_STORE_EIO, "cache %s: %s",
			       cache_dir, strerror(errno));
	} else if (copy_file(client, dbname, id, &l, fd, error)) {
		/* nginx may run as another user; synced before the rename so
		 * a crash never leaves a short file under the final name */
		if (fchmod(fd, 0644) || fdatasync(fd) || rename(tmp, path))
			bson_set_error(error, FILE_STORE_ERROR, FILE_STORE_EIO,
				       "cache %s: %s", path, strerror(errno));
		else
			rc = 0;
	}
	if (fd >= 0) {
		close(fd);
		if (rc)
			unlink(tmp);
	}
	bson_destroy(meta);
	return rc;
}

int file_store_delete(mongoc_client_t *client, const char *dbname, const char *id,
		      bson_error_t *error)
{
	bson_t *meta = file_store_meta(client, dbname, id, error);
	if (!meta)
		return error->code ? -1 : 1;
	int64_t chunks = doc_int(meta, "chunks", 0);
	bson_destroy(meta);
	if (!delete_id(client, dbname, FILES, id, error) ||
	    !delete_chunks(client, dbname, id, chunks, error))
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

const char *content_disposition(struct arena *a, const char *name, bool inline_)
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
