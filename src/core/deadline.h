/* Deadlines for pthread_cond_timedwait and pthread_timedjoin_np. */
#ifndef COUSILAB_DEADLINE_H
#define COUSILAB_DEADLINE_H

#include <pthread.h>
#include <time.h>

/* Initialises c for timed waits on CLOCK_MONOTONIC (deadline_in_ms with
 * that clock): a step of the wall clock must not stretch or cut them.
 * The caller destroys c (pthread_cond_destroy). */
static inline void deadline_cond_init(pthread_cond_t *c)
{
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(c, &attr);
	pthread_condattr_destroy(&attr);
}

/* Returns the instant ms milliseconds from now on clock (CLOCK_REALTIME
 * for a default condition variable). */
static inline struct timespec deadline_in_ms(clockid_t clock, long ms)
{
	struct timespec t;
	clock_gettime(clock, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

#endif
