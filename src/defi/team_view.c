#include "defi/team_view.h"

#include <stdio.h>
#include <string.h>

#include "accounts/organisation.h"
#include "accounts/rules.h"
#include "accounts/user.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/labels.h"
#include "core/paris_time.h"
#include "db/db.h"
#include "db/doc.h"
#include "defi/edition.h"
#include "defi/team_access.h"
#include "defi/team_rules.h"
#include "http/form.h"
#include "http/reply.h"
#include "web/db_reply.h"
#include "http/request.h"
#include "web/error_reply.h"
#include "web/form_reply.h"

/* Notices shown on the team's page after a redirect, by ?info= code. */
static const char *const NOTICES[][2] = {
	{"creee", "L’équipe est créée et vous en êtes le capitaine. Invitez vos collègues\u202f: "
		  "une invitation compte quand la personne l’accepte."},
	{"modifiee", "Vos modifications sont enregistrées."},
	{"invitation", "L’invitation est envoyée par courriel."},
	{"acceptee", "Vous faites partie de l’équipe."},
	{"refusee", "Vous avez décliné l’invitation."},
	{"quittee", "Vous avez quitté l’équipe."},
	{"retire", "La personne ne fait plus partie de l’équipe."},
	{"capitaine", "Le rôle de capitaine est transmis."},
	{"deposee", "La candidature de l’équipe est déposée\u202f: la coordination du Lab vous "
		    "répondra par courriel."},
	{"desistee", "L’équipe s’est désistée."},
	{"decision", "La décision est enregistrée et l’équipe est prévenue par courriel."},
};

const char *defi_team_url(struct request *req, int year, const char *id)
{
	return arena_printf(req->arena, "/defi/%d/equipes/%s", year, id);
}

/* Returns the members of team as people: [{user_id, name, job,
 * organisation_id, organisation_name, state, captain}] (the request's
 * arena's), names from the account cache; NULL with error set. */
static json_t *people(struct request *req, const json_t *team, const json_t *orgs,
		      bson_error_t *error)
{
	json_t *out = arena_json(req->arena, json_array()), *m;
	size_t i;
	const char *captain = json_str(team, "captain_id");
	json_array_foreach(json_object_get(team, "members"), i, m) {
		const char *uid = json_str(m, "user_id");
		struct user *u = user_find_id(req->db, uid, error);
		if (!u && error->code)
			return NULL;
		const char *org = u && u->organisation ? u->organisation : "";
		json_array_append_new(
			out, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "user_id", uid,
				       "name", u && u->name ? u->name : "Compte supprimé", "job",
				       u && u->job ? u->job : "", "organisation_id", org,
				       "organisation_name",
				       json_str(json_object_get(orgs, org), "name"), "state",
				       json_str(m, "state"), "captain", strcmp(uid, captain) == 0));
	}
	return out;
}

/* Returns a decision as the API shows it, {decision, message, at} with
 * an RFC 3339 instant, or null (new reference). */
static json_t *decision_api(const json_t *d)
{
	if (!json_is_object(d))
		return json_null();
	char at[PARIS_TIME_RFC3339_MAX];
	paris_time_format_rfc3339(json_integer_value(json_object_get(d, "at")), at);
	return json_pack("{s:s, s:s, s:s}", "decision", json_str(d, "decision"), "message",
			 json_str(d, "message"), "at", at);
}

