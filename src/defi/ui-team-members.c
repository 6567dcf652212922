/* A team's people: invitations by address (an account gets one in the
 * site and by mail; an address without an account a mail with a sign-up
 * link, and the invitation waits for the account), acceptance by the
 * invited person signed in (same organisation, one team per edition:
 * claimed by their seat), declining, leaving, removal and handing over
 * the captaincy. Pages and API share these handlers. */
#include <stdio.h>
#include <string.h>

#include "accounts/notify.h"
#include "accounts/organisation.h"
#include "accounts/rules.h"
#include "accounts/user.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "db/db.h"
#include "db/doc.h"
#include "defi/edition.h"
#include "defi/team_access.h"
#include "defi/team_store.h"
#include "defi/team_view.h"
#include "defi/ui.h"
#include "http/form.h"
#include "http/reply.h"
#include "web/db_reply.h"
#include "web/error_reply.h"

/* Refusals of the edits below, found on the fresh copy of the team. */
enum {
	EDIT_ALREADY = 1, /* the address is a member or invited already */
	EDIT_NO_INVITATION,
	EDIT_NOT_MEMBER,
};

/* What an invitation adds. */
struct invite {
	const char *email;
	const struct user *invitee; /* NULL: no account yet */
	int64_t at;
};

static int add_invitation(json_t *team, void *ctx)
{
	const struct invite *in = ctx;
	if (defi_email_invite_index(team, in->email) >= 0 ||
	    (in->invitee && defi_member_index(team, in->invitee->id) >= 0))
		return EDIT_ALREADY;
	if (in->invitee)
		json_array_append_new(json_object_get(team, "members"),
				      json_pack("{s:s, s:s, s:I}", "user_id", in->invitee->id,
						"state", "invited", "invited_at",
						(json_int_t)in->at));
	else
		json_array_append_new(json_object_get(team, "email_invites"),
				      json_pack("{s:s, s:I}", "email", in->email, "invited_at",
						(json_int_t)in->at));
	return 0;
}

/* Mails the invitation: to the account, a link to the team's page; to
 * an address without one, a sign-up link. */
static void mail_invitation(struct request *req, const struct defi_team_ctx *t,
			    const struct invite *in)
{
	const char *url = notify_site_url(req->app, req->arena, defi_team_url(req, t->year, t->id));
	json_t *data = arena_json(
		req->arena,
		json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:b}", "name",
			  in->invitee && in->invitee->name ? in->invitee->name : "", "captain",
			  req->user->name ? req->user->name : "", "team", json_str(t->team, "name"),
			  "year", t->year, "theme", json_str(t->edition, "theme"), "url",
			  in->invitee ? url
				      : notify_site_url(req->app, req->arena,
							arena_printf(req->arena,
								     "/inscription?email=%s",
								     in->email)),
			  "has_account", in->invitee != NULL));
	json_object_set_new(data, "team_url", json_string(url));
	notify_user(req->app, req->db, in->email, "defi_invitation", data);
}

void defi_team_invite(struct request *req)
{
	struct defi_team_ctx t;
	if (!defi_team_open(req, &t))
		return;
	if (defi_team_require_captain_or_reply(req, &t) &&
	    defi_team_require_changeable_or_reply(req, &t)) {
		struct form f;
		form_begin(&f, req);
		struct invite in = {
			.email = user_email_normalize(
				req->arena, form_text(&f, "email", ACCOUNT_EMAIL_MAX_CHARS, true)),
			.at = doc_now_ms(),
		};
		bson_error_t error = {0};
		json_t *saved = NULL;
		int rc = -1;
		if (form_valid(&f) && !account_email_plausible(in.email))
			form_error(&f, "email",
				   "Saisissez une adresse électronique complète, "
				   "comme prenom.nom@organisme.fr.");
		if (!form_valid(&f)) {
			defi_team_refuse_one(req, &t, "email", json_str(f.errors, "email"));
		} else if (!(in.invitee = user_find_email(req->db, in.email, &error)) &&
			   error.code) {
			db_fail(req, "finding an invited account", &error);
		} else if ((rc = defi_team_write(req->db, t.id, add_invitation, &in, &saved,
						 &error)) == EDIT_ALREADY) {
			defi_team_refuse_one(req, &t, "email",
					     "Cette personne fait déjà partie "
					     "de l’équipe ou y est déjà invitée.");
		} else if (rc || defi_invites_add(req->db, in.email, t.id, &error)) {
			db_fail(req, "inviting to a Défi team", &error);
		} else {
			defi_team_replace(req, &t, saved);
			mail_invitation(req, &t, &in);
			defi_team_audit_fix(req, &t, "defi.team.invite", in.email);
			defi_team_done(req, &t, 201, "invitation");
		}
		form_end(&f);
	}
}

