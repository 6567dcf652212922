/* The list of projects (/projets, GET /api/v1/projects): the index's
 * summaries the visitor may see, filtered, a page at a time. */
#include <stdlib.h>
#include <string.h>

#include "accounts/organisation.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/labels.h"
#include "db/doc.h"
#include "http/reply.h"
#include "http/request.h"
#include "projects/fields.h"
#include "projects/index.h"
#include "projects/project.h"
#include "projects/ui.h"
#include "projects/view.h"
#include "web/db_reply.h"
#include "web/page.h"
#include "web/pager.h"

enum { LIST_PAGE_SIZE = 20 };

static const char *const FILTERS[] = {"stage", "state", "organisation", "theme", "defi", "q", NULL};

/* Returns the filter of the request's parameters. */
static struct project_filter filter_of(struct request *req)
{
	const char *defi = request_param(req, "defi");
	return (struct project_filter){
		.stage = request_param(req, "stage"),
		.state = request_param(req, "state"),
		.organisation = request_param(req, "organisation"),
		.theme = request_param(req, "theme"),
		.q = request_param(req, "q"),
		.defi_year = defi ? strtol(defi, NULL, 10) : 0,
	};
}

/* Returns the API's item of summary s. New reference. */
static json_t *api_item(const json_t *s)
{
	json_t *item = json_deep_copy(s);
	json_object_del(item, "member_ids");
	return item;
}

/* Returns {code, label, selected} options of pairs. New reference. */
static json_t *options(const char *const pairs[][2], size_t n, const char *selected)
{
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
			out, json_pack("{s:s, s:s, s:b}", "code", pairs[i][0], "label", pairs[i][1],
				       "selected", selected && strcmp(selected, pairs[i][0]) == 0));
	return out;
}

void projects_list(struct request *req)
{
	bson_error_t error;
	json_t *index = arena_json(req->arena, projects_index(req->db, &error));
	if (!index) {
		db_fail(req, "loading the projects' index", &error);
		return;
	}
	struct project_filter f = filter_of(req);
	json_t *all = projects_select(req, index, &f);
	const char *page_text = request_param(req, "page");
	long total = (long)json_array_size(all);
	long pages = (long)pager_pages(total, LIST_PAGE_SIZE);
	long page = page_text ? strtol(page_text, NULL, 10) : 1;
	page = page < 1 ? 1 : page > pages ? pages : page;
	json_t *items = json_array();
	for (long i = (page - 1) * LIST_PAGE_SIZE; i < total && i < page * LIST_PAGE_SIZE; i++) {
		const json_t *s = json_array_get(all, (size_t)i);
		json_array_append_new(items, req->is_api ? api_item(s) : project_card(req, s));
	}
	if (req->is_api) {
		reply_json(
			req, 200,
			arena_json(req->arena, json_pack("{s:o, s:i, s:i}", "items", items, "total",
							 (int)total, "page", (int)page)));
		return;
	}
	const char *base = arena_printf(req->arena, "/projets?%s",
					pager_filter_query(req, FILTERS));
	json_t *data = arena_json(
		req->arena,
		json_pack("{s:o, s:i, s:o, s:o, s:o, s:o, s:s}", "items", items, "total",
			  (int)total, "pager",
			  pager_new(page, pages,
				    page > 1
					    ? arena_printf(req->arena, "%spage=%ld", base, page - 1)
					    : NULL,
				    page < pages
					    ? arena_printf(req->arena, "%spage=%ld", base, page + 1)
					    : NULL),
			  "stages", options(PROJECT_STAGES, PROJECT_STAGE_COUNT, f.stage), "states",
			  options(PROJECT_STATES, PROJECT_STATE_COUNT, f.state), "themes",
			  project_theme_options(req, f.theme ? f.theme : ""), "q", f.q ? f.q : ""));
	json_object_set_new(data, "signed_in", json_boolean(req->user != NULL));
	json_object_set_new(data, "has_items", json_boolean(total > 0));
	json_object_set_new(data, "plural", json_boolean(total > 1));
	page_reply(req, 200, "projects/list", "Projets du Lab", "projects", data);
}
