/* The toolbox section of a practice sheet, its editing page, and the
 * routes that change it: add (multipart upload or link), move, remove.
 * Uploads are streamed to temp files under the cache directory, checked
 * by content, and only then stored: a refused file leaves nothing. */
#include <string.h>
#include <strings.h>

#include "accounts/user.h"
#include "core/app.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/labels.h"
#include "db/db.h"
#include "db/doc.h"
#include "files/local.h"
#include "files/rules.h"
#include "files/store.h"
#include "files/upload_form.h"
#include "http/form.h"
#include "http/multipart.h"
#include "http/reply.h"
#include "practices/sheet.h"
#include "practices/quota.h"
#include "practices/store.h"
#include "practices/toolbox.h"
#include "practices/ui.h"
#include "web/confirm.h"
#include "web/db_reply.h"
#include "web/error_reply.h"
#include "web/form_reply.h"
#include "web/page.h"

/* ---- View data ------------------------------------------------------ */

/* Returns "1,2 Mo", "340 Ko" or "12 octets" for size (arena). */
static const char *size_label(struct arena *a, size_t size)
{
	if (size < 1024)
		return arena_printf(a, "%zu octet%s", size, size > 1 ? "s" : "");
	if (size < FILES_UPLOAD_MIB)
		return arena_printf(a, "%zu Ko", (size + 512) / 1024);
	size_t tenths = (size * 10 + FILES_UPLOAD_MIB / 2) / FILES_UPLOAD_MIB;
	return arena_printf(a, "%zu,%zu Mo", tenths / 10, tenths % 10);
}

/* Returns the French name of the stored type mime ("document PDF"). */
static const char *type_label(const char *mime)
{
	for (int t = FILE_PDF; t <= FILE_MP4; t++)
		if (strcmp(file_type_info((enum file_type)t)->mime, mime) == 0)
			return file_type_info((enum file_type)t)->label_fr;
	return "fichier";
}

/* Returns the host part of a valid http(s) URL (arena). */
static const char *url_host(struct arena *a, const char *url)
{
	const char *rest = strstr(url, "://");
	rest = rest ? rest + 3 : url;
	return arena_strndup(a, rest, strcspn(rest, "/?#:"));
}

/* Returns the view of resource res, at index i of n, of the practice
 * whose sheet is at base ("/pratiques/<slug>"). New reference. */
static json_t *resource_view(struct request *req, const json_t *res, size_t i, size_t n,
			     const char *base, bool can_edit)
{
	struct arena *a = req->arena;
	const char *id = json_str(res, "id");
	/* Every key the partial tests is set, false if need be: a missing
	 * one would be looked up in the enclosing page's data. */
	json_t *v = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:b}", "id", id, "kind",
		json_str(res, "kind"), "kind_label",
		label_or_code(TOOLBOX_KINDS, TOOLBOX_KINDS_COUNT, json_str(res, "kind")), "title",
		json_str(res, "title"), "description", json_str(res, "description"), "download_url",
		0, "link_url", 0, "up_action", 0, "down_action", 0, "remove_confirm", 0);
	const char *file_id = json_str(res, "file_id");
	if (*file_id) {
		json_object_set_new(v, "download_url", json_string(toolbox_resource_url(a, res)));
		json_object_set_new(v, "type_label",
				    json_string(type_label(json_str(res, "mime"))));
		json_object_set_new(
			v, "size_label",
			json_string(size_label(
				a, (size_t)json_integer_value(json_object_get(res, "size")))));
	} else {
		json_object_set_new(v, "link_url", json_string(json_str(res, "url")));
		json_object_set_new(v, "host", json_string(url_host(a, json_str(res, "url"))));
	}
	if (can_edit) {
		const char *action = arena_printf(a, "%s/ressources/%s", base, id);
		if (i > 0)
			json_object_set_new(v, "up_action",
					    json_string(arena_printf(a, "%s/monter", action)));
		if (i + 1 < n)
			json_object_set_new(v, "down_action",
					    json_string(arena_printf(a, "%s/descendre", action)));
		json_object_set_new(v, "remove_confirm",
				    json_string(arena_printf(a, "%s/confirmer-retrait", action)));
	}
	return v;
}

