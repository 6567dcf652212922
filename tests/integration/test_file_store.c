/* The file store on the test stack's database: a 3 MB file goes in by
 * chunks, comes back byte for byte into a cache directory (from several
 * threads at once), and goes away. */
#include <dirent.h>
#include <fcntl.h>
#include <mongoc/mongoc.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "db/db.h"
#include "db/doc.h"
#include "files/store.h"
#include "support.h"

enum { SIZE = 3 * 1024 * 1024 + 12345, THREADS = 4 };

struct fx {
	char dir[64];
	char upload[96];
	unsigned char *bytes;
	struct db *db;
	mongoc_client_t *client;
	struct arena *a;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char err[256];
	mongoc_init();
	strcpy(f->dir, "/tmp/cousilab-store-XXXXXX");
	if (sodium_init() < 0 || !mkdtemp(f->dir) ||
	    !(f->db = db_open(test_db_uri(), THREADS + 1, err, sizeof(err))))
		return -1;
	f->client = mongoc_client_pool_pop(f->db->pool);
	f->a = arena_new();
	f->bytes = malloc(SIZE);
	randombytes_buf(f->bytes, SIZE);
	snprintf(f->upload, sizeof(f->upload), "%s/upload", f->dir);
	int fd = open(f->upload, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, f->bytes, SIZE) != SIZE || close(fd))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	int rc = system(cmd);
	arena_free(f->a);
	mongoc_client_pool_push(f->db->pool, f->client);
	db_close(f->db);
	free(f->bytes);
	free(f);
	return rc;
}

/* Returns the path of name in the fixture's directory (arena). */
static const char *in_dir(struct fx *f, const char *name)
{
	return arena_printf(f->a, "%s/%s", f->dir, name);
}

static void assert_file_is_upload(struct fx *f, const char *path)
{
	FILE *in = fopen(path, "rb");
	assert_non_null(in);
	unsigned char *got = malloc(SIZE + 1);
	assert_int_equal(fread(got, 1, SIZE + 1, in), SIZE);
	fclose(in);
	assert_memory_equal(got, f->bytes, SIZE);
	free(got);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
}

static size_t dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	size_t n = 0;
	assert_non_null(d);
	for (struct dirent *e; (e = readdir(d));)
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

/* Returns how many file chunk collections the database has. */
static int chunk_collections(struct fx *f)
{
	bson_error_t error;
	mongoc_database_t *d = mongoc_client_get_database(f->client, f->db->name);
	char **names = mongoc_database_get_collection_names_with_opts(d, NULL, &error);
	assert_non_null(names);
	int n = 0;
	for (char **p = names; *p; p++)
		n += !strncmp(*p, "file_chunks_", 12);
	bson_strfreev(names);
	mongoc_database_destroy(d);
	return n;
}

struct job {
	struct fx *f;
	const char *id, *cache;
	int rc;
};

static void *materialize_job(void *arg)
{
	struct job *j = arg;
	bson_error_t error;
	mongoc_client_t *client = mongoc_client_pool_pop(j->f->db->pool);
	j->rc = file_store_materialize(client, j->f->db->name, j->id, j->cache, &error);
	if (j->rc)
		fprintf(stderr, "materialize: %s\n", error.message);
	mongoc_client_pool_push(j->f->db->pool, client);
	return NULL;
}

