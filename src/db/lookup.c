/* Lookup lists (see lookup.h): pages of ids read by _id, written under
 * revision claims. */
#include "db/lookup.h"

#include <mongoc/mongoc.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "core/xalloc.h"
#include "db/doc.h"

static const char LOOKUPS[] = "lookups";
static const char CLAIMS[] = "lookup_claims";

/* Racing writers of one list retry this often before giving up (409). */
enum { ATTEMPTS = 40, STALE_SKIPS = 4 };

/* Where the lookup documents live: a client and a database name, so that
 * writers without a request (the mail outbox) can keep lists too. */
struct lookup_db {
	mongoc_client_t *client;
	const char *name;
};

/* Returns a new handle on collection c (caller destroys). */
static mongoc_collection_t *coll(const struct lookup_db *db, const char *c)
{
	return mongoc_client_get_collection(db->client, db->name, c);
}

/* Returns a copy of document id of collection c (caller destroys), or
 * NULL: error->code 0 when there is none. */
static bson_t *find_id(const struct lookup_db *db, const char *c, const char *id,
		       bson_error_t *error)
{
	mongoc_collection_t *handle = coll(db, c);
	bson_t *found = doc_find_id_in(handle, id, error);
	mongoc_collection_destroy(handle);
	return found;
}

/* Applies update (destroyed here) to document id of collection c,
 * creating it. Returns 0 or -1. */
static int upsert_id(const struct lookup_db *db, const char *c, const char *id, bson_t *update,
		     bson_error_t *error)
{
	mongoc_collection_t *handle = coll(db, c);
	int rc = doc_upsert_id_in(handle, id, update, error);
	mongoc_collection_destroy(handle);
	return rc;
}

/* The lookup_db of a database context. */
#define CTX_DB(ctx) (&(struct lookup_db){db_client(ctx), db_name(ctx)})

/* Formats "<name>#<page>" into out (LOOKUP_NAME_MAX + 24 bytes). */
static void page_id(char *out, size_t len, const char *name, int64_t page)
{
	snprintf(out, len, "%s#%lld", name, (long long)page);
}

void lookup_back_off(void)
{
	struct timespec ts = {0, (long)(1 + randombytes_uniform(8)) * 1000000L};
	nanosleep(&ts, NULL);
}

static int lookup_claim_in(const struct lookup_db *db, const char *key, int64_t *rev,
			   bson_error_t *error)
{
	for (int skip = 0; skip <= STALE_SKIPS; skip++, ++*rev) {
		char id[LOOKUP_NAME_MAX + 48];
		snprintf(id, sizeof(id), "%s@%lld", key, (long long)*rev);
		int64_t now = doc_now_ms();
		bson_t *doc = BCON_NEW("_id", BCON_UTF8(id), "at", BCON_DATE_TIME(now));
		mongoc_collection_t *claims = coll(db, CLAIMS);
		bool ok = mongoc_collection_insert_one(claims, doc, NULL, NULL, error);
		mongoc_collection_destroy(claims);
		bson_destroy(doc);
		if (ok)
			return 1;
		if (error->code != 11000)
			return -1;
		bson_t *held = find_id(db, CLAIMS, id, error);
		if (!held)
			return error->code ? -1 : 0; /* gone: a purge; read again */
		int64_t at = doc_int(held, "at", now);
		bson_destroy(held);
		if (now - at < LOOKUP_CLAIM_STALE_MS)
			return 0;
	}
	bson_set_error(error, DB_ERROR_DOMAIN_COUSILAB, DB_ERROR_CONFLICT,
		       "%s: too many abandoned claims", key);
	return -1;
}

/* The items array of doc as JSON (new reference; empty when absent). */
static json_t *items_of(const bson_t *doc)
{
	json_t *all = doc ? doc_to_json(doc) : NULL;
	json_t *items = json_incref(json_object_get(all, "items"));
	json_decref(all);
	return json_is_array(items) ? items : (json_decref(items), json_array());
}

/* Appends the array "items" of JSON objects to b, with extra (NULL: none)
 * after them. Returns false with error set if an item cannot be
 * converted. */