json_t *toolbox_kind_options(const char *selected, bool files_only)
{
	json_t *options = json_array();
	for (size_t i = 0; i < TOOLBOX_KINDS_COUNT; i++) {
		if (files_only && !file_kind_max_size(TOOLBOX_KINDS[i][0]))
			continue;
		json_array_append_new(
			options, json_pack("{s:s, s:s, s:b}", "code", TOOLBOX_KINDS[i][0], "label",
					   TOOLBOX_KINDS[i][1], "selected",
					   selected && strcmp(selected, TOOLBOX_KINDS[i][0]) == 0));
	}
	return options;
}

/* Returns one add form's data: its kinds, and values and errors when it
 * is the one that was sent (both may be NULL). New reference. */
static json_t *add_form(bool files, json_t *values, json_t *errors)
{
	const char *kind = values ? json_str(values, "kind") : files ? NULL : "lien";
	return json_pack("{s:o, s:o, s:o}", "kinds", toolbox_kind_options(kind, files), "values",
			 values ? json_incref(values) : json_object(), "errors",
			 errors ? json_incref(errors) : json_object());
}

/* Fills data for the toolbox partial. sent_link tells which add form
 * values and errors (may be NULL) belong to. */
static void fill(struct request *req, const json_t *practice, json_t *data, json_t *values,
		 json_t *errors, bool sent_link)
{
	enum practice_status st = (enum practice_status)practice_status_from(
		json_str(practice, "status"));
	bool can_edit = practice_allowed(req->user, json_str(practice, "author_id"), st,
					 PRACTICE_ACTION_EDIT);
	const char *base = arena_printf(req->arena, "/pratiques/%s", json_str(practice, "slug"));
	json_t *toolbox = json_object_get(practice, "toolbox"), *res, *view = json_array();
	size_t i, n = json_array_size(toolbox);
	json_array_foreach(toolbox, i, res)
		json_array_append_new(view, resource_view(req, res, i, n, base, can_edit));
	json_object_set_new(data, "toolbox", view);
	json_object_set_new(data, "has_toolbox", json_boolean(n > 0));
	json_object_set_new(data, "can_edit_toolbox", json_boolean(can_edit));
	if (!can_edit) {
		json_object_set_new(data, "toolbox_form", json_false());
		return;
	}
	json_t *form = json_pack(
		"{s:s, s:b, s:o, s:o}", "action", arena_printf(req->arena, "%s/ressources", base),
		"full", n >= TOOLBOX_MAX_RESOURCES, "file",
		add_form(true, sent_link ? NULL : values, sent_link ? NULL : errors), "link",
		add_form(false, sent_link ? values : NULL, sent_link ? errors : NULL));
	json_object_set_new(data, "toolbox_form", form);
}

int toolbox_sheet_data(struct request *req, const json_t *practice, json_t *data)
{
	fill(req, practice, data, NULL, NULL, false);
	return 0;
}

/* ---- Request helpers ------------------------------------------------ */

/* Returns the practice named by the route when the user may change its
 * toolbox (owned by the request's arena); otherwise replies 404 (none, or
 * not visible), 403 or 503, drains the body and returns NULL. */
static json_t *editable_or_reply(struct request *req)
{
	const char *key = param_get(req->route_params, "slug");
	if (!key)
		key = param_get(req->route_params, "id");
	bson_error_t error;
	json_t *p = arena_json(req->arena, practice_load(req->db, key, &error));
	int st = p ? practice_status_from(json_str(p, "status")) : -1;
	const char *author = json_str(p, "author_id");
	if (!p && error.code) {
		db_fail(req, "loading a practice", &error);
	} else if (st < 0 ||
		   !practice_allowed(req->user, author, (enum practice_status)st, PRACTICE_VIEW)) {
		reply_error(req, 404, "not_found",
			    "Cette pratique n’existe pas ou n’est pas "
			    "visible pour vous.",
			    NULL);
	} else if (!practice_allowed(req->user, author, (enum practice_status)st,
				     PRACTICE_ACTION_EDIT)) {
		reply_error(req, 403, "forbidden",
			    "Vous ne pouvez pas modifier la boîte à outils "
			    "de cette pratique.",
			    NULL);
	} else {
		return p;
	}
	upload_form_drain(req, 0);
	return NULL;
}

size_t toolbox_upload_limit(void)
{
	size_t max = 0;
	for (size_t i = 0; i < TOOLBOX_KINDS_COUNT; i++)
		if (file_kind_max_size(TOOLBOX_KINDS[i][0]) > max)
			max = file_kind_max_size(TOOLBOX_KINDS[i][0]);
	return max;
}

