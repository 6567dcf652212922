/* A team's application: submission by its captain (refused with every
 * unmet condition next to its field), withdrawal, and the coordinators'
 * decisions, mailed to the captain and the members and recorded in the
 * audit journal. */
#include <string.h>

#include "accounts/notify.h"
#include "accounts/organisation.h"
#include "accounts/user.h"
#include "audit/audit.h"
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
#include "web/form_reply.h"

enum { DECISION_MESSAGE_MAX_CHARS = 4000, EDIT_STATUS_MOVED = 1 };

/* Returns the names of t's confirmed members whose account is not of the
 * team's organisation (arena array, *n its size), or NULL with error set. */
static const char **outsiders(struct request *req, const struct defi_team_ctx *t, size_t *n,
			      bson_error_t *error)
{
	json_t *members = json_object_get(t->team, "members"), *m;
	const char **out = arena_alloc(req->arena, (json_array_size(members) + 1) * sizeof(*out));
	const char *org = json_str(t->team, "organisation_id");
	size_t i;
	*n = 0;
	json_array_foreach(members, i, m) {
		if (strcmp(json_str(m, "state"), "confirmed") != 0)
			continue;
		struct user *u = user_find_id(req->db, json_str(m, "user_id"), error);
		if (!u && error->code)
			return NULL;
		if (!u || !u->organisation || strcmp(u->organisation, org) != 0)
			out[(*n)++] = u && u->name ? u->name : "un compte supprimé";
	}
	return out;
}

/* Checks t's team for submission into errors; returns how many, or -1
 * after replying 503/500. A coordinator is not held to the window. */
static long submission_errors_or_reply(struct request *req, const struct defi_team_ctx *t,
				       struct defi_field_error *errors)
{
	bson_error_t error = {0};
	json_t *orgs = arena_json(req->arena, organisations_by_code(req->db, &error));
	struct defi_team_facts facts = {
		.window = t->coordinator ? DEFI_OPEN : t->window,
		.opens_fr = json_str(t->edition_view, "opens_fr"),
		.closes_fr = json_str(t->edition_view, "closes_fr"),
		.min_size = defi_edition_min(t->edition),
		.max_size = defi_edition_max(t->edition),
		.confirmed = defi_confirmed_count(json_object_get(t->team, "members")),
		.name = json_str(t->team, "name"),
		.pitch = json_str(t->team, "pitch"),
		.theme_fit = json_str(t->team, "theme_fit"),
		.questions = json_object_get(t->edition, "questions"),
		.answers = json_object_get(t->team, "answers"),
	};
	facts.outsiders = orgs ? outsiders(req, t, &facts.n_outsiders, &error) : NULL;
	facts.organisation_name = arena_strdup(
		req->arena,
		json_str(json_object_get(orgs, json_str(t->team, "organisation_id")), "name"));
	if (!facts.outsiders) {
		db_fail(req, "reading the members of a Défi team", &error);
		return -1;
	}
	return (long)defi_submission_check(&facts, errors);
}

/* Moves a draft to "deposee"; a racing change of status refuses. */
static int submit(json_t *team, void *ctx)
{
	(void)ctx;
	if (defi_status_from(json_str(team, "status")) != DEFI_DRAFT)
		return EDIT_STATUS_MOVED;
	json_object_set_new(team, "status", json_string(defi_status_code(DEFI_SUBMITTED)));
	json_object_set_new(team, "incomplete", json_false());
	json_object_set_new(team, "notice", json_string(""));
	json_object_set_new(team, "submitted_at", json_integer(doc_now_ms()));
	return 0;
}

void defi_team_submit(struct request *req)
{
	struct defi_team_ctx t;
	if (!defi_team_open(req, &t))
		return;
	struct defi_field_error errors[DEFI_MAX_ERRORS];
	long n = 0;
	bson_error_t error = {0};
	json_t *saved = NULL;
	int rc;
	if (!defi_team_require_captain_or_reply(req, &t)) {
	} else if (t.status != DEFI_DRAFT) {
		reply_error(req, 409, "conflict", "La candidature de l’équipe est déjà déposée.",
			    NULL);
	} else if ((n = submission_errors_or_reply(req, &t, errors)) > 0) {
		defi_team_refuse(req, &t, errors, (size_t)n);
	} else if (n == 0 && (rc = defi_team_write(req->db, t.id, submit, NULL, &saved, &error))) {
		if (rc == EDIT_STATUS_MOVED)
			reply_error(req, 409, "conflict",
				    "La candidature de l’équipe est déjà "
				    "déposée.",
				    NULL);
		else
			db_fail(req, "submitting a Défi team", &error);
	} else if (n == 0) {
		defi_team_replace(req, &t, saved);
		defi_team_audit_fix(req, &t, "defi.team.submit", NULL);
		defi_team_done(req, &t, 200, "deposee");
	}
}

