/* A candidature's page and API: everything it holds, the eligibility
 * panel with one line per check, the forms that submit it and upload its
 * dossier and video, its versions; and its editing, read-only for
 * candidates from the deadline on. */
#include <string.h>

#include "accounts/organisation.h"
#include "accounts/user.h"
#include "core/arena.h"
#include "core/arena_json.h"
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
#include "http/urlencoded.h"
#include "web/db_reply.h"
#include "web/error_reply.h"
#include "web/form_reply.h"
#include "web/page.h"

enum { VERSIONS_SHOWN = 20 };

/* Notices shown after a redirect, by ?info= code. */
static const char *const NOTICES[][2] = {
	{"creee", "Candidature créée. Complétez-la, déposez le dossier PDF, puis validez le "
		  "dépôt."},
	{"modifiee", "Modifications enregistrées."},
	{"deposee", "Candidature déposée. Un accusé de réception vous a été envoyé par "
		    "courriel."},
	{"dossier", "Dossier PDF enregistré."},
	{"video", "Vidéo enregistrée."},
};

static const char *notice(const struct request *req)
{
	const char *code = request_param(req, "info");
	for (size_t i = 0; code && i < sizeof(NOTICES) / sizeof(*NOTICES); i++)
		if (strcmp(NOTICES[i][0], code) == 0)
			return NOTICES[i][1];
	return NULL;
}

const char *gpi_size_fr(struct arena *a, json_int_t bytes)
{
	if (bytes < 1024 * 1024)
		return arena_printf(a, "%lld ko", (long long)((bytes + 1023) / 1024));
	if (bytes % (1024 * 1024) == 0) /* a limit: "5 Mo", as the rules say */
		return arena_printf(a, "%lld Mo", (long long)(bytes / (1024 * 1024)));
	char *s = arena_printf(a, "%.1f Mo", (double)bytes / (1024.0 * 1024.0));
	char *dot = strchr(s, '.');
	if (dot)
		*dot = ',';
	return s;
}

static const char *instant_fr(struct arena *a, int64_t ms)
{
	char out[PARIS_TIME_LONG_MAX];
	return arena_strdup(a, paris_time_format_long(ms, out, sizeof(out)));
}

/* Returns the page's view of file f (dossier or video), or null. */
static json_t *file_view(struct request *req, const json_t *f)
{
	if (!json_is_object(f))
		return json_null();
	json_t *v = json_pack(
		"{s:s, s:s, s:s, s:s}", "name", json_str(f, "name"), "url",
		arena_printf(req->arena, "/fichiers/%s/%s", json_str(f, "file_id"),
			     url_encode(req->arena, json_str(f, "name"))),
		"size", gpi_size_fr(req->arena, json_integer_value(json_object_get(f, "bytes"))),
		"at", instant_fr(req->arena, json_integer_value(json_object_get(f, "at"))));
	json_int_t s = json_integer_value(json_object_get(f, "seconds"));
	if (s > 0)
		json_object_set_new(
			v, "duration",
			json_string(arena_printf(req->arena, "%lld min %02lld s",
						 (long long)(s / 60), (long long)(s % 60))));
	return v;
}

/* The names of the organisations of codes (a JSON array), as a list. */
static json_t *names_of(const json_t *orgs, const json_t *codes)
{
	json_t *out = json_array(), *c;
	size_t i;
	json_array_foreach(codes, i, c) {
		const json_t *o = json_object_get(orgs, json_string_value(c));
		json_array_append_new(out,
				      json_string(o ? json_str(o, "name") : json_string_value(c)));
	}
	return out;
}

/* The versions of c, newest first, with their authors' names. */
static json_t *versions_view(struct request *req, const struct gpi_cand_ctx *c)
{
	bson_error_t error = {0};
	json_t *list = gpi_candidature_versions(req->db, c->id, VERSIONS_SHOWN, &error);
	if (!list)
		return json_array();
	json_t *v;
	size_t i;
	json_array_foreach(list, i, v) {
		const struct user *u = user_find_id(req->db, json_str(v, "by_id"), &error);
		json_object_set_new(v, "by", json_string(u && u->name ? u->name : ""));
	}
	return list;
}

/* The eligibility panel of c. New reference. */
static json_t *panel_view(struct request *req, const struct gpi_cand_ctx *c, bool *eligible)
{
	struct gpi_check_result r[GPI_CHECK_COUNT];
	*eligible = gpi_cand_eligibility(req, c, r);
	json_t *lines = json_array();
	for (int i = 0; i < GPI_CHECK_COUNT; i++)
		json_array_append_new(lines,
				      json_pack("{s:s, s:b, s:b, s:s}", "code", r[i].code, "ok",
						r[i].ok, "warning", !r[i].ok && !r[i].blocking,
						"message", r[i].message));
	return lines;
}

