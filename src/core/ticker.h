/* A background thread that runs one job now and then: at start (or after
 * a first delay), then again after whatever wait the job asks for, early
 * when woken, until a stop is asked for. The janitor, the digest, the
 * refresher, the mail sender and the database monitor are tickers.
 *
 * Waits are measured on CLOCK_MONOTONIC, so a change of the wall clock
 * neither stretches nor cuts them. A stop is seen at once by a waiting
 * thread; a running job sees it through ticker_stopping and decides
 * itself how soon to return (nothing is cancelled under it). */
#ifndef COUSILAB_TICKER_H
#define COUSILAB_TICKER_H

#include <stdbool.h>

struct ticker;

/* One run of the job, on the ticker's thread; t is the ticker running it
 * (for ticker_stopping), ctx the pointer given to ticker_start. Returns
 * how many milliseconds to wait before the next run: 0 (or less) runs it
 * again at once. */
typedef long ticker_job(struct ticker *t, void *ctx);

/* Starts a thread that waits first_ms (0: not at all), then runs job and
 * waits as it says, over and over until a stop. The thread blocks every
 * signal: process signals must reach the thread that waits for them
 * (server_run's), never a ticker. ctx stays the caller's and must outlive
 * the ticker. Allocates; returns NULL (logged) when the thread cannot
 * start, else the caller owns the result (ticker_stop). */
struct ticker *ticker_start(ticker_job *job, void *ctx, long first_ms);

/* Ends the wait in progress or the next one, so that the job runs again
 * now: a wake that comes while the job runs is kept for the wait after
 * it, since the run may have looked before the cause of the wake. Cheap;
 * safe from any thread; NULL is accepted. */
void ticker_wake(struct ticker *t);

/* Returns true once a stop was asked for: a long job checks it between
 * steps. Lock-free; safe from any thread. */
bool ticker_stopping(struct ticker *t);

/* Pauses a job for up to ms, less at a stop (between retries, say). A
 * wake does not end it: it stays for the wait after the run. Call it
 * from the job only. */
void ticker_sleep(struct ticker *t, long ms);

/* Asks the thread to stop: a wait ends at once, a running job finishes
 * unless it checks ticker_stopping. Returns at once; NULL is accepted. */
void ticker_request_stop(struct ticker *t);

/* Asks for the stop if not done yet, waits for the thread to end (the
 * job's current run included) and frees t. NULL is accepted. */
void ticker_stop(struct ticker *t);

#endif
