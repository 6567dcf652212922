/* What the juries and the grand jury decide (issue 13): one state per
 * category of an edition, one results document per edition. Read on many
 * pages (the juries, the ranking, the finalists, the grand jury, the
 * laureates), written a few dozen times a year: every process keeps both
 * collections whole in versioned caches (db/cache.h), so reads never reach
 * the database; every write reloads them everywhere within a second.
 *
 * Collection "gpi_category_states", _id "<year>:<category>":
 *   year (int), category (code), sponsor (free text: the category's
 *   sponsor partner), scoring_closed_at (UTC ms) and scoring_closed_by
 *   (user id), finalists [candidature ids], finalists_by (user id),
 *   finalists_at (UTC ms), minutes (text: the jury's discussion),
 *   awards {or, argent, bronze} (candidature ids, each absent until
 *   awarded), awards_by, awards_at, rev (int64), updated_at (UTC ms).
 * Collection "gpi_edition_results", _id "<year>":
 *   year (int), coup_de_coeur (candidature id) with coup_de_coeur_by and
 *   coup_de_coeur_at, special {candidature_id, title} with special_by and
 *   special_at, notifications_sent_at (UTC ms: the last time the phase
 *   mails were sent), published_mail_at (UTC ms: the laureates' mails went
 *   out), rev (int64), updated_at (UTC ms).
 * Instants are integers of UTC ms: nothing queries them. A field absent
 * means "not decided yet"; an empty string set by a setter clears it.
 *
 * Who may read these is the callers' business: before the ceremony the
 * awards are under embargo (gpi-results' gpi_results_published). */
#ifndef COUSILAB_GPI_RESULTS_H
#define COUSILAB_GPI_RESULTS_H

#include <bson/bson.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct audit_actor;
struct db_ctx;

#define GPI_CATEGORY_STATES "gpi_category_states"
#define GPI_EDITION_RESULTS "gpi_edition_results"

/* The prizes, in the order the laureates page shows them. */
enum gpi_prize {
	GPI_PRIZE_OR,
	GPI_PRIZE_ARGENT,
	GPI_PRIZE_BRONZE,
	GPI_PRIZE_COUP_DE_COEUR,
	GPI_PRIZE_SPECIAL,
	GPI_PRIZE_COUNT,
};

/* The per-category prizes (Or, Argent, Bronze) are the first three. */
enum { GPI_CATEGORY_PRIZES = 3 };

/* Returns the code of prize ("or", "argent", "bronze", "coup-de-coeur",
 * "special": the API's `prize`, and the keys of a state's awards for the
 * first three). Static. */
const char *gpi_prize_code(enum gpi_prize prize);

/* Returns the French name of prize ("Or", "Coup de cœur", "Prix
 * spécial"…). Static. */
const char *gpi_prize_label(enum gpi_prize prize);

/* Returns the prize of code, or -1 (NULL included). Pure. */
int gpi_prize_from(const char *code);

/* ---- Reading (from the cache) ---- */

/* Returns the state of category in edition year, borrowed until db's
 * arena is freed (which keeps the cache's reference for it): an empty
 * object when nothing was recorded for it yet. NULL with err set when the
 * database fails and nothing is cached yet. Does not allocate for the
 * caller. */
const json_t *gpi_category_state(struct db_ctx *db, int year, const char *category,
				 bson_error_t *err);

/* Returns the results of edition year, borrowed as gpi_category_state's:
 * an empty object when nothing was recorded yet; NULL with err set as
 * above. */
const json_t *gpi_edition_results(struct db_ctx *db, int year, bson_error_t *err);

/* The fields of a state or results document (pure, borrowed from it;
 * NULL or false when absent). */
const char *gpi_state_sponsor(const json_t *state);
bool gpi_state_scoring_closed(const json_t *state);
/* The finalists' ids, a JSON array (NULL before they are recorded). */
const json_t *gpi_state_finalists(const json_t *state);
bool gpi_state_is_finalist(const json_t *state, const char *candidature_id);
/* The candidature awarded prize (Or, Argent, Bronze in the state; coup de
 * cœur and special in the results), or NULL. */
const char *gpi_state_award(const json_t *state, enum gpi_prize prize);
const char *gpi_results_award(const json_t *results, enum gpi_prize prize);
/* The special prize's title, or NULL. */
const char *gpi_results_special_title(const json_t *results);

/* ---- Writing: each write is audited as done by `by`, claimed on the
 * document's next revision (no lost update between two writers), then
 * every process reloads. Each returns 0, or -1 with err set. ---- */

/* Names the category's sponsor partner ("" removes it). Audit
 * "gpi.jury.sponsor". */
int gpi_state_set_sponsor(struct db_ctx *db, const struct audit_actor *by, int year,
			  const char *category, const char *sponsor, bson_error_t *err);

/* Closes scoring for the category now (server's clock), by by->id. Audit
 * "gpi.scoring.close". */
int gpi_state_close_scoring(struct db_ctx *db, const struct audit_actor *by, int year,
			    const char *category, bson_error_t *err);

/* Records the finalists (ids: a JSON array of candidature ids, borrowed,
 * already checked by the finalists rule) and the minutes, by by->id, now.
 * Audit "gpi.finalists". */
int gpi_state_set_finalists(struct db_ctx *db, const struct audit_actor *by, int year,
			    const char *category, const json_t *ids, const char *minutes,
			    bson_error_t *err);

/* Records the category's Or, Argent, Bronze (ids[i] for prize i; checked
 * by the awards rule), by by->id, now. Audit "gpi.award.category". */
int gpi_state_set_awards(struct db_ctx *db, const struct audit_actor *by, int year,
			 const char *category, const char *const ids[GPI_CATEGORY_PRIZES],
			 bson_error_t *err);

/* Records the edition's coup de cœur (id; "" withdraws it). Audit
 * "gpi.award.coup-de-coeur". */
int gpi_results_set_coup_de_coeur(struct db_ctx *db, const struct audit_actor *by, int year,
				  const char *id, bson_error_t *err);

/* Records the edition's special prize (id and title; id "" withdraws it).
 * Audit "gpi.award.special". */
int gpi_results_set_special(struct db_ctx *db, const struct audit_actor *by, int year,
			    const char *id, const char *title, bson_error_t *err);

/* The instants the results document keeps. */
enum gpi_results_instant {
	GPI_RESULTS_NOTIFICATIONS_SENT, /* "notifications_sent_at" */
	GPI_RESULTS_PUBLISHED_MAIL,	/* "published_mail_at" */
};

/* Records instant which of edition year as at_ms. Audit
 * "gpi.notifications" or "gpi.results.mailed". */
int gpi_results_mark(struct db_ctx *db, const struct audit_actor *by, int year,
		     enum gpi_results_instant which, int64_t at_ms, bson_error_t *err);

/* Returns the instant which of results (UTC ms), 0 when not yet. Pure. */
int64_t gpi_results_instant(const json_t *results, enum gpi_results_instant which);

#endif