/* Replies 422: the API's JSON, or the toolbox page with the sent form's
 * values and errors (anchored on that form's field ids). */
static void reply_invalid(struct request *req, struct form *f, const json_t *practice,
			  bool sent_link)
{
	if (req->is_api) {
		form_reply_invalid(f, NULL, NULL, NULL, NULL);
		return;
	}
	json_t *data = arena_json(req->arena, json_pack("{s:s, s:s}", "practice_title",
							json_str(practice, "title"), "practice_url",
							arena_printf(req->arena, "/pratiques/%s",
								     json_str(practice, "slug"))));
	fill(req, practice, data, f->values, f->errors, sent_link);
	const char *title = form_summary(
		req, data, f->errors, f->fields, sent_link ? "link-" : "resource-",
		arena_printf(req->arena, "Boîte à outils\u202f: %s", json_str(practice, "title")));
	page_reply(req, 422, "practices/toolbox_page", title, "store", data);
}

/* Replies to a multipart body the parser refused: a file too large gets
 * the toolbox form again with the error on the file. */
static void reply_unreadable(struct request *req, const json_t *practice, enum parse_status st)
{
	if (st == PARSE_TOO_LARGE) {
		struct form f;
		form_begin(&f, req);
		form_error(&f, "file",
			   arena_printf(req->arena,
					"Ce fichier dépasse la taille "
					"autorisée (%zu Mo au plus).",
					toolbox_upload_limit() / FILES_UPLOAD_MIB));
		reply_invalid(req, &f, practice, false);
		form_end(&f);
	} else {
		upload_form_reply_unreadable(req, st, toolbox_upload_limit());
	}
}

/* Replies after a change to the toolbox of practice: for the API, 201
 * with the created resource, else 200 with the practice's id and toolbox;
 * for pages, back to the sheet at anchor. */
static void reply_done(struct request *req, const json_t *practice, const json_t *created,
		       const json_t *toolbox, const char *anchor)
{
	if (req->is_api && created)
		reply_json(req, 201,
			   arena_json(req->arena, toolbox_resource_public(req->arena, created)));
	else if (req->is_api)
		reply_json(req, 200,
			   arena_json(req->arena,
				      json_pack("{s:s, s:o}", "id", json_str(practice, "_id"),
						"toolbox", toolbox_public(req->arena, toolbox))));
	else
		reply_redirect(req, arena_printf(req->arena, "/pratiques/%s#%s",
						 json_str(practice, "slug"), anchor));
}

/* ---- Handlers ------------------------------------------------------- */

void toolbox_page(struct request *req)
{
	json_t *p = editable_or_reply(req);
	if (!p)
		return;
	json_t *data = arena_json(
		req->arena,
		json_pack("{s:s, s:s}", "practice_title", json_str(p, "title"), "practice_url",
			  arena_printf(req->arena, "/pratiques/%s", json_str(p, "slug"))));
	fill(req, p, data, NULL, NULL, false);
	page_reply(req, 200, "practices/toolbox_page",
		   arena_printf(req->arena, "Boîte à outils\u202f: %s", json_str(p, "title")),
		   "store", data);
}

const char *toolbox_quota_message(struct request *req)
{
	struct quota_totals used = {0, 0};
	bson_error_t error;
	quota_read(req->db, req->user->id, &used, &error); /* the figure is a courtesy */
	return arena_printf(
		req->arena,
		"Ce fichier ne tient pas dans votre espace de stockage\u202f: "
		"vos fichiers y occupent déjà %s sur %lld Mo. Retirez-en de vos boîtes à "
		"outils ou proposez plutôt un lien.",
		size_label(req->arena, (size_t)used.bytes),
		(long long)(PRACTICE_QUOTA_BYTES / (int64_t)FILES_UPLOAD_MIB));
}

