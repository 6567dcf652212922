/* The secretariat's decisions on one candidature, the page's forms and
 * the API alike (one handler each: http/form.h reads both):
 *   admissibility   POST .../recevabilite, POST /api/v1/gpi/candidatures/{id}/admissibility
 *   announcement    POST .../repositionnement, POST .../repositioning
 *   confirmation    POST .../repositionnement/confirmer, POST .../repositioning/confirm
 *   withdrawal      POST .../retrait, POST .../withdrawal
 * and the page they sit on, GET /grand-prix/{year}/candidatures/{id}/
 * secretariat (the filers' page is the same path without "/secretariat";
 * the actions are below it). Each decision is checked by gpi/desk_rules.h under
 * the candidature's revision claim, journaled, and the index told; the
 * announcement is mailed to the organisation at once, an inadmissibility
 * at the notification phase (gpi_notices_run). */
#include <string.h>

#include "accounts/user.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/paris_time.h"
#include "db/doc.h"
#include "gpi/candidature.h"
#include "gpi/candidature_rules.h"
#include "gpi/desk.h"
#include "gpi/desk_rules.h"
#include "gpi/edition.h"
#include "gpi/ui.h"
#include "http/form.h"
#include "http/reply.h"
#include "web/db_reply.h"
#include "web/error_reply.h"
#include "web/form_reply.h"
#include "web/page.h"

enum desk_action { ACT_ADMISSIBILITY, ACT_ANNOUNCE, ACT_CONFIRM, ACT_WITHDRAWAL };

/* A decision being taken: what gpi_candidature_write's edit applies. */
struct decision {
	enum desk_action action;
	struct gpi_admissibility admissibility;
	struct gpi_move move;
	const char *person;
	bool withdrawn;
};

static int apply(json_t *cand, void *ctx)
{
	struct decision *d = ctx;
	switch (d->action) {
	case ACT_ADMISSIBILITY: return gpi_admissibility_apply(cand, &d->admissibility);
	case ACT_ANNOUNCE: return gpi_move_announce(cand, &d->move);
	case ACT_CONFIRM: return gpi_move_confirm(cand, d->move.edition, &d->move.when);
	case ACT_WITHDRAWAL: return gpi_withdrawal_apply(cand, d->person, d->withdrawn);
	}
	return 0;
}

/* ---- The page ---- */

static const char *when_fr(struct request *req, json_int_t ms)
{
	char out[PARIS_TIME_LONG_MAX];
	return ms ? arena_strdup(req->arena, paris_time_format_long(ms, out, sizeof(out))) : "";
}

/* Returns the eligibility panel of cand under edition e now. New. */
static json_t *eligibility(struct request *req, const json_t *e, const json_t *cand)
{
	struct gpi_facts f = gpi_facts_of(req->arena, cand);
	struct gpi_check_result checks[GPI_CHECK_COUNT];
	bool ok = gpi_desk_eligibility(req->arena, e, &f,
				       json_integer_value(json_object_get(cand, "submitted_at_ms")),
				       checks);
	return gpi_eligibility_json(checks, ok);
}

static json_t *reason_options(const char *chosen)
{
	json_t *out = json_array();
	for (size_t i = 0; i < GPI_REASON_COUNT; i++)
		json_array_append_new(
			out, json_pack("{s:s, s:s, s:s, s:b}", "code", GPI_REASONS[i].code, "label",
				       GPI_REASONS[i].label, "article", GPI_REASONS[i].article,
				       "selected", chosen && !strcmp(chosen, GPI_REASONS[i].code)));
	return out;
}

/* The categories cand may move to (all but its own). New. */
static json_t *move_options(const json_t *e, const json_t *cand, const char *chosen)
{
	json_t *out = json_array(), *c;
	size_t i;
	json_array_foreach(json_object_get(e, "categories"), i, c)
		if (strcmp(json_str(c, "code"), json_str(cand, "category")))
			json_array_append_new(
				out, json_pack("{s:s, s:s, s:b}", "code", json_str(c, "code"),
					       "name", json_str(c, "name"), "selected",
					       chosen && !strcmp(chosen, json_str(c, "code"))));
	return out;
}