/* Returns the page's data for c, or NULL after replying 503. */
static json_t *page_data(struct request *req, const struct gpi_cand_ctx *c)
{
	bson_error_t error = {0};
	json_t *orgs = organisations_by_code(req->db, &error);
	if (!orgs) {
		db_fail(req, "reading the organisations", &error);
		return NULL;
	}
	const json_t *cand = c->cand;
	const json_t *cat = gpi_edition_category(c->edition, json_str(cand, "category"));
	const json_t *org = json_object_get(orgs, json_str(cand, "organisation_id"));
	bool eligible;
	json_t *panel = panel_view(req, c, &eligible);
	bool draft = strcmp(json_str(cand, "status"), "brouillon") == 0;
	bool may_edit = c->filer && !c->late;
	const char *url = gpi_cand_url(req, c->year, c->id);
	json_t *data = gpi_cand_form_values(cand);
	int64_t deadline = gpi_edition_deadline_ms(c->edition);
	json_t *fields = json_pack(
		"{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:b, s:o, s:o, s:b, s:b, s:b, "
		"s:b, s:s, s:s, s:s, s:s}",
		"year", c->year, "edition_title", json_str(c->edition, "title"), "id", c->id,
		"status", json_str(cand, "status"), "status_label",
		gpi_status_label(json_str(cand, "status")), "category_name",
		cat ? json_str(cat, "name") : json_str(cand, "category"), "organisation_name",
		org ? json_str(org, "name") : json_str(cand, "organisation_id"), "partners",
		names_of(orgs, json_object_get(cand, "partner_organisation_ids")), "checks", panel,
		"eligible", eligible, "dossier", file_view(req, json_object_get(cand, "dossier")),
		"video", file_view(req, json_object_get(cand, "video")), "may_edit", may_edit,
		"may_submit", may_edit && draft, "late", c->late, "secretariat", c->secretariat,
		"deadline_fr", instant_fr(req->arena, deadline), "url", url, "edit_url",
		arena_printf(req->arena, "%s/modifier", url), "list_url",
		arena_printf(req->arena, "/grand-prix/%d/candidatures", c->year));
	json_object_update(data, fields);
	json_decref(fields);
	json_object_set_new(data, "has_partners",
			    json_boolean(json_array_size(json_object_get(data, "partners")) > 0));
	json_object_set_new(data, "has_indicators",
			    json_boolean(json_array_size(json_object_get(cand, "indicators")) > 0));
	json_object_set(data, "contacts_list", json_object_get(cand, "contacts"));
	json_object_set(data, "people_list", json_object_get(cand, "people"));
	json_object_set_new(data, "versions", versions_view(req, c));
	json_object_set_new(
		data, "dossier_max",
		json_string(gpi_size_fr(req->arena,
					gpi_edition_limit(c->edition, GPI_LIMIT_DOSSIER_BYTES))));
	json_object_set_new(
		data, "video_max",
		json_string(gpi_size_fr(req->arena,
					gpi_edition_limit(c->edition, GPI_LIMIT_VIDEO_BYTES))));
	json_object_set_new(
		data, "video_max_minutes",
		json_integer(gpi_edition_limit(c->edition, GPI_LIMIT_VIDEO_SECONDS) / 60));
	int64_t submitted = json_integer_value(json_object_get(cand, "submitted_at_ms"));
	if (submitted)
		json_object_set_new(data, "submitted_fr",
				    json_string(instant_fr(req->arena, submitted)));
	if (*json_str(cand, "project_slug"))
		json_object_set_new(data, "project_url",
				    json_string(arena_printf(req->arena, "/projets/%s",
							     json_str(cand, "project_slug"))));
	const json_t *move = json_object_get(cand, "repositioning");
	if (json_is_object(move)) {
		const json_t *to = gpi_edition_category(c->edition, json_str(move, "to"));
		json_object_set_new(
			data, "repositioning",
			json_pack("{s:s, s:s, s:s}", "to", to ? json_str(to, "name") : "",
				  "message", json_str(move, "message"), "at",
				  instant_fr(req->arena, json_integer_value(json_object_get(
								 move, "announced_at")))));
	}
	const char *info = notice(req);
	if (info)
		json_object_set_new(data, "notice", json_string(info));
	json_decref(orgs);
	return data;
}

void gpi_cand_page_reply(struct request *req, const struct gpi_cand_ctx *c, int status,
			 const char *problem)
{
	json_t *data = page_data(req, c);
	if (!data)
		return;
	arena_json(req->arena, data);
	if (problem)
		json_object_set_new(data, "problem", json_string(problem));
	const char *title = json_str(c->cand, "title");
	page_reply(req, status, "gpi/candidature",
		   problem ? arena_printf(req->arena, "Erreur : %s", title) : title, "gpi", data);
}

