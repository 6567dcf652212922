/* The database monitor: one thread per serving process that owns the
 * database's state. It pings the server on a client of its own, every
 * DB_PROBE_UP_MS while it answers and every DB_PROBE_DOWN_MS while it
 * does not; the request pool trips it at once when it loses the server
 * (a failed heartbeat or a broken connection), and it probes right away.
 * While it says down, db_client lends fail-fast clients (db/db.h). */
#ifndef COUSILAB_DB_MONITOR_H
#define COUSILAB_DB_MONITOR_H

#include <bson/bson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;

enum {
	DB_PROBE_UP_MS = 500,
	DB_PROBE_DOWN_MS = 250,
	/* Connect, server selection and reply, each: a probe that takes
	 * longer than this counts as an outage. */
	DB_PROBE_TIMEOUT_MS = 1000,
};

struct db_state {
	bool up;
	int64_t since_ms; /* wall clock of the last change (or of the start) */
	char error[160];  /* why it is down; empty when up */
};

/* Starts the monitor of db after one probe made here, so the state is
 * known before the first request. Returns 0, or -1 when the thread cannot
 * start (the breaker then stays closed: calls wait for the server, as
 * without a monitor). */
int db_monitor_start(struct db *db);

/* Stops and frees the monitor, if any; the breaker closes. db_close calls
 * it once the pools, whose threads may trip it, are gone. */
void db_monitor_stop(struct db *db);

/* Returns false while the monitor says the server is down; true when it
 * says up, or when no monitor runs (commands). Lock-free. */
bool db_available(const struct db *db);

/* Copies the current state into out. Without a monitor: up since 0. */
void db_state_get(const struct db *db, struct db_state *out);

/* Marks the server down now for reason (the monitor probes again at once
 * and reopens as soon as it answers). No-op without a monitor. Safe from
 * any thread, libmongoc's included: takes only the monitor's lock. */
void db_trip(struct db *db, const char *reason);

#endif
