/* What the practice pages and the API share: naming codes, finding the
 * route's practice with the visibility rules, the short form of a
 * practice, and the browse query. */
#include <stdlib.h>
#include <string.h>

#include "accounts/organisation.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/labels.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/request.h"
#include "practices/catalogue.h"
#include "practices/store.h"
#include "practices/themes.h"
#include "practices/ui.h"
#include "web/db_reply.h"
#include "web/error_reply.h"

/* Pages past this are empty anyway; keeps page * size far from overflow. */
enum { PAGE_MAX = 100000 };

static const char NOT_FOUND[] = "Cette pratique est introuvable.";

int practice_names_get_or_reply(struct request *req, struct practice_names *n)
{
	bson_error_t error;
	n->themes = NULL;
	n->orgs = arena_json(req->arena, organisations_by_code(req->db, &error));
	if (n->orgs)
		n->themes = arena_json(req->arena, themes_all(req->db, &error));
	if (n->themes)
		return 0;
	db_fail(req, "reading the organisations and themes", &error);
	return -1;
}

/* Returns the name of code in list key ("themes", "organisation_ids",
 * "branches"), or the code. Borrowed. */
static const char *code_name(const char *key, const char *code, const struct practice_names *n)
{
	if (strcmp(key, "branches") == 0)
		return organisation_branch_label(code);
	json_t *entry = strcmp(key, "themes") == 0 ? theme_in(n->themes, code)
						   : json_object_get(n->orgs, code);
	return entry ? json_str(entry, "name") : code;
}

json_t *practice_named(const json_t *p, const char *key, const struct practice_names *n)
{
	json_t *out = json_array(), *code;
	size_t i;
	json_array_foreach(json_object_get(p, key), i, code) {
		const char *c = json_string_value(code);
		if (c)
			json_array_append_new(out, json_pack("{s:s, s:s}", "code", c, "name",
							     code_name(key, c, n)));
	}
	return out;
}

const char *practice_maturity_label(const char *m)
{
	const char *label = label_find(PRACTICE_MATURITIES, PRACTICE_MATURITIES_COUNT, m);
	return label ? label : "";
}

enum practice_status practice_status_of(const json_t *p)
{
	int s = practice_status_from(json_str(p, "status"));
	return s < 0 ? PRACTICE_DRAFT : (enum practice_status)s;
}

const char *practice_key(struct request *req)
{
	const char *slug = param_get(req->route_params, "slug");
	return slug ? slug : param_get(req->route_params, "id");
}

/* Returns true when the user may see p. */
static bool visible(const struct request *req, const json_t *p)
{
	return practice_allowed(req->user, json_str(p, "author_id"), practice_status_of(p),
				PRACTICE_VIEW);
}

json_t *practice_visible_or_reply(struct request *req)
{
	bson_error_t error;
	if (catalogue_sync(req, &error)) {
		db_fail(req, "loading the catalogue", &error);
		return NULL;
	}
	json_t *p = arena_json(req->arena, catalogue_get(req, practice_key(req)));
	if (p)
		return p;
	/* Only signed-in users can see unpublished practices: nobody else
	 * costs a database read. */
	if (req->user) {
		p = arena_json(req->arena, practice_load(req->db, practice_key(req), &error));
		if (!p && error.code) {
			db_fail(req, "reading a practice", &error);
			return NULL;
		}
		if (p && visible(req, p))
			return p;
	}
	reply_error(req, 404, "not_found", NOT_FOUND, NULL);
	return NULL;
}

bool practice_can(const struct request *req, const json_t *p, enum practice_action action)
{
	enum practice_status s = practice_status_of(p);
	return practice_allowed(req->user, json_str(p, "author_id"), s, action) &&
	       practice_transition(s, action) >= 0;
}

json_t *practice_for_or_reply(struct request *req, enum practice_action action)
{
	bson_error_t error;
	json_t *p = arena_json(req->arena, practice_load(req->db, practice_key(req), &error));
	if (!p) {
		if (error.code)
			db_fail(req, "reading a practice", &error);
		else
			reply_error(req, 404, "not_found", NOT_FOUND, NULL);
		return NULL;
	}
	enum practice_status s = practice_status_of(p);
	if (!visible(req, p))
		reply_error(req, 404, "not_found", NOT_FOUND, NULL);
	else if (!practice_allowed(req->user, json_str(p, "author_id"), s, action))
		reply_error(req, 403, "forbidden",
			    "Vous n’avez pas le droit de faire cette action sur cette pratique.",
			    NULL);
	else if (practice_transition(s, action) < 0)
		reply_error(
			req, 409, "conflict",
			arena_printf(
				req->arena,
				"Cette action n’est pas possible pour une pratique dont le statut est "
				"«\u202f%s\u202f». Sa page montre les actions encore possibles.",
				PRACTICE_STATUSES[s][1]),
			NULL);
	else
		return p;
	return NULL;
}

