#include "practices/catalogue.h"

#include <errno.h>
#include <mongoc/mongoc.h>
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "accounts/organisation.h"
#include "core/app.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/blobfile.h"
#include "core/buf.h"
#include "core/log.h"
#include "db/cache.h"
#include "db/db.h"
#include "db/doc.h"
#include "core/xalloc.h"
#include "http/page_cache.h"
#include "http/request.h"
#include "practices/themes.h"

/* Writes of one host are seen by another within this much clock skew. */
enum { CLOCK_MARGIN_MS = 5000 };

/* "catalogue_changes": one small document per write, _id "<ms, 13
 * digits>-<random>", so readers fetch what changed from a collection that
 * stays tiny (the janitor purges it) instead of scanning the practices. */
#define CHANGES "catalogue_changes"

/* The scratch file is rewritten once at least this much of it, and half
 * of it, is replaced text. */
enum { BLOB_DEAD_MIN = 16 * 1024 * 1024 };

struct catalogue {
	pthread_rwlock_t lock; /* guards the maps and blobs */
	/* The texts live in a scratch file, not the heap: at 10,000
	 * practices they weigh 35 MB, which the kernel's page cache holds. */
	struct blobfile *blobs;
	const char *cache_dir; /* where blobs lives ($COUSILAB_CACHE_DIR) */
	uint64_t dead;         /* bytes of blobs no map points to */
	json_t *docs;          /* id → location of the practice's compact JSON */
	json_t *cards;         /* id → location of its list card's */
	json_t *slugs;         /* slug → id */
	json_t *slug_of;       /* id → slug, so forgetting one costs O(1) */
	struct search_index *index;
	pthread_mutex_t refresh; /* one refresher at a time */
	bool loaded;
	bool background;   /* the refresher runs: readers never sync */
	char stamp[33];    /* the last stamp synced to */
	int64_t synced_ms; /* DB changes before this are in */
	int64_t checked_ms;
};

static struct catalogue cat = {
	.lock = PTHREAD_RWLOCK_INITIALIZER,
	.refresh = PTHREAD_MUTEX_INITIALIZER,
};

/* Returns ms since the epoch for an ISO 8601 UTC string, or 0. */
static int64_t iso_ms(const char *s)
{
	struct tm tm = {0};
	if (!s || !strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm))
		return 0;
	return (int64_t)timegm(&tm) * 1000;
}

/* Returns the strings of a JSON array as an arena array; *n its size. */
static const char **strings(struct arena *a, const json_t *array, size_t *n)
{
	*n = json_array_size(array);
	const char **out = arena_alloc(a, (*n + 1) * sizeof(char *));
	for (size_t i = 0; i < *n; i++)
		out[i] = json_string_value(json_array_get(array, i));
	return out;
}

/* What a practice's codes name: organisations by code (with their
 * region) and the list of themes, owned by the loading context's arena. */
struct entry_names {
	json_t *orgs, *themes;
};

/* Returns the names of p's themes and organisations joined by spaces, in
 * arena a: they are searched as words of the practice ("RGPD"). */
static const char *labels_of(struct arena *a, const struct practice_entry *e,
			     const struct entry_names *names)
{
	struct buf text = BUF_INIT;
	for (size_t i = 0; i < e->n_themes; i++) {
		buf_puts(&text, json_str(theme_in(names->themes, e->themes[i]), "name"));
		buf_putc(&text, ' ');
	}
	for (size_t i = 0; i < e->n_orgs; i++) {
		buf_puts(&text,
			 json_str(json_object_get(names->orgs, e->organisations[i]), "name"));
		buf_putc(&text, ' ');
	}
	const char *out = arena_strdup(a, text.data ? text.data : "");
	buf_free(&text);
	return out;
}

