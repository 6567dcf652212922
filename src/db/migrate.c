#include "db/migrate.h"

#include <ctype.h>
#include <dirent.h>
#include <jansson.h>
#include <mongoc/mongoc.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/xalloc.h"
#include "db/db.h"

enum { MAX_MIGRATIONS = 1000, MAX_FILE = 32 * 1024 * 1024 };

struct migration {
	char *name;
	char *text;
	size_t len;
	char sha256[crypto_hash_sha256_BYTES * 2 + 1];
};

bool migration_name_valid(const char *name)
{
	size_t n = strlen(name);
	if (n < 11 || strcmp(name + n - 5, ".json") != 0)
		return false;
	for (int i = 0; i < 4; i++)
		if (!isdigit((unsigned char)name[i]))
			return false;
	if (name[4] != '_')
		return false;
	for (size_t i = 5; i < n - 5; i++)
		if (!islower((unsigned char)name[i]) && !isdigit((unsigned char)name[i]) &&
		    name[i] != '_')
			return false;
	return true;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct migration *)a)->name, ((const struct migration *)b)->name);
}

/* Reads path fully; returns a NUL-terminated heap copy (caller frees) or
 * NULL. */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct buf b = BUF_INIT;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && b.len <= MAX_FILE)
		buf_append(&b, chunk, n);
	bool failed = ferror(f) || b.len > MAX_FILE;
	fclose(f);
	if (failed) {
		buf_free(&b);
		return NULL;
	}
	*len = b.len;
	return b.data ? b.data : xstrdup("");
}

/* Loads every valid migration file of dir, sorted. Returns the count or
 * -1; *out is a heap array the caller frees with free_migrations. */
static int load_migrations(const char *dir, struct migration **out)
{
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "migrate: cannot open %s\n", dir);
		return -1;
	}
	struct migration *list = xcalloc(MAX_MIGRATIONS, sizeof(*list));
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < MAX_MIGRATIONS) {
		if (e->d_name[0] == '.')
			continue;
		if (!migration_name_valid(e->d_name)) {
			fprintf(stderr, "migrate: ignoring %s (expected NNNN_name.json)\n",
				e->d_name);
			continue;
		}
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		struct migration *m = &list[n];
		m->text = read_file(path, &m->len);
		if (!m->text) {
			fprintf(stderr, "migrate: cannot read %s\n", path);
			closedir(d);
			*out = list;
			return -1;
		}
		m->name = xstrdup(e->d_name);
		unsigned char hash[crypto_hash_sha256_BYTES];
		crypto_hash_sha256(hash, (const unsigned char *)m->text, m->len);
		sodium_bin2hex(m->sha256, sizeof(m->sha256), hash, sizeof(hash));
		n++;
	}
	closedir(d);
	qsort(list, (size_t)n, sizeof(*list), by_name);
	*out = list;
	return n;
}

static void free_migrations(struct migration *list)
{
	for (int i = 0; list && i < MAX_MIGRATIONS && list[i].name; i++) {
		free(list[i].name);
		free(list[i].text);
	}
	free(list);
}

/* Returns the recorded checksum of name (heap, caller frees), NULL when
 * the migration was never applied; sets *failed on a database error. */
static char *recorded_sha(mongoc_collection_t *log, const char *name, bool *failed)
{
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(name));
	mongoc_cursor_t *c = mongoc_collection_find_with_opts(log, filter, NULL, NULL);
	const bson_t *doc;
	char *sha = NULL;
	bson_iter_t it;
	if (mongoc_cursor_next(c, &doc) && bson_iter_init_find(&it, doc, "sha256") &&
	    BSON_ITER_HOLDS_UTF8(&it))
		sha = xstrdup(bson_iter_utf8(&it, NULL));
	bson_error_t error;
	if (mongoc_cursor_error(c, &error)) {
		fprintf(stderr, "migrate: reading the migrations log: %s\n", error.message);
		*failed = true;
	}
	mongoc_cursor_destroy(c);
	bson_destroy(filter);
	return sha;
}

/* Returns true when a command reply reports no write error. */
static bool reply_clean(const bson_t *reply, const char *name, size_t index)
{
	bson_iter_t it;
	if (bson_iter_init_find(&it, reply, "writeErrors") ||
	    bson_iter_init_find(&it, reply, "writeConcernError")) {
		char *json = bson_as_relaxed_extended_json(reply, NULL);
		fprintf(stderr, "migrate: %s, command %zu: %s\n", name, index, json);
		bson_free(json);
		return false;
	}
	return true;
}

/* Runs the code step named by cmd's "cousilab_step" from steps. Returns
 * 0 or -1. */
