#include "defi/team_access.h"

#include <string.h>

#include "accounts/roles.h"
#include "accounts/user.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/clock.h"
#include "db/db.h"
#include "db/doc.h"
#include "defi/edition.h"
#include "defi/edition_view.h"
#include "defi/team_store.h"
#include "http/reply.h"
#include "web/db_reply.h"
#include "http/request.h"
#include "web/error_reply.h"

void defi_team_refresh(struct request *req, struct defi_team_ctx *t)
{
	const struct user *u = req->user;
	int s = defi_status_from(json_str(t->team, "status"));
	t->status = s < 0 ? DEFI_DRAFT : (enum defi_status)s;
	t->captain = u && u->id && strcmp(json_str(t->team, "captain_id"), u->id) == 0;
	int i = u ? defi_member_index(t->team, u->id) : -1;
	const char *state = i < 0 ? ""
				  : json_str(json_array_get(json_object_get(t->team, "members"),
							    (size_t)i),
					     "state");
	t->member = strcmp(state, "confirmed") == 0;
	t->invited = strcmp(state, "invited") == 0 ||
		     (u && defi_email_invite_index(t->team, u->email) >= 0);
	t->coordinator = user_has_role(u, ROLE_COORDINATOR);
}

void defi_team_replace(struct request *req, struct defi_team_ctx *t, json_t *saved)
{
	t->team = saved;
	defi_team_refresh(req, t);
}

bool defi_team_open(struct request *req, struct defi_team_ctx *t)
{
	memset(t, 0, sizeof(*t));
	bson_error_t error = {0};
	t->id = request_param(req, "id");
	t->team = arena_json(req->arena, defi_team_load(req->db, t->id, &error));
	if (!t->team) {
		if (error.code)
			db_fail(req, "reading a Défi team", &error);
		else
			reply_not_found(req);
		return false;
	}
	t->year = (int)json_integer_value(json_object_get(t->team, "year"));
	int route_year = request_param(req, "year") ? request_year_param(req) : t->year;
	t->edition = route_year == t->year ? defi_edition_get(req->db, t->year, &error) : NULL;
	if (!t->edition) {
		if (route_year == t->year && error.code)
			db_fail(req, "reading a Défi edition", &error);
		else
			reply_not_found(req);
		return false;
	}
	t->now_ms = clock_now_ms();
	int64_t opens = json_integer_value(json_object_get(t->edition, "signup_opens_at"));
	int64_t closes = json_integer_value(json_object_get(t->edition, "signup_closes_at"));
	t->window = defi_window_at(opens, closes, t->now_ms);
	t->edition_view = arena_json(req->arena,
				     defi_edition_view(req->arena, t->edition, t->now_ms));
	defi_team_refresh(req, t);
	return true;
}

bool defi_team_require_captain_or_reply(struct request *req, const struct defi_team_ctx *t)
{
	if (t->captain || t->coordinator)
		return true;
	reply_error(req, 403, "forbidden", "Seul le capitaine de l’équipe peut faire cela.", NULL);
	return false;
}

const char *defi_team_closed_message(struct request *req, const struct defi_team_ctx *t)
{
	char message[DEFI_ERROR_CHARS];
	defi_closed_message(t->window, json_str(t->edition_view, "opens_fr"),
			    json_str(t->edition_view, "closes_fr"), message, sizeof(message));
	return arena_strdup(req->arena, message);
}

bool defi_team_require_open_or_reply(struct request *req, const struct defi_team_ctx *t)
{
	if (t->window == DEFI_OPEN || t->coordinator)
		return true;
	json_t *fields = arena_json(req->arena,
				    json_pack("{s:s}", "window", defi_team_closed_message(req, t)));
	reply_error(req, 422, "closed", json_str(fields, "window"), fields);
	return false;
}

bool defi_team_require_changeable_or_reply(struct request *req, const struct defi_team_ctx *t)
{
	if (!defi_team_require_open_or_reply(req, t))
		return false;
	if (defi_members_may_change(t->status) || t->coordinator)
		return true;
	reply_error(req, 409, "conflict",
		    "La candidature a reçu une décision ou l’équipe "
		    "s’est désistée\u202f: elle ne change plus.",
		    NULL);
	return false;
}

void defi_team_audit_fix(struct request *req, const struct defi_team_ctx *t, const char *action,
			 const char *detail)
{
	if (t->coordinator && (t->window != DEFI_OPEN || (!t->captain && !t->member)))
		audit_record(req, action, t->id, detail, NULL);
}