/* The candidature's facts as the desk shows them. New. */
static json_t *desk_view(struct request *req, const json_t *e, const json_t *cand)
{
	const char *id = json_str(cand, "_id");
	json_t *v = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:O*, s:O*, s:O*}", "id", id, "title",
		json_str(cand, "title"), "organisation_id", json_str(cand, "organisation_id"),
		"category_name", gpi_desk_category_name(e, json_str(cand, "category")), "status",
		json_str(cand, "status"), "status_label",
		gpi_status_label(json_str(cand, "status")), "people",
		json_object_get(cand, "people"), "contacts", json_object_get(cand, "contacts"),
		"dossier", json_object_get(cand, "dossier"));
	json_object_set_new(v, "url",
			    json_string(arena_printf(req->arena, "/grand-prix/%d/candidatures/%s",
						     gpi_edition_year(e), id)));
	json_object_set_new(v, "submitted_fr",
			    json_string(when_fr(req, json_integer_value(json_object_get(
							     cand, "submitted_at_ms")))));
	const json_t *video = json_object_get(cand, "video");
	if (json_is_object(video))
		json_object_set_new(
			v, "video",
			json_pack("{s:s, s:s, s:I}", "file_id", json_str(video, "file_id"), "name",
				  json_str(video, "name"), "seconds",
				  json_integer_value(json_object_get(video, "seconds"))));
	const json_t *a = json_object_get(cand, "admissibility");
	if (json_is_object(a)) {
		const struct gpi_reason *r = gpi_reason_find(json_str(a, "reason"));
		json_object_set_new(
			v, "admissibility",
			json_pack("{s:b, s:s, s:s, s:s, s:s}", "admissible",
				  json_is_true(json_object_get(a, "admissible")), "reason",
				  r ? r->label : "", "comment", json_str(a, "comment"), "at_fr",
				  when_fr(req, json_integer_value(json_object_get(a, "at"))),
				  "notified_fr",
				  when_fr(req,
					  json_integer_value(json_object_get(a, "notified_at")))));
	}
	const json_t *m = json_object_get(cand, "repositioning");
	if (json_is_object(m))
		json_object_set_new(v, "repositioning",
				    json_pack("{s:s, s:s, s:s}", "to_name",
					      gpi_desk_category_name(e, json_str(m, "to")),
					      "message", json_str(m, "message"), "announced_fr",
					      when_fr(req, json_integer_value(json_object_get(
								   m, "announced_at")))));
	return v;
}

/* Replies the desk page of candidature t with status (200, or 409 or
 * 422 with f's values and errors and a notice). f may be NULL. */
static void page(struct request *req, const struct gpi_cand_ctx *t, int status, struct form *f,
		 const char *notice)
{
	const json_t *cand = t->cand;
	const json_t *e = t->edition;
	const char *title = arena_printf(req->arena, "Candidature «\u202f%s\u202f»",
					 json_str(cand, "title"));
	int64_t start = 0, end = 0;
	gpi_edition_phase(e, GPI_PHASE_NOTIFICATION, &start, &end);
	json_t *values = f ? f->values : NULL;
	json_t *data = arena_json(
		req->arena,
		json_pack("{s:O, s:o, s:o, s:o, s:o, s:s, s:s*, s:b}", "edition", e, "cand",
			  desk_view(req, e, cand), "eligibility", eligibility(req, e, cand),
			  "reasons", reason_options(json_str(values, "reason")), "categories",
			  move_options(e, cand, json_str(values, "category")), "base",
			  arena_printf(req->arena, "/grand-prix/%d/candidatures/%s/secretariat",
				       t->year, t->id),
			  "notice", notice, "final", clock_now_ms() >= start));
	json_object_set_new(data, "notification_fr", json_string(when_fr(req, start)));
	if (f && status == 422) {
		form_reply_invalid(f, "gpi/desk_candidature", title, "gpi", data);
	} else {
		if (f) {
			json_object_set(data, "values", f->values);
			json_object_set(data, "errors", f->errors);
		}
		page_reply(req, status, "gpi/desk_candidature", title, "gpi", data);
	}
}

/* What ?fait= says after a decision. */
static const char *const DONE[][2] = {
	{"recevabilite", "La décision de recevabilité est enregistrée."},
	{"annonce",
	 "Le repositionnement est annoncé\u202f: l’organisme en est informé par courriel."},
	{"repositionnement", "Le repositionnement est confirmé."},
	{"retrait", "Le droit de retrait est enregistré."},
};

