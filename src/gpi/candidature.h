/* Grand Prix candidatures: the document, its statuses, its storage and
 * every process's index of their summaries (issue 12; issue 13's juries
 * read the same rows).
 *
 * Collection "gpi_candidatures", _id 32 lowercase hex:
 *   year (int), category (an edition's category code), organisation_id
 *   (the filers' organisation), partner_organisation_ids [codes],
 *   project_id, project_slug ("" when not from a project), title, summary,
 *   objectives, actions, results, generalisation, interbranch, impact,
 *   endowment_use (texts), indicators [{name, unit, baseline, target,
 *   direction, latest_date, latest_value}] (copied from the project, may
 *   be edited away), started_on ("YYYY-MM-DD" or ""), completed (bool),
 *   costs, savings (texts covering the short, medium and long term; the
 *   API's {short, medium, long} objects are stored as one labelled text),
 *   contacts [{name, email,
 *   phone}], people [{id, name, role, publication_withdrawn (bool)}],
 *   status (GPI_STATUSES code), dossier {file_id, name, bytes, at (ms)} or
 *   absent, dossier_history [{file_id, name, bytes, at, replaced_at}]
 *   (oldest first), video {file_id, name, bytes, seconds, at} or absent,
 *   image_rights_at (ms, the article 10 box ticked before the last video),
 *   submitted_at (BSON date, the first submission) or absent,
 *   admissibility {admissible (bool), reason (article 5 code), comment,
 *   by_id, at (ms), notified_at (ms)} or absent, repositioning {to,
 *   message, announced_at (ms), by_id} (an announced move not confirmed
 *   yet) or absent, created_by (user id), example (bool), rev (int),
 *   created_at, updated_at (BSON dates). Instants inside objects are UTC
 *   milliseconds (int64): nothing queries them.
 *
 * "gpi_candidature_versions", _id "<id>:<rev>": {candidature_id, rev,
 *   by_id, at (date), doc (the whole candidature as it was at rev)}: every
 *   write keeps the state it replaces; listed by "gpi-versions:<id>".
 * Lookup list "gpi-project-candidatures:<project_id>" (db/lookup.h): the
 *   candidatures filed from a project, for the project page.
 * "gpi_project_claims", _id "<year>:<project_id>:<category>": the claim
 *   "one candidature per category for a project" (article 1), inserted
 *   before the draft.
 *
 * "gpi_candidature_changes", _id "all:<seq>" {candidature_id, at}: the
 *   change log (db/changelog.h) through which every write reaches every
 *   process's index (gpi_index_*) within a second, the writer's own
 *   process at once. */
#ifndef COUSILAB_GPI_CANDIDATURE_H
#define COUSILAB_GPI_CANDIDATURE_H

#include <bson/bson.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db_ctx;
struct request;
struct user;

#define GPI_CANDIDATURES "gpi_candidatures"
#define GPI_CANDIDATURE_VERSIONS "gpi_candidature_versions"
#define GPI_PROJECT_CLAIMS "gpi_project_claims"

/* Statuses, in the order of the process. Issue 13 appends its own
 * (non-retenue, finaliste) at the end of this table and the enum: codes
 * are what is stored, never the enum values. */
enum gpi_status {
	GPI_STATUS_BROUILLON,
	GPI_STATUS_DEPOSEE,
	GPI_STATUS_RECEVABLE,
	GPI_STATUS_IRRECEVABLE,
	GPI_STATUS_NON_RETENUE, /* issue 13: recevable, not among the finalists */
	GPI_STATUS_FINALISTE,   /* issue 13: one of its category's finalists */
	GPI_STATUS_COUNT
};

/* {code, French label} of each status, in enum order. */
extern const char *const GPI_STATUSES[GPI_STATUS_COUNT][2];

/* Returns the status of a stored code, or -1 (NULL included). Pure. */
int gpi_status_from(const char *code);

/* Returns the French label of a stored status code ("Déposée"), or the
 * code itself when unknown. Static or borrowed. */
const char *gpi_status_label(const char *code);

/* bson_error_t domain of the store's own refusals. */
enum { GPI_ERROR_DOMAIN = 0x6770 };
enum {
	GPI_ERROR_GONE = 1,  /* no such candidature (any more): 404 */
	GPI_ERROR_TAKEN = 2, /* the project has a candidature in that category */
};