/* Returns the name of organisation code, or the code itself (arena). */
static const char *org_name(struct request *req, const char *code)
{
	bson_error_t error = {0};
	json_t *orgs = arena_json(req->arena, organisations_by_code(req->db, &error));
	const char *name = json_str(json_object_get(orgs, code ? code : ""), "name");
	return arena_strdup(req->arena, *name ? name : code ? code : "");
}

/* Returns true when the visitor may accept: invited, of the team's
 * organisation, the team not full; else replies. */
static bool may_accept(struct request *req, const struct defi_team_ctx *t)
{
	if (!t->invited) {
		reply_error(req, t->member ? 409 : 403, t->member ? "conflict" : "forbidden",
			    t->member ? "Vous faites déjà partie de cette équipe."
				      : "Cette équipe ne vous a pas invité.",
			    NULL);
		return false;
	}
	if (!defi_team_require_changeable_or_reply(req, t))
		return false;
	const char *team_org = json_str(t->team, "organisation_id");
	const char *own = req->user->organisation ? req->user->organisation : "";
	if (strcmp(team_org, own) != 0) {
		defi_team_refuse_one(
			req, t, "organisation",
			arena_printf(
				req->arena,
				"L’équipe «\u202f%s\u202f» réunit des agents de %s, et votre compte est "
				"rattaché à %s\u202f: une équipe du Défi réunit des collègues d’un même "
				"organisme.",
				json_str(t->team, "name"), org_name(req, team_org),
				org_name(req, own)));
		return false;
	}
	int max = defi_edition_max(t->edition);
	if (max && defi_confirmed_count(json_object_get(t->team, "members")) >= max) {
		defi_team_refuse_one(
			req, t, "members",
			arena_printf(
				req->arena,
				"L’équipe est "
				"complète\u202f: cette édition admet %d membres au plus par équipe.",
				max));
		return false;
	}
	return true;
}

void defi_team_accept(struct request *req)
{
	struct defi_team_ctx t;
	if (!defi_team_open(req, &t))
		return;
	if (may_accept(req, &t)) {
		bson_error_t error = {0};
		json_t *saved = NULL;
		int rc = defi_team_join(req->db, t.year, t.id, req->user,
					defi_edition_max(t.edition), true, &saved, &error);
		if (rc == DEFI_JOIN_SEATED)
			reply_error(
				req, 409, "conflict",
				arena_printf(
					req->arena,
					"Vous faites "
					"déjà partie d’une équipe pour le Défi %d\u202f: on ne peut "
					"être que dans une équipe par édition.",
					t.year),
				NULL);
		else if (rc == DEFI_JOIN_FULL)
			defi_team_refuse_one(req, &t, "members",
					     "L’équipe vient d’atteindre le "
					     "nombre maximal de membres.");
		else if (rc == DEFI_JOIN_NOT_INVITED)
			reply_error(req, 409, "conflict", "L’invitation a été retirée.", NULL);
		else if (rc)
			db_fail(req, "accepting a Défi invitation", &error);
		else {
			defi_team_replace(req, &t, saved);
			defi_team_done(req, &t, 200, "acceptee");
		}
	}
}