/* Fills e from practice p; regions and labels come from its codes. */
static void entry_of(struct arena *a, const json_t *p, const struct entry_names *names,
		     struct practice_entry *e)
{
	json_t *orgs = names->orgs;
	*e = (struct practice_entry){0};
	e->id = json_str(p, "_id");
	e->title = json_str(p, "title");
	e->summary = json_str(p, "summary");
	e->description = json_str(p, "description");
	e->maturity = json_str(p, "maturity");
	e->themes = strings(a, json_object_get(p, "themes"), &e->n_themes);
	e->branches = strings(a, json_object_get(p, "branches"), &e->n_branches);
	e->organisations = strings(a, json_object_get(p, "organisation_ids"), &e->n_orgs);
	const char **regions = arena_alloc(a, (e->n_orgs + 1) * sizeof(char *));
	for (size_t i = 0; i < e->n_orgs; i++) {
		const char *r = json_str(json_object_get(orgs, e->organisations[i]), "region");
		bool seen = !*r;
		for (size_t j = 0; j < e->n_regions && !seen; j++)
			seen = strcmp(regions[j], r) == 0;
		if (!seen)
			regions[e->n_regions++] = r;
	}
	e->regions = regions;
	e->labels_text = labels_of(a, e, names);
	json_t *toolbox = json_object_get(p, "toolbox"), *res;
	size_t i;
	struct buf text = BUF_INIT;
	json_array_foreach(toolbox, i, res) {
		buf_puts(&text, json_str(res, "title"));
		buf_putc(&text, ' ');
	}
	e->toolbox_text = arena_strdup(a, text.data ? text.data : "");
	buf_free(&text);
	e->has_toolbox = json_array_size(toolbox) > 0;
	e->published_ms = iso_ms(json_str(p, "published_at"));
	e->reuse_count = (int)json_integer_value(json_object_get(p, "reuse_count"));
}

/* The fields a list or search result shows: parsing these instead of the
 * whole document keeps a page of twenty cheap. */
static const char *const CARD_FIELDS[] = {
	"_id",
	"slug",
	"title",
	"summary",
	"maturity",
	"published_at",
	"published_at_fr",
	"themes",
	"organisation_ids",
	"branches",
	"reuse_count",
};

/* Returns the compact card of p (heap string, caller frees). */
static char *card_text(const json_t *p)
{
	json_t *card = json_object();
	for (size_t i = 0; i < sizeof(CARD_FIELDS) / sizeof(*CARD_FIELDS); i++) {
		json_t *v = json_object_get(p, CARD_FIELDS[i]);
		if (v)
			json_object_set(card, CARD_FIELDS[i], v);
	}
	json_object_set_new(card, "has_toolbox",
			    json_boolean(json_array_size(json_object_get(p, "toolbox")) > 0));
	char *text = json_dumps(card, JSON_COMPACT);
	json_decref(card);
	return text;
}

/* Removes id from map, counting its text as dead; caller holds the
 * write lock. */
static void forget_in(json_t *map, const char *id)
{
	json_t *loc = json_object_get(map, id);
	if (loc)
		cat.dead += blob_len(json_integer_value(loc));
	json_object_del(map, id);
}

/* Removes id from the maps; caller holds the write lock. */
static void forget(const char *id)
{
	json_t *slug = json_object_get(cat.slug_of, id);
	if (slug) {
		const char *owner = json_str(cat.slugs, json_string_value(slug));
		if (strcmp(owner, id) == 0)
			json_object_del(cat.slugs, json_string_value(slug));
		json_object_del(cat.slug_of, id);
	}
	forget_in(cat.docs, id);
	forget_in(cat.cards, id);
}

/* Appends text to blobs and points map's id at it. Returns 0 or -1. */
static int keep_text(struct blobfile *blobs, json_t *map, const char *id, const char *text)
{
	blob_loc loc = blobfile_put(blobs, text, strlen(text));
	if (loc < 0)
		return -1;
	json_object_set_new(map, id, json_integer(loc));
	return 0;
}

/* Copies the texts of map into fresh, their new locations in moved[]
 * from *n on. Returns 0 or -1. */
static int copy_texts(json_t *map, struct blobfile *fresh, blob_loc *moved, size_t *n)
{
	const char *id;
	json_t *loc;
	json_object_foreach(map, id, loc) {
		size_t len;
		char *text = blobfile_get(cat.blobs, json_integer_value(loc), &len);
		moved[*n] = text ? blobfile_put(fresh, text, len) : -1;
		free(text);
		if (moved[(*n)++] < 0)
			return -1;
	}
	return 0;
}