void gpi_cand_page_invalid(struct request *req, const struct gpi_cand_ctx *c, const json_t *errors,
			   const json_t *values)
{
	json_t *data = page_data(req, c);
	if (!data)
		return;
	arena_json(req->arena, data);
	json_object_set(data, "errors", (json_t *)errors);
	json_object_set(data, "values", (json_t *)values);
	const char *title = form_summary(req, data, errors, NULL, "", json_str(c->cand, "title"));
	page_reply(req, 422, "gpi/candidature", title, "gpi", data);
}

void gpi_candidature_page(struct request *req)
{
	struct gpi_cand_ctx c;
	if (!gpi_cand_open(req, NULL, &c))
		return;
	if (req->is_api)
		reply_json(req, 200, arena_json(req->arena, gpi_cand_api(req->arena, c.cand)));
	else
		gpi_cand_page_reply(req, &c, 200, NULL);
	gpi_cand_close(&c);
}

static const char *edit_url(struct request *req, const struct gpi_cand_ctx *c)
{
	return arena_printf(req->arena, "%s/modifier", gpi_cand_url(req, c->year, c->id));
}

/* Replies the edit form of c with f's values and errors. */
static void edit_form(struct request *req, const struct gpi_cand_ctx *c, struct form *f, int status)
{
	if (!json_object_get(f->values, "indicators"))
		json_object_set(f->values, "indicators", json_object_get(c->cand, "indicators"));
	gpi_cand_form_reply(req, c->edition, f, status, edit_url(req, c), "Modifier la candidature",
			    gpi_cand_url(req, c->year, c->id));
}

void gpi_candidature_edit(struct request *req)
{
	struct gpi_cand_ctx c;
	if (!gpi_cand_open(req, NULL, &c))
		return;
	if (gpi_cand_require_changeable_or_reply(req, &c)) {
		struct form f;
		form_begin(&f, req);
		json_decref(f.values);
		f.values = gpi_cand_form_values(c.cand);
		edit_form(req, &c, &f, 200);
		form_end(&f);
	}
	gpi_cand_close(&c);
}

/* What an edit writes: the validated fields. */
struct edit {
	const json_t *fields;
	bool category_fixed; /* submitted: the category is the secretariat's now */
};

static int apply_fields(json_t *cand, void *ctx)
{
	const struct edit *e = ctx;
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)e->fields, key, v)
		if (!(e->category_fixed && strcmp(key, "category") == 0))
			json_object_set(cand, key, v);
	return 0;
}

/* Writes edit e to c's candidature and replies: the API the saved
 * candidature, the page a redirect to it. */
static void save(struct request *req, const struct gpi_cand_ctx *c, struct edit *e)
{
	json_t *saved = NULL;
	bson_error_t error;
	int rc = gpi_candidature_write(req->db, c->id, req->user->id, 0, apply_fields, e, &saved,
				       &error);
	arena_json(req->arena, saved);
	if (rc)
		db_fail(req, "saving a Grand Prix candidature", &error);
	else if (req->is_api)
		reply_json(req, 200, arena_json(req->arena, gpi_cand_api(req->arena, saved)));
	else
		reply_redirect(req, arena_printf(req->arena, "%s?info=modifiee",
						 gpi_cand_url(req, c->year, c->id)));
}

/* PUT /api/v1/gpi/candidatures/{id} (the fields it names) and POST
 * /grand-prix/{year}/candidatures/{id}/modifier (the whole form). */
void gpi_candidature_update(struct request *req)
{
	struct gpi_cand_ctx c;
	if (!gpi_cand_open(req, NULL, &c))
		return;
	if (!gpi_cand_require_changeable_or_reply(req, &c)) {
		gpi_cand_close(&c);
		return;
	}
	struct form f;
	form_begin(&f, req);
	json_t *orgs = NULL, *body = req->json, *dir = NULL;
	struct gpi_validate_ctx vctx;
	bson_error_t error = {0};
	if (!body && (dir = arena_json(req->arena, organisations_all(req->db, &error))))
		body = arena_json(
			req->arena,
			gpi_cand_body_of_form(&f, dir, json_object_get(c.cand, "indicators")));
	if (!body) {
		db_fail(req, "reading the organisations", &error);
	} else if (gpi_cand_validate_ctx(req, c.edition, json_str(c.cand, "organisation_id"), &vctx,
					 &orgs)) {
		arena_json(req->arena, orgs);
		struct gpi_field_error errs[GPI_FIELD_ERRORS_MAX];
		size_t n = 0;
		json_t *fields = arena_json(req->arena,
					    gpi_candidature_validate(req->arena, body, &vctx,
								     req->json != NULL, errs, &n));
		bool draft = strcmp(json_str(c.cand, "status"), "brouillon") == 0;
		struct edit e = {fields, !draft};
		if (n && req->is_api) {
			gpi_cand_reply_invalid(req, errs, n);
		} else if (n) {
			gpi_cand_form_errors(&f, errs, n);
			edit_form(req, &c, &f, 422);
		} else {
			save(req, &c, &e);
		}
	}
	form_end(&f);
	gpi_cand_close(&c);
}