static bool append_items(bson_t *b, const json_t *items, const bson_t *extra, bson_error_t *error)
{
	bson_t array;
	BSON_APPEND_ARRAY_BEGIN(b, "items", &array);
	size_t i;
	json_t *item;
	char key[16];
	json_array_foreach(items, i, item) {
		char *text = json_dumps(item, JSON_COMPACT);
		bson_t *doc = text ? bson_new_from_json((const uint8_t *)text, -1, error) : NULL;
		free(text);
		if (!doc) {
			bson_append_array_end(b, &array);
			return false;
		}
		const char *k;
		bson_uint32_to_string((uint32_t)i, &k, key, sizeof(key));
		bson_append_document(&array, k, -1, doc);
		bson_destroy(doc);
	}
	if (extra) {
		const char *k;
		bson_uint32_to_string((uint32_t)json_array_size(items), &k, key, sizeof(key));
		bson_append_document(&array, k, -1, extra);
	}
	bson_append_array_end(b, &array);
	return true;
}

/* Writes the fields of set (borrowed) with rev into document id,
 * creating it. Returns 0 or -1. */
static int write_doc(const struct lookup_db *db, const char *id, bson_t *set, int64_t rev,
		     bson_error_t *error)
{
	BSON_APPEND_INT64(set, "rev", rev);
	bson_t *update = bson_new();
	BSON_APPEND_DOCUMENT(update, "$set", set);
	return upsert_id(db, LOOKUPS, id, update, error);
}

/* One change to a lookup document, decided from its current state. */
struct edit {
	const bson_t *add;   /* item to append (lookup_add), or NULL */
	const char *remove;  /* id to remove, or NULL */
	int64_t count_delta; /* applied to a head's count (removal from a full page) */
	bool removed;        /* out: the id was found */
};

/* Returns the items of cur without those whose id is e->remove (new
 * reference), noting in e->removed whether one was there. */
static json_t *without(const bson_t *cur, struct edit *e)
{
	json_t *items = items_of(cur), *kept = json_array(), *item;
	size_t i;
	json_array_foreach(items, i, item) {
		if (e->remove && strcmp(json_str(item, "id"), e->remove) == 0)
			e->removed = true;
		else
			json_array_append(kept, item);
	}
	json_decref(items);
	return kept;
}

/* Applies e to head document `name` (is_head) or a full page `id`, once
 * this writer won its revision. A head whose open page is full first
 * freezes it into page <frozen>: only the holder of the head's claim
 * writes that page, so overwriting one left by a writer that died is
 * safe. Returns 1 written, 0 nothing to change, -1 error. */
static int apply_edit(const struct lookup_db *db, const char *name, const char *id, bool is_head,
		      const bson_t *cur, struct edit *e, int64_t rev, bson_error_t *error)
{
	json_t *items = without(cur, e);
	int64_t count = cur ? doc_int(cur, "count", 0) : 0;
	int64_t frozen = cur ? doc_int(cur, "frozen", 0) : 0;
	bson_t *set = bson_new();
	bool ok = true;
	if (is_head && e->add && json_array_size(items) >= LOOKUP_PAGE_ITEMS) {
		char page[LOOKUP_NAME_MAX + 24];
		page_id(page, sizeof(page), name, frozen);
		bson_t *full = bson_new();
		ok = append_items(full, items, NULL, error) &&
		     write_doc(db, page, full, 0, error) == 0;
		bson_destroy(full);
		json_array_clear(items);
		frozen++;
	}
	ok = ok && append_items(set, items, is_head ? e->add : NULL, error);
	json_decref(items);
	if (is_head) {
		count += (e->add ? 1 : 0) - (e->removed ? 1 : 0) + e->count_delta;
		BSON_APPEND_INT64(set, "count", count < 0 ? 0 : count);
		BSON_APPEND_INT64(set, "frozen", frozen);
	}
	int rc = ok && write_doc(db, id, set, rev, error) == 0 ? 1 : -1;
	bson_destroy(set);
	return rc;
}

/* Runs e on lookup document id (the head of name when is_head) under a
 * revision claim, retrying while other writers win. Returns 1 written, 0
 * nothing to change (e->remove absent), -1 error. */