static int run_step(mongoc_database_t *database, const struct migration *m, const json_t *cmd,
		    const struct migrate_step *steps)
{
	const char *name = json_string_value(json_object_get(cmd, "cousilab_step"));
	for (; steps && steps->name && name; steps++)
		if (strcmp(steps->name, name) == 0)
			return steps->run(database);
	fprintf(stderr, "migrate: %s: no code step named %s\n", m->name, name ? name : "(none)");
	return -1;
}

/* Runs every command of one migration. Returns 0 or -1. */
static int apply(mongoc_database_t *database, const struct migration *m,
		 const struct migrate_step *steps)
{
	json_error_t jerr;
	json_t *commands = json_loadb(m->text, m->len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_array(commands)) {
		fprintf(stderr, "migrate: %s: expected a JSON array of commands (%s, line %d)\n",
			m->name, commands ? "not an array" : jerr.text, jerr.line);
		json_decref(commands);
		return -1;
	}
	size_t i;
	json_t *cmd;
	int rc = 0;
	json_array_foreach(commands, i, cmd) {
		if (json_object_get(cmd, "cousilab_step")) {
			rc = run_step(database, m, cmd, steps);
			if (rc)
				break;
			continue;
		}
		/* Through libbson's parser so Extended JSON ($date, $oid)
		 * keeps its types. */
		char *text = json_dumps(cmd, JSON_COMPACT);
		bson_error_t error;
		bson_t *command = text ? bson_new_from_json((const uint8_t *)text, -1, &error)
				       : NULL;
		free(text);
		if (!command) {
			fprintf(stderr, "migrate: %s, command %zu: %s\n", m->name, i,
				error.message);
			rc = -1;
			break;
		}
		bson_t reply;
		bool ok = mongoc_database_command_with_opts(database, command, NULL, NULL, &reply,
							    &error);
		bson_destroy(command);
		if (!ok)
			fprintf(stderr, "migrate: %s, command %zu: %s\n", m->name, i,
				error.message);
		ok = ok && reply_clean(&reply, m->name, i);
		bson_destroy(&reply);
		if (!ok) {
			rc = -1;
			break;
		}
	}
	json_decref(commands);
	return rc;
}

/* Checks every recorded migration against its file. Returns the number of
 * changed files, or -1 on a database error; fills applied[i]. */
static int check_recorded(mongoc_collection_t *log, const struct migration *list, int n,
			  bool *applied)
{
	int changed = 0;
	for (int i = 0; i < n; i++) {
		bool failed = false;
		char *sha = recorded_sha(log, list[i].name, &failed);
		if (failed)
			return -1;
		applied[i] = sha != NULL;
		if (sha && strcmp(sha, list[i].sha256) != 0) {
			fprintf(stderr,
				"migrate: %s has changed since it was applied "
				"(recorded sha256 %s, file %s). Applied migrations "
				"must never be edited: add a new one instead.\n",
				list[i].name, sha, list[i].sha256);
			changed++;
		}
		free(sha);
	}
	return changed;
}

static int record(mongoc_collection_t *log, const struct migration *m)
{
	bson_t *doc = BCON_NEW("_id", BCON_UTF8(m->name), "sha256", BCON_UTF8(m->sha256),
			       "applied_at", BCON_DATE_TIME((int64_t)time(NULL) * 1000));
	bson_error_t error;
	bool ok = mongoc_collection_insert_one(log, doc, NULL, NULL, &error);
	if (!ok)
		fprintf(stderr, "migrate: recording %s: %s\n", m->name, error.message);
	bson_destroy(doc);
	return ok ? 0 : -1;
}

int migrate_run(struct db *db, const char *dir, const struct migrate_step *steps)
{
	struct migration *list = NULL;
	int n = load_migrations(dir, &list);
	if (n < 0) {
		free_migrations(list);
		return -1;
	}
	mongoc_client_t *client = mongoc_client_pool_pop(db->pool);
	mongoc_database_t *database = mongoc_client_get_database(client, db->name);
	mongoc_collection_t *log = mongoc_client_get_collection(client, db->name, "migrations");
	bool *applied = xcalloc((size_t)n + 1, sizeof(bool));
	int rc = check_recorded(log, list, n, applied) == 0 ? 0 : -1;
	int done = 0;
	for (int i = 0; rc == 0 && i < n; i++) {
		if (applied[i])
			continue;
		rc = apply(database, &list[i], steps) || record(log, &list[i]) ? -1 : 0;
		if (rc == 0) {
			printf("migrate: applied %s\n", list[i].name);
			done++;
		}
	}
	if (rc == 0)
		printf("migrate: %d applied, %d already up to date\n", done, n - done);
	free(applied);
	mongoc_collection_destroy(log);
	mongoc_database_destroy(database);
	mongoc_client_pool_push(db->pool, client);
	free_migrations(list);
	return rc;
}