/* Copies what the maps point to into a new blob file once most of the
 * current one is dead; caller holds the write lock. Returns 0 or -1 (the
 * current file and every location stay as they were). */
static int compact(void)
{
	if (cat.dead < BLOB_DEAD_MIN || cat.dead < blobfile_size(cat.blobs) / 2)
		return 0;
	struct blobfile *fresh = blobfile_open(cat.cache_dir);
	if (!fresh)
		return -1;
	json_t *maps[] = {cat.docs, cat.cards};
	blob_loc *moved = xmalloc((json_object_size(cat.docs) + json_object_size(cat.cards) + 1) *
				  sizeof(*moved));
	size_t n = 0;
	if (copy_texts(maps[0], fresh, moved, &n) || copy_texts(maps[1], fresh, moved, &n)) {
		free(moved);
		blobfile_close(fresh);
		return -1;
	}
	n = 0;
	for (size_t m = 0; m < 2; m++) {
		const char *id;
		json_t *loc;
		json_object_foreach(maps[m], id, loc)
			json_integer_set(loc, moved[n++]);
	}
	free(moved);
	blobfile_close(cat.blobs);
	cat.blobs = fresh;
	cat.dead = 0;
	return 0;
}

/* Puts practice p in the catalogue if published, else takes it out.
 * Returns 0, or -1 when its text could not be stored (it is left out). */
static int apply_doc(struct db_ctx *db, const json_t *p, const struct entry_names *names)
{
	const char *id = json_str(p, "_id");
	bool published = strcmp(json_str(p, "status"), "published") == 0;
	char *text = published ? json_dumps(p, JSON_COMPACT) : NULL;
	char *card = published ? card_text(p) : NULL;
	pthread_rwlock_wrlock(&cat.lock);
	forget(id);
	if (published && (keep_text(cat.blobs, cat.docs, id, text) ||
			  keep_text(cat.blobs, cat.cards, id, card))) {
		log_error(db->log_id, "catalogue: cannot store practice %s: %s", id,
			  strerror(errno));
		forget(id);
		published = false;
	} else if (published) {
		json_object_set_new(cat.slugs, json_str(p, "slug"), json_string(id));
		json_object_set_new(cat.slug_of, id, json_string(json_str(p, "slug")));
	}
	if (compact())
		log_error(db->log_id, "catalogue: cannot compact its scratch file: %s",
			  strerror(errno));
	pthread_rwlock_unlock(&cat.lock);
	free(card);
	free(text);
	if (published) {
		struct practice_entry e;
		entry_of(db->arena, p, names, &e);
		practice_index_put(cat.index, &e);
	} else {
		search_index_remove(cat.index, id);
	}
	page_cache_bump();
	return text && !published ? -1 : 0;
}

/* Loads the practices matching filter (destroyed here) into the
 * catalogue. Returns how many, or -1. */
static long load_where(struct db_ctx *db, bson_t *filter, bson_error_t *error)
{
	struct entry_names names = {arena_json(db->arena, organisations_by_code(db, error)), NULL};
	if (names.orgs)
		names.themes = arena_json(db->arena, themes_all(db, error));
	if (!names.themes) {
		bson_destroy(filter);
		return -1;
	}
	mongoc_cursor_t *c = mongoc_collection_find_with_opts(db_collection(db, "practices"),
							      filter, NULL, NULL);
	const bson_t *doc;
	long n = 0;
	bool stored = true;
	while (mongoc_cursor_next(c, &doc)) {
		json_t *p = doc_to_json(doc);
		stored &= apply_doc(db, p, &names) == 0;
		json_decref(p);
		n++;
	}
	bool failed = mongoc_cursor_error(c, error);
	if (!failed && !stored) {
		bson_set_error(error, DB_ERROR_DOMAIN_COUSILAB, DB_ERROR_LOCAL,
			       "the catalogue's scratch file is not writable");
		failed = true;
	}
	mongoc_cursor_destroy(c);
	bson_destroy(filter);
	return failed ? -1 : n;
}