static int change(const struct lookup_db *db, const char *name, const char *id, bool is_head,
		  struct edit *e, bson_error_t *error)
{
	char key[LOOKUP_NAME_MAX + 40];
	snprintf(key, sizeof(key), "%s/%s", LOOKUPS, id);
	for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
		bson_t *cur = find_id(db, LOOKUPS, id, error);
		if (!cur && error->code)
			return -1;
		if (e->remove) {
			e->removed = false;
			json_decref(without(cur, e));
			if (!e->removed && !e->count_delta) {
				if (cur)
					bson_destroy(cur);
				return 0;
			}
		}
		int64_t rev = (cur ? doc_int(cur, "rev", 0) : 0) + 1;
		int won = lookup_claim_in(db, key, &rev, error);
		int rc = won == 1 ? apply_edit(db, name, id, is_head, cur, e, rev, error) : won;
		if (cur)
			bson_destroy(cur);
		if (rc != 0 || won != 0)
			return rc;
		lookup_back_off();
	}
	bson_set_error(error, DB_ERROR_DOMAIN_COUSILAB, DB_ERROR_CONFLICT,
		       "lookup %s: too many concurrent writers", id);
	return -1;
}

static bool name_ok(const char *name, bson_error_t *error)
{
	if (strlen(name) <= LOOKUP_NAME_MAX)
		return true;
	bson_set_error(error, DB_ERROR_DOMAIN_COUSILAB, DB_ERROR_LOCAL,
		       "lookup name too long: %.40s...", name);
	return false;
}

static int lookup_add_in(const struct lookup_db *db, const char *name, const bson_t *item,
			 bson_error_t *error)
{
	memset(error, 0, sizeof(*error));
	struct edit e = {.add = item};
	return name_ok(name, error) && change(db, name, name, true, &e, error) == 1 ? 0 : -1;
}

static int lookup_add_id_in(const struct lookup_db *db, const char *name, const char *id,
			    bson_error_t *error)
{
	bson_t *item = BCON_NEW("id", BCON_UTF8(id));
	int rc = lookup_add_in(db, name, item, error);
	bson_destroy(item);
	return rc;
}

static int lookup_remove_in(const struct lookup_db *db, const char *name, const char *id,
			    bson_error_t *error)
{
	memset(error, 0, sizeof(*error));
	if (!name_ok(name, error))
		return -1;
	struct edit e = {.remove = id};
	int rc = change(db, name, name, true, &e, error);
	if (rc != 0)
		return rc;
	bson_t *head = find_id(db, LOOKUPS, name, error);
	if (!head)
		return error->code ? -1 : 0;
	int64_t frozen = doc_int(head, "frozen", 0);
	bson_destroy(head);
	for (int64_t p = frozen - 1; p >= 0; p--) {
		char page[LOOKUP_NAME_MAX + 24];
		page_id(page, sizeof(page), name, p);
		e = (struct edit){.remove = id};
		rc = change(db, name, page, false, &e, error);
		if (rc != 0) {
			/* The head's count follows; a crash in between leaves it one
			 * too high, which only shows in a total. */
			struct edit recount = {.remove = id, .count_delta = -1};
			return rc < 0 || change(db, name, name, true, &recount, error) < 0 ? -1 : 1;
		}
	}
	return 0;
}

/* Reads the head of name; fills info. Returns the head (caller destroys)
 * or NULL: error->code 0 for an unknown list. */
static bson_t *read_head(const struct lookup_db *db, const char *name, struct lookup_info *info,
			 int64_t *frozen, bson_error_t *error)
{
	bson_t *head = find_id(db, LOOKUPS, name, error);
	*frozen = head ? doc_int(head, "frozen", 0) : 0;
	info->count = head ? doc_int(head, "count", 0) : 0;
	bson_iter_t it, items;
	bool open = head && bson_iter_init_find(&it, head, "items") && BSON_ITER_HOLDS_ARRAY(&it) &&
		    bson_iter_recurse(&it, &items) && bson_iter_next(&items);
	info->pages = *frozen + (*frozen == 0 || open);
	return head;
}

/* Returns the items of full page p of name (new reference), or NULL. */
static json_t *read_page(const struct lookup_db *db, const char *name, int64_t p,
			 bson_error_t *error)
{
	char page[LOOKUP_NAME_MAX + 24];
	page_id(page, sizeof(page), name, p);
	bson_t *doc = find_id(db, LOOKUPS, page, error);
	if (!doc && error->code)
		return NULL;
	json_t *items = items_of(doc);
	if (doc)
		bson_destroy(doc);
	return items;
}