/* Returns true when s has the form of a candidature id (32 lowercase
 * hex). Pure. */
bool gpi_candidature_id_ok(const char *s);

/* Returns candidature id as stored (doc_to_json form, plus
 * "submitted_at_ms"/"created_at_ms"/"updated_at_ms" integers), or NULL:
 * error->code 0 when there is no such candidature (or id is not an id).
 * One read by _id. New reference. */
json_t *gpi_candidature_load(struct db_ctx *db, const char *id, bson_error_t *error);

/* Inserts cand (a JSON object of the stored fields above except _id, rev,
 * status and the dates, which this sets: a new draft), by user by_id.
 * From a project (project_id not ""), claims the project's category of
 * the edition first (GPI_ERROR_TAKEN when another candidature has it) and
 * lists the draft under the project. Returns the new id (arena of db),
 * or NULL with error set. cand is borrowed. */
const char *gpi_candidature_insert(struct db_ctx *db, const json_t *cand, const char *by_id,
				   bool example, bson_error_t *error);

/* Changes a candidature in place (doc_to_json form with the *_ms
 * integers; write instants inside objects as integers of UTC ms, and
 * submitted_at as "submitted_at_ms"), given ctx. Returns 0 to have it
 * written, or a positive refusal code of the caller's that leaves it as it
 * is. */
typedef int (*gpi_candidature_edit_fn)(json_t *cand, void *ctx);

/* Reads candidature id, applies edit and writes it back by _id under a
 * claim on its next revision (a racing writer makes this one read again
 * and re-apply edit, so no change is lost), after keeping the previous
 * state in gpi_candidature_versions as written by by_id. expect_rev > 0
 * refuses (GPI_WRITE_STALE) when the stored revision is not that one (a
 * form edited from an older copy). Returns 0 with *saved (may be NULL)
 * the new state (new reference), edit's refusal code, GPI_WRITE_STALE, or
 * -1 with error set (GPI_ERROR_GONE: no such candidature). */
enum { GPI_WRITE_STALE = 1000 };
int gpi_candidature_write(struct db_ctx *db, const char *id, const char *by_id, int64_t expect_rev,
			  gpi_candidature_edit_fn edit, void *ctx, json_t **saved,
			  bson_error_t *error);

/* Returns the newest max versions of candidature id, newest first:
 * [{rev, by_id, at, at_fr}] without the documents (new reference), or
 * NULL with error set. */
json_t *gpi_candidature_versions(struct db_ctx *db, const char *id, size_t max,
				 bson_error_t *error);

/* Returns the ids of the candidatures filed from project_id (a JSON array
 * of strings, new reference; empty for none), or NULL with error set.
 * One read by _id. */
json_t *gpi_project_candidature_ids(struct db_ctx *db, const char *project_id, bson_error_t *error);

/* ---- The index: one summary row per candidature, in every process ----
 *
 * A row: id, year, category, organisation_id, partner_organisation_ids,
 * project_id, project_slug, title, status, created_by, example,
 * submitted_ms (0 before submission), updated_ms, dossier {file_id, name,
 * bytes} or null, video {file_id, name, bytes, seconds} or null, admissibility (as
 * stored) or null, repositioning (as stored) or null, and facts: what
 * eligibility needs of the document without its texts (struct
 * gpi_facts in candidature_rules.h, as JSON: started_on, completed,
 * results_ok, missing [codes of required fields not filled],
 * endowment_use), public_people (gpi_public_people: the names a
 * laureate shows). Rows are shared by every reader: never modify one. */

/* Returns the rows of edition year (every category and status when
 * category/status are NULL or ""), by title in French order. New
 * reference to an array whose items are shared, or NULL with error set
 * when the index could not be loaded yet. */
json_t *gpi_index_rows(struct db_ctx *db, int year, const char *category, const char *status,
		       bson_error_t *error);

/* Returns the rows of edition year filed by organisation (organisation_id
 * equal to it), newest change first. New reference, or NULL as above. */
json_t *gpi_index_rows_of_organisation(struct db_ctx *db, int year, const char *organisation,
				       bson_error_t *error);

/* Returns the row of candidature id (new reference to the shared row), or
 * NULL: error->code 0 when the index has no such candidature. */
json_t *gpi_index_row(struct db_ctx *db, const char *id, bson_error_t *error);

