/* Lists of practices: browsing and searching the catalogue (/pratiques,
 * /recherche: the URL holds the whole query, facets are links that keep
 * the rest of it), the coordinators' queue and the user's own practices.
 * Browsing reads the catalogue only, and parses no more practices than
 * the page shows. */
#include <stdlib.h>
#include <string.h>

#include "accounts/user.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/reply.h"
#include "http/urlencoded.h"
#include "practices/catalogue.h"
#include "practices/lookups.h"
#include "practices/store.h"
#include "practices/ui.h"
#include "web/db_reply.h"
#include "web/page.h"
#include "web/pager.h"

/* Facet values shown on the page, most frequent first (the API has all). */
enum { FACET_SHOWN = 12 };

/* The query parameters of the page URL, in the order links spell them. */
enum { P_Q, P_THEME, P_BRANCH, P_ORGANISATION, P_REGION, P_MATURITY, P_BOITE, P_TRI, P_COUNT };
static const char *const PARAMS[P_COUNT] = {
	"q", "theme", "branch", "organisation", "region", "maturity", "boite", "tri",
};

/* Per facet (enum order of search_index.h): its URL parameter and heading. */
static const struct {
	int param;
	const char *heading;
} FACETS[PRACTICE_FACET_COUNT] = {
	[PRACTICE_FACET_THEME] = {P_THEME, "Thématique"},
	[PRACTICE_FACET_BRANCH] = {P_BRANCH, "Branche"},
	[PRACTICE_FACET_ORGANISATION] = {P_ORGANISATION, "Organisme"},
	[PRACTICE_FACET_REGION] = {P_REGION, "Région"},
	[PRACTICE_FACET_MATURITY] = {P_MATURITY, "Maturité"},
	[PRACTICE_FACET_HAS_TOOLBOX] = {P_BOITE, "Boîte à outils"},
};

static const char *const SORT_LABELS[3] = {
	[SEARCH_SORT_RELEVANCE] = "Pertinence",
	[SEARCH_SORT_NEWEST] = "Plus récentes",
	[PRACTICE_SORT_MOST_REUSED] = "Plus réutilisées",
};

/* The page being shown: where it lives and its query. */
struct view {
	struct request *req;
	const char *base; /* "/pratiques" or "/recherche" */
	const char *values[P_COUNT];
};

/* Returns the URL of the view with parameter param set to value (NULL
 * removes it), at page (1: none). Arena-owned. */
static const char *href(const struct view *v, int param, const char *value, size_t page)
{
	struct arena *a = v->req->arena;
	const char *url = v->base;
	char sep = '?';
	for (int i = 0; i < P_COUNT; i++) {
		const char *x = i == param ? value : v->values[i];
		if (x && *x) {
			url = arena_printf(a, "%s%c%s=%s", url, sep, PARAMS[i], url_encode(a, x));
			sep = '&';
		}
	}
	return page > 1 ? arena_printf(a, "%s%cpage=%zu", url, sep, page) : url;
}

/* Returns the URL value of a has_toolbox facet value ("true" → "oui"). */
static const char *url_value(int facet, const char *value)
{
	if (facet != PRACTICE_FACET_HAS_TOOLBOX)
		return value;
	return strcmp(value, "true") == 0 ? "oui" : "non";
}

/* Returns the facet's links: the most frequent values, plus the one
 * chosen (a link that removes it). Owned by the request's arena. */
static json_t *facet_links(const struct view *v, int facet, const struct search_facet *f,
			   const struct practice_names *n)
{
	int param = FACETS[facet].param;
	const char *chosen = v->values[param];
	/* Labels only for what is shown: organisations alone number 300. */
	struct search_facet top = {f->name,
				   arena_alloc(v->req->arena, (f->n + 1) * sizeof(*f->counts)), 0};
	for (size_t i = 0; i < f->n; i++) {
		const char *value = url_value(facet, f->counts[i].value);
		if (i < FACET_SHOWN || (chosen && strcmp(chosen, value) == 0))
			top.counts[top.n++] = f->counts[i];
	}
	struct arena *a = v->req->arena;
	json_t *all = arena_json(a, practice_facet_values(&top, n));
	json_t *links = arena_json(a, json_array()), *x;
	size_t i;
	bool shown = false;
	json_array_foreach(all, i, x) {
		const char *value = url_value(facet, json_str(x, "value"));
		bool selected = chosen && strcmp(chosen, value) == 0;
		shown |= selected;
		json_object_set_new(x, "selected", json_boolean(selected));
		json_object_set_new(x, "href",
				    json_string(href(v, param, selected ? NULL : value, 1)));
		json_array_append(links, x);
	}
	/* A filter that matches nothing still needs its way out. */
	if (chosen && *chosen && !shown)
		json_array_append_new(links, json_pack("{s:s, s:s, s:i, s:b, s:s}", "value", chosen,
						       "label", chosen, "count", 0, "selected", 1,
						       "href", href(v, param, NULL, 1)));
	return links;
}

