/* Declaring a reuse: the sheet's section, the declaration page with the
 * organisation's history (/pratiques/{slug}/reutilisation) and its API
 * twin; and the organisation page's practices. */
#include <string.h>

#include "accounts/organisation.h"
#include "accounts/organisation_sections.h"
#include "accounts/user.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/form.h"
#include "http/reply.h"
#include "practices/catalogue.h"
#include "practices/practice.h"
#include "practices/reuse.h"
#include "practices/sheet.h"
#include "practices/store.h"
#include "practices/ui.h"
#include "web/db_reply.h"
#include "web/error_reply.h"
#include "web/form_reply.h"
#include "web/page.h"

enum { SHARED_SHOWN = 50 };

/* The signed-in user's organisation. */
struct viewer_org_or_reply {
	const char *code, *name; /* request's arena; NULL when the user has none known */
};

/* Fills o from the directory. Returns 0, or -1 after replying 503. */
static int viewer_org_or_reply(struct request *req, struct viewer_org_or_reply *o)
{
	*o = (struct viewer_org_or_reply){0};
	if (!req->user || !req->user->organisation || !*req->user->organisation)
		return 0;
	/* By code: every signed-in sheet view asks. */
	bson_error_t error;
	json_t *orgs = arena_json(req->arena, organisations_by_code(req->db, &error));
	if (!orgs) {
		db_fail(req, "listing organisations", &error);
		return -1;
	}
	json_t *org = json_object_get(orgs, req->user->organisation);
	if (org) {
		o->code = json_str(org, "_id");
		o->name = json_str(org, "name");
	}
	return 0;
}

/* Returns true when code is among the practice's owning organisations. */
static bool owns(const json_t *practice, const char *code)
{
	json_t *c;
	size_t i;
	json_array_foreach(json_object_get(practice, "organisation_ids"), i, c)
		if (json_string_value(c) && strcmp(json_string_value(c), code) == 0)
			return true;
	return false;
}

/* Returns the adopter entry of code in practice, or NULL. Borrowed. */
static json_t *adopter(const json_t *practice, const char *code)
{
	json_t *a;
	size_t i;
	json_array_foreach(json_object_get(practice, "adopters"), i, a)
		if (strcmp(json_str(a, "code"), code) == 0)
			return a;
	return NULL;
}

/* Returns the stage <option>s with selected marked. New reference. */
static json_t *stage_options(const char *selected)
{
	json_t *out = json_array();
	for (size_t i = 0; i < REUSE_STAGES_COUNT; i++)
		json_array_append_new(
			out, json_pack("{s:s, s:s, s:b}", "code", REUSE_STAGES[i][0], "label",
				       REUSE_STAGES[i][1], "selected",
				       selected && strcmp(selected, REUSE_STAGES[i][0]) == 0));
	return out;
}

/* Returns the "reuse" data of the declaration form for o on practice,
 * with selected chosen; idp prefixes the field ids so that the sheet's
 * form cannot clash with another section's. New reference. */
static json_t *form_data(const json_t *practice, const struct viewer_org_or_reply *o,
			 const char *selected, const char *idp)
{
	json_t *reuse = json_pack("{s:s, s:s, s:s, s:o}", "slug", json_str(practice, "slug"), "idp",
				  idp, "organisation_name", o->name, "stages",
				  stage_options(selected));
	json_t *current = adopter(practice, o->code);
	if (current)
		json_object_set_new(reuse, "current",
				    json_pack("{s:s, s:s}", "stage", json_str(current, "stage"),
					      "stage_label", json_str(current, "stage_label")));
	return reuse;
}

int reuse_sheet_data(struct request *req, const json_t *practice, json_t *data)
{
	bool published = strcmp(json_str(practice, "status"), "published") == 0;
	json_int_t count = json_integer_value(json_object_get(practice, "reuse_count"));
	struct viewer_org_or_reply o;
	if (viewer_org_or_reply(req, &o))
		return -1;
	json_t *adopters = json_array(), *a;
	size_t i;
	json_array_foreach(json_object_get(practice, "adopters"), i, a)
		if (reuse_stage_counts(json_str(a, "stage")))
			json_array_append(adopters, a);
	const char *slug = json_str(practice, "slug");
	bool own = published && o.code && owns(practice, o.code);
	bool can_declare = published && o.code && !own;
	json_t *mine = can_declare ? adopter(practice, o.code) : NULL;
	json_t *reuse = can_declare ? form_data(practice, &o, mine ? json_str(mine, "stage") : NULL,
						"reuse-")
				    : json_object();
	json_object_update_new(
		reuse,
		json_pack("{s:s, s:b, s:I, s:s, s:b, s:b, s:b, s:b, s:s}", "slug", slug,
			  "published", published, "count", count, "count_label",
			  count == 0
				  ? "Aucun organisme n’a encore déclaré réutiliser cette pratique."
			  : count == 1 ? "1 organisme réutilise cette pratique."
				       : arena_printf(req->arena,
						      "%lld organismes réutilisent cette pratique.",
						      (long long)count),
			  "has_adopters", json_array_size(adopters) > 0, "can_declare", can_declare,
			  "own_practice", own, "sign_in", published && !req->user, "login_url",
			  arena_printf(req->arena, "/connexion?retour=/pratiques/%s", slug)));
	json_object_set_new(data, "adopters", adopters);
	json_object_set_new(data, "reuse", reuse);
	return 0;
}