static int withdraw(json_t *team, void *ctx)
{
	(void)ctx;
	int s = defi_status_from(json_str(team, "status"));
	if (s < 0 || !defi_withdraw_allowed((enum defi_status)s))
		return EDIT_STATUS_MOVED;
	json_object_set_new(team, "status", json_string(defi_status_code(DEFI_WITHDRAWN)));
	return 0;
}

void defi_team_withdraw(struct request *req)
{
	struct defi_team_ctx t;
	if (!defi_team_open(req, &t))
		return;
	bson_error_t error = {0};
	json_t *saved = NULL;
	int rc = defi_team_require_captain_or_reply(req, &t)
			 ? defi_team_write(req->db, t.id, withdraw, NULL, &saved, &error)
			 : 0;
	if (rc == EDIT_STATUS_MOVED) {
		reply_error(req, 409, "conflict",
			    "Cette équipe ne peut plus se "
			    "désister\u202f: elle l’a déjà fait ou sa candidature n’a pas été "
			    "retenue.",
			    NULL);
	} else if (rc) {
		db_fail(req, "withdrawing a Défi team", &error);
	} else if (saved) {
		defi_team_replace(req, &t, saved);
		defi_team_audit_fix(req, &t, "defi.team.withdraw", NULL);
		defi_team_done(req, &t, 200, "desistee");
	}
}

/* A coordinator's decision. */
struct decision {
	enum defi_status status;
	const char *message, *by;
};

static int decide(json_t *team, void *ctx)
{
	const struct decision *d = ctx;
	int s = defi_status_from(json_str(team, "status"));
	if (s < 0 || !defi_decision_allowed((enum defi_status)s))
		return EDIT_STATUS_MOVED;
	json_object_set_new(team, "status", json_string(defi_status_code(d->status)));
	json_object_set_new(team, "decision",
			    json_pack("{s:s, s:s, s:s, s:I}", "decision",
				      defi_status_code(d->status), "message", d->message, "by",
				      d->by, "at", (json_int_t)doc_now_ms()));
	return 0;
}

/* Mails the decision to the captain and every confirmed member. */
static void mail_decision(struct request *req, const struct defi_team_ctx *t,
			  const struct decision *d)
{
	json_t *m;
	size_t i;
	json_array_foreach(json_object_get(t->team, "members"), i, m) {
		bson_error_t error = {0};
		struct user *u = strcmp(json_str(m, "state"), "confirmed") == 0
					 ? user_find_id(req->db, json_str(m, "user_id"), &error)
					 : NULL;
		if (!u || !u->email)
			continue;
		json_t *data = json_pack(
			"{s:s, s:s, s:i, s:s, s:s, s:b, s:s}", "name", u->name ? u->name : "",
			"team", json_str(t->team, "name"), "year", t->year, "decision",
			defi_status_label(d->status, false), "message", d->message, "selected",
			d->status == DEFI_SELECTED, "url",
			notify_site_url(req->app, req->arena, defi_team_url(req, t->year, t->id)));
		notify_user(req->app, req->db, u->email, "defi_decision", data);
		json_decref(data);
	}
}

void defi_team_decide(struct request *req)
{
	struct defi_team_ctx t;
	if (!defi_team_open(req, &t))
		return;
	struct form f;
	form_begin(&f, req);
	const char *code = form_text(&f, "decision", 32, true);
	int status = defi_decision_from(code);
	struct decision d = {
		.status = (enum defi_status)status,
		.message = form_paragraphs(&f, "message", DECISION_MESSAGE_MAX_CHARS, false),
		.by = req->user->id,
	};
	if (*code && status < 0)
		form_error(&f, "decision",
			   "Choisissez\u202f: retenue, liste d’attente ou non "
			   "retenue.");
	if (!*d.message)
		form_error(&f, "message",
			   "Écrivez un message à l’équipe\u202f: il accompagne la "
			   "décision dans le courriel.");
	bson_error_t error = {0};
	json_t *saved = NULL;
	int rc = 0;
	if (!form_valid(&f)) {
		json_t *data = defi_team_page_data_or_reply(req, &t);
		if (data)
			form_reply_invalid(&f, "defi/team", json_str(t.team, "name"), "defi", data);
	} else if ((rc = defi_team_write(req->db, t.id, decide, &d, &saved, &error)) ==
		   EDIT_STATUS_MOVED) {
		reply_error(req, 409, "conflict",
			    "Seule une candidature déposée peut recevoir "
			    "une décision.",
			    NULL);
	} else if (rc) {
		db_fail(req, "recording a Défi decision", &error);
	} else {
		defi_team_replace(req, &t, saved);
		audit_record(req, "defi.team.decision", t.id, code, NULL);
		mail_decision(req, &t, &d);
		defi_team_done(req, &t, 200, "decision");
	}
	form_end(&f);
}