/* Reloads the practices written since the last sync (minus the clock
 * margin; reloading twice is harmless). Returns how many, or -1. */
static long load_changes(struct db_ctx *db, bson_error_t *error)
{
	char since[32];
	snprintf(since, sizeof(since), "%013lld", (long long)(cat.synced_ms - CLOCK_MARGIN_MS));
	bson_t *filter = BCON_NEW("_id", "{", "$gt", BCON_UTF8(since), "}");
	mongoc_cursor_t *c = mongoc_collection_find_with_opts(db_collection(db, CHANGES), filter,
							      NULL, NULL);
	const bson_t *doc;
	json_t *ids = arena_json(db->arena, json_object());
	while (mongoc_cursor_next(c, &doc)) {
		const char *id = doc_string(db->arena, doc, "practice_id");
		if (id)
			json_object_set_new(ids, id, json_true());
	}
	bool failed = mongoc_cursor_error(c, error);
	mongoc_cursor_destroy(c);
	bson_destroy(filter);
	long n = 0;
	const char *id;
	json_t *ignored;
	/* A bulk load logs "*": everything may have changed. */
	if (!failed && json_object_get(ids, CATALOGUE_ALL))
		return load_where(db, BCON_NEW("status", BCON_UTF8("published")), error);
	json_object_foreach(ids, id, ignored) {
		long got = failed ? -1 : load_where(db, BCON_NEW("_id", BCON_UTF8(id)), error);
		failed |= got < 0;
		n += got > 0 ? got : 0;
	}
	return failed ? -1 : n;
}

/* Refreshes under cat.refresh, the scratch file in cache_dir (the
 * process's setting, which outlives the catalogue). */
static int refresh(struct db_ctx *db, const char *cache_dir, int64_t now, bson_error_t *error)
{
	char stamp[33];
	if (cache_stamp_read(db, "catalogue", stamp, error))
		return -1;
	__atomic_store_n(&cat.checked_ms, now, __ATOMIC_RELAXED);
	if (cat.loaded && strcmp(stamp, cat.stamp) == 0)
		return 0;
	cat.cache_dir = cache_dir;
	if (!cat.blobs && !(cat.blobs = blobfile_open(cache_dir))) {
		bson_set_error(error, DB_ERROR_DOMAIN_COUSILAB, DB_ERROR_LOCAL,
			       "cannot create the catalogue's scratch file in %s: %s", cache_dir,
			       strerror(errno));
		return -1;
	}
	if (!cat.index) {
		cat.index = practice_index_new();
		cat.docs = json_object();
		cat.cards = json_object();
		cat.slugs = json_object();
		cat.slug_of = json_object();
	}
	long n = cat.loaded ? load_changes(db, error)
			    : load_where(db, BCON_NEW("status", BCON_UTF8("published")), error);
	if (n < 0)
		return -1;
	if (!cat.loaded)
		log_info(db->log_id, "catalogue: %ld published practices loaded", n);
	cat.synced_ms = now;
	__atomic_store_n(&cat.loaded, true, __ATOMIC_RELEASE);
	memcpy(cat.stamp, stamp, sizeof(stamp));
	return 0;
}

int catalogue_sync(struct request *req, bson_error_t *error)
{
	memset(error, 0, sizeof(*error));
	int64_t now = doc_now_ms();
	if (__atomic_load_n(&cat.loaded, __ATOMIC_ACQUIRE) &&
	    (__atomic_load_n(&cat.background, __ATOMIC_RELAXED) ||
	     now - __atomic_load_n(&cat.checked_ms, __ATOMIC_RELAXED) < CATALOGUE_CHECK_MS))
		return 0;
	/* Someone else refreshing: serve what we have rather than wait. */
	if (cat.loaded ? pthread_mutex_trylock(&cat.refresh) != 0
		       : pthread_mutex_lock(&cat.refresh) != 0)
		return 0;
	int rc = cat.loaded && now - cat.checked_ms < CATALOGUE_CHECK_MS
			 ? 0
			 : refresh(req->db, req->app->config.cache_dir, now, error);
	bool usable = cat.loaded;
	pthread_mutex_unlock(&cat.refresh);
	if (rc && usable) {
		log_error(req->request_id, "catalogue: serving the last copy: %s", error->message);
		return 0;
	}
	return rc;
}

