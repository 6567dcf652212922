#include "core/ticker.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/deadline.h"
#include "core/log.h"
#include "core/xalloc.h"

struct ticker {
	pthread_t thread;
	ticker_job *job;
	void *ctx;
	long first_ms;
	/* Set under lock, so that a thread about to wait cannot miss it;
	 * atomic, so that a job reads it without the lock. */
	atomic_bool stopping;
	pthread_mutex_t lock;
	pthread_cond_t cond; /* on CLOCK_MONOTONIC */
	bool woken;          /* under lock */
};

/* Waits up to ms, less at a stop or, if by_wake, when woken; caller
 * holds t->lock. The deadline is fixed once, so spurious wakeups do not
 * extend the wait. */
static void wait_locked(struct ticker *t, long ms, bool by_wake)
{
	struct timespec until = deadline_in_ms(CLOCK_MONOTONIC, ms > 0 ? ms : 0);
	while (!(by_wake && t->woken) && !atomic_load(&t->stopping) &&
	       pthread_cond_timedwait(&t->cond, &t->lock, &until) != ETIMEDOUT)
		;
}

/* The thread: wait, run, until a stop. Returns NULL (nothing to join). */
static void *ticker_main(void *arg)
{
	struct ticker *t = arg;
	long wait_ms = t->first_ms;
	pthread_mutex_lock(&t->lock);
	for (;;) {
		wait_locked(t, wait_ms, true);
		if (atomic_load(&t->stopping))
			break;
		/* Consumed by this run; a wake from now on is for the next. */
		t->woken = false;
		pthread_mutex_unlock(&t->lock);
		wait_ms = t->job(t, t->ctx);
		pthread_mutex_lock(&t->lock);
	}
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

/* Frees t, whose thread is over or never started. */
static void ticker_free(struct ticker *t)
{
	pthread_cond_destroy(&t->cond);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

struct ticker *ticker_start(ticker_job *job, void *ctx, long first_ms)
{
	struct ticker *t = xcalloc(1, sizeof(*t));
	t->job = job;
	t->ctx = ctx;
	t->first_ms = first_ms;
	atomic_init(&t->stopping, false);
	pthread_mutex_init(&t->lock, NULL);
	deadline_cond_init(&t->cond);

	/* The thread inherits this mask. */
	sigset_t all, saved;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &saved);
	int rc = pthread_create(&t->thread, NULL, ticker_main, t);
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	if (rc) {
		log_error(NULL, "ticker: pthread_create: %s", strerror(rc));
		ticker_free(t);
		return NULL;
	}
	return t;
}

void ticker_wake(struct ticker *t)
{
	if (!t)
		return;
	pthread_mutex_lock(&t->lock);
	t->woken = true;
	pthread_cond_signal(&t->cond);
	pthread_mutex_unlock(&t->lock);
}

void ticker_sleep(struct ticker *t, long ms)
{
	pthread_mutex_lock(&t->lock);
	wait_locked(t, ms, false);
	pthread_mutex_unlock(&t->lock);
}

bool ticker_stopping(struct ticker *t)
{
	return atomic_load(&t->stopping);
}

void ticker_request_stop(struct ticker *t)
{
	if (!t)
		return;
	pthread_mutex_lock(&t->lock);
	atomic_store(&t->stopping, true);
	pthread_cond_signal(&t->cond);
	pthread_mutex_unlock(&t->lock);
}

void ticker_stop(struct ticker *t)
{
	if (!t)
		return;
	ticker_request_stop(t);
	pthread_join(t->thread, NULL);
	ticker_free(t);
}
