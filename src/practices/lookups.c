/* cousiSTORE's lookup lists: their names, and building them for data
 * written before they existed (see lookups.h). */
#include "practices/lookups.h"

#include <mongoc/mongoc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "db/doc.h"
#include "db/lookup.h"
#include "http/request.h"

enum { SLUG_BATCH = 1000 };

const char *practice_lookup(struct arena *a, const char *family, const char *key)
{
	return arena_printf(a, "%s:%s", family, key);
}

/* One item found by the scans: the list it goes to, its place there. */
struct entry {
	const char *list;
	char order[48]; /* creation time, zero-padded, then the source _id */
	bson_t *item;
};

struct entries {
	struct entry *at;
	size_t n, cap;
};

/* Queues item (taken) for list name (copied into the arena), placed by
 * the creation time ms and the source document's id. */
static void push(struct db_ctx *db, struct entries *e, const char *name, int64_t ms,
		 const char *source_id, bson_t *item)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? 2 * e->cap : 1024;
		e->at = xrealloc(e->at, e->cap * sizeof(*e->at));
	}
	struct entry *x = &e->at[e->n++];
	x->list = arena_strdup(db->arena, name);
	snprintf(x->order, sizeof(x->order), "%015lld%s", (long long)ms, source_id);
	x->item = item;
}

static int by_list_then_order(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->list, y->list);
	return c ? c : strcmp(x->order, y->order);
}

/* What one scan reads, and what it makes of each document. */
struct scan {
	const char *collection;
	void (*take)(struct db_ctx *db, const bson_t *doc, struct entries *e,
		     mongoc_bulk_operation_t *slugs, long *n_slugs);
};

/* Returns the string field key of doc, or "". Borrowed from doc. */
static const char *field(const bson_t *doc, const char *key)
{
	bson_iter_t it;
	return bson_iter_init_find(&it, doc, key) && BSON_ITER_HOLDS_UTF8(&it)
		       ? bson_iter_utf8(&it, NULL)
		       : "";
}

static bson_t *id_item(const char *id)
{
	return BCON_NEW("id", BCON_UTF8(id));
}

static void take_practice(struct db_ctx *db, const bson_t *doc, struct entries *e,
			  mongoc_bulk_operation_t *slugs, long *n_slugs)
{
	const char *id = field(doc, "_id");
	int64_t at = doc_int(doc, "created_at", 0);
	if (*field(doc, "slug")) {
		bson_t *slug = BCON_NEW("_id", BCON_UTF8(field(doc, "slug")), "practice_id",
					BCON_UTF8(id));
		mongoc_bulk_operation_insert(slugs, slug);
		bson_destroy(slug);
		++*n_slugs;
	}
	if (strcmp(field(doc, "status"), "submitted") == 0)
		push(db, e, PRACTICES_SUBMITTED, doc_int(doc, "submitted_at", at), id, id_item(id));
}

static void take_member(struct db_ctx *db, const bson_t *doc, struct entries *e,
			mongoc_bulk_operation_t *slugs, long *n_slugs)
{
	(void)slugs, (void)n_slugs;
	push(db, e, practice_lookup(db->arena, "club_members", field(doc, "theme")),
	     doc_int(doc, "joined_at", 0), field(doc, "_id"),
	     BCON_NEW("id", BCON_UTF8(field(doc, "user_id")), "name", BCON_UTF8(field(doc, "name")),
		      "organisation", BCON_UTF8(field(doc, "organisation"))));
}

