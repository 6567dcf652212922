/* Reuse of practices ("Nous réutilisons cette pratique"): the rules, the
 * declarations and the fields they derive in the practice document.
 *
 * Collection "reuses", one document per practice and organisation:
 *   _id "<practice id>:<organisation code>" (the unique _id makes a second
 *   declaration an update), practice_id, organisation, organisation_name,
 *   stage, note, created_at, updated_at, by_id, by_name,
 *   history [{stage, note, at, by_id, by_name}], oldest first.
 * The practice document keeps, for the catalogue (no database read on the
 * sheet): reuse_count (declarations not abandoned), adopters [{code, name,
 * stage, stage_label}] in order of first declaration, and adopters_seq
 * (each write claims the next value first, db/lookup.h's lookup_claim, so
 * concurrent writers never lose an adopter).
 * Lookup list "reuses_by:<organisation>": the ids of its declarations. */
#ifndef COUSILAB_REUSE_H
#define COUSILAB_REUSE_H

#include <bson/bson.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/field_error.h"

struct organisation_section;
struct db_ctx;
struct user;
struct request;

enum { REUSE_NOTE_MAX_CHARS = 1000, REUSE_MAX_ERRORS = 4, REUSE_ORGANISATION_SHOWN = 100 };

/* The stages: "interessee" → "Intéressée", "en-cours", "deployee",
 * "abandonnee". */
extern const char *const REUSE_STAGES[][2];
extern const size_t REUSE_STAGES_COUNT;

/* Returns the French label of stage, or "" when unknown. Static. */
const char *reuse_stage_label(const char *stage);

/* Returns true when an adopter at stage counts in reuse_count (every
 * known stage but "abandonnee"). Pure. */
bool reuse_stage_counts(const char *stage);

/* A declaration as submitted, with what the rules need to know. */
struct reuse_input {
	const char *stage;
	const char *previous_stage; /* the organisation's current stage, or NULL */
	bool own_practice;          /* the organisation is among the practice's owners */
};

/* Checks in: a known stage, not the organisation's own practice, no first
 * declaration as abandoned. The note's length is the form's job. Writes
 * up to REUSE_MAX_ERRORS errors to out; returns how many. Pure. */
size_t reuse_check(const struct reuse_input *in, struct field_error *out);

/* Returns adopters (a JSON array, may be NULL) with organisation code set
 * to stage: its entry updated in place, or appended. *count gets how many
 * entries count (reuse_stage_counts). New reference. Pure. */
json_t *reuse_adopters_merge(const json_t *adopters, const char *code, const char *name,
			     const char *stage, long long *count);

/* Returns the declaration of organisation org for practice_id (doc_to_json
 * form), or NULL (error->code 0: none). New reference. Reads by _id. */
json_t *reuse_find(struct db_ctx *db, const char *practice_id, const char *org,
		   bson_error_t *error);

/* Records that by's organisation org (named org_name) is at
 * stage with note for practice (a published practice's JSON): creates or
 * updates its declaration, appends to its history, then updates the
 * practice's derived fields and tells the clubs. *created says whether
 * the declaration is new. Returns 0 or -1 with error set. */
int reuse_declare(struct db_ctx *db, const struct user *by, const json_t *practice, const char *org,
		  const char *org_name, const char *stage, const char *note, bool *created,
		  bson_error_t *error);

/* Returns the last REUSE_ORGANISATION_SHOWN declarations of organisation
 * code (its lookup list "reuses_by:<code>", then each by _id), newest
 * change first (doc_to_json form, history left out); *total gets how many
 * it made. New reference, or NULL with error set. */
json_t *reuse_of_organisation(struct db_ctx *db, const char *code, size_t *total,
			      bson_error_t *error);

struct practice_query;

/* Runs q on the catalogue and returns its page as brief practices
 * [{_id, slug, title, summary, themes, reuse_count, adopters,
 * published_at, published_at_fr}]; *total gets the number of matches.
 * For the reuse, diffusion and club pages. New reference, or NULL after
 * replying 503. */
json_t *practice_briefs_or_reply(struct request *req, const struct practice_query *q,
				 size_t *total);

/* The organisation page's practice sections (views/practices/
 * organisation.mustache: "shared", its published practices from the
 * catalogue, and "reused", its declarations of published practices),
 * registered by main.c (accounts/organisation_sections.h). */
extern const struct organisation_section reuse_organisation_section;

#endif
