/* Expired sessions, single-use links and throttle records are deleted by
 * the app itself: TTL indexes are not available on every backend. */
#ifndef COUSILAB_PURGE_H
#define COUSILAB_PURGE_H

#include <stdint.h>

struct config;
struct db;
struct janitor;

/* The filters' cut-offs at now_ms, in milliseconds. Pure. */
struct purge_cutoffs {
	int64_t session_seen_before;    /* idle sessions */
	int64_t session_created_before; /* sessions past their absolute life */
	int64_t token_expired_before;   /* single-use links, throttle slots */
	int64_t link_claim_before;      /* uses of single-use links */
};
struct purge_cutoffs purge_cutoffs_at(const struct config *cfg, int64_t now_ms);

/* Runs one purge pass on db. Returns the number of documents deleted, or
 * -1 after logging a database error. */
int64_t accounts_purge(struct db *db, const struct config *cfg);

/* Starts a thread that purges every interval_s seconds (and once at
 * start), until purge_janitor_stop; db and cfg must outlive it. Allocates;
 * returns NULL if the thread cannot start, else the caller owns the
 * result (purge_janitor_stop). */
struct janitor *purge_janitor_start(struct db *db, const struct config *cfg, long interval_s);

/* Stops the thread after its current pass, waits for it and frees j;
 * NULL is fine. */
void purge_janitor_stop(struct janitor *j);

/* Asks the thread to stop after its current pass, without waiting;
 * NULL is fine. */
void purge_janitor_request_stop(struct janitor *j);

#endif
