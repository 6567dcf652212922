/* The ticker behind every background thread: it runs its job, runs it
 * early when woken, stops promptly in the middle of a long wait, and lets
 * a long job see the stop. Bounds are generous: a slow machine must not
 * fail them, a ticker that ignores a wake or a stop must. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "core/log.h"
#include "core/ticker.h"

enum {
	HOUR_MS = 3600 * 1000,
	PATIENCE_US = 20 * 1000 * 1000, /* how long the test waits for a change */
};

struct probe {
	atomic_int runs;
	long wait_ms;             /* what the job returns */
	atomic_bool saw_stopping; /* the job saw ticker_stopping */
	atomic_bool stopping_at_first_run;
	bool hold_until_stop; /* the job runs until it sees the stop */
};

static long count_run(struct ticker *t, void *ctx)
{
	struct probe *p = ctx;
	if (atomic_load(&p->runs) == 0)
		atomic_store(&p->stopping_at_first_run, ticker_stopping(t));
	atomic_fetch_add(&p->runs, 1);
	uint64_t give_up = now_us() + PATIENCE_US;
	while (p->hold_until_stop && !ticker_stopping(t) && now_us() < give_up)
		nanosleep(&(struct timespec){.tv_nsec = 1000000}, NULL);
	atomic_store(&p->saw_stopping, ticker_stopping(t));
	return p->wait_ms;
}

/* Returns true once the job has run at least n times, false if it does
 * not within PATIENCE_US. */
static bool runs_reach(struct probe *p, int n)
{
	uint64_t give_up = now_us() + PATIENCE_US;
	while (atomic_load(&p->runs) < n && now_us() < give_up)
		nanosleep(&(struct timespec){.tv_nsec = 1000000}, NULL);
	return atomic_load(&p->runs) >= n;
}

/* Returns a ticker of job on p once the job has run (at once). */
static struct ticker *started_and_run(ticker_job *job, struct probe *p)
{
	struct ticker *t = ticker_start(job, p, 0);
	assert_non_null(t);
	assert_true(runs_reach(p, 1));
	return t;
}

static void runs_at_once_then_every_period(void **state)
{
	(void)state;
	struct probe p = {.wait_ms = 5};
	struct ticker *t = ticker_start(count_run, &p, 0);
	assert_non_null(t);
	assert_true(runs_reach(&p, 3));
	assert_false(atomic_load(&p.stopping_at_first_run));
	ticker_stop(t);
}

static void waits_first_ms_before_the_first_run(void **state)
{
	(void)state;
	struct probe p = {.wait_ms = HOUR_MS};
	struct ticker *t = ticker_start(count_run, &p, HOUR_MS);
	assert_non_null(t);
	nanosleep(&(struct timespec){.tv_nsec = 50 * 1000000}, NULL);
	assert_int_equal(atomic_load(&p.runs), 0);
	ticker_stop(t);
	assert_int_equal(atomic_load(&p.runs), 0);
}

static void a_wake_runs_the_job_before_its_time(void **state)
{
	(void)state;
	struct probe p = {.wait_ms = HOUR_MS};
	struct ticker *t = started_and_run(count_run, &p);
	ticker_wake(t);
	assert_true(runs_reach(&p, 2));
	ticker_wake(t);
	assert_true(runs_reach(&p, 3));
	ticker_stop(t);
}

static void a_stop_ends_an_hour_long_wait_promptly(void **state)
{
	(void)state;
	struct probe p = {.wait_ms = HOUR_MS};
	struct ticker *t = started_and_run(count_run, &p);
	uint64_t start = now_us();
	ticker_request_stop(t);
	ticker_stop(t);
	assert_true(now_us() - start < PATIENCE_US);
	assert_int_equal(atomic_load(&p.runs), 1);
}

static void a_running_job_sees_the_stop(void **state)
{
	(void)state;
	struct probe p = {.wait_ms = 0, .hold_until_stop = true};
	struct ticker *t = started_and_run(count_run, &p);
	assert_false(ticker_stopping(t));
	uint64_t start = now_us();
	ticker_stop(t);
	assert_true(now_us() - start < PATIENCE_US);
	assert_true(atomic_load(&p.saw_stopping));
	assert_int_equal(atomic_load(&p.runs), 1); /* no run after the stop */
}

/* The job pauses with ticker_sleep for an hour: the stop ends the pause. */
static long sleep_an_hour(struct ticker *t, void *ctx)
{
	struct probe *p = ctx;
	atomic_fetch_add(&p->runs, 1);
	ticker_sleep(t, HOUR_MS);
	atomic_store(&p->saw_stopping, ticker_stopping(t));
	return HOUR_MS;
}

static void a_stop_ends_a_sleep_in_the_job(void **state)
{
	(void)state;
	struct probe p = {0};
	struct ticker *t = started_and_run(sleep_an_hour, &p);
	ticker_wake(t); /* does not end the sleep: still one run */
	uint64_t start = now_us();
	ticker_stop(t);
	assert_true(now_us() - start < PATIENCE_US);
	assert_true(atomic_load(&p.saw_stopping));
	assert_int_equal(atomic_load(&p.runs), 1);
}

static void null_is_accepted(void **state)
{
	(void)state;
	ticker_wake(NULL);
	ticker_request_stop(NULL);
	ticker_stop(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(runs_at_once_then_every_period),
		cmocka_unit_test(waits_first_ms_before_the_first_run),
		cmocka_unit_test(a_wake_runs_the_job_before_its_time),
		cmocka_unit_test(a_stop_ends_an_hour_long_wait_promptly),
		cmocka_unit_test(a_running_job_sees_the_stop),
		cmocka_unit_test(a_stop_ends_a_sleep_in_the_job),
		cmocka_unit_test(null_is_accepted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