static int drop_invitation(json_t *team, void *ctx)
{
	const struct user *u = ctx;
	int i = defi_member_index(team, u->id);
	int e = defi_email_invite_index(team, u->email);
	json_t *members = json_object_get(team, "members");
	if (i >= 0 && strcmp(json_str(json_array_get(members, (size_t)i), "state"), "invited") == 0)
		json_array_remove(members, (size_t)i);
	else if (e < 0)
		return EDIT_NO_INVITATION;
	if (e >= 0)
		json_array_remove(json_object_get(team, "email_invites"), (size_t)e);
	return 0;
}

void defi_team_decline(struct request *req)
{
	struct defi_team_ctx t;
	if (!defi_team_open(req, &t))
		return;
	bson_error_t error = {0};
	json_t *saved = NULL;
	int rc = t.invited ? defi_team_write(req->db, t.id, drop_invitation, req->user, &saved,
					     &error)
			   : EDIT_NO_INVITATION;
	if (rc == EDIT_NO_INVITATION)
		reply_error(req, 403, "forbidden", "Cette équipe ne vous a pas invité.", NULL);
	else if (rc)
		db_fail(req, "declining a Défi invitation", &error);
	else if (!req->is_api)
		reply_redirect(req, "/mon-defi?info=refusee");
	else {
		defi_team_replace(req, &t, saved);
		defi_team_done(req, &t, 200, "refusee");
	}
}

/* What a removal changes: the member goes, and a submitted team that
 * falls below the minimum before the close becomes an incomplete draft
 * with a notice for its captain. */
struct removal {
	struct arena *arena; /* the request's, for the notice */
	const char *user_id;
	const char *name; /* the person leaving, for the notice */
	int min_size;
	enum defi_window window;
	bool fell; /* out: the team became incomplete */
};

static int remove_member(json_t *team, void *ctx)
{
	struct removal *r = ctx;
	int i = defi_member_index(team, r->user_id);
	if (i < 0)
		return EDIT_NOT_MEMBER;
	json_t *members = json_object_get(team, "members");
	json_array_remove(members, (size_t)i);
	int s = defi_status_from(json_str(team, "status"));
	int confirmed = defi_confirmed_count(members);
	r->fell = s >= 0 &&
		  defi_falls_incomplete((enum defi_status)s, confirmed, r->min_size, r->window);
	if (r->fell) {
		const char *notice = arena_printf(
			r->arena,
			"%s a quitté l’équipe\u202f: elle "
			"compte %d membres confirmés et il en faut au moins %d. La candidature est "
			"revenue à l’état «\u202fincomplète\u202f»\u202f: invitez un ou une collègue, "
			"puis déposez-la de nouveau avant la clôture.",
			r->name, confirmed, r->min_size);
		json_object_set_new(team, "status", json_string(defi_status_code(DEFI_DRAFT)));
		json_object_set_new(team, "incomplete", json_true());
		json_object_set_new(team, "notice", json_string(notice));
	}
	return 0;
}

/* Mails the captain of t that the team became incomplete. */
static void mail_incomplete(struct request *req, const struct defi_team_ctx *t)
{
	bson_error_t error = {0};
	struct user *captain = user_find_id(req->db, json_str(t->team, "captain_id"), &error);
	if (!captain || !captain->email)
		return;
	json_t *data = arena_json(req->arena,
				  json_pack("{s:s, s:s, s:i, s:s, s:s}", "name",
					    captain->name ? captain->name : "", "team",
					    json_str(t->team, "name"), "year", t->year, "notice",
					    json_str(t->team, "notice"), "url",
					    notify_site_url(req->app, req->arena,
							    defi_team_url(req, t->year, t->id))));
	notify_user(req->app, req->db, captain->email, "defi_incomplete", data);
}

/* Takes user_id (a member, not the captain) out of t's team, frees their
 * seat and replies. */
