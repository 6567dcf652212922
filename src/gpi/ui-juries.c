/* The secretariat's juries of an edition, /grand-prix/{year}/jurys, and
 * their API (gpi/jury.h):
 *   GET  /grand-prix/{year}/jurys, GET /api/v1/gpi/editions/{year}/juries
 *        per category its sponsor and jurors, each with the candidatures
 *        they are recused from and why (organisation, partner, declared
 *        with its reason); then the grand jury;
 *   POST /grand-prix/{year}/jurys/membres (jury, email),
 *        POST /api/v1/gpi/editions/{year}/juries/{category}/members and
 *        POST .../grand-jury/members (user_id)           appoint;
 *   POST /grand-prix/{year}/jurys/retrait (jury, user_id), DELETE
 *        .../members/{user_id}                            remove;
 *   POST /grand-prix/{year}/jurys/parrain (category, sponsor), PUT
 *        .../juries/{category}/sponsor                    the sponsor.
 * The routes need the secretariat of the edition (route .scope). Every
 * list comes from lookups, the account cache and the candidatures'
 * index: no scan. */
#include <string.h>

#include "accounts/members.h"
#include "accounts/organisation.h"
#include "accounts/organisation_picker.h"
#include "accounts/user.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "db/doc.h"
#include "gpi/candidature.h"
#include "gpi/edition.h"
#include "gpi/jury.h"
#include "gpi/results.h"
#include "gpi/ui.h"
#include "http/form.h"
#include "http/reply.h"
#include "web/db_reply.h"
#include "web/error_reply.h"
#include "web/form_reply.h"
#include "web/page.h"

/* The form field and route parameter naming the grand jury. */
#define GRAND_JURY "grand-jury"

/* Returns the organisation's name in orgs, or its code. Borrowed. */
static const char *org_name(const json_t *orgs, const char *code)
{
	const char *name = json_str(json_object_get(orgs, code), "name");
	return *name ? name : code;
}

/* Adds to each member of members its "conflicts": the rows before the
 * jury it is recused from, each {title, url, reason, declared (the
 * reason typed)}. */
static void add_conflicts(struct request *req, int year, json_t *members, const json_t *rows,
			  const json_t *orgs)
{
	json_t *m, *row;
	size_t i, k;
	json_array_foreach(members, i, m) {
		json_t *list = json_array();
		json_array_foreach(rows, k, row) {
			struct gpi_audience a = gpi_audience_of(req->db, row);
			/* Drafts and candidatures not yet (or never) admissible
			 * are not before the jury: no conflict to show yet. */
			if (!gpi_status_for_jury(a.status))
				continue;
			const json_t *declared = a.declared ? json_object_get(a.declared,
									      json_str(m, "id"))
							    : NULL;
			const char *why = gpi_recusal_reason(json_str(m, "organisation_id"),
							     a.organisation_id, a.partners,
							     declared || !a.declared);
			if (why)
				json_array_append_new(
					list,
					json_pack("{s:s, s:s, s:s, s:s}", "title",
						  json_str(row, "title"), "url",
						  arena_printf(req->arena,
							       "/grand-prix/%d/candidatures/%s",
							       year, a.id),
						  "reason", why, "declared",
						  json_str(declared, "reason")));
		}
		json_object_set_new(m, "organisation_name",
				    json_string(org_name(orgs, json_str(m, "organisation_id"))));
		json_object_set_new(m, "has_conflicts", json_boolean(json_array_size(list)));
		json_object_set_new(m, "conflicts", list);
	}
}

/* Returns the juries of edition e as the page and the API show them
 * ({categories: [{code, name, sponsor, members}], grand_jury: [...]}),
 * or NULL after replying the database's failure. Owned by the request's
 * arena. */
static json_t *juries_view(struct request *req, const json_t *e)
{
	int year = gpi_edition_year(e);
	bson_error_t error = {0};
	json_t *orgs = arena_json(req->arena, organisations_by_code(req->db, &error));
	json_t *out = arena_json(req->arena, json_pack("{s:[]}", "categories")), *c;
	size_t i;
	if (!orgs)
		goto fail;
	json_array_foreach(json_object_get(e, "categories"), i, c) {
		const char *code = json_str(c, "code");
		const json_t *state = gpi_category_state(req->db, year, code, &error);
		json_t *members = arena_json(req->arena,
					     gpi_jury_members(req->db, year, code, &error));
		json_t *rows = members ? arena_json(req->arena, gpi_index_rows(req->db, year, code,
									       NULL, &error))
				       : NULL;
		if (!state || !rows)
			goto fail;
		add_conflicts(req, year, members, rows, orgs);
		const char *sponsor = gpi_state_sponsor(state);
		json_array_append_new(json_object_get(out, "categories"),
				      json_pack("{s:s, s:s, s:s, s:b, s:O}", "code", code, "name",
						json_str(c, "name"), "sponsor",
						sponsor ? sponsor : "", "has_members",
						json_array_size(members) > 0, "members", members));
	}
	json_t *grand = gpi_jury_members(req->db, year, NULL, &error), *m;
	if (!grand)
		goto fail;
	json_array_foreach(grand, i, m)
		json_object_set_new(m, "organisation_name",
				    json_string(org_name(orgs, json_str(m, "organisation_id"))));
	json_object_set_new(out, "has_grand_jury", json_boolean(json_array_size(grand)));
	json_object_set_new(out, "grand_jury", grand);
	return out;
fail:
	db_fail(req, "reading the juries", &error);
	return NULL;
}