/* Returns the facets of res as [{heading, values}], empty ones left out. */
static json_t *facets(const struct view *v, const struct search_result *res,
		      const struct practice_names *n)
{
	json_t *out = json_array();
	for (int i = 0; i < PRACTICE_FACET_COUNT; i++) {
		json_t *links = facet_links(v, i, &res->facets[i], n);
		if (json_array_size(links))
			json_array_append_new(out, json_pack("{s:s, s:s, s:O}", "name",
							     res->facets[i].name, "heading",
							     FACETS[i].heading, "values", links));
	}
	return out;
}

/* Returns the sort the URL need not name: relevance when there are words
 * to rank by, else newest. */
static enum search_sort default_sort(const struct search_result *res)
{
	return res->n_terms ? SEARCH_SORT_RELEVANCE : SEARCH_SORT_NEWEST;
}

/* Returns the sort links, the current one marked; relevance only when
 * there are words to rank by. */
static json_t *sorts(const struct view *v, const struct search_result *res,
		     enum search_sort current)
{
	json_t *out = json_array();
	for (int s = res->n_terms ? 0 : 1; s < 3; s++)
		json_array_append_new(
			out,
			json_pack("{s:s, s:s, s:b}", "label", SORT_LABELS[s], "href",
				  href(v, P_TRI,
				       s == (int)default_sort(res)
					       ? NULL
					       : practice_sort_name((enum search_sort)s, false),
				       1),
				  "current", (int)current == s));
	return out;
}

/* Returns the pager of the catalogue's page (web/pager.h); a page past
 * the end links back to the last one. */
static json_t *pager(const struct view *v, size_t page, size_t total)
{
	int64_t pages = pager_pages((int64_t)total, PRACTICES_PAGE_SIZE);
	return pager_new(
		(int64_t)page, pages,
		page > 1 ? href(v, -1, NULL, page > (size_t)pages ? (size_t)pages : page - 1)
			 : NULL,
		(int64_t)page < pages ? href(v, -1, NULL, page + 1) : NULL);
}

/* Returns the hidden fields that keep the filters and the sort when the
 * search form sends new words. */
static json_t *kept_fields(const struct view *v)
{
	json_t *out = json_array();
	for (int i = P_Q + 1; i < P_COUNT; i++)
		if (v->values[i] && *v->values[i])
			json_array_append_new(out, json_pack("{s:s, s:s}", "name", PARAMS[i],
							     "value", v->values[i]));
	return out;
}

/* Returns the French count of results. Arena-owned or static. */
static const char *count_text(struct arena *a, size_t total)
{
	if (total == 0)
		return "Aucune pratique ne correspond à votre recherche.";
	return total == 1 ? "1 pratique" : arena_printf(a, "%zu pratiques", total);
}

void practices_browse(struct request *req)
{
	struct practice_query q;
	struct search_result res;
	struct practice_names n;
	if (practice_search_or_reply(req, &q, &res) || practice_names_get_or_reply(req, &n))
		return;
	bool search = strcmp(req->path, "/recherche") == 0;
	struct view v = {req,
			 search ? "/recherche" : "/pratiques",
			 {q.q, q.theme, q.branch, q.organisation, q.region, q.maturity,
			  q.has_toolbox < 0 ? NULL
			  : q.has_toolbox   ? "oui"
					    : "non",
			  q.sort == default_sort(&res) ? NULL : practice_sort_name(q.sort, false)}};
	json_t *items = practice_cards(req, &res, &n);
	const char *words = q.q && *q.q ? q.q : NULL;
	const char *title = !search ? "Les bonnes pratiques"
			    : words ? arena_printf(req->arena, "Recherche : %s", words)
				    : "Rechercher une pratique";
	bool filtered = false;
	for (int i = P_Q + 1; i < P_TRI; i++)
		filtered |= v.values[i] && *v.values[i];
	json_t *data = arena_json(
		req->arena,
		json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:I, s:s, s:b}", "heading",
			  title, "base", v.base, "q", words ? words : "", "items", items, "facets",
			  facets(&v, &res, &n), "sorts", sorts(&v, &res, q.sort), "pager",
			  pager(&v, q.page, res.total), "kept", kept_fields(&v), "total",
			  (json_int_t)res.total, "count_text", count_text(req->arena, res.total),
			  "filtered", filtered));
	json_object_set_new(data, "has_facets",
			    json_boolean(json_array_size(json_object_get(data, "facets"))));
	/* A word matched nothing as typed: results are for the closest words. */
	if (res.suggestion)
		json_object_set_new(data, "suggestion",
				    json_pack("{s:s, s:s}", "text", res.suggestion, "href",
					      href(&v, P_Q, res.suggestion, 1)));
	if (filtered)
		json_object_set_new(
			data, "clear_href",
			json_string(arena_printf(req->arena, "%s%s%s", v.base, words ? "?q=" : "",
						 words ? url_encode(req->arena, words) : "")));
	page_reply(req, 200, "practices/list", title, "store", data);
}

