/* The daily digest: once a day, whoever follows subjects (comments/
 * store.h) gets one mail, through the outbox, listing what others did on
 * them in the last 24 hours: new comments, and the news each subject's
 * feature adds (a practice's new versions).
 *
 * Collection "digests": _id "<user id>:<YYYY-MM-DD>" (the Paris day),
 * user_id, day, at. Inserting it is the claim that allows the mail: the
 * unique _id is the one atomic primitive every backend offers, so two
 * processes, hosts or runs never send a user two digests the same day.
 *
 * The serve process runs a pass each day once the Paris hour reaches
 * $COUSILAB_DIGEST_HOUR (default 7; also at start when later than that,
 * the claims making the catch-up harmless); `cousilab digest --now` runs
 * one pass at once. A pass scans the day's comments and the follows of
 * the subjects concerned: background work, where scanning is acceptable. */
#ifndef COUSILAB_COMMENTS_DIGEST_H
#define COUSILAB_COMMENTS_DIGEST_H

#include <bson/bson.h>
#include <jansson.h>
#include <stdint.h>

struct app;
struct arena;
struct comments_digest_thread;
struct db_ctx;

enum { COMMENTS_DIGEST_DEFAULT_HOUR = 7 };

/* What one pass offers a feature's hooks: its database and clock. */
struct comments_digest_pass {
	struct db_ctx *db;
	const char *base_url; /* the site's, for absolute links in mails */
	struct arena *arena;  /* the pass's: freed after it, with db */
	int64_t now_ms;
};

/* A kind of subject the digest tells about, given by its feature. */
struct comments_digest_kind {
	const char *kind; /* the subjects' kind: "practice" */
	/* Sets *title and *url (in the pass's arena) of subject id when it is
	 * to be told of (a published practice). Returns 1, 0 when not, -1
	 * with error set. */
	int (*describe)(const struct comments_digest_pass *p, const char *id, const char **title,
			const char **url, bson_error_t *error);
	/* The key news items go under in a section ("versions", NULL: none),
	 * and the template says "has_<key>" */
	const char *news_key;
	/* Adds to news ({subject id: [item]}) what happened since since_ms on
	 * this kind's subjects: items {by_id, ms, ...the template's fields}.
	 * A subject with news but no comment is told about too. Returns 0, or
	 * -1 with error set. May be NULL. */
	int (*news)(const struct comments_digest_pass *p, int64_t since_ms, json_t *news,
		    bson_error_t *error);
};

/* Writes the Paris day of ms ("YYYY-MM-DD") to day and its Paris hour
 * (0-23) to *hour. Pure. */
void comments_paris_day(int64_t ms, char day[11], int *hour);

/* Runs one pass at now_ms with app's database, views and base URL over
 * the subjects of kinds (NULL-terminated; borrowed). Returns how many
 * digests were queued, or -1 after logging a database error (mails
 * already queued stay queued). Thread-safe. */
int comments_digest_run(const struct app *app, const struct comments_digest_kind *const *kinds,
			int64_t now_ms);

/* Starts the daily thread (checks the clock every minute, first at once).
 * app and kinds must outlive it. Allocates; returns NULL if it cannot
 * start, else the caller owns the result (comments_digest_stop). */
struct comments_digest_thread *comments_digest_start(
	const struct app *app, const struct comments_digest_kind *const *kinds);

/* Asks the thread to stop after its current pass, without waiting; NULL
 * is fine. */
void comments_digest_request_stop(struct comments_digest_thread *t);

/* Stops the thread, waits for it and frees it; NULL is fine. */
void comments_digest_stop(struct comments_digest_thread *t);

#endif