/* Returns the route's practice if it is published (the catalogue's copy,
 * owned by the request's arena). Otherwise replies and returns NULL: 404
 * when the user may not see it, else not_published (422 for a
 * declaration, 404 for a page). */
static json_t *published_practice_or_reply(struct request *req, int not_published)
{
	const char *key = param_get(req->route_params, "slug");
	if (!key)
		key = param_get(req->route_params, "id");
	json_t *p = arena_json(req->arena, catalogue_get(req, key));
	if (p)
		return p;
	bson_error_t error;
	json_t *any = arena_json(req->arena, practice_load(req->db, key, &error));
	if (!any && error.code) {
		db_fail(req, "reading a practice", &error);
		return NULL;
	}
	int status = any ? practice_status_from(json_str(any, "status")) : -1;
	bool visible = status >= 0 && practice_allowed(req->user, json_str(any, "author_id"),
						       (enum practice_status)status, PRACTICE_VIEW);
	if (visible && not_published == 422)
		reply_error(req, 422, "not_published",
			    "Seule une pratique publiée peut être déclarée comme réutilisée.",
			    NULL);
	else
		reply_error(req, 404, "not_found", "Cette pratique n’existe pas.", NULL);
	return NULL;
}

/* Returns o after checking the user may declare for it; replies 403 and
 * returns -1 otherwise (no organisation, or its own practice is refused
 * by the rules later). */
static int declaring_org(struct request *req, struct viewer_org_or_reply *o)
{
	if (viewer_org_or_reply(req, o))
		return -1;
	if (!o->code) {
		reply_error(req, 403, "no_organisation",
			    "Votre compte n’est rattaché à aucun organisme\u202f: "
			    "vous ne pouvez pas déclarer de réutilisation.",
			    NULL);
		return -1;
	}
	return 0;
}

/* Returns the declaration page's data: the practice, the form and the
 * organisation's history, newest first. Owned by the request's arena, or
 * NULL after replying. */
static json_t *page_data(struct request *req, const json_t *practice,
			 const struct viewer_org_or_reply *o, const char *selected)
{
	bson_error_t error;
	json_t *mine = arena_json(req->arena,
				  reuse_find(req->db, json_str(practice, "_id"), o->code, &error));
	if (!mine && error.code) {
		db_fail(req, "reading a reuse declaration", &error);
		return NULL;
	}
	json_t *history = json_array(), *entry;
	json_t *past = json_object_get(mine, "history");
	for (size_t i = json_array_size(past); i-- > 0;) {
		entry = json_array_get(past, i);
		json_array_append_new(history,
				      json_pack("{s:s, s:s, s:s, s:s}", "stage_label",
						reuse_stage_label(json_str(entry, "stage")), "note",
						json_str(entry, "note"), "at_fr",
						json_str(entry, "at_fr"), "by_name",
						json_str(entry, "by_name")));
	}
	bool own = owns(practice, o->code);
	json_t *reuse = form_data(practice, o, selected, "");
	json_object_set_new(reuse, "own_practice", json_boolean(own));
	json_object_set_new(reuse, "can_declare", json_boolean(!own));
	return arena_json(req->arena,
			  json_pack("{s:{s:s, s:s}, s:o, s:b, s:o}", "practice", "title",
				    json_str(practice, "title"), "slug", json_str(practice, "slug"),
				    "reuse", reuse, "has_history", json_array_size(history) > 0,
				    "history", history));
}

void reuse_form_page(struct request *req)
{
	json_t *p = published_practice_or_reply(req, 404);
	struct viewer_org_or_reply o;
	if (!p || declaring_org(req, &o))
		return;
	json_t *current = adopter(p, o.code);
	json_t *data = page_data(req, p, &o, current ? json_str(current, "stage") : NULL);
	if (data)
		page_reply(req, 200, "practices/reuse_form", "Réutilisation d’une pratique",
			   "store", data);
}

