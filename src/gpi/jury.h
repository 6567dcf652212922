/* Grand Prix juries (issue 13, articles 6 and 7): who scores which
 * candidatures, and who never may.
 *
 * Appointments are role grants (accounts/roles.h): the jurors of a
 * category hold ROLE_JUROR scoped "gpi:<year>:<category>", the grand
 * jury ROLE_GRAND_JUROR scoped "gpi:<year>". Each is also listed, so no
 * page scans the users, in the lookup list (db/lookup.h)
 * "gpi-jury:<year>:<category>" or "gpi-grand-jury:<year>", items {id:
 * user id}; a reader keeps only the listed accounts that still hold the
 * grant (an admin may have removed it from the account's page).
 *
 * Recusal (article 7): a juror never sees, scores or influences a
 * candidature filed by their own organisation or by one listed among its
 * partners, nor one on which they declared a conflict. Declared
 * conflicts are collection "gpi_conflicts", _id "<candidature>:<user>":
 * {candidature_id, user_id, year, category, reason, at (BSON date)},
 * listed by "gpi-conflicts:<candidature>" (items {id: user id}) and
 * "gpi-juror-conflicts:<user>" (items {id: candidature id}). Every process
 * keeps all of them in a versioned cache ("gpi-conflicts": an edition has
 * a few hundred at most), so the access check of every page, API answer
 * and file reads no database.
 *
 * The one access rule is gpi_candidature_may_see (candidature.h): a juror
 * of a category sees its candidatures only once admissible (recevable,
 * then finaliste or non-retenue) and when not recused; anything else is a
 * 404 whatever the path (pages, API, files, ranking, CSV). */
#ifndef COUSILAB_GPI_JURY_H
#define COUSILAB_GPI_JURY_H

#include <bson/bson.h>
#include <jansson.h>
#include <stdbool.h>

struct arena;
struct audit_actor;
struct db_ctx;
struct user;

#define GPI_CONFLICTS "gpi_conflicts"

/* The longest declared reason, in bytes. */
enum { GPI_CONFLICT_REASON_MAX = 2000 };

/* ---- Pure rules (jury_rules.c) ---- */

/* Returns true when a juror of organisation juror_org (NULL or "": none)
 * must stay away from a candidature filed by cand_org with partners (a
 * JSON array of organisation codes, may be NULL): same organisation, a
 * partner's, or declared (a conflict the juror declared). Pure. */
bool gpi_recused(const char *juror_org, const char *cand_org, const json_t *partners,
		 bool declared);

/* Returns why a juror is recused as a short French text ("son
 * organisation", "organisation partenaire", "conflit déclaré"), or NULL
 * when not: the secretariat's list shows it. Static. Pure. */
const char *gpi_recusal_reason(const char *juror_org, const char *cand_org,
			       const json_t *partners, bool declared);

/* Returns true when a candidature of status code is before the jury:
 * recevable, finaliste or non-retenue (codes, so the statuses issue 13
 * appends need no enum here). Pure. */
bool gpi_status_for_jury(const char *status);

/* Returns true when user holds, through a grant of its own (admins are
 * not jurors unless appointed), ROLE_JUROR covering "gpi:<year>:<category>".
 * Pure. */
bool gpi_is_juror(const struct user *user, int year, const char *category);

/* Returns true when user holds ROLE_GRAND_JUROR covering "gpi:<year>"
 * through a grant of its own. Pure. */
bool gpi_is_grand_juror(const struct user *user, int year);

/* Returns true when user sits on a jury of edition year: holds, through
 * a grant of its own, ROLE_JUROR or ROLE_GRAND_JUROR in the edition or
 * one of its categories. Such a user never sees a candidature they are
 * recused from, even one of their own organisation's. Pure. */
bool gpi_sits_on_jury(const struct user *user, int year);

/* Returns the French message for a declared conflict's reason that
 * cannot be kept (empty after trimming, too long), or NULL when it can.
 * Static. Pure. */
