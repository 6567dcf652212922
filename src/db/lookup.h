/* Lookup lists: the secondary keys of the data-access rule (README, "Data
 * access"), kept as small documents read by _id.
 *
 * Why: FerretDB v1.24 on SQLite pushes down to SQL only a filter that is
 * exactly {_id: <string or ObjectId>} (internal/backends/sqlite/query.go:
 * Filter.Len() == 1 and an _id of one of those types). Everything else,
 * $in and range filters on _id included, and {_id, <another field>} too,
 * is read in full and filtered in Go: a scan of the whole collection. So
 * "the comments of a practice" or "the practices of an author" is kept as
 * a list of ids under one name, read by _id.
 *
 * Collection "lookups":
 *   "<name>"      the head: rev, count (items in the whole list), frozen
 *                 (how many full pages come before the open one), items
 *                 (the open page: fewer than LOOKUP_PAGE_ITEMS);
 *   "<name>#<p>"  full page p (0-based, oldest first): rev, items.
 * Items are documents {id, <scalar fields>} in the order they were added;
 * no arrays inside them (no arrays of arrays on FerretDB). A page is at
 * most LOOKUP_PAGE_ITEMS small items: bounded whatever the list's length.
 *
 * Concurrency: FerretDB runs $push, $addToSet, $pull and any conditional
 * update as a read, then a write of the whole document, with nothing in
 * between to stop a second writer: two appends at once would lose one.
 * Ranges of per-entry documents cannot be read without a scan (above).
 * So every write here is a read-modify-write of one document under a
 * revision claim: the writer that read revision r inserts "<doc>@<r+1>"
 * into "lookup_claims" (a unique _id: the one atomic step that FerretDB
 * and MongoDB both give), and only the winner writes the document, by _id
 * alone, with rev r+1; a loser reads again and retries. A claim left by a
 * writer that died between claiming and writing is stepped over once it is
 * older than LOOKUP_CLAIM_STALE_MS, far beyond the database's socket
 * timeout. Claims are never read by anything but _id; they are a few
 * dozen bytes per write. */
#ifndef COUSILAB_LOOKUP_H
#define COUSILAB_LOOKUP_H

#include <bson/bson.h>
#include <jansson.h>
#include <stdint.h>

struct db_ctx;

enum {
	LOOKUP_PAGE_ITEMS = 100,
	LOOKUP_NAME_MAX = 200,
	LOOKUP_CLAIM_STALE_MS = 60 * 1000,
};

struct lookup_info {
	int64_t count; /* items in the list */
	int64_t pages; /* pages to read it all (at least 1) */
};

/* Appends item (borrowed: a document with a string "id" and scalar
 * fields) at the end of list name. Returns 0, or -1 with error set (a
 * conflict error after too many racing writers). */
int lookup_add(struct db_ctx *ctx, const char *name, const bson_t *item, bson_error_t *error);

/* lookup_add of the item {id}. */
int lookup_add_id(struct db_ctx *ctx, const char *name, const char *id, bson_error_t *error);

/* lookup_add_id for a writer without a request: client (borrowed) on
 * database dbname. */
typedef struct _mongoc_client_t mongoc_client_t;
int lookup_add_id_client(mongoc_client_t *client, const char *dbname, const char *name,
			 const char *id, bson_error_t *error);

/* Removes the items of list name whose id is id, looking in the open page
 * first, then in the full pages, newest first (so O(pages) reads).
 * Returns 1 when removed, 0 when absent, -1 with error set. */
int lookup_remove(struct db_ctx *ctx, const char *name, const char *id, bson_error_t *error);

/* Fills info for list name (zeros and one page for an unknown list): one
 * read by _id. Returns 0, or -1 with error set. */
int lookup_stat(struct db_ctx *ctx, const char *name, struct lookup_info *info,
		bson_error_t *error);

/* Returns page `page` (0-based, oldest first; negative counts from the
 * end, -1 being the newest page) of list name as a JSON array
 * of its items (doc_to_json form, new reference) and fills info (may be
 * NULL); an empty array for an unknown list or a page past the end. Two
 * reads by _id at most. NULL with error set on a database error. */
json_t *lookup_page(struct db_ctx *ctx, const char *name, int64_t page, struct lookup_info *info,
		    bson_error_t *error);

/* Returns the last max_items items of list name, oldest first (new
 * reference), reading the fewest pages that hold them; info as above.
 * NULL with error set. */
json_t *lookup_tail(struct db_ctx *ctx, const char *name, size_t max_items,
		    struct lookup_info *info, bson_error_t *error);

/* Returns the documents of collection named by the "id" of each of items
 * (a lookup page), in their order, as doc_to_json gives them, leaving out
 * those that no longer exist: one read by _id each. New reference, or
 * NULL with error set. */
json_t *lookup_fetch(struct db_ctx *ctx, const json_t *items, const char *collection,
		     bson_error_t *error);

/* Appends to list name those of items (n documents with a string "id")
 * whose id it does not hold yet, in their order: reads the whole list, so
 * for offline work (building lists from older data, again without
 * harm). Returns how many were added, or -1 with error set. */
long lookup_add_missing(struct db_ctx *ctx, const char *name, bson_t *const *items, size_t n,
			bson_error_t *error);

/* Adds to the lists "<family>:<key>" the documents of collection they
 * miss, each under the string key_field's value, in time_field order,
 * from one scan: for data written before the lists existed (a migration
 * step, offline; running it twice adds nothing). Returns 0 or -1
 * (printed on stderr). */
int lookup_backfill(struct db_ctx *ctx, const char *collection, const char *key_field,
		    const char *family, const char *time_field);

/* Returns the max_items items that come before the last skip ones of
 * list name, oldest first (new reference): pages of a list shown newest
 * first. Reads the fewest pages that hold them; info as above. NULL with
 * error set. */
json_t *lookup_window(struct db_ctx *ctx, const char *name, size_t skip, size_t max_items,
		      struct lookup_info *info, bson_error_t *error);

/* Claims revision *rev of document key (any name unique across the
 * database, e.g. "practices/<id>/adopters"), the compare-and-set step
 * described above, for callers that keep their own revision counter.
 * A stale claim is stepped over: *rev then grows. Returns 1 when this
 * caller won *rev (it must now write the document with that revision),
 * 0 when another live writer holds it (read again and retry), -1 with
 * error set. */
int lookup_claim(struct db_ctx *ctx, const char *key, int64_t *rev, bson_error_t *error);

/* Sleeps a random 1 to 8 ms: what a loser of a claim does before it
 * reads again, so racing writers spread out. */
void lookup_back_off(void);

#endif
