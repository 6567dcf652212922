/* The practice sheet (/pratiques/{slug}) and its history: the list of
 * versions and each version as it was. The sheet of a published practice
 * is built from the catalogue alone; its sections (toolbox, reuse,
 * conversation) add their own data (sheet.h). */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/arena_json.h"
#include "core/labels.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/reply.h"
#include "practices/sheet.h"
#include "practices/store.h"
#include "practices/ui.h"
#include "view/markdown.h"
#include "web/db_reply.h"
#include "web/error_reply.h"
#include "web/page.h"

/* Notices shown after a redirect, by their ?info= code. */
static const char *const NOTICES[][2] = {
	{"creee", "La pratique est enregistrée comme brouillon. Soumettez-la à la "
		  "coordination quand elle est prête."},
	{"creee-fichier-refuse", "La pratique est enregistrée comme brouillon, mais ses "
				 "fichiers n’ont pas tous pu être ajoutés\u202f: ajoutez ceux qui "
				 "manquent depuis sa boîte à outils, ci-dessous."},
	{"modifiee", "Vos modifications sont enregistrées."},
	{"soumise", "La pratique est soumise à la coordination, qui la relira avant de "
		    "la publier."},
	{"publiee", "La pratique est publiée\u202f: tout le monde peut la consulter."},
	{"renvoyee", "La pratique est renvoyée à son auteur avec votre commentaire."},
	{"archivee", "La pratique est archivée\u202f: elle n’apparaît plus dans le catalogue."},
};

/* The names of what a version changed, as the store records them. */
static const char *const CHANGES[][2] = {
	{"creation", "Création"},
	{"status", "Statut"},
	{"toolbox", "Boîte à outils"},
	{"title", "Titre"},
	{"summary", "Résumé"},
	{"problem", "Problème traité"},
	{"description", "Description"},
	{"results", "Résultats et bénéfices"},
	{"organisation_ids", "Organismes porteurs"},
	{"branches", "Branches"},
	{"themes", "Thématiques"},
	{"public", "Public visé"},
	{"maturity", "Maturité"},
	{"contact", "Contact"},
};

/* Returns the read-only fields of p (a practice or a version's snapshot)
 * for views/practices/facts.mustache, the description rendered from
 * Markdown under the page's h2. New reference. */
static json_t *facts(struct request *req, const json_t *p, const struct practice_names *n)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "title",
			 json_str(p, "title"), "summary", json_str(p, "summary"), "problem",
			 json_str(p, "problem"), "description_html",
			 markdown_to_html(req->arena, json_str(p, "description"), 2), "results",
			 json_str(p, "results"), "public", json_str(p, "public"), "contact",
			 json_str(p, "contact"), "maturity_label",
			 practice_maturity_label(json_str(p, "maturity")), "organisations",
			 practice_named(p, "organisation_ids", n), "branches",
			 practice_named(p, "branches", n), "themes",
			 practice_named(p, "themes", n));
}

/* Returns what the workflow lets the user do on p now. New reference. */
static json_t *abilities(const struct request *req, const json_t *p)
{
	static const char *const NAMES[PRACTICE_ACTION_COUNT] = {
		[PRACTICE_ACTION_EDIT] = "edit",       [PRACTICE_ACTION_SUBMIT] = "submit",
		[PRACTICE_ACTION_PUBLISH] = "publish", [PRACTICE_ACTION_RETURN] = "return",
		[PRACTICE_ACTION_ARCHIVE] = "archive",
	};
	json_t *can = json_object();
	bool any = false;
	for (int a = 0; a < PRACTICE_ACTION_COUNT; a++) {
		bool yes = practice_can(req, p, (enum practice_action)a);
		json_object_set_new(can, NAMES[a], json_boolean(yes));
		any |= yes;
	}
	json_object_set_new(can, "any", json_boolean(any));
	return can;
}

/* Returns the sheet's data for p, sections included, owned by the
 * request's arena, or NULL after a section replied. */
static json_t *sheet_data(struct request *req, const json_t *p, const struct practice_names *n)
{
	enum practice_status s = practice_status_of(p);
	json_t *data = arena_json(req->arena,
				  json_pack("{s:s, s:s, s:o, s:o, s:b, s:s, s:I}", "id",
					    json_str(p, "_id"), "slug", json_str(p, "slug"),
					    "fields", facts(req, p, n), "can", abilities(req, p),
					    "published", s == PRACTICE_PUBLISHED, "status_label",
					    PRACTICE_STATUSES[s][1], "version",
					    json_integer_value(json_object_get(p, "version"))));
	static const char *const DATES[] = {"created_at_fr", "updated_at_fr", "published_at_fr",
					    "author_name"};
	for (size_t i = 0; i < sizeof(DATES) / sizeof(*DATES); i++)
		json_object_set_new(data, DATES[i], json_string(json_str(p, DATES[i])));
	/* The coordination's comment is for the author, while it applies. */
	if (s == PRACTICE_RETURNED && practice_can(req, p, PRACTICE_ACTION_EDIT))
		json_object_set_new(data, "return_comment",
				    json_string(json_str(p, "return_comment")));
	/* Where it was made (practices/link.c): the sheet links back. */
	json_t *source = json_object_get(p, "source");
	if (json_is_object(source))
		json_object_set(data, "source", source);
	const char *notice = label_find(NOTICES, LABELS_COUNT(NOTICES), request_param(req, "info"));
	if (notice)
		json_object_set_new(data, "notice", json_string(notice));
	if (toolbox_sheet_data(req, p, data) || reuse_sheet_data(req, p, data) ||
	    conversation_sheet_data(req, p, data))
		return NULL;
	return data;
}