const char *gpi_conflict_reason_error(const char *reason);

/* ---- Appointments (jury.c) ---- */

/* Why an appointment was refused, for a 422 next to the field. */
struct gpi_jury_refusal {
	const char *field;   /* "user_id" (or "email" on the page) */
	const char *message; /* French, static or the db's arena */
};

/* Appoints account user_id to the jury of category (an edition's
 * category code; NULL: the grand jury) of edition year: grants the role
 * in its scope and lists the account, audited as done by by
 * ("gpi.jury.appoint", target the account, detail the scope). Appointing
 * an appointed juror again changes nothing. Returns 0; 1 with *why set
 * when refused (no such active account); -1 with error set when the
 * database fails. The caller has checked the edition and category. */
int gpi_jury_appoint(struct db_ctx *db, const struct audit_actor *by, int year,
		     const char *category, const char *user_id, struct gpi_jury_refusal *why,
		     bson_error_t *error);

/* Removes account user_id from that jury (grant and list), audited
 * ("gpi.jury.remove"). Returns 0, 1 when it was not a member, -1 with
 * error set. */
int gpi_jury_remove(struct db_ctx *db, const struct audit_actor *by, int year,
		    const char *category, const char *user_id, bson_error_t *error);

/* Returns the members of that jury in appointment order as a JSON array
 * of {id, name, email, organisation_id} (new reference), reading the
 * list by _id and the accounts from the account cache: no scan. NULL
 * with error set when the database fails. */
json_t *gpi_jury_members(struct db_ctx *db, int year, const char *category, bson_error_t *error);

/* ---- Declared conflicts and recusal (jury_conflicts.c) ---- */

/* Returns the conflicts declared on candidature id as a JSON object from
 * user id to {reason, at, at_fr} (doc_to_json's date forms; new
 * reference, empty for none), from
 * the process's cache. NULL with error set when it cannot be loaded yet
 * (the caller then treats every juror as recused). */
json_t *gpi_conflicts_of(struct db_ctx *db, const char *candidature_id, bson_error_t *error);

/* Returns every declared conflict as the process's cache holds them, for
 * gpi_conflicts_in: a list of many candidatures takes the cache once
 * instead of once a row. New reference, or NULL with error set. */
json_t *gpi_conflicts_all(struct db_ctx *db, bson_error_t *error);

/* Returns the conflicts declared on candidature_id in all (as
 * gpi_conflicts_of gives them, borrowed from all: an empty object for
 * none), or NULL when all is NULL. Pure. */
const json_t *gpi_conflicts_in(const json_t *all, const char *candidature_id);

/* Records that user (a juror who may see the candidature of row, an index
 * row or document) declares a conflict on it with reason (checked by
 * gpi_conflict_reason_error), audited ("gpi.conflict.declare"). A second
 * declaration replaces the reason. From then on the juror is recused.
 * Returns 0, or -1 with error set. */
int gpi_conflict_declare(struct db_ctx *db, const struct audit_actor *by, const json_t *row,
			 const struct user *user, const char *reason, bson_error_t *error);

/* Returns true when member (an item of gpi_jury_members, or any object
 * with "id" and "organisation_id") is recused from the candidature of
 * row (index row or document), declared conflicts included; true as well
 * when the conflicts cannot be read (never show what may be a conflict).
 * For the ranking's "grids expected". Reads the cache only. */
bool gpi_jury_member_recused(struct db_ctx *db, const json_t *member, const json_t *row);

/* ---- A juror's candidatures ---- */

/* Returns the index rows (shared: never modify) of every candidature
 * user judges, over the categories of edition year they are a juror of
 * (year 0: every edition they hold a grant in), admissible and not
 * recused, by edition (newest first), category (the edition's order),
 * then title. New reference to an array, or NULL with error set. */
json_t *gpi_juror_assignments(struct db_ctx *db, const struct user *user, int year,
			      bson_error_t *error);

#endif