/* Runs bulk; slugs already claimed (an earlier run) are no error. */
static int run_slugs(mongoc_bulk_operation_t *bulk, long n)
{
	bson_t reply;
	bson_error_t error;
	bool ok = n == 0 || mongoc_bulk_operation_execute(bulk, &reply, &error) != 0;
	bson_iter_t it, errors, one;
	if (!ok && bson_iter_init_find(&it, &reply, "writeErrors") &&
	    bson_iter_recurse(&it, &errors)) {
		ok = true;
		while (bson_iter_next(&errors) && bson_iter_recurse(&errors, &one))
			ok &= bson_iter_find(&one, "code") && bson_iter_as_int64(&one) == 11000;
	}
	if (!ok)
		fprintf(stderr, "lookups: practice slugs: %s\n", error.message);
	if (n)
		bson_destroy(&reply);
	return ok ? 0 : -1;
}

/* Reads every document of s->collection once, in batches. */
static int scan(struct db_ctx *db, const struct scan *s, struct entries *e)
{
	mongoc_collection_t *slugs_coll = db_collection(db, PRACTICE_SLUGS);
	bson_t *unordered = BCON_NEW("ordered", BCON_BOOL(false));
	mongoc_bulk_operation_t *slugs = mongoc_collection_create_bulk_operation_with_opts(
		slugs_coll, unordered);
	long n_slugs = 0;
	int rc = 0;
	bson_t *filter = bson_new();
	bson_t *opts = BCON_NEW("batchSize", BCON_INT32(1000));
	mongoc_cursor_t *c = mongoc_collection_find_with_opts(db_collection(db, s->collection),
							      filter, opts, NULL);
	const bson_t *doc;
	while (rc == 0 && mongoc_cursor_next(c, &doc)) {
		s->take(db, doc, e, slugs, &n_slugs);
		if (n_slugs == SLUG_BATCH) {
			rc = run_slugs(slugs, n_slugs);
			mongoc_bulk_operation_destroy(slugs);
			slugs = mongoc_collection_create_bulk_operation_with_opts(slugs_coll,
										  unordered);
			n_slugs = 0;
		}
	}
	bson_error_t error;
	if (mongoc_cursor_error(c, &error)) {
		fprintf(stderr, "lookups: reading %s: %s\n", s->collection, error.message);
		rc = -1;
	}
	if (rc == 0)
		rc = run_slugs(slugs, n_slugs);
	mongoc_bulk_operation_destroy(slugs);
	mongoc_cursor_destroy(c);
	bson_destroy(opts);
	bson_destroy(filter);
	bson_destroy(unordered);
	return rc;
}

/* Adds the entries each list misses. */
static int build(struct db_ctx *db, struct entries *e)
{
	if (e->n)
		qsort(e->at, e->n, sizeof(*e->at), by_list_then_order);
	bson_error_t error;
	long added = 0;
	for (size_t i = 0, end; i < e->n; i = end) {
		for (end = i; end < e->n && strcmp(e->at[end].list, e->at[i].list) == 0; end++)
			;
		bson_t **items = xmalloc((end - i) * sizeof(*items));
		for (size_t k = i; k < end; k++)
			items[k - i] = e->at[k].item;
		long got = lookup_add_missing(db, e->at[i].list, items, end - i, &error);
		free(items);
		if (got < 0) {
			fprintf(stderr, "lookups: building the lists: %s\n", error.message);
			return -1;
		}
		added += got;
	}
	printf("lookups: %ld entries added from %zu found\n", added, e->n);
	return 0;
}

int practice_lookups_backfill(struct db_ctx *db)
{
	static const struct scan SCANS[] = {
		{"practices", take_practice},
		{"club_members", take_member},
	};
	struct entries e = {0};
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < sizeof(SCANS) / sizeof(*SCANS); i++)
		rc = scan(db, &SCANS[i], &e);
	if (rc == 0)
		rc = build(db, &e);
	if (rc == 0)
		rc = lookup_backfill(db, "practices", "author_id", "practices_by", "created_at") ||
		     lookup_backfill(db, "comments", "subject", "comments_of", "created_at") ||
		     lookup_backfill(db, "reuses", "organisation", "reuses_by", "created_at");
	for (size_t i = 0; i < e.n; i++)
		bson_destroy(e.at[i].item);
	free(e.at);
	return rc;
}