static void take_out(struct request *req, struct defi_team_ctx *t, const char *user_id,
		     const char *info)
{
	if (strcmp(user_id, json_str(t->team, "captain_id")) == 0) {
		defi_team_refuse_one(req, t, "members",
				     "Le capitaine ne peut pas quitter "
				     "l’équipe\u202f: transmettez d’abord ce rôle à un membre "
				     "confirmé.");
		return;
	}
	bson_error_t error = {0};
	struct user *u = user_find_id(req->db, user_id, &error);
	struct removal r = {req->arena,
			    user_id,
			    u && u->name ? u->name : "Un membre",
			    defi_edition_min(t->edition),
			    t->window,
			    false};
	json_t *saved = NULL;
	int rc = defi_team_write(req->db, t->id, remove_member, &r, &saved, &error);
	if (rc == EDIT_NOT_MEMBER) {
		reply_not_found(req);
		return;
	}
	if (rc || defi_seat_release(req->db, t->year, user_id, t->id, &error)) {
		db_fail(req, "taking a member out of a Défi team", &error);
		return;
	}
	defi_team_replace(req, t, saved);
	if (r.fell)
		mail_incomplete(req, t);
	defi_team_audit_fix(req, t, "defi.team.remove", user_id);
	if (!req->is_api && strcmp(user_id, req->user->id) == 0)
		reply_redirect(req, "/mon-defi?info=quittee");
	else
		defi_team_done(req, t, 200, info);
}

/* Takes target out of the route's team: the visitor themselves
 * (leaving), or a member removed by the captain or a coordinator. */
static void member_out(struct request *req, const char *target)
{
	struct defi_team_ctx t;
	if (!defi_team_open(req, &t))
		return;
	bool self = strcmp(target, req->user->id) == 0;
	if (self && !t.member)
		reply_error(req, 403, "forbidden", "Vous ne faites pas partie de cette équipe.",
			    NULL);
	else if ((self || defi_team_require_captain_or_reply(req, &t)) &&
		 defi_team_require_changeable_or_reply(req, &t))
		take_out(req, &t, target, self ? "quittee" : "retire");
}

void defi_team_leave(struct request *req)
{
	member_out(req, req->user->id);
}

void defi_team_remove(struct request *req)
{
	const char *target = request_param(req, "user_id");
	member_out(req, target ? target : "");
}

static int set_captain(json_t *team, void *ctx)
{
	const char *user_id = ctx;
	int i = defi_member_index(team, user_id);
	json_t *m = i >= 0 ? json_array_get(json_object_get(team, "members"), (size_t)i) : NULL;
	if (!m || strcmp(json_str(m, "state"), "confirmed") != 0)
		return EDIT_NOT_MEMBER;
	json_object_set_new(team, "captain_id", json_string(user_id));
	return 0;
}

void defi_team_captain(struct request *req)
{
	struct defi_team_ctx t;
	if (!defi_team_open(req, &t))
		return;
	if (defi_team_require_captain_or_reply(req, &t) &&
	    defi_team_require_changeable_or_reply(req, &t)) {
		struct form f;
		form_begin(&f, req);
		const char *target = form_text(&f, "user_id", 64, true);
		const char *before = arena_strdup(req->arena, json_str(t.team, "captain_id"));
		bson_error_t error = {0};
		json_t *saved = NULL;
		int rc = form_valid(&f) ? defi_team_write(req->db, t.id, set_captain,
							  (void *)target, &saved, &error)
					: EDIT_NOT_MEMBER;
		if (rc == EDIT_NOT_MEMBER) {
			defi_team_refuse_one(req, &t, "user_id",
					     "Choisissez un membre confirmé "
					     "de l’équipe.");
		} else if (rc || defi_seat_set_role(req->db, t.year, target, "captain", &error) ||
			   defi_seat_set_role(req->db, t.year, before, "member", &error)) {
			db_fail(req, "handing over a Défi team", &error);
		} else {
			defi_team_replace(req, &t, saved);
			defi_team_audit_fix(req, &t, "defi.team.captain", target);
			defi_team_done(req, &t, 200, "capitaine");
		}
		form_end(&f);
	}
}