static void put_materialize_delete(void **state)
{
	struct fx *f = *state;
	bson_error_t error;
	const char *db = f->db->name;
	int collections = chunk_collections(f);
	const char *id = file_store_put(f->client, db, f->a, f->upload, SIZE,
					"Guide du télétravail.pdf", FILE_PDF, "practice", "owner-1",
					&error);
	if (!id)
		fail_msg("put: %s", error.message);
	assert_true(file_id_valid(id));

	bson_t *meta = file_store_meta(f->client, db, id, &error);
	assert_non_null(meta);
	unsigned char digest[crypto_hash_sha256_BYTES];
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
	crypto_hash_sha256(digest, f->bytes, SIZE);
	sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
	assert_string_equal(doc_string(f->a, meta, "sha256"), hex);
	assert_string_equal(doc_string(f->a, meta, "name"), "Guide du télétravail.pdf");
	assert_string_equal(doc_string(f->a, meta, "mime"), "application/pdf");
	assert_string_equal(doc_string(f->a, meta, "ext"), "pdf");
	assert_string_equal(doc_string(f->a, meta, "owner_id"), "owner-1");
	assert_int_equal(doc_int(meta, "size", 0), SIZE);
	assert_int_equal(doc_int(meta, "chunk_size", 0), FILE_CHUNK_SIZE);
	assert_int_equal(doc_int(meta, "chunks", 0), SIZE / FILE_CHUNK_SIZE + 1);
	bson_destroy(meta);

	/* one reader, then a cached copy needing no database */
	const char *cache = in_dir(f, "cache");
	assert_int_equal(file_store_materialize(f->client, db, id, cache, &error), 0);
	assert_file_is_upload(f, arena_printf(f->a, "%s/%s", cache, id));
	assert_int_equal(file_store_materialize(NULL, db, id, cache, &error), 0);

	/* concurrent readers: one complete file, no temp file left */
	const char *shared = in_dir(f, "shared");
	struct job jobs[THREADS];
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++) {
		jobs[i] = (struct job){.f = f, .id = id, .cache = shared};
		assert_int_equal(pthread_create(&t[i], NULL, materialize_job, &jobs[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(jobs[i].rc, 0);
	}
	assert_file_is_upload(f, arena_printf(f->a, "%s/%s", shared, id));
	assert_int_equal(dir_entries(shared), 1);

	assert_int_equal(file_store_delete(f->client, db, id, &error), 0);
	assert_null(file_store_meta(f->client, db, id, &error));
	assert_int_equal(error.code, 0);
	assert_int_equal(chunk_collections(f), collections);
	assert_int_equal(file_store_materialize(f->client, db, id, in_dir(f, "after"), &error), 1);
	assert_int_equal(file_store_delete(f->client, db, id, &error), 1);
}

static void failed_put_leaves_nothing(void **state)
{
	struct fx *f = *state;
	bson_error_t error;
	int collections = chunk_collections(f);
	long long files = mongo_count("files", "{}");
	/* announced longer than it is: fails after some chunks */
	assert_null(file_store_put(f->client, f->db->name, f->a, f->upload, SIZE + 1, "a.pdf",
				   FILE_PDF, "practice", "owner-1", &error));
	assert_int_equal(error.domain, FILE_STORE_ERROR);
	assert_int_equal(chunk_collections(f), collections);
	assert_int_equal(mongo_count("files", "{}"), files);
	assert_null(file_store_put(f->client, f->db->name, f->a, f->upload, SIZE, "bad\xff.pdf",
				   FILE_PDF, "practice", "owner-1", &error));
	assert_null(file_store_put(f->client, f->db->name, f->a, in_dir(f, "missing"), 1, "a.pdf",
				   FILE_PDF, "practice", "owner-1", &error));
	assert_int_equal(error.code, FILE_STORE_EIO);
}

static void ids_never_become_paths(void **state)
{
	struct fx *f = *state;
	bson_error_t error;
	const char *bad[] = {"../../etc/passwd", "0123456789abcdef0123456/", "", "*",
			     "0123456789ABCDEF01234567"};
	const char *cache = in_dir(f, "ids");
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		assert_int_equal(
			file_store_materialize(f->client, f->db->name, bad[i], cache, &error), 1);
		assert_null(file_store_meta(f->client, f->db->name, bad[i], &error));
		assert_int_equal(error.code, 0);
		assert_int_equal(file_store_delete(f->client, f->db->name, bad[i], &error), 1);
	}
	struct stat st;
	assert_int_equal(stat(cache, &st), -1); /* not even the cache was made */
}

/* A file is served only through the read check its owner's feature
 * registered (files/owner.h): one of a kind no feature registered is
 * nobody's, not even an administrator's. */
static void unclaimed_owner_kind_is_nobodys(void **state)
{
	struct fx *f = *state;
	bson_error_t error;
	const char *id = file_store_put(f->client, f->db->name, f->a, f->upload, SIZE,
					"Dossier.pdf", FILE_PDF, "nobody-registered",
					"0123456789abcdef01234567", &error);
	if (!id)
		fail_msg("put: %s", error.message);
	struct sess *admin = sess_signed_in("owner-kind", "Alice Admin", "admin",
					    "correct horse battery staple");
	char path[96];
	snprintf(path, sizeof(path), "/fichiers/%s/Dossier.pdf", id);
	struct http_reply r;
	assert_int_equal(sess_get(admin, path, &r), 0);
	assert_int_equal(r.status, 404);
	http_reply_free(&r);
	sess_free(admin);
	assert_int_equal(file_store_delete(f->client, f->db->name, id, &error), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(put_materialize_delete),
		cmocka_unit_test(failed_put_leaves_nothing),
		cmocka_unit_test(ids_never_become_paths),
		cmocka_unit_test(unclaimed_owner_kind_is_nobodys),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