static int lookup_stat_in(const struct lookup_db *db, const char *name, struct lookup_info *info,
			  bson_error_t *error)
{
	int64_t frozen;
	bson_t *head = read_head(db, name, info, &frozen, error);
	if (head)
		bson_destroy(head);
	return head || !error->code ? 0 : -1;
}

static json_t *lookup_page_in(const struct lookup_db *db, const char *name, int64_t page,
			      struct lookup_info *info, bson_error_t *error)
{
	struct lookup_info local;
	info = info ? info : &local;
	int64_t frozen;
	bson_t *head = read_head(db, name, info, &frozen, error);
	if (!head && error->code)
		return NULL;
	if (page < 0)
		page += info->pages;
	json_t *items = page < 0 || page > frozen ? json_array()
			: page == frozen          ? items_of(head)
						  : read_page(db, name, page, error);
	if (head)
		bson_destroy(head);
	return items;
}

static json_t *lookup_window_in(const struct lookup_db *db, const char *name, size_t skip,
				size_t max_items, struct lookup_info *info, bson_error_t *error)
{
	struct lookup_info local;
	info = info ? info : &local;
	int64_t frozen;
	bson_t *head = read_head(db, name, info, &frozen, error);
	if (!head && error->code)
		return NULL;
	json_t *out = items_of(head);
	if (head)
		bson_destroy(head);
	size_t wanted = skip + max_items < skip ? SIZE_MAX : skip + max_items;
	for (int64_t p = frozen - 1; p >= 0 && json_array_size(out) < wanted; p--) {
		json_t *older = read_page(db, name, p, error);
		if (!older) {
			json_decref(out);
			return NULL;
		}
		json_array_extend(older, out);
		json_decref(out);
		out = older;
	}
	for (size_t i = 0; i < skip && json_array_size(out); i++)
		json_array_remove(out, json_array_size(out) - 1);
	while (json_array_size(out) > max_items)
		json_array_remove(out, 0);
	return out;
}

/* ---- The public face: a database context, or a lent client ---- */

int lookup_claim(struct db_ctx *ctx, const char *key, int64_t *rev, bson_error_t *error)
{
	return lookup_claim_in(CTX_DB(ctx), key, rev, error);
}

int lookup_add(struct db_ctx *ctx, const char *name, const bson_t *item, bson_error_t *error)
{
	return lookup_add_in(CTX_DB(ctx), name, item, error);
}

int lookup_add_id(struct db_ctx *ctx, const char *name, const char *id, bson_error_t *error)
{
	return lookup_add_id_in(CTX_DB(ctx), name, id, error);
}

int lookup_add_id_client(mongoc_client_t *client, const char *dbname, const char *name,
			 const char *id, bson_error_t *error)
{
	return lookup_add_id_in(&(struct lookup_db){client, dbname}, name, id, error);
}

int lookup_remove(struct db_ctx *ctx, const char *name, const char *id, bson_error_t *error)
{
	return lookup_remove_in(CTX_DB(ctx), name, id, error);
}

int lookup_stat(struct db_ctx *ctx, const char *name, struct lookup_info *info, bson_error_t *error)
{
	return lookup_stat_in(CTX_DB(ctx), name, info, error);
}

json_t *lookup_page(struct db_ctx *ctx, const char *name, int64_t page, struct lookup_info *info,
		    bson_error_t *error)
{
	return lookup_page_in(CTX_DB(ctx), name, page, info, error);
}

json_t *lookup_tail(struct db_ctx *ctx, const char *name, size_t max_items,
		    struct lookup_info *info, bson_error_t *error)
{
	return lookup_window_in(CTX_DB(ctx), name, 0, max_items, info, error);
}

json_t *lookup_window(struct db_ctx *ctx, const char *name, size_t skip, size_t max_items,
		      struct lookup_info *info, bson_error_t *error)
{
	return lookup_window_in(CTX_DB(ctx), name, skip, max_items, info, error);
}

json_t *lookup_fetch(struct db_ctx *ctx, const json_t *items, const char *collection,
		     bson_error_t *error)
{
	memset(error, 0, sizeof(*error));
	json_t *out = json_array(), *item;
	size_t i;
	json_array_foreach(items, i, item) {
		bson_t *doc = find_id(CTX_DB(ctx), collection, json_str(item, "id"), error);
		if (!doc && error->code) {
			json_decref(out);
			return NULL;
		}
		if (doc) {
			json_array_append_new(out, doc_to_json(doc));
			bson_destroy(doc);
		}
	}
	return out;
}

