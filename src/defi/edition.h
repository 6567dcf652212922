/* Défi du Lab editions: one document per yearly hackathon, created and
 * edited by coordinators.
 *
 * Collection "defi_editions", _id = the year as a string ("2023"):
 *   year (int), title, theme, description (Markdown source), event_start,
 *   event_end ("YYYY-MM-DD"), location, signup_opens_at, signup_closes_at
 *   (BSON dates, UTC; the close is the last accepted instant, inclusive),
 *   min_team_size (int, default 6), max_team_size (int, absent = none),
 *   questions [{code, label, required}] (codes are slugs made by the
 *   server), example (bool, demo data), created_at, updated_at, rev.
 *
 * There is one edition a year, so every process keeps all of them in a
 * versioned cache (db/cache.h) and reads never reach the database. In the
 * JSON values handed out here, instants are integers (UTC milliseconds). */
#ifndef COUSILAB_DEFI_EDITION_H
#define COUSILAB_DEFI_EDITION_H

#include <bson/bson.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct audit_actor;
struct db_ctx;
struct defi_edition_input;
struct request;

enum { DEFI_DEFAULT_MIN_TEAM = 6 };

/* Returns the edition of year, borrowed from the cache: valid until the
 * context's arena is freed (the cache keeps a reference for it). NULL
 * with err unset when there is no such edition; NULL with err set when the
 * database fails and nothing is cached yet. Does not allocate for the
 * caller. */
const json_t *defi_edition_get(struct db_ctx *db, int year, bson_error_t *err);

/* Returns whether sign-ups are open at now_ms: signup_opens_at <= now_ms
 * <= signup_closes_at (the close is the last accepted instant). Pure. */
bool defi_edition_is_open(const json_t *edition, int64_t now_ms);

/* Returns the minimum team size (DEFI_DEFAULT_MIN_TEAM when absent). */
int defi_edition_min(const json_t *edition);

/* Returns the maximum team size, 0 when the edition has none. */
int defi_edition_max(const json_t *edition);

/* Returns every edition, newest year first (a new reference to the
 * cache's array), or NULL with err set when the database fails and
 * nothing is cached yet. */
json_t *defi_editions_all(struct db_ctx *db, bson_error_t *err);

/* Returns the edition that /defi puts first: the earliest one whose event
 * has not ended on the Paris day today ("YYYY-MM-DD"), else NULL. Borrowed
 * from editions (the array defi_editions_all gives). Pure. */
const json_t *defi_edition_current(const json_t *editions, const char *today);

/* Creates the edition in (checked by defi_edition_check), audited as done
 * by by. Returns 0; -1 with err set, whose code is 11000 when
 * the year already has an edition. Then every process reloads the
 * editions. */
int defi_edition_create(struct db_ctx *db, const struct audit_actor *by,
			const struct defi_edition_input *in, bson_error_t *err);

/* Replaces the editable fields of edition current (from the cache) by
 * in's, once its next revision is claimed: a writer who read revision
 * rev while another saved it gets a conflict error (db_fail: 409).
 * Returns 0, or -1 with err set. */
int defi_edition_update(struct request *req, const json_t *current, int64_t rev,
			const struct defi_edition_input *in, bson_error_t *err);

#endif