void reuse_submit(struct request *req)
{
	json_t *p = published_practice_or_reply(req, 422);
	struct viewer_org_or_reply o;
	if (!p || declaring_org(req, &o))
		return;
	const char *pid = json_str(p, "_id");
	const char *slug = json_str(p, "slug");
	json_t *current = adopter(p, o.code);
	struct form f;
	form_begin(&f, req);
	struct reuse_input in = {
		.stage = form_text(&f, "stage", 32, false),
		.previous_stage = current ? json_str(current, "stage") : NULL,
		.own_practice = owns(p, o.code),
	};
	const char *note = form_paragraphs(&f, "note", REUSE_NOTE_MAX_CHARS, false);
	struct field_error errors[REUSE_MAX_ERRORS];
	size_t n = reuse_check(&in, errors);
	for (size_t i = 0; i < n; i++)
		form_error(&f, errors[i].field, errors[i].message);
	if (!form_valid(&f)) {
		json_t *data = req->is_api ? arena_json(req->arena, json_object())
					   : page_data(req, p, &o, in.stage);
		if (data)
			form_reply_invalid(&f, "practices/reuse_form",
					   "Réutilisation d’une pratique", "store", data);
		form_end(&f);
		return;
	}
	form_end(&f);
	bson_error_t error;
	bool created = false;
	int rc = reuse_declare(req->db, req->user, p, o.code, o.name, in.stage, note, &created,
			       &error);
	if (rc) {
		db_fail(req, "declaring a reuse", &error);
		return;
	}
	audit_record(req, created ? "practice.reuse.declare" : "practice.reuse.update", pid,
		     arena_printf(req->arena, "%s: %s", o.code, in.stage), NULL);
	if (!req->is_api) {
		reply_redirect(req, arena_printf(req->arena, "/pratiques/%s#reutilisation", slug));
		return;
	}
	json_t *declaration = arena_json(req->arena, reuse_find(req->db, pid, o.code, &error));
	if (!declaration) {
		db_fail(req, "reading a reuse declaration", &error);
		return;
	}
	reply_json(req, created ? 201 : 200, declaration);
}

json_t *practice_briefs_or_reply(struct request *req, const struct practice_query *q, size_t *total)
{
	bson_error_t error;
	struct search_result r;
	if (catalogue_sync(req, &error)) {
		db_fail(req, "loading the catalogue", &error);
		return NULL;
	}
	*total = 0;
	json_t *out = json_array();
	if (catalogue_search(req, q, &r))
		return out;
	*total = r.total;
	static const char *const KEPT[] = {"_id",      "slug",         "title",
					   "summary",  "themes",       "reuse_count",
					   "adopters", "published_at", "published_at_fr"};
	for (size_t i = 0; i < r.n_ids; i++) {
		json_t *p = catalogue_get(req, r.ids[i]);
		if (!p)
			continue;
		json_t *brief = json_object();
		for (size_t k = 0; k < sizeof(KEPT) / sizeof(*KEPT); k++) {
			json_t *v = json_object_get(p, KEPT[k]);
			if (v)
				json_object_set(brief, KEPT[k], v);
		}
		json_array_append_new(out, brief);
		json_decref(p);
	}
	return out;
}

/* Fills the organisation page's practice sections (reuse.h). */
static int organisation_practices_data(struct request *req, const char *code, json_t *data)
{
	struct practice_query q = {.organisation = code,
				   .has_toolbox = -1,
				   .sort = SEARCH_SORT_NEWEST,
				   .page = 1,
				   .page_size = SHARED_SHOWN};
	size_t total;
	json_t *shared = arena_json(req->arena, practice_briefs_or_reply(req, &q, &total));
	if (!shared)
		return -1;
	bson_error_t error;
	size_t declared;
	json_t *declarations = arena_json(req->arena,
					  reuse_of_organisation(req->db, code, &declared, &error));
	if (!declarations) {
		db_fail(req, "listing an organisation's reuses", &error);
		return -1;
	}
	json_t *reused = json_array(), *d;
	size_t i;
	json_array_foreach(declarations, i, d) {
		json_t *p = catalogue_get(req, json_str(d, "practice_id"));
		if (!p)
			continue; /* archived since: no longer shown */
		json_array_append_new(
			reused, json_pack("{s:s, s:s, s:s, s:s, s:s}", "title",
					  json_str(p, "title"), "slug", json_str(p, "slug"),
					  "stage_label", reuse_stage_label(json_str(d, "stage")),
					  "note", json_str(d, "note"), "updated_at_fr",
					  json_str(d, "updated_at_fr")));
		json_decref(p);
	}
	json_object_set(data, "shared", shared);
	json_object_set_new(data, "shared_total", json_integer((json_int_t)total));
	json_object_set_new(data, "shared_more", json_boolean(total > SHARED_SHOWN));
	/* Past the newest declarations shown, the total is the list's. */
	size_t reused_total = declared > REUSE_ORGANISATION_SHOWN ? declared
								  : json_array_size(reused);
	json_object_set_new(data, "reused_total", json_integer((json_int_t)reused_total));
	json_object_set_new(data, "reused", reused);
	return 0;
}

const struct organisation_section reuse_organisation_section = {
	.partial = "practices/organisation",
	.fill = organisation_practices_data,
};