void toolbox_add_resource(struct request *req)
{
	json_t *p = editable_or_reply(req);
	if (!p)
		return;
	struct upload *files = NULL;
	enum parse_status st = upload_form_read(req, 8, 8 * 1024, 1, toolbox_upload_limit(),
						&files);
	if (st != PARSE_OK) {
		reply_unreadable(req, p, st);
		return;
	}
	struct form f;
	form_begin(&f, req);
	bool sent_link = form_sent(&f, "url");
	const struct upload *up = upload_form_file(files, "file");
	struct toolbox_resource_input in = {
		.kind = form_text(&f, "kind", 32, true),
		.title = form_text(&f, "title", TOOLBOX_RESOURCE_TITLE_MAX_CHARS, true),
		.description = form_paragraphs(&f, "description",
					       TOOLBOX_RESOURCE_DESCRIPTION_MAX_CHARS, false),
		.url = sent_link ? form_text(&f, "url", TOOLBOX_RESOURCE_URL_MAX_CHARS, false)
				 : NULL,
		.has_file = up != NULL,
	};
	struct field_error errors[TOOLBOX_RESOURCE_MAX_ERRORS];
	size_t n = toolbox_resource_check(&in, json_array_size(json_object_get(p, "toolbox")),
					  errors);
	for (size_t i = 0; i < n; i++)
		form_error(&f, errors[i].field, errors[i].message);
	enum file_type type = FILE_UNKNOWN;
	const char *why = up ? file_name_refusal(req->arena, up->filename) : NULL;
	if (up && !why && label_find(TOOLBOX_KINDS, TOOLBOX_KINDS_COUNT, in.kind)) {
		type = file_sniff(up->path, up->size);
		why = file_refusal(req->arena, in.kind, type, up->size);
	}
	if (why)
		form_error(&f, "file", why);
	if (!form_valid(&f)) {
		reply_invalid(req, &f, p, sent_link);
	} else {
		bson_error_t error;
		json_t *res = toolbox_add(req->app, req->db, req->user, p, &in, up, type, &error);
		if (res) {
			reply_done(req, p, res, NULL,
				   arena_printf(req->arena, "ressource-%s", json_str(res, "id")));
		} else if (quota_refused(&error)) {
			form_error(&f, "file", toolbox_quota_message(req));
			reply_invalid(req, &f, p, sent_link);
		} else {
			db_fail(req, "adding a toolbox resource", &error);
		}
	}
	form_end(&f);
}

/* Moves (delta ±1) or removes (delta 0) the resource {rid}. */
static void change(struct request *req, int delta)
{
	json_t *p = editable_or_reply(req);
	if (!p)
		return;
	const char *rid = param_get(req->route_params, "rid");
	bson_error_t error;
	json_t *toolbox = NULL;
	if (toolbox_find(json_object_get(p, "toolbox"), rid) < 0) {
		reply_error(req, 404, "not_found",
			    "Cette ressource n’est plus dans la boîte "
			    "à outils.",
			    NULL);
	} else if ((delta ? toolbox_move(req->db, req->user, p, rid, delta, &toolbox, &error)
			  : toolbox_remove(req->app, req->db, req->user, p, rid, &toolbox,
					   &error)) < 0) {
		db_fail(req, "changing a toolbox", &error);
	} else {
		reply_done(req, p, NULL, toolbox,
			   delta ? arena_printf(req->arena, "ressource-%s", rid)
				 : "boite-a-outils");
	}
}

void toolbox_move_up(struct request *req)
{
	change(req, -1);
}

void toolbox_move_down(struct request *req)
{
	change(req, +1);
}

void toolbox_remove_resource(struct request *req)
{
	change(req, 0);
}

void toolbox_remove_confirm(struct request *req)
{
	json_t *p = editable_or_reply(req);
	if (!p)
		return;
	const char *rid = param_get(req->route_params, "rid");
	const json_t *toolbox = json_object_get(p, "toolbox");
	long i = toolbox_find(toolbox, rid);
	const char *base = arena_printf(req->arena, "/pratiques/%s", json_str(p, "slug"));
	if (i < 0) {
		reply_error(req, 404, "not_found",
			    "Cette ressource n’est plus dans la boîte "
			    "à outils.",
			    NULL);
	} else {
		const json_t *res = json_array_get(toolbox, (size_t)i);
		bool file = *json_str(res, "file_id");
		confirm_page_reply(
			req,
			&(struct confirm_page){
				.title = file ? "Retirer ce fichier de la boîte à outils\u202f?"
					      : "Retirer ce lien de la boîte à outils\u202f?",
				.subject = json_str(res, "title"),
				.consequence =
					file ? "Le fichier sera supprimé\u202f: il ne pourra plus être "
					       "téléchargé depuis la fiche de la pratique."
					     : "Le lien n’apparaîtra plus sur la fiche de la pratique.",
				.action = arena_printf(req->arena, "%s/ressources/%s/retirer", base,
						       rid),
				.button = "Retirer",
				.cancel = arena_printf(req->arena, "%s#ressource-%s", base, rid),
			});
	}
}