/* Returns the string field key of doc, or NULL. Borrowed from doc. */
static const char *utf8_field(const bson_t *doc, const char *key)
{
	bson_iter_t it;
	return bson_iter_init_find(&it, doc, key) && BSON_ITER_HOLDS_UTF8(&it)
		       ? bson_iter_utf8(&it, NULL)
		       : NULL;
}

long lookup_add_missing(struct db_ctx *ctx, const char *name, bson_t *const *items, size_t n,
			bson_error_t *error)
{
	json_t *have = lookup_tail(ctx, name, SIZE_MAX, NULL, error), *item;
	if (!have)
		return -1;
	json_t *ids = json_object();
	size_t i;
	json_array_foreach(have, i, item)
		json_object_set_new(ids, json_str(item, "id"), json_true());
	json_decref(have);
	long added = 0;
	for (i = 0; i < n && added >= 0; i++) {
		const char *id = utf8_field(items[i], "id");
		if (!id || json_object_get(ids, id))
			continue;
		json_object_set_new(ids, id, json_true());
		added = lookup_add(ctx, name, items[i], error) ? -1 : added + 1;
	}
	json_decref(ids);
	return added;
}

/* One document found by lookup_backfill: its list and its place there. */
struct found {
	char *list;
	int64_t at;
	char *id;
};

static int by_list_then_time(const void *a, const void *b)
{
	const struct found *x = a, *y = b;
	int c = strcmp(x->list, y->list);
	return c ? c : x->at != y->at ? (x->at < y->at ? -1 : 1) : strcmp(x->id, y->id);
}

int lookup_backfill(struct db_ctx *ctx, const char *collection, const char *key_field,
		    const char *family, const char *time_field)
{
	bson_t *filter = bson_new();
	bson_t *opts = BCON_NEW("batchSize", BCON_INT32(1000), "projection", "{", key_field,
				BCON_INT32(1), time_field, BCON_INT32(1), "}");
	mongoc_collection_t *c = coll(CTX_DB(ctx), collection);
	mongoc_cursor_t *cur = mongoc_collection_find_with_opts(c, filter, opts, NULL);
	struct found *all = NULL;
	size_t n = 0, cap = 0;
	const bson_t *doc;
	while (mongoc_cursor_next(cur, &doc)) {
		const char *key = utf8_field(doc, key_field), *id = utf8_field(doc, "_id");
		if (!key || !*key || !id)
			continue;
		if (n == cap)
			all = xrealloc(all, (cap = cap ? 2 * cap : 1024) * sizeof(*all));
		all[n].list = bson_strdup_printf("%s:%s", family, key);
		all[n].at = doc_int(doc, time_field, 0);
		all[n++].id = bson_strdup(id);
	}
	bson_error_t error;
	int rc = mongoc_cursor_error(cur, &error) ? -1 : 0;
	mongoc_cursor_destroy(cur);
	mongoc_collection_destroy(c);
	bson_destroy(opts);
	bson_destroy(filter);
	if (n)
		qsort(all, n, sizeof(*all), by_list_then_time);
	long added = 0;
	for (size_t i = 0, end; rc == 0 && i < n; i = end) {
		for (end = i; end < n && strcmp(all[end].list, all[i].list) == 0; end++)
			;
		bson_t **items = xmalloc((end - i) * sizeof(*items));
		for (size_t k = i; k < end; k++)
			items[k - i] = BCON_NEW("id", BCON_UTF8(all[k].id));
		long got = lookup_add_missing(ctx, all[i].list, items, end - i, &error);
		rc = got < 0 ? -1 : 0;
		added += got > 0 ? got : 0;
		for (size_t k = i; k < end; k++)
			bson_destroy(items[k - i]);
		free(items);
	}
	for (size_t i = 0; i < n; i++) {
		bson_free(all[i].list);
		bson_free(all[i].id);
	}
	free(all);
	if (rc)
		fprintf(stderr, "lookups: %s by %s: %s\n", collection, key_field, error.message);
	else
		printf("lookups: %ld entries added to %s:* from %s\n", added, family, collection);
	return rc;
}
