/* Filing a candidature: the new candidature's form, its creation from
 * the form, the API or a project (pre-filled from the project's facts,
 * web/gpi_project_link.h). */
#include <string.h>

#include "accounts/organisation.h"
#include "accounts/user.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/paris_time.h"
#include "db/doc.h"
#include "gpi/candidature.h"
#include "gpi/candidature_form.h"
#include "gpi/candidature_page.h"
#include "gpi/edition.h"
#include "gpi/ui.h"
#include "http/form.h"
#include "http/reply.h"
#include "http/request.h"
#include "web/db_reply.h"
#include "web/error_reply.h"
#include "web/form_reply.h"
#include "web/gpi_project_link.h"

/* Returns true when filing in e is open now and the user has an
 * organisation to file for; else replies 422 and returns false. */
static bool filing_open_or_reply(struct request *req, const json_t *e)
{
	int64_t now = clock_now_ms();
	const char *message = NULL, *code = "deadline";
	char when[PARIS_TIME_LONG_MAX];
	if (gpi_edition_is_past_deadline(e, now)) {
		paris_time_format_long(gpi_edition_deadline_ms(e), when, sizeof(when));
		message = arena_printf(
			req->arena, "La date limite de dépôt, le %s (heure de Paris), est passée.",
			when);
	} else if (!gpi_edition_is_open(e, now)) {
		code = "closed";
		message = "Le dépôt des candidatures n’est pas encore ouvert pour cette édition.";
	} else if (!req->user->organisation || !*req->user->organisation) {
		code = "invalid";
		message = "Votre compte n’est rattaché à aucun organisme\u202f: seul un agent d’un "
			  "organisme peut candidater en son nom.";
	}
	if (!message)
		return true;
	json_t *fields = json_pack("{s:s}", strcmp(code, "deadline") == 0 ? "deadline" : "year",
				   message);
	reply_error(req, 422, code, message, fields);
	json_decref(fields);
	return false;
}

static const char *new_url(struct request *req, int year)
{
	return arena_printf(req->arena, "/grand-prix/%d/candidatures/nouvelle", year);
}

static const char *mine_url(struct request *req, int year)
{
	return arena_printf(req->arena, "/grand-prix/%d/candidatures", year);
}

/* Replies the new candidature's form with f's values and errors. */
static void form_page(struct request *req, const json_t *e, struct form *f, int status)
{
	int year = gpi_edition_year(e);
	gpi_cand_form_reply(req, e, f, status, new_url(req, year), "Nouvelle candidature",
			    mine_url(req, year));
}

void gpi_candidature_new(struct request *req)
{
	const json_t *e = gpi_edition_of_route_or_reply(req);
	if (!e || !filing_open_or_reply(req, e))
		return;
	struct form f;
	form_begin(&f, req);
	form_page(req, e, &f, 200);
	form_end(&f);
}

/* The body a candidature from project facts p starts with. New
 * reference. */
static json_t *body_of_project(const struct gpi_project_facts *p)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:O, s:O}", "title", p->title,
			 "summary", p->summary, "objectives", p->problem, "actions", p->solution,
			 "started_on", p->started_on, "costs", p->costs, "savings", p->savings,
			 "partner_organisation_ids", p->partner_organisation_ids, "indicators",
			 p->indicators);
}

/* What a creation is made of. */
struct creation {
	const json_t *edition;
	json_t *body;                          /* the candidature's fields as sent (owned) */
	const char *project_id, *project_slug; /* "" when none */
	struct form f;                         /* the HTML form, for its redisplay */
};

/* Reads project_id's facts into the creation: the body starts from them,
 * and what the request sent overrides them. Returns true, or false after
 * replying (404: no project the visitor may see; 403: not theirs to
 * file). */
static bool from_project_or_reply(struct request *req, struct creation *c, const char *project_id)
{
	const struct gpi_project_link_ops *link = gpi_project_link();
	struct gpi_project_facts p = {0};
	bson_error_t error = {0};
	int found = link ? link->facts(req, project_id, &p, &error) : 0;
	if (found < 0) {
		db_fail(req, "reading a project for a candidature", &error);
		return false;
	}
	if (found == 0) {
		reply_not_found(req);
		return false;
	}
	if (!p.may_file) {
		gpi_project_facts_release(&p);
		reply_error(req, 403, "forbidden",
			    "Seuls les membres du projet peuvent le présenter au Grand Prix.",
			    NULL);
		return false;
	}
	json_t *base = body_of_project(&p);
	json_object_update(base, c->body);
	json_decref(c->body);
	c->body = base;
	c->project_id = arena_strdup(req->arena, p.id);
	c->project_slug = arena_strdup(req->arena, p.slug);
	gpi_project_facts_release(&p);
	return true;
}

/* Creates the candidature c describes, and replies: 201 with its JSON, or
 * its page; 422 with the fields to correct; 409 when the project has a
 * candidature in that category already. */
