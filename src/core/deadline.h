/* Deadlines for pthread_cond_timedwait and pthread_timedjoin_np. */
#ifndef COUSILAB_DEADLINE_H
#define COUSILAB_DEADLINE_H

#include <time.h>

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
