/* Grand Prix de l'innovation editions: one document per yearly contest,
 * created and edited by the secretariat. An edition's rules are data (the
 * 2019 contest had other dates and a 2016–2018 window than 2022's).
 *
 * Collection "gpi_editions", _id = the year as a string ("2022"):
 *   year (int), title,
 *   categories [{code, name, description}] (codes are slugs, unique in the
 *     edition: "relation-usagers", "sociale", ...; a candidature names one),
 *   launch_at, deadline_at (BSON dates, UTC; the deadline is the last
 *     accepted instant, inclusive to the second),
 *   window_start, window_end ("YYYY-MM-DD", inclusive: the first and last
 *     day a realisation may have started on),
 *   phases {analysis, preselection, notification, audition, ceremony:
 *     {start, end}} (BSON dates, UTC; start is the first instant of the
 *     phase, end its last, inclusive: a one-day phase runs from 00:00:00 to
 *     23:59:59 Paris),
 *   limits {dossier_max_bytes, video_max_bytes, video_max_seconds}
 *     (integers, > 0; "Mo" = 1024 × 1024 bytes),
 *   gold_endowment_eur (int, >= 0),
 *   contact {name, email} (the secretariat's),
 *   rules (Markdown source, rendered safe),
 *   criteria [{code, label, weight}] (the jury's grid, article 4; weight
 *     an int >= 1),
 *   example (bool, invented demo data), rev (int64), created_at, updated_at.
 *
 * There is one edition a year, so every process keeps all of them in a
 * versioned cache (db/cache.h) and reads never reach the database. In the
 * JSON values handed out here (the cache's), every instant is an integer
 * (UTC milliseconds), phases' included; the API's JSON (edition_view.h)
 * writes them as ISO 8601 strings and adds is_open. */
#ifndef COUSILAB_GPI_EDITION_H
#define COUSILAB_GPI_EDITION_H

#include <bson/bson.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct audit_actor;
struct db_ctx;
struct gpi_edition_input;
struct request;

/* The phases of an edition, in calendar order. */
enum gpi_phase {
	GPI_PHASE_ANALYSIS,
	GPI_PHASE_PRESELECTION,
	GPI_PHASE_NOTIFICATION,
	GPI_PHASE_AUDITION,
	GPI_PHASE_CEREMONY,
	GPI_PHASE_COUNT,
};

/* The upload limits an edition sets. */
enum gpi_limit {
	GPI_LIMIT_DOSSIER_BYTES,
	GPI_LIMIT_VIDEO_BYTES,
	GPI_LIMIT_VIDEO_SECONDS,
	GPI_LIMIT_COUNT,
};

/* Returns the JSON key of phase ("analysis", ...), static. */
const char *gpi_phase_key(enum gpi_phase phase);

/* Returns the JSON key of limit ("dossier_max_bytes", ...), static. */
const char *gpi_limit_key(enum gpi_limit limit);

/* Returns the edition of year, borrowed from the cache: valid until the
 * context's arena is freed (the cache keeps a reference for it). NULL
 * with err->code 0 when there is no such edition; NULL with err set when
 * the database fails and nothing is cached yet. Does not allocate for the
 * caller. */
const json_t *gpi_edition_get(struct db_ctx *db, int year, bson_error_t *err);

/* Returns every edition, newest year first (a new reference to the
 * cache's array: json_decref it), or NULL with err set when the database
 * fails and nothing is cached yet. */
json_t *gpi_editions_all(struct db_ctx *db, bson_error_t *err);

/* Returns the edition's year. Pure. */
int gpi_edition_year(const json_t *e);

/* Returns the filing deadline, UTC ms: the last accepted instant. Pure. */
int64_t gpi_edition_deadline_ms(const json_t *e);

/* Returns whether filing is open at now_ms: launch_at <= now <=
 * deadline_at, compared to the second (a deadline of 21:30:00 accepts
 * 21:30:00.999 and refuses 21:30:01, which is what a person reading a
 * clock expects). Pure. */
bool gpi_edition_is_open(const json_t *e, int64_t now_ms);

/* Returns whether the deadline has passed at now_ms (same second rule as
 * gpi_edition_is_open): from then on candidates may only read. Pure. */
bool gpi_edition_is_past_deadline(const json_t *e, int64_t now_ms);

/* Returns the category of code ({code, name, description}, borrowed from
 * e), or NULL when code is not one of e's categories. Pure. */
const json_t *gpi_edition_category(const json_t *e, const char *code);

/* Returns the limit which of e (bytes or seconds), 0 when e has none
 * (never for an edition that passed the rules). Pure. */
int64_t gpi_edition_limit(const json_t *e, enum gpi_limit which);

/* Returns whether day ("YYYY-MM-DD") is inside e's realisation window,
 * both ends included; false for anything that is not such a day. Pure. */
bool gpi_edition_in_window(const json_t *e, const char *day);

/* Sets *start_ms and *end_ms (UTC ms, both inclusive) to phase's bounds.
 * Returns 0, or -1 when e has no such phase. Pure. */
int gpi_edition_phase(const json_t *e, enum gpi_phase phase, int64_t *start_ms, int64_t *end_ms);

/* Returns the edition /grand-prix puts first: the one open for filing at
 * now_ms, else the next one to open, else the latest (editions as
 * gpi_editions_all gives them, newest first). Borrowed from editions;
 * NULL when there is none. Pure. */
const json_t *gpi_edition_current(const json_t *editions, int64_t now_ms);

/* Creates the edition in (checked by gpi_edition_check), audited as done
 * by by. Returns 0; -1 with err set, whose code is 11000 when the year
 * already has an edition. Then every process reloads the editions. */
int gpi_edition_create(struct db_ctx *db, const struct audit_actor *by,
		       const struct gpi_edition_input *in, bson_error_t *err);

/* Replaces the editable fields of edition current (from the cache) by
 * in's, once its next revision is claimed: a writer who read revision rev
 * while another saved it gets a conflict error (db_fail: 409). Audited.
 * Returns 0, or -1 with err set. */
int gpi_edition_update(struct request *req, const json_t *current, int64_t rev,
		       const struct gpi_edition_input *in, bson_error_t *err);

#endif