void practices_sheet(struct request *req)
{
	json_t *p = practice_visible_or_reply(req);
	struct practice_names n;
	if (!p || practice_names_get_or_reply(req, &n))
		return;
	json_t *data = sheet_data(req, p, &n);
	if (data)
		page_reply(req, 200, "practices/show", json_str(p, "title"), "store", data);
}

/* Returns the French names of the changes listed in v["changed"], joined
 * by commas (arena). */
static const char *changes_text(struct request *req, const json_t *v)
{
	const char *text = "";
	json_t *c;
	size_t i;
	json_array_foreach(json_object_get(v, "changed"), i, c)
		text = arena_printf(
			req->arena, "%s%s%s", text, *text ? ", " : "",
			label_or_code(CHANGES, LABELS_COUNT(CHANGES), json_string_value(c)));
	return *text ? text : "Aucune modification des champs";
}

/* Returns the public form of version v for the API: the snapshot only
 * when with_snapshot. New reference. */
static json_t *version_json(const json_t *v, bool with_snapshot)
{
	json_t *out = json_pack("{s:O*, s:s, s:s, s:O*}", "version", json_object_get(v, "version"),
				"at", json_str(v, "at"), "by_name", json_str(v, "by_name"),
				"changed", json_object_get(v, "changed"));
	if (with_snapshot)
		json_object_set(out, "snapshot", json_object_get(v, "snapshot"));
	return out;
}

void practices_versions(struct request *req)
{
	json_t *p = practice_visible_or_reply(req);
	if (!p)
		return;
	bson_error_t error;
	const char *text = request_param(req, "page");
	long page = text ? strtol(text, NULL, 10) : 1;
	page = page >= 1 && page <= 100000 ? page : 1;
	json_int_t pages = (json_integer_value(json_object_get(p, "version")) +
			    PRACTICE_HISTORY_PAGE - 1) /
			   PRACTICE_HISTORY_PAGE;
	json_t *list = practice_history(req->db, p, page, &error);
	if (!list) {
		db_fail(req, "listing the versions of a practice", &error);
		return;
	}
	json_t *rows = json_array(), *v;
	size_t i;
	json_array_foreach(list, i, v) {
		if (req->is_api) {
			json_array_append_new(rows, version_json(v, false));
			continue;
		}
		json_int_t number = json_integer_value(json_object_get(v, "version"));
		json_array_append_new(
			rows, json_pack("{s:I, s:s, s:s, s:s, s:s}", "version", number, "at_fr",
					json_str(v, "at_fr"), "by_name", json_str(v, "by_name"),
					"changes", changes_text(req, v), "url",
					arena_printf(req->arena, "/pratiques/%s/versions/%lld",
						     json_str(p, "slug"), (long long)number)));
	}
	if (req->is_api) {
		reply_json(req, 200, arena_json(req->arena, json_pack("{s:o}", "items", rows)));
		return;
	}
	json_t *data = arena_json(req->arena,
				  json_pack("{s:s, s:s, s:o, s:I, s:I, s:b}", "practice_title",
					    json_str(p, "title"), "slug", json_str(p, "slug"),
					    "versions", rows, "page", (json_int_t)page, "pages",
					    pages, "several", pages > 1));
	if (page < pages)
		json_object_set_new(data, "older", json_sprintf("?page=%ld", page + 1));
	if (page > 1)
		json_object_set_new(data, "newer", json_sprintf("?page=%ld", page - 1));
	page_reply(req, 200, "practices/versions",
		   arena_printf(req->arena, "Historique : %s", json_str(p, "title")), "store",
		   data);
}

/* Returns the version number of the route, or 0 when it is not one. */
static int version_number(struct request *req)
{
	const char *text = param_get(req->route_params, "n");
	char *end;
	long n = text ? strtol(text, &end, 10) : 0;
	return text && !*end && n > 0 && n < 1000000 ? (int)n : 0;
}

/* Replies with version v of practice p. */
static void version_reply(struct request *req, const json_t *p, const json_t *v)
{
	if (req->is_api) {
		reply_json(req, 200, arena_json(req->arena, version_json(v, true)));
		return;
	}
	struct practice_names n;
	if (practice_names_get_or_reply(req, &n))
		return;
	json_int_t number = json_integer_value(json_object_get(v, "version"));
	json_t *data = arena_json(
		req->arena,
		json_pack("{s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:o}", "practice_title",
			  json_str(p, "title"), "slug", json_str(p, "slug"), "number", number,
			  "current", json_integer_value(json_object_get(p, "version")), "at_fr",
			  json_str(v, "at_fr"), "by_name", json_str(v, "by_name"), "changes",
			  changes_text(req, v), "fields",
			  facts(req, json_object_get(v, "snapshot"), &n)));
	page_reply(req, 200, "practices/version",
		   arena_printf(req->arena, "Version %lld : %s", (long long)number,
				json_str(p, "title")),
		   "store", data);
}

void practices_version(struct request *req)
{
	int number = version_number(req);
	json_t *p = practice_visible_or_reply(req);
	if (!p)
		return;
	bson_error_t error;
	json_t *v = number ? arena_json(req->arena, practice_version(req->db, json_str(p, "_id"),
								     number, &error))
			   : NULL;
	if (v)
		version_reply(req, p, v);
	else if (number && error.code)
		db_fail(req, "reading a version of a practice", &error);
	else
		reply_error(req, 404, "not_found", "Cette version est introuvable.", NULL);
}