json_t *practice_card(const json_t *p, const struct practice_names *n)
{
	const char *slug = json_str(p, "slug");
	const char *maturity = json_str(p, "maturity");
	json_t *card = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:I, s:b}", "id",
		json_str(p, "_id"), "slug", slug, "title", json_str(p, "title"), "summary",
		json_str(p, "summary"), "maturity", maturity, "maturity_label",
		practice_maturity_label(maturity), "published_at", json_str(p, "published_at"),
		"themes", practice_named(p, "themes", n), "organisations",
		practice_named(p, "organisation_ids", n), "branches",
		practice_named(p, "branches", n), "reuse_count",
		json_integer_value(json_object_get(p, "reuse_count")), "has_toolbox",
		json_is_true(json_object_get(p, "has_toolbox")) ||
			json_array_size(json_object_get(p, "toolbox")) > 0);
	json_object_set_new(card, "url", json_sprintf("/pratiques/%s", slug));
	json_object_set_new(card, "published_at_fr", json_string(json_str(p, "published_at_fr")));
	return card;
}

json_t *practice_cards(struct request *req, const struct search_result *res,
		       const struct practice_names *n)
{
	json_t *items = json_array();
	for (size_t i = 0; i < res->n_ids; i++) {
		json_t *p = catalogue_card(req, res->ids[i]);
		if (p)
			json_array_append_new(items, practice_card(p, n));
		json_decref(p);
	}
	return items;
}

/* The sort names of the URL, in enum search_sort order: pages, then API. */
static const char *const SORTS[2][3] = {
	{"pertinence", "recent", "reutilise"},
	{"relevance", "newest", "most_reused"},
};

const char *practice_sort_name(enum search_sort sort, bool api)
{
	return SORTS[api][sort];
}

/* Returns 1 when the request's value for name is yes, 0 for no, -1 for
 * anything else. */
static int yes_no(struct request *req, const char *name, const char *yes, const char *no)
{
	const char *v = request_param(req, name);
	return !v ? -1 : strcmp(v, yes) == 0 ? 1 : strcmp(v, no) == 0 ? 0 : -1;
}

int practice_search_or_reply(struct request *req, struct practice_query *q,
			     struct search_result *res)
{
	bool api = req->is_api;
	*q = (struct practice_query){
		.q = request_param(req, "q"),
		.theme = request_param(req, "theme"),
		.branch = request_param(req, "branch"),
		.organisation = request_param(req, "organisation"),
		.region = request_param(req, "region"),
		.maturity = request_param(req, "maturity"),
		.has_toolbox = api ? yes_no(req, "has_toolbox", "true", "false")
				   : yes_no(req, "boite", "oui", "non"),
		.sort = SEARCH_SORT_RELEVANCE,
		.page = 1,
		.page_size = PRACTICES_PAGE_SIZE,
	};
	const char *sort = request_param(req, api ? "sort" : "tri");
	for (int s = 0; sort && s < 3; s++)
		if (strcmp(sort, SORTS[api][s]) == 0)
			q->sort = (enum search_sort)s;
	const char *page = request_param(req, "page");
	if (page) {
		char *end;
		long n = strtol(page, &end, 10);
		if (!*end && n >= 1 && n <= PAGE_MAX)
			q->page = (size_t)n;
	}
	bson_error_t error;
	if (catalogue_sync(req, &error)) {
		db_fail(req, "loading the catalogue", &error);
		return -1;
	}
	if (catalogue_search(req, q, res)) {
		reply_error(req, 500, "internal", "La recherche a échoué.", NULL);
		return -1;
	}
	/* Without words relevance is newest first: name it so. */
	if (!res->n_terms && q->sort == SEARCH_SORT_RELEVANCE)
		q->sort = SEARCH_SORT_NEWEST;
	return 0;
}

/* Returns the French label of value in facet name. Borrowed or static. */
static const char *facet_label(const char *name, const char *value, const struct practice_names *n)
{
	if (strcmp(name, "theme") == 0)
		return code_name("themes", value, n);
	if (strcmp(name, "branch") == 0)
		return code_name("branches", value, n);
	if (strcmp(name, "organisation") == 0)
		return code_name("organisation_ids", value, n);
	if (strcmp(name, "maturity") == 0)
		return label_or_code(PRACTICE_MATURITIES, PRACTICE_MATURITIES_COUNT, value);
	if (strcmp(name, "has_toolbox") == 0)
		return strcmp(value, "true") == 0 ? "Avec boîte à outils" : "Sans boîte à outils";
	return value;
}

json_t *practice_facet_values(const struct search_facet *f, const struct practice_names *n)
{
	json_t *out = json_array();
	for (size_t i = 0; i < f->n; i++)
		json_array_append_new(out, json_pack("{s:s, s:s, s:I}", "value", f->counts[i].value,
						     "label",
						     facet_label(f->name, f->counts[i].value, n),
						     "count", (json_int_t)f->counts[i].count));
	return out;
}
