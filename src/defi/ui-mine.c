/* "Mon Défi": for each edition open now or where the visitor has a
 * team, their team, their invitations waiting for an answer and the
 * edition's key dates. Reads by _id only: one seat per edition (a handful
 * a year), the visitor's address's invitation list and its teams. */
#include <string.h>

#include "accounts/user.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/clock.h"
#include "core/labels.h"
#include "db/db.h"
#include "db/doc.h"
#include "defi/edition.h"
#include "defi/edition_view.h"
#include "defi/team_access.h"
#include "defi/team_rules.h"
#include "defi/team_store.h"
#include "defi/team_view.h"
#include "defi/ui.h"
#include "http/reply.h"
#include "web/db_reply.h"
#include "web/page.h"

/* Notices of the redirects that end here. */
static const char *const NOTICES[][2] = {
	{"refusee", "Vous avez décliné l’invitation."},
	{"quittee", "Vous avez quitté l’équipe."},
};

/* Returns the teams that invited the visitor and still wait for their
 * answer (array of team documents, the request's arena's: never
 * decref'd), or NULL with error set. At most DEFI_INVITES_SHOWN teams, so
 * each stays with the request too. */
static json_t *waiting_invitations(struct request *req, bson_error_t *error)
{
	json_t *ids = arena_json(req->arena, defi_invites_of(req->db, req->user->email, error));
	if (!ids)
		return NULL;
	json_t *out = arena_json(req->arena, json_array()), *id;
	size_t i;
	json_array_foreach(ids, i, id) {
		json_t *team = arena_json(req->arena,
					  defi_team_load(req->db, json_string_value(id), error));
		if (!team && error->code)
			return NULL;
		int m = team ? defi_member_index(team, req->user->id) : -1;
		const json_t *member = m >= 0 ? json_array_get(json_object_get(team, "members"),
							       (size_t)m)
					      : NULL;
		bool waiting = team &&
			       ((member && strcmp(json_str(member, "state"), "invited") == 0) ||
				defi_email_invite_index(team, req->user->email) >= 0);
		int s = team ? defi_status_from(json_str(team, "status")) : -1;
		if (waiting && s >= 0 && defi_members_may_change((enum defi_status)s))
			json_array_append(out, team);
	}
	return out;
}

/* Returns what the page and the API show of team for its member. */
static json_t *team_summary(struct request *req, const json_t *team)
{
	int s = defi_status_from(json_str(team, "status"));
	int year = (int)json_integer_value(json_object_get(team, "year"));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:b, s:s}", "id", json_str(team, "_id"),
			 "name", json_str(team, "name"), "status", json_str(team, "status"),
			 "status_label",
			 defi_status_label(s < 0 ? DEFI_DRAFT : (enum defi_status)s,
					   json_is_true(json_object_get(team, "incomplete"))),
			 "url", defi_team_url(req, year, json_str(team, "_id")), "confirmed_count",
			 defi_confirmed_count(json_object_get(team, "members")), "is_captain",
			 strcmp(json_str(team, "captain_id"), req->user->id) == 0, "notice",
			 json_str(team, "notice"));
}

/* Returns one entry per edition shown (an array the request's arena
 * owns: never decref'd), or NULL with error. */
static json_t *editions_of_visitor(struct request *req, bson_error_t *error)
{
	json_t *editions = arena_json(req->arena, defi_editions_all(req->db, error));
	json_t *invitations = editions ? waiting_invitations(req, error) : NULL;
	if (!invitations)
		return NULL;
	int64_t now = clock_now_ms();
	json_t *out = arena_json(req->arena, json_array()), *e;
	size_t i;
	json_array_foreach(editions, i, e) {
		int year = (int)json_integer_value(json_object_get(e, "year"));
		const char *team_id = defi_seat_team(req->db, year, req->user->id, error);
		json_t *team = team_id ? arena_json(req->arena,
						    defi_team_load(req->db, team_id, error))
				       : NULL;
		if (!team && error->code)
			return NULL;
		json_t *mine = arena_json(req->arena, json_array()), *inv;
		size_t j;
		json_array_foreach(invitations, j, inv)
			if (json_integer_value(json_object_get(inv, "year")) == year)
				json_array_append_new(mine, team_summary(req, inv));
		bool open = defi_edition_is_open(e, now);
		if (open || team || json_array_size(mine))
			json_array_append_new(
				out,
				json_pack("{s:i, s:b, s:b, s:o, s:o, s:O}", "year", year, "is_open",
					  open, "has_invitations", json_array_size(mine) > 0,
					  "edition", defi_edition_view(req->arena, e, now), "team",
					  team ? team_summary(req, team) : json_null(),
					  "invitations", mine));
	}
	return out;
}

void defi_mine(struct request *req)
{
	bson_error_t error = {0};
	json_t *editions = editions_of_visitor(req, &error);
	if (!editions) {
		db_fail(req, "reading Mon Défi", &error);
		return;
	}
	if (req->is_api) {
		reply_json(req, 200,
			   arena_json(req->arena, json_pack("{s:O}", "editions", editions)));
	} else {
		json_t *data = arena_json(req->arena,
					  json_pack("{s:O, s:b}", "editions", editions, "empty",
						    json_array_size(editions) == 0));
		const char *notice = label_find(NOTICES, LABELS_COUNT(NOTICES),
						request_param(req, "info"));
		if (notice)
			json_object_set_new(data, "notice", json_string(notice));
		page_reply(req, 200, "defi/mine", "Mon Défi", "defi", data);
	}
}
