/* The catalogue: every PUBLISHED practice, held in each process (the
 * compact JSON of each document and of its list card, by id and by slug,
 * in an unnamed scratch file under the cache directory) with its search
 * index in memory. Pages read it instead of the database, which scans on
 * FerretDB. Every change it takes in makes the page cache stale.
 *
 * Coherence across processes and hosts: each write sets a random stamp in
 * the "meta" document "version:catalogue" (read by _id). Readers check the
 * stamp at most every CATALOGUE_CHECK_MS; when it moved, they read the
 * small change log ("catalogue_changes") since their last sync (with a
 * margin for clock skew) and reload each practice named there. So a write on one host shows on
 * another within a second. */
#ifndef COUSILAB_CATALOGUE_H
#define COUSILAB_CATALOGUE_H

#include <bson/bson.h>
#include <jansson.h>

#include "practices/search_index.h"

struct app;
struct catalogue_warmer;
struct request;

enum { CATALOGUE_CHECK_MS = 250 };

/* Brings this process's catalogue up to date if the stamp moved (loads
 * everything on first use). Returns 0, or -1 with error set when the
 * database fails and nothing is loaded yet; a failed refresh keeps serving
 * the last copy. Called by every reader below. */
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

/* Loads the catalogue in a background thread at startup, so the first
 * visitor does not wait for it. Returns the thread's handle to join with
 * catalogue_warm_join, or NULL if it could not start. */
struct catalogue_warmer *catalogue_warm(const struct app *app);
void catalogue_warm_join(struct catalogue_warmer *w);

/* Runs q; result in the request arena. Returns 0, or -1 for an invalid
 * query (see search_run). */
int catalogue_search(struct request *req, const struct search_query *q,
		     struct search_result *out);

/* Returns how many practices are published. */
size_t catalogue_size(struct request *req);

/* Tells every process that practice id changed (call after any write to
 * a practice), or CATALOGUE_ALL after a bulk load. Updates this process at
 * once. Returns 0 or -1. */
#define CATALOGUE_ALL "*"
int catalogue_changed(struct request *req, const char *id, bson_error_t *error);

#endif
