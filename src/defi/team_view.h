/* A team as the API and the pages show it: members named with their job
 * and organisation, what the visitor may do, the replies after a change. */
#ifndef COUSILAB_DEFI_TEAM_VIEW_H
#define COUSILAB_DEFI_TEAM_VIEW_H

#include <bson/bson.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct defi_team_ctx;
struct request;

/* Returns the team's API JSON (the request's arena's: never decref'd):
 * for its members, invited
 * people and coordinators (full) id, year, name, organisation_id,
 * captain_id, status, incomplete, confirmed_count, members (user_id,
 * name, job, organisation_id, state), email_invites, pitch, theme_fit,
 * answers, decision, submitted_at; for anyone else id, year, name,
 * organisation_id and status only. NULL with error set when the accounts
 * or organisations cannot be read. */
json_t *defi_team_api(struct request *req, const json_t *team, bool full, bson_error_t *error);

/* Returns the data of views/defi/team.mustache for t, with the notice of
 * the redirect's ?info= code, owned by the request's arena (never
 * decref'd), or NULL after replying 503 or 500. */
json_t *defi_team_page_data_or_reply(struct request *req, const struct defi_team_ctx *t);

/* Replies after a change to t's team (t->team is the new state): its
 * API JSON with status, or a redirect to its page with notice info. */
void defi_team_done(struct request *req, const struct defi_team_ctx *t, int status,
		    const char *info);

/* Replies 422 with errors (n >= 1), each next to its field: under /api/
 * the JSON error (code "closed" when the window is one of them), else the
 * team's page again with the errors beside their fields and a summary. */
struct defi_field_error;
void defi_team_refuse(struct request *req, const struct defi_team_ctx *t,
		      const struct defi_field_error *errors, size_t n);

/* defi_team_refuse with one message next to field. */
void defi_team_refuse_one(struct request *req, const struct defi_team_ctx *t, const char *field,
			  const char *message);

/* Returns the address of team id's page in edition year (arena). */
const char *defi_team_url(struct request *req, int year, const char *id);

#endif