void gpi_desk_candidature(struct request *req)
{
	struct gpi_cand_ctx t;
	if (!gpi_desk_open_or_reply(req, &t))
		return;
	const char *done = request_param(req, "fait"), *notice = NULL;
	for (size_t i = 0; done && i < sizeof(DONE) / sizeof(*DONE); i++)
		if (!strcmp(done, DONE[i][0]))
			notice = DONE[i][1];
	page(req, &t, 200, NULL, notice);
	gpi_cand_close(&t);
}

/* ---- Deciding ---- */

/* Mails the announcement saved in cand to its organisation, now. */
static void mail_announcement(struct request *req, const struct gpi_cand_ctx *t, const json_t *cand)
{
	const json_t *m = json_object_get(cand, "repositioning");
	json_t *fields = arena_json(
		req->arena,
		json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "edition_title",
			  json_str(t->edition, "title"), "title", json_str(cand, "title"), "from",
			  gpi_desk_category_name(t->edition, json_str(cand, "category")), "to",
			  gpi_desk_category_name(t->edition, json_str(m, "to")), "message",
			  json_str(m, "message"), "url",
			  gpi_desk_candidature_url(req->app, req->db, t->year, t->id)));
	gpi_desk_mail(req->app, req->db, cand, NULL, "gpi_repositioning", fields,
		      "its repositioning");
}

/* The journal's line of decision d, as saved in cand. */
static void journal(struct request *req, const struct gpi_cand_ctx *t, const struct decision *d,
		    const json_t *cand)
{
	static const char *const ACTIONS[] = {[ACT_ADMISSIBILITY] = "gpi.admissibility",
					      [ACT_ANNOUNCE] = "gpi.repositioning.announce",
					      [ACT_CONFIRM] = "gpi.repositioning.confirm",
					      [ACT_WITHDRAWAL] = "gpi.withdrawal"};
	const char *detail = "";
	switch (d->action) {
	case ACT_ADMISSIBILITY:
		detail = d->admissibility.admissible
				 ? "recevable"
				 : arena_printf(req->arena, "irrecevable (%s) : %s",
						d->admissibility.reason, d->admissibility.comment);
		break;
	case ACT_ANNOUNCE:
		detail = arena_printf(req->arena, "%s → %s : %s", json_str(cand, "category"),
				      d->move.to, d->move.message);
		break;
	case ACT_CONFIRM:
		detail = arena_printf(req->arena, "→ %s", json_str(cand, "category"));
		break;
	case ACT_WITHDRAWAL:
		detail = arena_printf(req->arena, "%s %s", d->person,
				      d->withdrawn ? "retire sa publication"
						   : "accepte la publication");
		break;
	}
	audit_record(req, ACTIONS[d->action], t->id, detail, NULL);
}

/* The API's reply to a decision: the candidature's desk fields. */
static void reply_saved(struct request *req, const json_t *cand)
{
	reply_json(req, 200,
		   arena_json(req->arena,
			      json_pack("{s:s, s:s, s:s, s:O*, s:O*, s:O*, s:O*}", "id",
					json_str(cand, "_id"), "status", json_str(cand, "status"),
					"category", json_str(cand, "category"), "admissibility",
					json_object_get(cand, "admissibility"), "repositioning",
					json_object_get(cand, "repositioning"), "repositionings",
					json_object_get(cand, "repositionings"), "people",
					json_object_get(cand, "people"))));
}

/* Takes decision d (its fields read into f) on t, and replies: the
 * refusal beside its field, or the saved state (API) or the page again
 * with its notice (a redirect). */