static void create(struct request *req, struct creation *c)
{
	json_t *orgs = NULL;
	struct gpi_validate_ctx vctx;
	if (!gpi_cand_validate_ctx(req, c->edition, req->user->organisation, &vctx, &orgs))
		return;
	struct gpi_field_error errs[GPI_FIELD_ERRORS_MAX];
	size_t n = 0;
	json_t *cand = gpi_candidature_validate(req->arena, c->body, &vctx, false, errs, &n);
	json_decref(orgs);
	int year = gpi_edition_year(c->edition);
	bson_error_t error = {0};
	const char *id = NULL;
	if (n && req->is_api) {
		gpi_cand_reply_invalid(req, errs, n);
	} else if (n) {
		/* From the project page, the form opens with the project's
		 * facts to correct. */
		if (!form_sent(&c->f, "title")) {
			json_decref(c->f.values);
			c->f.values = gpi_cand_form_values(c->body);
			json_object_set_new(c->f.values, "project_id", json_string(c->project_id));
		}
		gpi_cand_form_errors(&c->f, errs, n);
		form_page(req, c->edition, &c->f, 422);
	} else {
		json_object_set_new(cand, "year", json_integer(year));
		json_object_set_new(cand, "organisation_id", json_string(req->user->organisation));
		json_object_set_new(cand, "project_id", json_string(c->project_id));
		json_object_set_new(cand, "project_slug", json_string(c->project_slug));
		id = gpi_candidature_insert(req->db, cand, req->user->id, false, &error);
		if (!id && error.domain == GPI_ERROR_DOMAIN && error.code == GPI_ERROR_TAKEN)
			reply_error(req, 409, "conflict",
				    "Ce projet a déjà une candidature dans cette catégorie\u202f: "
				    "un projet candidate une fois par catégorie (article 1).",
				    NULL);
		else if (!id)
			db_fail(req, "creating a Grand Prix candidature", &error);
	}
	json_decref(cand);
	if (!id)
		return;
	if (!req->is_api) {
		reply_redirect(req, arena_printf(req->arena, "%s?info=creee",
						 gpi_cand_url(req, year, id)));
		return;
	}
	json_t *saved = gpi_candidature_load(req->db, id, &error);
	json_t *body = saved ? gpi_cand_api(req, saved) : NULL;
	if (body)
		reply_json(req, 201, body);
	else
		db_fail(req, "reading a Grand Prix candidature just created", &error);
	json_decref(body);
	json_decref(saved);
}

/* POST /grand-prix/{year}/candidatures/nouvelle (the form, or the project
 * page's "Candidater au Grand Prix" with project_id and category) and
 * POST /api/v1/gpi/editions/{year}/candidatures. */
void gpi_candidature_create(struct request *req)
{
	const json_t *e = gpi_edition_of_route_or_reply(req);
	if (!e || !filing_open_or_reply(req, e))
		return;
	struct creation c = {.edition = e, .project_id = "", .project_slug = ""};
	form_begin(&c.f, req);
	const char *project_id;
	if (req->json) {
		c.body = json_deep_copy(req->json);
		project_id = json_str(req->json, "project_id");
	} else {
		project_id = form_text(&c.f, "project_id", 64, false);
		/* From the project page only the category comes: the rest is
		 * the project's. */
		if (*project_id && !form_sent(&c.f, "title")) {
			c.body = json_pack("{s:s}", "category",
					   form_text(&c.f, "category", 64, false));
		} else {
			bson_error_t error = {0};
			json_t *dir = organisations_all(req->db, &error);
			if (!dir) {
				db_fail(req, "reading the organisations", &error);
				form_end(&c.f);
				return;
			}
			c.body = gpi_cand_body_of_form(&c.f, dir, NULL);
			json_decref(dir);
		}
	}
	if (!*project_id || from_project_or_reply(req, &c, project_id))
		create(req, &c);
	json_decref(c.body);
	form_end(&c.f);
}

/* POST /api/v1/projects/{id}/candidature {year, category}: a draft
 * pre-filled from the project. */
void gpi_project_candidature(struct request *req)
{
	json_t *y = req->json ? json_object_get(req->json, "year") : NULL;
	bson_error_t error = {0};
	const json_t *e = json_is_integer(y)
				  ? gpi_edition_get(req->db, (int)json_integer_value(y), &error)
				  : NULL;
	if (!e) {
		if (error.code) {
			db_fail(req, "reading a Grand Prix edition", &error);
		} else {
			json_t *fields = json_pack("{s:s}", "year",
						   "Indiquez l’année d’une édition du Grand Prix.");
			reply_error(req, 422, "invalid", "Édition inconnue.", fields);
			json_decref(fields);
		}
		return;
	}
	if (!filing_open_or_reply(req, e))
		return;
	struct creation c = {.edition = e, .project_id = "", .project_slug = ""};
	form_begin(&c.f, req);
	c.body = json_deep_copy(req->json);
	json_object_del(c.body, "year");
	if (from_project_or_reply(req, &c, request_param(req, "id")))
		create(req, &c);
	json_decref(c.body);
	form_end(&c.f);
}
