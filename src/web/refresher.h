/* The background refresher: one thread per serving process that keeps
 * the in-process copies of shared data (the versioned caches, the
 * catalogue) up to date, so that requests only ever read them. It runs its
 * tasks every REFRESHER_PERIOD_MS while the database monitor says the
 * server is up, and skips them while it is down: the copies then stay as
 * they were, and catch up on the first pass after it returns. */
#ifndef COUSILAB_REFRESHER_H
#define COUSILAB_REFRESHER_H

#include <stddef.h>

struct app;
struct db_ctx;
struct refresher;

enum { REFRESHER_PERIOD_MS = 250 };

/* One task: brings its copy up to date through db, a context of the
 * refresher's own (no request: nobody asked), with app's settings.
 * Returns 0, or -1 after logging why. */
typedef int (*refresher_task)(const struct app *app, struct db_ctx *db);

/* Starts the thread with n tasks (tasks is copied), run in that order;
 * the first pass starts at once; app must outlive it. Allocates; returns
 * NULL if the thread cannot start, else the caller owns the result
 * (refresher_stop). */
struct refresher *refresher_start(const struct app *app, const refresher_task *tasks, size_t n);

/* Asks the thread to stop after its current pass (NULL-safe). */
void refresher_request_stop(struct refresher *r);

/* Stops the thread, waits for it and frees r (NULL-safe). */
void refresher_stop(struct refresher *r);

#endif