static void decide(struct request *req, struct gpi_cand_ctx *t, struct form *f, struct decision *d,
		   const char *done)
{
	int64_t start = 0, end = 0;
	gpi_edition_phase(t->edition, GPI_PHASE_NOTIFICATION, &start, &end);
	struct gpi_desk_when when = {
		.by_id = req->user->id, .now_ms = t->now_ms, .notification_start_ms = start};
	d->admissibility.when = when;
	d->move.when = when;
	d->move.edition = t->edition;
	if (!form_valid(f)) {
		if (req->is_api)
			form_reply_invalid(f, NULL, NULL, NULL, NULL);
		else
			page(req, t, 422, f, NULL);
		return;
	}
	json_t *saved = NULL;
	bson_error_t error;
	int rc = gpi_candidature_write(req->db, t->id, req->user->id, 0, apply, d, &saved, &error);
	arena_json(req->arena, saved);
	if (rc < 0) {
		if (error.domain == GPI_ERROR_DOMAIN && error.code == GPI_ERROR_GONE)
			reply_not_found(req);
		else
			db_fail(req, "saving a decision on a candidature", &error);
		return;
	}
	if (rc > 0) {
		const struct gpi_desk_refusal_text *why = gpi_desk_refusal(rc);
		if (req->is_api) {
			reply_error(req, why->status, why->code, why->message,
				    why->field
					    ? arena_json(req->arena, json_pack("{s:s}", why->field,
									       why->message))
					    : NULL);
		} else if (why->field) {
			form_error(f, why->field, why->message);
			page(req, t, 422, f, NULL);
		} else {
			page(req, t, why->status, f, why->message);
		}
		return;
	}
	if (gpi_index_changed(req->db, t->id, &error))
		log_error(req->request_id, "candidature %s: index not told: %s", t->id,
			  error.message);
	journal(req, t, d, saved);
	if (d->action == ACT_ANNOUNCE)
		mail_announcement(req, t, saved);
	if (req->is_api)
		reply_saved(req, saved);
	else
		reply_redirect(req,
			       arena_printf(req->arena,
					    "/grand-prix/%d/candidatures/%s/secretariat?fait=%s",
					    t->year, t->id, done));
}

/* Reads the yes/no field name: a JSON boolean, or "oui"/"non" from a
 * form. Records an error when neither. */
static bool yes_no(struct form *f, const char *name, const char *message)
{
	const json_t *j = f->req->json ? json_object_get(f->req->json, name) : NULL;
	if (json_is_boolean(j)) {
		json_object_set_new(f->values, name, json_string(json_is_true(j) ? "oui" : "non"));
		return json_is_true(j);
	}
	const char *s = j ? "" : form_text(f, name, 3, false);
	if (strcmp(s, "oui") && strcmp(s, "non"))
		form_error(f, name, message);
	return !strcmp(s, "oui");
}

/* Runs decision d on the route's candidature: reads nothing more than
 * read(f, d) does. */
static void run(struct request *req, enum desk_action action, const char *done,
		void (*read)(struct form *f, struct decision *d))
{
	struct gpi_cand_ctx t;
	if (!gpi_desk_open_or_reply(req, &t))
		return;
	struct form f;
	form_begin(&f, req);
	struct decision d = {.action = action};
	read(&f, &d);
	decide(req, &t, &f, &d, done);
	form_end(&f);
	gpi_cand_close(&t);
}

static void read_admissibility(struct form *f, struct decision *d)
{
	d->admissibility.admissible = yes_no(f, "admissible",
					     "Indiquez si la candidature est recevable.");
	d->admissibility.reason = form_text(f, "reason", 40, false);
	d->admissibility.comment = form_paragraphs(f, "comment", GPI_DESK_COMMENT_MAX, false);
}

static void read_announcement(struct form *f, struct decision *d)
{
	d->move.to = form_text(f, "category", 60, true);
	d->move.message = form_paragraphs(f, "message", GPI_DESK_COMMENT_MAX, true);
}

static void read_nothing(struct form *f, struct decision *d)
{
	(void)f, (void)d;
}

static void read_withdrawal(struct form *f, struct decision *d)
{
	d->person = form_text(f, "person", 64, true);
	d->withdrawn = yes_no(f, "withdrawn", "Indiquez si la personne retire sa publication.");
}

void gpi_desk_admissibility(struct request *req)
{
	run(req, ACT_ADMISSIBILITY, "recevabilite", read_admissibility);
}

void gpi_desk_announce(struct request *req)
{
	run(req, ACT_ANNOUNCE, "annonce", read_announcement);
}

void gpi_desk_confirm(struct request *req)
{
	run(req, ACT_CONFIRM, "repositionnement", read_nothing);
}

void gpi_desk_withdrawal(struct request *req)
{
	run(req, ACT_WITHDRAWAL, "retrait", read_withdrawal);
}