/* The picker that lists an organisation's agents to appoint them. */
static const struct organisation_picker JURY_ORGANISATION = {
	.field = "organisme",
	.label = "Organisme",
	.hint = "Nom ou code d’un organisme\u202f: ses agents s’affichent, à nommer dans un jury.",
};

/* Adds to view the organisation picker ("organisation_field") and, when
 * the query names an organisation (its code, or a name typed without
 * JavaScript), its agents ("agents": [{id, name, job}]) and its name.
 * Returns 0, or -1 with error set. */
static int add_picked_agents(struct request *req, json_t *view, bson_error_t *error)
{
	json_t *directory = arena_json(req->arena, organisations_all(req->db, error));
	if (!directory)
		return -1;
	const char *code = request_param(req, "organisme");
	const char *text = request_param(req, "organisme_text");
	const char *problem = NULL;
	if ((!code || !*code) && text && *text)
		code = organisation_picker_resolve(req->arena, directory, text, &problem);
	json_t *picked = code && *code ? organisation_in(directory, code) : NULL;
	json_t *values = arena_json(req->arena,
				    json_pack("{s:s, s:s}", "organisme", picked ? code : "",
					      "organisme_text", picked || !text ? "" : text));
	json_t *errors = arena_json(req->arena, json_pack("{s:s*}", "organisme", problem));
	json_object_set_new(
		view, "organisation_field",
		organisation_picker_data(&JURY_ORGANISATION, values, errors, directory));
	if (!picked)
		return 0;
	size_t total = 0;
	json_t *agents = members_of(req->db, code, &total, error);
	if (!agents)
		return -1;
	json_object_set_new(view, "picked",
			    json_pack("{s:s, s:o, s:b}", "name", json_str(picked, "name"), "agents",
				      agents, "none", json_array_size(agents) == 0));
	return 0;
}

/* What ?fait= says after a change. */
static const char *const DONE[][2] = {
	{"nomination", "Le juré ou la jurée est nommé·e."},
	{"retrait", "Le juré ou la jurée ne siège plus dans ce jury."},
	{"parrain", "Le partenaire parrain de la catégorie est enregistré."},
};

/* Replies the page (status 200, or 422 with f's values and errors). */
static void page(struct request *req, const json_t *e, int status, struct form *f)
{
	json_t *view = juries_view(req, e);
	if (!view)
		return;
	const char *done = request_param(req, "fait"), *notice = NULL;
	for (size_t i = 0; done && i < sizeof(DONE) / sizeof(*DONE); i++)
		if (!strcmp(done, DONE[i][0]))
			notice = DONE[i][1];
	bson_error_t error = {0};
	if (add_picked_agents(req, view, &error)) {
		db_fail(req, "reading an organisation's agents", &error);
		return;
	}
	json_object_set(view, "edition", (json_t *)e);
	json_object_set_new(view, "notice", notice ? json_string(notice) : json_null());
	const char *title = arena_printf(req->arena, "Jurys du %s", json_str(e, "title"));
	if (f && status == 422) {
		form_reply_invalid(f, "gpi/juries", title, "gpi", view);
	} else {
		page_reply(req, status, "gpi/juries", title, "gpi", view);
	}
}

void gpi_juries_page(struct request *req)
{
	const json_t *e = gpi_edition_of_route_or_reply(req);
	if (!e)
		return;
	if (!req->is_api) {
		page(req, e, 200, NULL);
		return;
	}
	json_t *view = juries_view(req, e);
	if (view)
		reply_json(req, 200, view);
}

/* Returns the jury a request names: the route's {category}, the form's
 * "jury" (a category code or GRAND_JURY), or GRAND_JURY for the grand
 * jury's routes. Sets *category to the category's code (NULL for the
 * grand jury) and returns true, or records the field's error and returns
 * false. */
static bool jury_named(struct request *req, struct form *f, const json_t *e, const char **category)
{
	const char *code = param_get(req->route_params, "category");
	if (!code)
		code = strstr(req->path, "/grand-jury/") ? GRAND_JURY
							 : form_text(f, "jury", 64, true);
	*category = strcmp(code, GRAND_JURY) ? code : NULL;
	if (!*category || gpi_edition_category(e, code))
		return true;
	form_error(f, "jury", "Choisissez une catégorie de l’édition.");
	return false;
}

