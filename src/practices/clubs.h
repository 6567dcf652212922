/* Thematic clubs: one per theme (src/practices/themes.h), with its
 * practices (from the catalogue), its members and its latest activity.
 * Signed-in agents join and leave.
 *
 * Collection "club_members": _id "<theme>:<user id>", theme, user_id,
 *   name, organisation (as they were when joining: the member list reads
 *   this collection alone), joined_at. The unique _id makes joining twice
 *   harmless; deleting an account should delete its memberships.
 * Collection "club_activity": _id theme code, events [{slug, title,
 *   organisation_name, stage, stage_label, at}] of reuse declarations,
 *   oldest first, trimmed to about CLUB_EVENTS_MAX: read by _id, so the
 *   club page never scans "reuses". */
#ifndef COUSILAB_CLUBS_H
#define COUSILAB_CLUBS_H

#include <bson/bson.h>
#include <jansson.h>
#include <stddef.h>

struct db_ctx;
struct request;

enum { CLUB_EVENTS_MAX = 20, CLUB_ACTIVITY_SHOWN = 10, CLUB_MEMBERS_SHOWN = 100 };

/* Appends to the activity of each theme of practice that organisation
 * org_name moved to reuse stage. Returns 0 or -1 with error set. */
int club_record_reuse(struct db_ctx *db, const json_t *practice, const char *org_name,
		      const char *stage, bson_error_t *error);

/* Returns the newest max events of a and b (JSON arrays of objects with
 * an ISO 8601 "at", each array in any order; NULL is empty), newest
 * first. New reference. Pure. */
json_t *club_activity_merge(const json_t *a, const json_t *b, size_t max);

/* The account erasure step of the clubs (accounts/erasure.h): user_id
 * leaves every club and its member lists, which show names. Returns 0, or
 * -1 with error set; safe to run twice. */
int clubs_forget_member(struct request *req, const char *user_id, bson_error_t *error);

#endif
