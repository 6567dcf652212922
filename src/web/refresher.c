#include "web/refresher.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "app.h"
#include "core/deadline.h"
#include "core/xalloc.h"
#include "db/monitor.h"
#include "http/request_io.h"

struct refresher {
	pthread_t thread;
	const struct app *app;
	refresher_task *tasks;
	size_t n;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stopping;
};

/* Returns true once a stop was asked for. Takes the lock. */
static bool stop_asked(struct refresher *r)
{
	pthread_mutex_lock(&r->lock);
	bool stopping = r->stopping;
	pthread_mutex_unlock(&r->lock);
	return stopping;
}

/* Runs every task once on a fresh offline request. A stop asked for
 * meanwhile skips the tasks left: shutting down must not wait for a
 * whole pass (the first one loads the catalogue). */
static void pass(struct refresher *r)
{
	struct request *req = request_offline(r->app);
	for (size_t i = 0; i < r->n && db_available(r->app->db) && !stop_asked(r); i++)
		r->tasks[i](req);
	request_offline_free(req);
}

static void *refresher_main(void *arg)
{
	struct refresher *r = arg;
	pthread_mutex_lock(&r->lock);
	while (!r->stopping) {
		pthread_mutex_unlock(&r->lock);
		if (db_available(r->app->db))
			pass(r);
		struct timespec until = deadline_in_ms(CLOCK_REALTIME, REFRESHER_PERIOD_MS);
		pthread_mutex_lock(&r->lock);
		while (!r->stopping && pthread_cond_timedwait(&r->wake, &r->lock, &until) == 0)
			;
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

struct refresher *refresher_start(const struct app *app, const refresher_task *tasks,
				  size_t n)
{
	struct refresher *r = xcalloc(1, sizeof(*r));
	r->app = app;
	r->tasks = xmalloc(n * sizeof(*tasks));
	for (size_t i = 0; i < n; i++)
		r->tasks[i] = tasks[i];
	r->n = n;
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->wake, NULL);
	if (pthread_create(&r->thread, NULL, refresher_main, r) != 0) {
		pthread_cond_destroy(&r->wake);
		pthread_mutex_destroy(&r->lock);
		free(r->tasks);
		free(r);
		return NULL;
	}
	return r;
}

void refresher_request_stop(struct refresher *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->lock);
	r->stopping = true;
	pthread_cond_signal(&r->wake);
	pthread_mutex_unlock(&r->lock);
}

void refresher_stop(struct refresher *r)
{
	if (!r)
		return;
	refresher_request_stop(r);
	pthread_join(r->thread, NULL);
	pthread_cond_destroy(&r->wake);
	pthread_mutex_destroy(&r->lock);
	free(r->tasks);
	free(r);
}