json_t *defi_team_api(struct request *req, const json_t *team, bool full, bson_error_t *error)
{
	json_t *out = arena_json(req->arena,
				 json_pack("{s:s, s:O, s:s, s:s, s:s}", "id", json_str(team, "_id"),
					   "year", json_object_get(team, "year"), "name",
					   json_str(team, "name"), "organisation_id",
					   json_str(team, "organisation_id"), "status",
					   json_str(team, "status")));
	if (!full)
		return out;
	json_t *orgs = arena_json(req->arena, organisations_by_code(req->db, error));
	json_t *members = orgs ? people(req, team, orgs, error) : NULL;
	if (!members)
		return NULL;
	json_t *invites = json_array(), *e;
	size_t i;
	json_array_foreach(json_object_get(team, "email_invites"), i, e)
		json_array_append_new(invites, json_pack("{s:s}", "email", json_str(e, "email")));
	json_t *decision = json_object_get(team, "decision");
	json_t *answers = json_object_get(team, "answers");
	json_t *more = json_pack(
		"{s:s, s:b, s:i, s:O, s:o, s:s, s:s, s:O, s:o, s:s*}", "captain_id",
		json_str(team, "captain_id"), "incomplete",
		json_is_true(json_object_get(team, "incomplete")), "confirmed_count",
		defi_confirmed_count(json_object_get(team, "members")), "members", members,
		"email_invites", invites, "pitch", json_str(team, "pitch"), "theme_fit",
		json_str(team, "theme_fit"), "answers",
		json_is_array(answers) ? answers : json_null(), "decision", decision_api(decision),
		"submitted_at", json_string_value(json_object_get(team, "submitted_at")));
	const char *project = json_str(team, "project_id");
	json_object_set_new(more, "project_id", project[0] ? json_string(project) : json_null());
	json_object_update_new(out, more);
	return out;
}

/* Returns the edition's questions with the team's answers, for the page:
 * [{field, label, text, required}] (new reference). */
static json_t *answers_view(const json_t *edition, const json_t *team)
{
	json_t *out = json_array(), *q;
	size_t i;
	json_array_foreach(json_object_get(edition, "questions"), i, q) {
		const char *code = json_str(q, "code");
		json_array_append_new(
			out, json_pack("{s:s+, s:s, s:s, s:b}", "field", "answer-", code, "label",
				       json_str(q, "label"), "text",
				       defi_answer_text(json_object_get(team, "answers"), code),
				       "required", json_is_true(json_object_get(q, "required"))));
	}
	return out;
}

/* Adds to each member of people what the visitor may do to them. */
static void member_actions(json_t *members, const struct defi_team_ctx *t, bool may_change)
{
	size_t i;
	json_t *m;
	json_array_foreach(members, i, m) {
		bool captain = json_is_true(json_object_get(m, "captain"));
		bool confirmed = strcmp(json_str(m, "state"), "confirmed") == 0;
		bool lead = t->captain || t->coordinator;
		json_object_set_new(m, "confirmed", json_boolean(confirmed));
		json_object_set_new(m, "can_remove", json_boolean(may_change && lead && !captain));
		json_object_set_new(m, "can_promote",
				    json_boolean(may_change && lead && confirmed && !captain));
	}
}

