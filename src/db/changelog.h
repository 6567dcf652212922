/* A change log read by _id only, for in-process indexes kept coherent
 * across processes without reloading everything on each write (FerretDB
 * scans a collection for any filter but an exact _id).
 *
 * Each write appends a record "<scope>:<seq>" naming the document it
 * changed; seq is the first free number, and the insert of that unique
 * _id is the claim, so a scope's log has no holes. A reader keeps the
 * last seq it applied and asks for the next record by _id (one read when
 * nothing changed), then re-reads only the documents named. A hint in
 * "meta" ("<hint_prefix>:<scope>", set after each append, possibly lower
 * than the head when writers race) spares walking the log from 1.
 *
 * Records older than CHANGELOG_KEEP_MS are purged from the oldest on, in
 * batches by _id (changelog_purge, from a periodic pass). A reader that
 * stood still longer than that finds the next record it needs gone
 * (changelog_gone) and reloads its whole index, as at startup. */
#ifndef COUSILAB_DB_CHANGELOG_H
#define COUSILAB_DB_CHANGELOG_H

#include <bson/bson.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct db_ctx;

struct changelog {
	const char *collection;  /* "defi_team_changes" */
	const char *hint_prefix; /* meta _id prefix: "defi-changes" */
	const char *field;       /* the record's field naming the document: "team_id" */
};

/* Appends the change of document id to scope's log. Returns its seq, or
 * -1 with err set (a conflict when 64 numbers in a
 * row were taken by other writers). */
int64_t changelog_append(struct db_ctx *db, const struct changelog *log, const char *scope,
			 const char *id, bson_error_t *err);

/* How long a record stays: far beyond a refresher pass (every process
 * reads the log several times a second), so only a process stopped or cut
 * off from the database that long is behind the purge. */
#define CHANGELOG_KEEP_MS (60 * 60 * 1000LL)

/* The least time between two purges by one process. */
#define CHANGELOG_PURGE_EVERY_MS (5 * 60 * 1000LL)

/* Returns the id of the document record seq of scope's log names (db's
 * arena), or NULL: err->code 0 when there is no such record yet, or err
 * set so that changelog_gone says it was purged. The check for a purge
 * costs one more read by _id when the record is missing (the hint), two
 * when the hint has passed it (the record again: claimed meanwhile, or
 * purged). */
const char *changelog_at(struct db_ctx *db, const struct changelog *log, const char *scope,
			 int64_t seq, bson_error_t *err);

/* Returns the seq of scope's last record (0 when none), or -1 with err
 * set. A reader takes it BEFORE loading everything, so a change made
 * during the load is applied after it. */
int64_t changelog_head(struct db_ctx *db, const struct changelog *log, const char *scope,
		       bson_error_t *err);

/* Returns whether err, from changelog_at, says the record was purged: the
 * reader missed changes and must reload everything. */
bool changelog_gone(const bson_error_t *err);

/* Deletes the oldest records of scope's log written before before_ms, at
 * most CHANGELOG_PURGE_BATCH of them, by _id in one ordered bulk (no
 * scan). Records are found by bisection on their numbers (a few reads by
 * _id); the last record the hint names may go, never one after it, so
 * appends and changelog_head keep their footing. Several processes may
 * purge at once: each deletes a prefix. Returns how many were deleted
 * (0 when none is that old), or -1 with err set. */
enum { CHANGELOG_PURGE_BATCH = 2000 };
long changelog_purge(struct db_ctx *db, const struct changelog *log, const char *scope,
		     int64_t before_ms, bson_error_t *err);

/* Returns true, and sets *last_ms to now_ms, when this process last
 * purged (*last_ms, 0 at first) CHANGELOG_PURGE_EVERY_MS or more ago.
 * Safe from any thread. */
bool changelog_purge_due(_Atomic int64_t *last_ms, int64_t now_ms);

#endif
