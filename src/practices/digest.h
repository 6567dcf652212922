/* The daily digest: once a day, whoever follows practice sheets gets one
 * mail, through the outbox, listing what others wrote on them in the
 * last 24 hours: new comments and new versions.
 *
 * Collection "digests": _id "<user id>:<YYYY-MM-DD>" (the Paris day),
 * user_id, day, at. Inserting it is the claim that allows the mail: the
 * unique _id is the one atomic primitive every backend offers, so two
 * processes, hosts or runs never send a user two digests the same day.
 *
 * The serve process runs a pass each day once the Paris hour reaches
 * $COUSILAB_DIGEST_HOUR (default 7; also at start when later than that,
 * the claims making the catch-up harmless); `cousilab digest --now` runs
 * one pass at once. */
#ifndef COUSILAB_DIGEST_H
#define COUSILAB_DIGEST_H

#include <stdint.h>

struct app;
struct digest_thread;

enum { DIGEST_DEFAULT_HOUR = 7 };

/* Writes the Paris day of ms ("YYYY-MM-DD") to day and its Paris hour
 * (0-23) to *hour. Pure. */
void digest_paris_day(int64_t ms, char day[11], int *hour);

/* Runs one pass at now_ms with app's database, views and base URL.
 * Returns how many digests were queued, or -1 after logging a database
 * error (mails already queued stay queued). Thread-safe. */
int digest_run(const struct app *app, int64_t now_ms);

/* Starts the daily thread (checks the clock every minute, first at once).
 * app must outlive it. Allocates; returns NULL if it cannot start, else
 * the caller owns the result (digest_stop). */
struct digest_thread *digest_start(const struct app *app);

/* Asks the thread to stop after its current pass, without waiting; NULL
 * is fine. */
void digest_request_stop(struct digest_thread *t);

/* Stops the thread, waits for it and frees it; NULL is fine. */
void digest_stop(struct digest_thread *t);

#endif