json_t *defi_team_page_data_or_reply(struct request *req, const struct defi_team_ctx *t)
{
	bool full = t->captain || t->member || t->invited || t->coordinator;
	bool may_change = defi_members_may_change(t->status) &&
			  (t->window == DEFI_OPEN || t->coordinator);
	bson_error_t error = {0};
	json_t *orgs = arena_json(req->arena, organisations_by_code(req->db, &error));
	json_t *team = orgs ? defi_team_api(req, t->team, full, &error) : NULL;
	if (!team) {
		db_fail(req, "reading the people of a Défi team", &error);
		return NULL;
	}
	const char *org = json_str(t->team, "organisation_id");
	json_object_set_new(team, "organisation_name",
			    json_string(json_str(json_object_get(orgs, org), "name")));
	bool incomplete = json_is_true(json_object_get(t->team, "incomplete"));
	json_object_set_new(team, "status_label",
			    json_string(defi_status_label(t->status, incomplete)));
	member_actions(json_object_get(team, "members"), t, may_change);
	const json_t *d = json_object_get(t->team, "decision");
	json_t *data = arena_json(
		req->arena,
		json_pack("{s:O, s:O, s:s, s:b, s:b, s:b, s:b, s:b, s:b, s:o, s:i, s:i}", "team",
			  team, "edition", t->edition_view, "url",
			  defi_team_url(req, t->year, t->id), "full", full, "is_captain",
			  t->captain, "is_member", t->member, "is_invited", t->invited,
			  "is_coordinator", t->coordinator, "may_change", may_change,
			  "answers_view", answers_view(t->edition, t->team), "min_size",
			  defi_edition_min(t->edition), "max_size", defi_edition_max(t->edition)));
	bool lead = t->captain || t->coordinator;
	json_object_set_new(data, "can_edit", json_boolean(may_change && lead));
	json_object_set_new(data, "can_invite", json_boolean(may_change && lead));
	json_object_set_new(data, "can_leave",
			    json_boolean(may_change && t->member && !t->captain));
	json_object_set_new(data, "can_answer", json_boolean(may_change && t->invited));
	json_object_set_new(
		data, "can_submit",
		json_boolean(t->status == DEFI_DRAFT && (t->captain || t->coordinator)));
	json_object_set_new(
		data, "can_withdraw",
		json_boolean(defi_withdraw_allowed(t->status) && (t->captain || t->coordinator)));
	json_object_set_new(data, "can_decide",
			    json_boolean(t->coordinator && defi_decision_allowed(t->status)));
	/* A retained team becomes a project once; its page then links to it. */
	const char *slug = json_str(t->team, "project_slug");
	if (slug[0])
		json_object_set_new(data, "project_url",
				    json_string(arena_printf(req->arena, "/projets/%s", slug)));
	json_object_set_new(data, "can_make_project",
			    json_boolean(t->coordinator && !slug[0] && t->status == DEFI_SELECTED));
	if (t->window != DEFI_OPEN)
		json_object_set_new(data, "closed_message",
				    json_string(defi_team_closed_message(req, t)));
	if (full && json_is_object(d))
		json_object_set_new(
			data, "decision",
			json_pack("{s:s, s:s}", "label",
				  defi_status_label((enum defi_status)defi_decision_from(
							    json_str(d, "decision")),
						    false),
				  "message", json_str(d, "message")));
	if (full && json_str(t->team, "notice")[0])
		json_object_set_new(data, "team_notice", json_string(json_str(t->team, "notice")));
	const char *notice = label_find(NOTICES, LABELS_COUNT(NOTICES), request_param(req, "info"));
	if (notice)
		json_object_set_new(data, "notice", json_string(notice));
	return data;
}

void defi_team_done(struct request *req, const struct defi_team_ctx *t, int status,
		    const char *info)
{
	if (!req->is_api) {
		reply_redirect(req, arena_printf(req->arena, "%s?info=%s",
						 defi_team_url(req, t->year, t->id), info));
		return;
	}
	bson_error_t error = {0};
	json_t *body = defi_team_api(req, t->team, true, &error);
	if (!body) {
		db_fail(req, "reading the people of a Défi team", &error);
		return;
	}
	reply_json(req, status, body);
}

void defi_team_refuse(struct request *req, const struct defi_team_ctx *t,
		      const struct defi_field_error *errors, size_t n)
{
	struct form f;
	form_begin(&f, req);
	if (form_sent(&f, "email")) /* kept as typed in the invitation form */
		form_text(&f, "email", ACCOUNT_EMAIL_MAX_CHARS, false);
	bool closed = false;
	for (size_t i = 0; i < n; i++) {
		form_error(&f, errors[i].field, errors[i].message);
		closed = closed || strcmp(errors[i].field, "window") == 0;
	}
	if (req->is_api) {
		reply_error(req, 422, closed ? "closed" : "invalid", errors[0].message, f.errors);
	} else {
		json_t *data = defi_team_page_data_or_reply(req, t), *a;
		size_t i;
		json_array_foreach(json_object_get(data, "answers_view"), i, a)
			json_object_set(a, "error",
					json_object_get(f.errors, json_str(a, "field")));
		if (data)
			form_reply_invalid(&f, "defi/team", json_str(t->team, "name"), "defi",
					   data);
	}
	form_end(&f);
}

void defi_team_refuse_one(struct request *req, const struct defi_team_ctx *t, const char *field,
			  const char *message)
{
	struct defi_field_error e;
	snprintf(e.field, sizeof(e.field), "%s", field);
	snprintf(e.message, sizeof(e.message), "%s", message);
	defi_team_refuse(req, t, &e, 1);
}
