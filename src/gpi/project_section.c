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
 * may see, as the section lists them; *filed gets the "<year>:<category>"
 * of every one of them, seen or not (a category filed is not offered
 * again). New reference. */
static json_t *candidatures_of(struct request *req, const struct gpi_project_facts *p,
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
		json_object_set_new(filed, arena_printf(req->arena, "%d:%s", a.year, a.category),
				    json_true());
		if (gpi_candidature_may_see(req->user, &a)) {
			const json_t *e = gpi_edition_get(req->db, a.year, &error);
			const json_t *cat = e ? gpi_edition_category(e, a.category) : NULL;
			json_array_append_new(
				items,
				json_pack("{s:s, s:i, s:s, s:s, s:s}", "title",
					  json_str(row, "title"), "year", a.year, "category",
					  cat ? json_str(cat, "name") : a.category, "status_label",
					  gpi_status_label(gpi_status_seen(req->db, req->user, &a)),
					  "url",
					  arena_printf(req->arena, "/grand-prix/%d/candidatures/%s",
						       a.year, json_str(row, "id"))));
		}
		json_decref(row);
	}
	json_decref(ids);
	return items;
}

/* Returns the forms of the editions open for filing now: [{year,
 * edition_title, action, categories [{code, name}] the project has not
 * filed in, has_categories}]. New reference. */
static json_t *forms_of(struct request *req, const json_t *editions, const json_t *filed)
{
	int64_t now = clock_now_ms();
	json_t *forms = json_array();
	const json_t *e, *c;
	size_t i, j;
	json_array_foreach(editions, i, e) {
		if (!gpi_edition_is_open(e, now))
			continue;
		int year = gpi_edition_year(e);
		json_t *cats = json_array();
		json_array_foreach(json_object_get(e, "categories"), j, c)
			if (!json_object_get(filed, arena_printf(req->arena, "%d:%s", year,
								 json_str(c, "code"))))
				json_array_append_new(cats, json_pack("{s:s, s:s}", "code",
								      json_str(c, "code"), "name",
								      json_str(c, "name")));
		json_array_append_new(
			forms,
			json_pack("{s:i, s:s, s:s, s:b, s:o}", "year", year, "edition_title",
				  json_str(e, "title"), "action",
				  arena_printf(req->arena, "/grand-prix/%d/candidatures/nouvelle",
					       year),
				  "has_categories", json_array_size(cats) > 0, "categories", cats));
	}
	return forms;
}

static const char *section(struct request *req, const struct gpi_project_facts *p)
{
	/* Anonymous visitors see no candidature and file none. */
	if (!req->user)
		return NULL;
	json_t *filed = json_object();
	json_t *items = candidatures_of(req, p, filed);
	/* The forms are the members' own: never in a page shared with others. */
	bson_error_t error = {0};
	json_t *all = p->may_file && !req->shared_reply ? gpi_editions_all(req->db, &error) : NULL;
	json_t *forms = all ? forms_of(req, all, filed) : json_array();
	const char *html = NULL;
	if (json_array_size(items) || json_array_size(forms)) {
		json_t *data = json_pack("{s:o, s:b, s:o, s:s, s:s}", "items", items, "has_items",
					 json_array_size(items) > 0, "forms", forms, "project_id",
					 p->id, "csrf", csrf_token(req));
		html = page_partial(req, "gpi/project_section", data);
		json_decref(data);
	} else {
		json_decref(items);
		json_decref(forms);
	}
	json_decref(filed);
	json_decref(all);
	return html;
}

const struct gpi_project_section_ops gpi_project_section_ops = {
	.section = section,
};