/* The id a bulk load records instead of each candidature's: every
 * process then reads all the candidatures again. */
#define GPI_INDEX_ALL "*"

/* Records the change of candidature id (or GPI_INDEX_ALL) in the log and
 * takes in this process the changes not seen yet, re-reading by _id only
 * the candidatures they name; the other processes do on their
 * refresher's next pass (gpi_index_refresh). Returns 0, or -1 with error
 * set. */
int gpi_index_changed(struct db_ctx *db, const char *id, bson_error_t *error);

/* The refresher's task (main.c): takes in the changes other processes
 * recorded since the last pass, once the index is loaded (two reads by
 * _id when nothing changed), and every few minutes purges the log's
 * records older than an hour. Returns 0, or -1 after logging. */
int gpi_index_refresh(struct db_ctx *db);

/* ---- Who sees a candidature ---- */

/* What the access rule needs of a candidature: its row or its document
 * (both carry these fields), and the conflicts jurors declared on it. */
struct gpi_audience {
	int year;
	const char *id; /* the row's "id" or the document's "_id" */
	const char *category, *organisation_id, *status;
	const json_t *partners; /* partner_organisation_ids, may be NULL */
	/* user id -> {reason, at} of the declared conflicts (gpi/jury.h),
	 * borrowed; NULL when they could not be read: then no juror sees it */
	const json_t *declared;
};

/* Returns the audience of a row or document (borrowed from it), with its
 * declared conflicts from the process's cache (kept alive by db's
 * arena). Reads no database once the cache is loaded. */
struct gpi_audience gpi_audience_of(struct db_ctx *db, const json_t *row_or_doc);

/* The same with the declared conflicts looked up in conflicts
 * (gpi_conflicts_all's, borrowed; NULL: they could not be read), for a
 * list that checks many rows against one copy of them. Pure. */
struct gpi_audience gpi_audience_in(const json_t *row_or_doc, const json_t *conflicts);

/* Returns true when user may see the candidature: an active agent of its
 * organisation (its filers), the secretariat (in scope "gpi:<year>"),
 * admins, and (issue 13) a juror of its category or of the grand jury of
 * its edition once it is before the jury (gpi_status_for_jury) unless
 * recused (gpi_recused: own or partner organisation, declared conflict).
 * A NULL user sees nothing. Pure. */
bool gpi_candidature_may_see(const struct user *user, const struct gpi_audience *a);

/* Returns true when user may change the candidature as a candidate: an
 * active agent of its organisation (the secretariat's decisions are the
 * desk's, not edits). Pure. */
bool gpi_candidature_may_file(const struct user *user, const struct gpi_audience *a);

/* Returns true when user is the secretariat of edition year (or an
 * admin). Pure. */
bool gpi_is_secretariat(const struct user *user, int year);

/* Returns true when user is a plain filer of edition year: an active
 * agent of an organisation who is neither its secretariat nor on one of
 * its juries, and so sees of its candidatures exactly what every such
 * colleague sees (their organisation's, as candidates see them): the
 * pages they share through the page cache. Pure. */
bool gpi_plain_filer(const struct user *user, int year);

/* ---- What status a candidature shows to whom (articles 6.2, 7) ---- */

/* Returns the status code user is shown of the candidature a describes,
 * notified telling whether its edition's phase mails went out
 * (gpi_notifications_sent): until they do, finaliste and non-retenue show
 * as recevable to everyone but the edition's secretariat (admins
 * included), the jurors of its category and its grand jury, so that
 * candidates learn the jury's choice from the mail and not from a label
 * that changes the afternoon it is recorded. Every other status shows as
 * stored. Every reader a candidate or the public reaches (pages, API,
 * lists, the project page's section) shows this, never a->status. Static
 * or a->status. Pure. */
const char *gpi_status_shown(const struct user *user, const struct gpi_audience *a, bool notified);

/* Returns whether the phase mails of edition year went out, from the
 * process's results cache; false when it cannot be read (a result
 * hidden a moment too long is harmless, one shown early is not). */
bool gpi_notifications_sent(struct db_ctx *db, int year);

/* Returns gpi_status_shown for user with the edition's mails as they
 * stand (gpi_notifications_sent, read only when a's status depends on
 * it). Static or a->status. */
const char *gpi_status_seen(struct db_ctx *db, const struct user *user,
			    const struct gpi_audience *a);

#endif
