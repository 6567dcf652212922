#include "web/refresher.h"

#include <stdlib.h>

#include "core/app.h"
#include "core/arena.h"
#include "core/ticker.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "db/monitor.h"

struct refresher {
	struct ticker *ticker;
	const struct app *app;
	refresher_task *tasks;
	size_t n;
};

/* Runs every task once on a fresh database context, while the server is
 * up; the ticker's job. A stop asked for meanwhile skips the tasks left:
 * shutting down must not wait for a whole pass (the first one loads the
 * catalogue). Returns the wait until the next pass. */
static long pass(struct ticker *t, void *ctx)
{
	struct refresher *r = ctx;
	if (!db_available(r->app->db))
		return REFRESHER_PERIOD_MS;
	struct arena *a = arena_new();
	struct db_ctx *db = db_ctx_new(r->app->db, a, "refresher");
	for (size_t i = 0; i < r->n && db_available(r->app->db) && !ticker_stopping(t); i++)
		r->tasks[i](r->app, db);
	arena_free(a);
	return REFRESHER_PERIOD_MS;
}

struct refresher *refresher_start(const struct app *app, const refresher_task *tasks, size_t n)
{
	struct refresher *r = xcalloc(1, sizeof(*r));
	r->app = app;
	r->tasks = xmalloc(n * sizeof(*tasks));
	for (size_t i = 0; i < n; i++)
		r->tasks[i] = tasks[i];
	r->n = n;
	r->ticker = ticker_start(pass, r, 0);
	if (!r->ticker) {
		free(r->tasks);
		free(r);
		return NULL;
	}
	return r;
}

void refresher_request_stop(struct refresher *r)
{
	if (r)
		ticker_request_stop(r->ticker);
}

void refresher_stop(struct refresher *r)
{
	if (!r)
		return;
	ticker_stop(r->ticker);
	free(r->tasks);
	free(r);
}