/* Returns the row of an unpublished practice p in a dashboard list (and
 * its API twin). New reference. */
static json_t *dashboard_row(const json_t *p, const struct practice_names *n)
{
	enum practice_status s = practice_status_of(p);
	json_t *row = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "id", json_str(p, "_id"),
		"slug", json_str(p, "slug"), "title", json_str(p, "title"), "status",
		PRACTICE_STATUSES[s][0], "status_label", PRACTICE_STATUSES[s][1], "author_name",
		json_str(p, "author_name"), "updated_at", json_str(p, "updated_at"),
		"updated_at_fr", json_str(p, "updated_at_fr"), "submitted_at",
		json_str(p, "submitted_at"), "submitted_at_fr", json_str(p, "submitted_at_fr"),
		"organisations", practice_named(p, "organisation_ids", n));
	json_object_set_new(row, "url", json_sprintf("/pratiques/%s", json_str(p, "slug")));
	if (s == PRACTICE_RETURNED)
		json_object_set_new(row, "return_comment",
				    json_string(json_str(p, "return_comment")));
	return row;
}

static int newest_update_first(const void *a, const void *b)
{
	return strcmp(json_str(*(json_t *const *)b, "updated_at"),
		      json_str(*(json_t *const *)a, "updated_at"));
}

/* Replies with one page of the practices of lookup list `list` (newest
 * page first, ?page=2 the one before, each page most recently updated
 * first), keeping only those of status when not NULL, as template or as
 * the API's {items, total, page, pages}. */
static void dashboard(struct request *req, const char *list, const char *status,
		      const char *template, const char *title)
{
	struct practice_names n;
	if (practice_names_get_or_reply(req, &n))
		return;
	const char *text = request_param(req, "page");
	long page = text ? strtol(text, NULL, 10) : 1;
	page = page >= 1 && page <= 100000 ? page : 1;
	bson_error_t error;
	struct lookup_info info;
	json_t *found = practice_list_page(req->db, list, -page, &info, &error);
	if (!found) {
		db_fail(req, "listing practices", &error);
		return;
	}
	size_t count = json_array_size(found), i, kept = 0;
	json_t **rows = arena_alloc(req->arena, (count + 1) * sizeof(*rows)), *p;
	/* A retried submission may be listed twice. */
	json_t *seen = arena_json(req->arena, json_object());
	json_array_foreach(found, i, p)
		if ((!status || strcmp(json_str(p, "status"), status) == 0) &&
		    !json_object_get(seen, json_str(p, "_id"))) {
			json_object_set_new(seen, json_str(p, "_id"), json_true());
			rows[kept++] = p;
		}
	qsort(rows, kept, sizeof(*rows), newest_update_first);
	json_t *items = json_array();
	for (i = 0; i < kept; i++)
		json_array_append_new(items, dashboard_row(rows[i], &n));
	/* A queue entry may outlive its submission (see lookups.h): the
	 * total of a filtered list counts what is shown when it fits. */
	json_int_t total = status && info.pages == 1 ? (json_int_t)kept : info.count;
	json_t *data = arena_json(req->arena,
				  json_pack("{s:o, s:I, s:I, s:I, s:b}", "items", items, "total",
					    total, "page", (json_int_t)page, "pages",
					    (json_int_t)info.pages, "several", info.pages > 1));
	if (page < info.pages)
		json_object_set_new(data, "older", json_sprintf("?page=%ld", page + 1));
	if (page > 1)
		json_object_set_new(data, "newer", json_sprintf("?page=%ld", page - 1));
	if (req->is_api)
		reply_json(req, 200, data);
	else
		page_reply(req, 200, template, title, "store", data);
}

void practices_queue(struct request *req)
{
	dashboard(req, PRACTICES_SUBMITTED, "submitted", "practices/queue", "Pratiques à valider");
}

void practices_mine(struct request *req)
{
	dashboard(req, practice_lookup(req->arena, "practices_by", req->user->id), NULL,
		  "practices/mine", "Mes pratiques");
}
