/* The catalogue: every PUBLISHED practice, held in each process (the
 * compact JSON of each document and of its list card, by id and by slug,
 * in an unnamed scratch file under the cache directory) with its search
 * index in memory. Pages read it instead of the database, which scans on
 * FerretDB. Every change it takes in makes the page cache stale.
 *
 * Coherence across processes and hosts: each write sets a random stamp in
 * the "meta" document "version:catalogue" (read by _id). The background
 * refresher checks the stamp every CATALOGUE_CHECK_MS; when it moved, it
 * reads the small change log ("catalogue_changes") since its last sync
 * (with a margin for clock skew) and reloads each practice named there.
 * So a write on one host shows on another within a second, and no request
 * ever waits for the database to read the catalogue: while it is down,
 * pages keep serving the last copy. */
#ifndef COUSILAB_CATALOGUE_H
#define COUSILAB_CATALOGUE_H

#include <bson/bson.h>
#include <jansson.h>

#include "practices/search.h"

struct db_ctx;
struct request;

enum { CATALOGUE_CHECK_MS = 250 };

/* Makes sure a copy is loaded: the first reader waits for the first load
 * (the refresher's, or its own). Once loaded, returns at once in a serving
 * process, where only the refresher syncs; elsewhere (commands) brings it
 * up to date when the stamp moved. Returns 0, or -1 with error set when
 * the database fails and nothing is loaded yet; a failed refresh keeps
 * serving the last copy. Called by every reader below. */
int catalogue_sync(struct request *req, bson_error_t *error);

/* The page cache hook of the routes that show the catalogue (routes.c):
 * syncs it, so a change taken in makes cached pages stale. Returns 0, or
 * -1 when nothing is loaded (the page is then built uncached, and fails). */
int catalogue_fresh(struct request *req);

/* Returns the published practice with this id or slug (new reference),
 * or NULL. */
json_t *catalogue_get(struct request *req, const char *id_or_slug);

/* Returns the list card of the published practice id (the fields a list
 * shows, plus has_toolbox) as a new reference, or NULL: cheaper than the
 * whole document. */
json_t *catalogue_card(struct request *req, const char *id);

/* The background refresher's task (web/refresher.h): brings the catalogue
 * up to date through db, loading it whole the first time (its scratch
 * file in cache_dir, the process's $COUSILAB_CACHE_DIR). From its first
 * call on, readers never touch the database: they read the last copy.
 * Returns 0, or -1 (logged). */
int catalogue_refresh(struct db_ctx *db, const char *cache_dir);

/* Runs q; result in the request arena. Returns 0, or -1 for an invalid
 * query (see search_run). */
int catalogue_search(struct request *req, const struct practice_query *q,
		     struct search_result *out);

/* Returns how many practices are published. */
size_t catalogue_size(struct request *req);

/* Tells every process that practice id changed (call after any write to
 * a practice), or CATALOGUE_ALL after a bulk load. Updates this process at
 * once. Returns 0 or -1. */
#define CATALOGUE_ALL "*"
int catalogue_changed(struct request *req, const char *id, bson_error_t *error);

#endif