int catalogue_fresh(struct request *req)
{
	bson_error_t error;
	return catalogue_sync(req, &error);
}

/* Returns the parsed entry of map for id_or_slug (new reference) or NULL. */
static json_t *lookup(struct request *req, json_t **map, const char *id_or_slug)
{
	bson_error_t error;
	if (catalogue_sync(req, &error) || !id_or_slug)
		return NULL;
	json_t *out = NULL;
	pthread_rwlock_rdlock(&cat.lock);
	json_t *id = json_object_get(cat.slugs, id_or_slug);
	json_t *loc = json_object_get(*map, id ? json_string_value(id) : id_or_slug);
	size_t n;
	char *text = loc ? blobfile_get(cat.blobs, json_integer_value(loc), &n) : NULL;
	pthread_rwlock_unlock(&cat.lock);
	if (text)
		out = json_loadb(text, n, 0, NULL);
	else if (loc)
		log_error(req->request_id, "catalogue: cannot read a practice back: %s",
			  strerror(errno));
	free(text);
	return out;
}

json_t *catalogue_get(struct request *req, const char *id_or_slug)
{
	return lookup(req, &cat.docs, id_or_slug);
}

json_t *catalogue_card(struct request *req, const char *id)
{
	return lookup(req, &cat.cards, id);
}

int catalogue_search(struct request *req, const struct practice_query *q, struct search_result *out)
{
	bson_error_t error;
	if (catalogue_sync(req, &error)) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	uint64_t started = now_us();
	int rc = practice_index_run(cat.index, q, req->arena, out);
	uint64_t took = now_us() - started;
	req->search_us += took ? took : 1;
	return rc;
}

size_t catalogue_size(struct request *req)
{
	bson_error_t error;
	return catalogue_sync(req, &error) ? 0 : search_index_size(cat.index);
}

int catalogue_changed(struct db_ctx *db, const char *id, bson_error_t *error)
{
	unsigned char raw[16];
	char stamp[33];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(stamp, sizeof(stamp), raw, sizeof(raw));
	int64_t now = doc_now_ms();
	bson_t *change = BCON_NEW(
		"_id", BCON_UTF8(arena_printf(db->arena, "%013lld-%s", (long long)now, stamp)),
		"practice_id", BCON_UTF8(id), "at", BCON_DATE_TIME(now));
	bool logged = mongoc_collection_insert_one(db_collection(db, CHANGES), change, NULL, NULL,
						   error);
	bson_destroy(change);
	if (!logged || doc_upsert_id(db, "meta", "version:catalogue",
				     BCON_NEW("$set", "{", "stamp", BCON_UTF8(stamp), "at",
					      BCON_DATE_TIME(now), "}"),
				     error))
		return -1;
	/* This process sees its own write at once; the stamp is not adopted,
	 * so changes made elsewhere meanwhile are still fetched. */
	pthread_mutex_lock(&cat.refresh);
	long n = !cat.loaded ? 0
		 : strcmp(id, CATALOGUE_ALL) == 0
			 ? load_where(db, BCON_NEW("status", BCON_UTF8("published")), error)
			 : load_where(db, BCON_NEW("_id", BCON_UTF8(id)), error);
	pthread_mutex_unlock(&cat.refresh);
	return n < 0 ? -1 : 0;
}

int catalogue_refresh(struct db_ctx *db, const char *cache_dir)
{
	__atomic_store_n(&cat.background, true, __ATOMIC_RELAXED);
	bson_error_t error;
	pthread_mutex_lock(&cat.refresh);
	int rc = refresh(db, cache_dir, doc_now_ms(), &error);
	bool loaded = cat.loaded;
	pthread_mutex_unlock(&cat.refresh);
	if (rc)
		log_error(NULL, "catalogue: %s: %s",
			  loaded ? "serving the last copy" : "not loaded yet", error.message);
	return rc;
}
