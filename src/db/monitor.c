#include "db/monitor.h"

#include <mongoc/mongoc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/ticker.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "db/doc.h"

struct db_monitor {
	struct db *db;
	struct ticker *ticker;
	mongoc_uri_t *probe_uri; /* the pool's URI with the probe's timeouts */
	mongoc_client_t *client; /* the probe's own; NULL after a failure */
	atomic_bool up;          /* read lock-free by db_client */
	pthread_mutex_t lock;    /* guards what follows */
	uint64_t trips;          /* counts db_trip calls */
	int64_t since_ms;
	char error[160];
};

/* Returns db's monitor or NULL. Set before the server starts and cleared
 * by db_close once the pools (whose threads may trip it) are gone. */
static struct db_monitor *monitor_of(const struct db *db)
{
	return __atomic_load_n(&db->monitor, __ATOMIC_ACQUIRE);
}

/* Sets the state and logs each change; caller holds m->lock. */
static void set_state(struct db_monitor *m, bool up, const char *why)
{
	bool was = atomic_load(&m->up);
	int64_t now = doc_now_ms();
	if (up != was) {
		if (up)
			log_info(NULL, "database: back after %lld ms",
				 (long long)(now - m->since_ms));
		else
			log_error(NULL, "database: down (%s); calls fail at once until it answers",
				  why);
		m->since_ms = now;
		atomic_store(&m->up, up);
	}
	snprintf(m->error, sizeof(m->error), "%s", up ? "" : why);
}

/* Pings the server on the probe's client. A client whose server failed is
 * dropped: a single-threaded libmongoc client would not try that server
 * again for 5 s (its cooldown), longer than recovery may take. Returns
 * true when the server answered; why otherwise. */
static bool probe(struct db_monitor *m, bson_error_t *why)
{
	if (!m->client) {
		m->client = mongoc_client_new_from_uri(m->probe_uri);
		if (!m->client) {
			bson_set_error(why, MONGOC_ERROR_CLIENT, MONGOC_ERROR_CLIENT_NOT_READY,
				       "cannot create the probe's client");
			return false;
		}
		mongoc_client_set_error_api(m->client, MONGOC_ERROR_API_VERSION_2);
	}
	if (db_ping(m->client, why))
		return true;
	mongoc_client_destroy(m->client);
	m->client = NULL;
	return false;
}

/* Probes once and records the result, unless a trip came in meanwhile:
 * that probe may have run before the server went away, so it proves
 * nothing and the next one decides. */
static void probe_and_record(struct db_monitor *m)
{
	pthread_mutex_lock(&m->lock);
	uint64_t trips = m->trips;
	pthread_mutex_unlock(&m->lock);
	bson_error_t why;
	bool up = probe(m, &why);
	pthread_mutex_lock(&m->lock);
	if (!up)
		set_state(m, false, why.message);
	else if (trips == m->trips)
		set_state(m, true, "");
	pthread_mutex_unlock(&m->lock);
}

/* Returns the wait until the next probe, as the state now calls for. */
static long probe_period(const struct db_monitor *m)
{
	return atomic_load(&m->up) ? DB_PROBE_UP_MS : DB_PROBE_DOWN_MS;
}

/* The ticker's job: one probe. A trip wakes the ticker, so the next one
 * comes at once. Returns the wait until the next. */
static long monitor_pass(struct ticker *t, void *ctx)
{
	(void)t;
	struct db_monitor *m = ctx;
	probe_and_record(m);
	return probe_period(m);
}

/* Returns a copy of uri with every timeout the probe needs. */
static mongoc_uri_t *probe_uri(const mongoc_uri_t *uri)
{
	mongoc_uri_t *copy = mongoc_uri_copy(uri);
	const char *const options[] = {MONGOC_URI_SERVERSELECTIONTIMEOUTMS,
				       MONGOC_URI_CONNECTTIMEOUTMS, MONGOC_URI_SOCKETTIMEOUTMS};
	for (size_t i = 0; i < sizeof(options) / sizeof(*options); i++)
		mongoc_uri_set_option_as_int32(copy, options[i], DB_PROBE_TIMEOUT_MS);
	mongoc_uri_set_option_as_bool(copy, MONGOC_URI_SERVERSELECTIONTRYONCE, true);
	mongoc_uri_set_appname(copy, "cousilab-monitor");
	return copy;
}

int db_monitor_start(struct db *db)
{
	struct db_monitor *m = xcalloc(1, sizeof(*m));
	m->db = db;
	m->probe_uri = probe_uri(db->uri);
	pthread_mutex_init(&m->lock, NULL);
	m->since_ms = doc_now_ms();
	atomic_store(&m->up, true);
	probe_and_record(m);
	m->ticker = ticker_start(monitor_pass, m, probe_period(m));
	if (!m->ticker) {
		log_error(NULL, "database: the monitor cannot start");
		if (m->client)
			mongoc_client_destroy(m->client);
		mongoc_uri_destroy(m->probe_uri);
		pthread_mutex_destroy(&m->lock);
		free(m);
		return -1;
	}
	__atomic_store_n(&db->monitor, m, __ATOMIC_RELEASE);
	return 0;
}

void db_monitor_stop(struct db *db)
{
	struct db_monitor *m = monitor_of(db);
	if (!m)
		return;
	ticker_stop(m->ticker);
	__atomic_store_n(&db->monitor, NULL, __ATOMIC_RELEASE);
	if (m->client)
		mongoc_client_destroy(m->client);
	mongoc_uri_destroy(m->probe_uri);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

bool db_available(const struct db *db)
{
	struct db_monitor *m = monitor_of(db);
	return !m || atomic_load(&m->up);
}

void db_state_get(const struct db *db, struct db_state *out)
{
	struct db_monitor *m = monitor_of(db);
	*out = (struct db_state){.up = true};
	if (!m)
		return;
	pthread_mutex_lock(&m->lock);
	out->up = atomic_load(&m->up);
	out->since_ms = m->since_ms;
	snprintf(out->error, sizeof(out->error), "%s", m->error);
	pthread_mutex_unlock(&m->lock);
}

void db_trip(struct db *db, const char *reason)
{
	struct db_monitor *m = monitor_of(db);
	if (!m)
		return;
	pthread_mutex_lock(&m->lock);
	m->trips++;
	set_state(m, false, reason);
	pthread_mutex_unlock(&m->lock);
	ticker_wake(m->ticker);
}
