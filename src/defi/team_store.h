/* Défi du Lab teams in the database.
 *
 * Collection "defi_teams", _id 32 lowercase hex: year (int), name,
 * organisation_id, captain_id, status (team_rules.h), incomplete (bool),
 * notice (text for the captain, or absent), pitch, theme_fit, answers
 * [{code, text}], members [{user_id, state: "confirmed"|"invited",
 * invited_at, accepted_at}] (captain included, confirmed), email_invites
 * [{email, invited_at}] (addresses without an account yet), decision
 * {decision, message, by, at}, submitted_at, created_at, updated_at (BSON
 * dates), rev, example, project_id and project_slug (the project a
 * retained team became, absent before). Instants inside arrays and in decision are UTC
 * milliseconds (int64): nothing there is queried, and the whole arrays are
 * rewritten on each change.
 *
 * Collection "defi_seats", _id "<year>:<user_id>", {team_id, role}: the
 * claim "one team per person per edition". It is inserted before anyone
 * joins a team (a duplicate key: they are in a team already) and deleted
 * when they leave it, so two acceptances at the same moment cannot both
 * win, on FerretDB too.
 *
 * Lookup lists (db/lookup.h): "defi-teams:<year>" the ids of an edition's
 * teams; "defi-invites:<sha256 of the lowercase address>" the ids of the
 * teams that invited an address, read when its owner signs in (an
 * invitation waits for the account, with no hook in the accounts).
 *
 * Every team write bumps the versioned cache key "defi-teams:<year>", so
 * every process's index of the edition's teams reloads within a second.
 * Documents are returned as new JSON objects (caller decrefs) in
 * doc_to_json form. */
#ifndef COUSILAB_DEFI_TEAM_STORE_H
#define COUSILAB_DEFI_TEAM_STORE_H

#include <bson/bson.h>
#include <jansson.h>
#include <stdbool.h>

struct arena;
struct db_ctx;
struct user;

#define DEFI_TEAMS "defi_teams"
#define DEFI_SEATS "defi_seats"

/* bson_error_t domain of the store's own refusals. */
enum { DEFI_ERROR_DOMAIN = 0x6466 };
enum {
	DEFI_ERROR_SEATED = 1, /* the person is in a team of the edition already: 409 */
	DEFI_ERROR_GONE = 2,   /* the team disappeared under a write: 404 */
};

/* Returns true when s has the form of a team id (32 lowercase hex). Pure. */
bool defi_team_id_ok(const char *s);

/* Returns the team with _id id (one read by _id), or NULL: error->code 0
 * when there is no such team (or id is not a team id). */
json_t *defi_team_load(struct db_ctx *db, const char *id, bson_error_t *error);

/* The texts of a team, as typed (borrowed). */
struct defi_team_input {
	const char *name, *pitch, *theme_fit;
	const json_t *answers; /* [{code, text}] */
};

/* Creates a draft team of edition year captained by by,
 * in their organisation: claims their seat first. Returns the team's id
 * (arena), or NULL with error set (DEFI_ERROR_SEATED when the user is in
 * a team of that edition). */
const char *defi_team_insert(struct db_ctx *db, const struct user *by, int year,
			     const struct defi_team_input *in, bool example, bson_error_t *error);

/* Changes a team in place (doc_to_json form, plus what the edit adds:
 * instants as integers of UTC ms), given ctx. Returns 0 to have it
 * written, or a positive refusal code of the caller's that leaves the
 * team as it is. */
typedef int (*defi_team_edit_fn)(json_t *team, void *ctx);

/* Reads team id, applies edit and writes it back by _id, under a claim
 * on its next revision (lookup_claim): a racing writer makes this one
 * read again and re-apply edit, so no change is lost. Returns 0 with
 * *saved (may be NULL) the new state, edit's refusal code, or -1 with
 * error set (DEFI_ERROR_GONE: no such team). Each read (a dozen at most)
 * belongs to db's arena: the caller never decrefs *saved. */
int defi_team_write(struct db_ctx *db, const char *id, defi_team_edit_fn edit, void *ctx,
		    json_t **saved, bson_error_t *error);

/* Refusals of defi_team_join. */
enum {
	DEFI_JOIN_SEATED = 1,  /* in a team of the edition already: 409 */
	DEFI_JOIN_FULL,        /* the team has max_size confirmed members */
	DEFI_JOIN_NOT_INVITED, /* no invitation (any more) for u */
};

/* Makes u a confirmed member of team id of edition year: claims u's seat
 * first (of two acceptances at once, one wins it), then turns u's
 * invitation (by account or by address) into a membership; with
 * invited_only false (demo data, seeds) u joins without one. max_size 0:
 * no maximum. Returns 0 with *saved (may be NULL) the team's new state
 * (new reference), a DEFI_JOIN_ refusal (the seat then released), or -1
 * with error set. */
int defi_team_join(struct db_ctx *db, int year, const char *id, const struct user *u, int max_size,
		   bool invited_only, json_t **saved, bson_error_t *error);

/* Claims user_id's seat in edition year for team_id with role ("captain"
 * or "member"). Returns 1 when claimed, 0 when the user holds a seat
 * already (*held_by, when not NULL, gets its team id, arena), -1 with
 * error set. */
int defi_seat_claim(struct db_ctx *db, int year, const char *user_id, const char *team_id,
		    const char *role, const char **held_by, bson_error_t *error);

/* Deletes user_id's seat in edition year when it is for team_id. Returns
 * 0, or -1 with error set. */
int defi_seat_release(struct db_ctx *db, int year, const char *user_id, const char *team_id,
		      bson_error_t *error);

/* Sets the role of user_id's seat in edition year. Returns 0 or -1. */
int defi_seat_set_role(struct db_ctx *db, int year, const char *user_id, const char *role,
		       bson_error_t *error);

/* Returns the id of the team user_id has a seat in for edition year
 * (arena), or NULL: error->code 0 when they have none. One read by _id. */
const char *defi_seat_team(struct db_ctx *db, int year, const char *user_id, bson_error_t *error);

/* Notes that team_id invited email (lowercase): appended to the
 * address's lookup list. Returns 0 or -1. */
int defi_invites_add(struct db_ctx *db, const char *email, const char *team_id,
		     bson_error_t *error);

/* Returns the ids of the teams that invited email most recently (at most
 * DEFI_INVITES_SHOWN, newest first) as a JSON array of strings (new
 * reference), or NULL with error set. Two reads by _id at most. */
enum { DEFI_INVITES_SHOWN = 50 };
json_t *defi_invites_of(struct db_ctx *db, const char *email, bson_error_t *error);

/* Returns the lookup list name of edition year's teams (arena). */
const char *defi_teams_list(struct arena *a, int year);

#endif
