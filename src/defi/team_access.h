/* The team a route names, with its edition and what the visitor is to it:
 * the one place that loads a team for a handler and answers 404, 403,
 * 422 "closed" or 503, so every page and API route refuses alike. */
#ifndef COUSILAB_DEFI_TEAM_ACCESS_H
#define COUSILAB_DEFI_TEAM_ACCESS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "defi/team_rules.h"

struct request;

struct defi_team_ctx {
	json_t *team;          /* the request's arena's */
	const json_t *edition; /* borrowed from the editions cache */
	json_t *edition_view;  /* defi_edition_view's fields (dates in French), the arena's */
	const char *id;        /* the team's id (arena) */
	int year;
	enum defi_status status;
	enum defi_window window;
	int64_t now_ms; /* clock_now_ms, read once */
	bool captain, member, invited, coordinator;
};

/* Loads the team of the route's {id} (and checks the route's {year} when
 * it has one) with its edition into t, for the request's user. Returns
 * true, or false after replying 404 (no such team or edition) or 503.
 * What t holds goes with the request's arena: nothing to release. */
bool defi_team_open(struct request *req, struct defi_team_ctx *t);

/* Fills t's derived fields again from t->team. */
void defi_team_refresh(struct request *req, struct defi_team_ctx *t);

/* Replaces t's team by saved (a write's new state, which lives as long
 * as the request: defi_team_write's) and refreshes what t derives from
 * it. */
void defi_team_replace(struct request *req, struct defi_team_ctx *t, json_t *saved);

/* Returns true when the visitor is the captain or a coordinator; else
 * replies 403 and returns false. */
bool defi_team_require_captain_or_reply(struct request *req, const struct defi_team_ctx *t);

/* Returns true when the team may change now: sign-ups are open, or the
 * visitor is a coordinator (who may fix a team at any time: the change
 * is then recorded in the audit journal by defi_team_audit). Else
 * replies 422 with code "closed" and returns false. */
bool defi_team_require_open_or_reply(struct request *req, const struct defi_team_ctx *t);

/* Returns true when t's team may change now: sign-ups are open (or the
 * visitor is a coordinator, defi_team_require_open_or_reply) and it is a draft or
 * submitted (decisions and withdrawals are final, but for a
 * coordinator). Else replies 422 "closed" or 409 and returns false. */
bool defi_team_require_changeable_or_reply(struct request *req, const struct defi_team_ctx *t);

/* Records action on the team in the audit journal when a coordinator
 * made it outside the sign-up window or on a team that is not theirs
 * (detail may be NULL). */
void defi_team_audit_fix(struct request *req, const struct defi_team_ctx *t, const char *action,
			 const char *detail);

/* Returns the "closed" message for t's window (arena). */
const char *defi_team_closed_message(struct request *req, const struct defi_team_ctx *t);

#endif