/* Returns the account a form names: its user_id (the API), else the
 * account of its email (the page). NULL after recording the error. */
static const char *account_named(struct request *req, struct form *f, bson_error_t *error)
{
	if (req->is_api || form_sent(f, "user_id"))
		return form_text(f, "user_id", 64, true);
	const char *email = form_text(f, "email", 254, true);
	if (!*email)
		return NULL;
	struct user *u = user_find_email(req->db, user_email_normalize(req->arena, email), error);
	if (!u && !error->code)
		form_error(f, "email", "Aucun compte n’a cette adresse.");
	return u ? u->id : NULL;
}

/* Replies the end of a change to jury category: the API the jury's
 * members, the page a redirect to itself with the notice done. */
static void changed(struct request *req, const json_t *e, const char *category, const char *done)
{
	int year = gpi_edition_year(e);
	if (!req->is_api) {
		reply_redirect(req, arena_printf(req->arena, "/grand-prix/%d/jurys?fait=%s#jury-%s",
						 year, done, category ? category : GRAND_JURY));
		return;
	}
	bson_error_t error = {0};
	json_t *members = gpi_jury_members(req->db, year, category, &error);
	if (!members) {
		db_fail(req, "reading a jury", &error);
		return;
	}
	reply_json(req, 200,
		   arena_json(req->arena,
			      json_pack("{s:s, s:o}", "jury", category ? category : GRAND_JURY,
					"members", members)));
}

/* Replies f's errors: the API's 422, or the page again. */
static void invalid(struct request *req, const json_t *e, struct form *f)
{
	if (req->is_api)
		form_reply_invalid(f, NULL, NULL, NULL, NULL);
	else
		page(req, e, 422, f);
}

/* Appoints (add) or removes the account a request names to or from the
 * jury it names, and replies: the refusal beside its field, a 404 for
 * removing someone who does not sit there, or changed(). */
static void change_member(struct request *req, bool add)
{
	const json_t *e = gpi_edition_of_route_or_reply(req);
	if (!e)
		return;
	struct form f;
	form_begin(&f, req);
	bson_error_t error = {0};
	const char *category = NULL;
	const char *user_id = param_get(req->route_params, "user_id");
	if (jury_named(req, &f, e, &category) && !user_id)
		user_id = add ? account_named(req, &f, &error) : form_text(&f, "user_id", 64, true);
	struct audit_actor by = audit_actor_of(req, NULL);
	struct gpi_jury_refusal why = {0};
	int rc = 0;
	if (!error.code && form_valid(&f))
		rc = add ? gpi_jury_appoint(req->db, &by, gpi_edition_year(e), category, user_id,
					    &why, &error)
			 : gpi_jury_remove(req->db, &by, gpi_edition_year(e), category, user_id,
					   &error);
	if (rc < 0 || error.code) {
		db_fail(req, add ? "appointing a juror" : "removing a juror", &error);
	} else if (!form_valid(&f) || why.message) {
		if (why.message)
			form_error(&f, req->is_api ? why.field : "email", why.message);
		invalid(req, e, &f);
	} else if (rc > 0) {
		reply_not_found(req);
	} else {
		changed(req, e, category, add ? "nomination" : "retrait");
	}
	form_end(&f);
}

void gpi_jury_appoint_member(struct request *req)
{
	change_member(req, true);
}

void gpi_jury_remove_member(struct request *req)
{
	change_member(req, false);
}

void gpi_jury_sponsor(struct request *req)
{
	const json_t *e = gpi_edition_of_route_or_reply(req);
	if (!e)
		return;
	struct form f;
	form_begin(&f, req);
	const char *category = param_get(req->route_params, "category");
	if (!category)
		category = form_text(&f, "category", 64, true);
	if (!gpi_edition_category(e, category))
		form_error(&f, "category", "Choisissez une catégorie de l’édition.");
	const char *sponsor = form_text(&f, "sponsor", 200, false);
	bson_error_t error = {0};
	if (!form_valid(&f)) {
		invalid(req, e, &f);
	} else {
		struct audit_actor by = audit_actor_of(req, NULL);
		if (gpi_state_set_sponsor(req->db, &by, gpi_edition_year(e), category, sponsor,
					  &error))
			db_fail(req, "naming a category's sponsor", &error);
		else if (req->is_api)
			reply_json(req, 200,
				   arena_json(req->arena, json_pack("{s:s, s:s}", "category",
								    category, "sponsor", sponsor)));
		else
			reply_redirect(req,
				       arena_printf(req->arena,
						    "/grand-prix/%d/jurys?fait=parrain#jury-%s",
						    gpi_edition_year(e), category));
	}
	form_end(&f);
}
