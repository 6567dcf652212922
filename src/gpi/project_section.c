#include "gpi/project_section.h"

#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "db/doc.h"
#include "gpi/candidature.h"
#include "gpi/edition.h"
#include "http/request.h"
#include "web/csrf.h"
#include "web/page.h"

/* Returns the rows of the candidatures of project p that req's visitor
 * may see, as the section lists them; *filed gets, by category code, the
 * ones of edition year. New reference. */
static json_t *candidatures_of(struct request *req, const struct gpi_project_facts *p, int year,
			       json_t *filed)
{
	bson_error_t error = {0};
	json_t *ids = gpi_project_candidature_ids(req->db, p->id, &error), *id;
	json_t *items = json_array();
	size_t i;
	json_array_foreach(ids, i, id) {
		json_t *row = gpi_index_row(req->db, json_string_value(id), &error);
		if (!row)
			continue;
		struct gpi_audience a = gpi_audience_of(req->db, row);
		if (a.year == year)
			json_object_set_new(filed, a.category, json_true());
		if (gpi_candidature_may_see(req->user, &a)) {
			const json_t *e = gpi_edition_get(req->db, a.year, &error);
			const json_t *cat = e ? gpi_edition_category(e, a.category) : NULL;
			json_array_append_new(
				items,
				json_pack("{s:s, s:i, s:s, s:s, s:s}", "title",
					  json_str(row, "title"), "year", a.year, "category",
					  cat ? json_str(cat, "name") : a.category, "status_label",
					  gpi_status_label(json_str(row, "status")), "url",
					  arena_printf(req->arena, "/grand-prix/%d/candidatures/%s",
						       a.year, json_str(row, "id"))));
		}
		json_decref(row);
	}
	json_decref(ids);
	return items;
}

static const char *section(struct request *req, const struct gpi_project_facts *p)
{
	/* Anonymous visitors see no candidature and file none. */
	if (!req->user)
		return NULL;
	bson_error_t error = {0};
	json_t *all = gpi_editions_all(req->db, &error);
	int64_t now = clock_now_ms();
	const json_t *e = all ? gpi_edition_current(all, now) : NULL;
	bool open = e && gpi_edition_is_open(e, now);
	int year = e ? gpi_edition_year(e) : 0;
	json_t *filed = json_object();
	json_t *items = candidatures_of(req, p, year, filed);
	/* The form is the members' own: never in a page shared with others. */
	bool form = open && p->may_file && req->user && !req->shared_reply;
	json_t *cats = json_array(), *c;
	size_t i;
	if (form)
		json_array_foreach(json_object_get(e, "categories"), i, c)
			if (!json_object_get(filed, json_str(c, "code")))
				json_array_append_new(cats, json_pack("{s:s, s:s}", "code",
								      json_str(c, "code"), "name",
								      json_str(c, "name")));
	const char *html = NULL;
	if (json_array_size(items) || form) {
		json_t *data = json_pack("{s:o, s:b, s:b, s:o, s:b}", "items", items, "has_items",
					 json_array_size(items) > 0, "form", form, "categories",
					 cats, "has_categories", json_array_size(cats) > 0);
		if (form) {
			json_object_set_new(data, "year", json_integer(year));
			json_object_set_new(data, "edition_title",
					    json_string(json_str(e, "title")));
			json_object_set_new(data, "project_id", json_string(p->id));
			json_object_set_new(data, "csrf", json_string(csrf_token(req)));
			json_object_set_new(
				data, "action",
				json_string(arena_printf(
					req->arena, "/grand-prix/%d/candidatures/nouvelle", year)));
		}
		html = page_partial(req, "gpi/project_section", data);
		json_decref(data);
	} else {
		json_decref(items);
		json_decref(cats);
	}
	json_decref(filed);
	json_decref(all);
	return html;
}

const struct gpi_project_section_ops gpi_project_section_ops = {
	.section = section,
};
