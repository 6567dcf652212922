/* The coordinators' list of an edition's teams (/defi/{year}/equipes and
 * GET /api/v1/defi/editions/{year}/teams): filtered by status, branch,
 * region and organisation, with member counts, a page at a time, built
 * from the in-process index. */
#include <stdlib.h>
#include <string.h>

#include "accounts/organisation.h"
#include "accounts/organisation_picker.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/buf.h"
#include "db/doc.h"
#include "defi/coordination.h"
#include "defi/team_index.h"
#include "defi/team_rules.h"
#include "defi/ui.h"
#include "http/reply.h"
#include "http/urlencoded.h"
#include "web/db_reply.h"
#include "web/page.h"
#include "web/pager.h"

enum { TEAMS_PAGE_SIZE = 50, API_PAGE_SIZE_MAX = 200 };

/* Returns the requested page number, at least 1. */
static long page_param(struct request *req)
{
	const char *p = request_param(req, "page");
	long n = p && strspn(p, "0123456789") == strlen(p) && strlen(p) < 7 ? atol(p) : 1;
	return n < 1 ? 1 : n;
}

/* Returns the filters as a query string ending in '&' (or ""), for the
 * pager's and the exports' links. Arena. */
static const char *filter_query(struct request *req, const struct defi_filter *f)
{
	const char *names[] = {"statut", "branche", "region", "organisme"};
	const char *values[] = {f->status, f->branch, f->region, f->organisation};
	struct buf b = {0};
	for (size_t i = 0; i < 4; i++)
		if (*values[i])
			buf_printf(&b, "%s=%s&", names[i], url_encode(req->arena, values[i]));
	const char *out = arena_strdup(req->arena, b.len ? b.data : "");
	buf_free(&b);
	return out;
}

/* Returns {code, label, selected} options from a label table. New. */
static json_t *options(const char *const table[][2], size_t n, const char *chosen)
{
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "code", table[i][0],
						     "label", table[i][1], "selected",
						     strcmp(table[i][0], chosen) == 0));
	return out;
}

static json_t *status_options(const char *chosen)
{
	json_t *out = options(DEFI_STATUSES, DEFI_STATUS_COUNT, chosen);
	json_array_insert_new(out, 1,
			      json_pack("{s:s, s:s, s:b}", "code", "incomplete", "label",
					"Incomplète", "selected",
					strcmp(chosen, "incomplete") == 0));
	return out;
}

/* Returns the data of the organisation filter's picker, showing what was
 * typed and why it names no organisation, or the organisation chosen.
 * New reference, or NULL with error set. */
static json_t *organisation_field(struct request *req, const struct defi_filter *f,
				  bson_error_t *error)
{
	json_t *directory = arena_json(req->arena, organisations_all(req->db, error));
	if (!directory)
		return NULL;
	json_t *values = arena_json(req->arena, json_pack("{s:s}", "organisme", f->organisation));
	if (f->organisation_error)
		json_object_set_new(values, "organisme_text", json_string(f->organisation_text));
	json_t *errors = arena_json(req->arena,
				    json_pack("{s:s*}", "organisme", f->organisation_error));
	return organisation_picker_data(&DEFI_ORGANISATION_FILTER, values, errors, directory);
}

/* Returns the rows of page (1-based) of r's matches. New reference. */
static json_t *page_rows(struct request *req, const struct defi_rows *r, long page, long size)
{
	json_t *rows = json_array();
	size_t n = json_array_size(r->matches);
	for (size_t i = (size_t)(page - 1) * (size_t)size; i < n && i < (size_t)(page * size); i++)
		json_array_append_new(rows, defi_row(req, r, json_array_get(r->matches, i)));
	return rows;
}

void defi_teams_page(struct request *req)
{
	struct defi_filter f;
	struct defi_rows r;
	const json_t *e = defi_rows_of_route_or_reply(req, &f, &r);
	if (!e)
		return;
	bson_error_t error;
	json_t *organisation = organisation_field(req, &f, &error);
	if (!organisation) {
		db_fail(req, "reading the organisations", &error);
		return;
	}
	long total = (long)json_array_size(r.matches);
	long pages = (long)pager_pages(total, TEAMS_PAGE_SIZE);
	long page = page_param(req);
	if (page > pages)
		page = pages;
	const char *base = arena_printf(req->arena, "/defi/%d/equipes", r.year);
	const char *query = filter_query(req, &f);
	const char *link = arena_printf(req->arena, "%s?%spage=", base, query);
	json_t *pager = pager_new(
		page, pages, page > 1 ? arena_printf(req->arena, "%s%ld", link, page - 1) : NULL,
		page < pages ? arena_printf(req->arena, "%s%ld", link, page + 1) : NULL);
	json_t *data = arena_json(
		req->arena,
		json_pack("{s:O, s:o, s:i, s:i, s:o, s:o, s:o, s:o, s:o, s:s, s:s, s:b}", "edition",
			  e, "rows", page_rows(req, &r, page, TEAMS_PAGE_SIZE), "total", (int)total,
			  "participants", (int)r.confirmed, "statuses", status_options(f.status),
			  "branches",
			  options(ORGANISATION_BRANCHES, ORGANISATION_BRANCHES_COUNT, f.branch),
			  "regions",
			  options(ORGANISATION_REGIONS, ORGANISATION_REGIONS_COUNT, f.region),
			  "organisation_field", organisation, "pager", pager, "base", base, "query",
			  query, "filtered", *query != '\0' || f.organisation_error));
	json_object_set_new(data, "nav_teams", json_true());
	page_reply(req, 200, "defi/teams",
		   arena_printf(req->arena, "Équipes du %s", json_str(e, "title")), "defi", data);
}

/* The fields of a row the API gives. */
static const char *const API_FIELDS[] = {
	"id",     "name",       "organisation_id", "organisation_name", "branch",     "region",
	"status", "incomplete", "confirmed_count", "invited_count",     "captain_id", "url",
};

void defi_api_teams(struct request *req)
{
	struct defi_filter f;
	struct defi_rows r;
	const json_t *e = defi_rows_of_route_or_reply(req, &f, &r);
	if (!e)
		return;
	const char *size = request_param(req, "page_size");
	long per = size && strspn(size, "0123456789") == strlen(size) && strlen(size) < 4
			   ? atol(size)
			   : TEAMS_PAGE_SIZE;
	if (per < 1 || per > API_PAGE_SIZE_MAX)
		per = TEAMS_PAGE_SIZE;
	long page = page_param(req);
	json_t *rows = arena_json(req->arena, page_rows(req, &r, page, per));
	json_t *items = json_array(), *row;
	size_t i;
	json_array_foreach(rows, i, row) {
		json_t *item = json_object();
		for (size_t k = 0; k < sizeof(API_FIELDS) / sizeof(*API_FIELDS); k++)
			json_object_set(item, API_FIELDS[k], json_object_get(row, API_FIELDS[k]));
		json_array_append_new(items, item);
	}
	reply_json(req, 200,
		   arena_json(req->arena, json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total",
						    (json_int_t)json_array_size(r.matches), "page",
						    (int)page, "page_size", (int)per)));
}
