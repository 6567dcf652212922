/* The project page (/projets/{slug}) and its JSON (GET
 * /api/v1/projects/{id}): every section, with the forms the visitor may
 * use on it. */
#include <stdio.h>
#include <string.h>

#include "accounts/organisation.h"
#include "accounts/roles.h"
#include "accounts/user.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/buf.h"
#include "db/doc.h"
#include "http/form.h"
#include "http/reply.h"
#include "http/request.h"
#include "projects/access.h"
#include "projects/indicators.h"
#include "projects/page.h"
#include "projects/gpi_link.h"
#include "projects/practice.h"
#include "projects/project.h"
#include "projects/route.h"
#include "projects/store.h"
#include "projects/ui.h"
#include "projects/view.h"
#include "web/gpi_project_link.h"
#include "view/markdown.h"
#include "view/svg_chart.h"
#include "web/db_reply.h"
#include "web/form_reply.h"
#include "web/page.h"

enum { PAGE_TIMELINE_MAX = 50, PAGE_POSTS_MAX = 20 };

static const char *const EVENT_KINDS[][2] = {
	{"move", "Changement d’étape"},
	{"proposal", "Proposition"},
	{"decision", "Proposition refusée"},
	{"journal", "Journal"},
	{"measurement", "Mesure"},
	{"state", "État"},
	{"member", "Équipe"},
};

static const char *label_in(const char *const pairs[][2], size_t n, const char *code)
{
	for (size_t i = 0; code && i < n; i++)
		if (strcmp(pairs[i][0], code) == 0)
			return pairs[i][1];
	return "";
}

#define LABEL(table, code) label_in(table, sizeof(table) / sizeof(*table), code)

/* Returns "JJ/MM/AAAA" for a stored "YYYY-MM-DD" (arena). */
static const char *date_fr(struct request *req, const char *d)
{
	if (strlen(d) != 10)
		return d;
	return arena_printf(req->arena, "%.2s/%.2s/%.4s", d + 8, d + 5, d);
}

/* Returns the stages as steps of the page's progress list: done, current
 * or to come; selectable for forms. New reference. */
static json_t *stage_steps(const char *current)
{
	int cur = project_stage_from(current);
	json_t *out = json_array();
	for (int i = 0; i < PROJECT_STAGE_COUNT; i++)
		json_array_append_new(out,
				      json_pack("{s:s, s:s, s:b, s:b}", "code",
						PROJECT_STAGES[i][0], "label", PROJECT_STAGES[i][1],
						"done", i < cur, "current", i == cur));
	return out;
}

/* Returns the "x,xx" French form of v (arena). */
static const char *number_fr(struct request *req, double v)
{
	char *s = arena_printf(req->arena, "%.2f", v);
	char *end = s + strlen(s) - 1;
	while (*end == '0')
		*end-- = '\0';
	if (*end == '.')
		*end = '\0';
	for (char *p = s; *p; p++)
		if (*p == '.')
			*p = ',';
	return s;
}

/* Returns the view of one indicator with its measurements: the chart's
 * SVG, the table's rows, labels. New reference. */
static json_t *indicator_view(struct request *req, const json_t *ind)
{
	json_t *ms = json_object_get(ind, "measurements"), *m;
	size_t n = json_array_size(ms), i;
	struct chart_point *points = arena_alloc(req->arena, (n ? n : 1) * sizeof(*points));
	json_t *rows = json_array();
	const char *unit = json_str(ind, "unit");
	json_array_foreach(ms, i, m) {
		points[i] = (struct chart_point){date_fr(req, json_str(m, "date")),
						 json_number_value(json_object_get(m, "value"))};
		json_array_append_new(rows, json_pack("{s:s, s:s}", "date", points[i].label,
						      "value", number_fr(req, points[i].value)));
	}
	double target = json_number_value(json_object_get(ind, "target"));
	bool up = strcmp(json_str(ind, "direction"), "down") != 0;
	const char *id = arena_printf(req->arena, "chart-%s", json_str(ind, "id"));
	const char *desc =
		n ? arena_printf(req->arena,
				 "%zu mesure%s, de %s le %s à %s le %s\u202f; cible %s %s, %s.", n,
				 n > 1 ? "s" : "", number_fr(req, points[0].value), points[0].label,
				 number_fr(req, points[n - 1].value), points[n - 1].label,
				 number_fr(req, target), unit,
				 up ? "une hausse est une amélioration"
				    : "une baisse est une amélioration")
		  : arena_printf(req->arena, "Aucune mesure encore ; cible %s %s.",
				 number_fr(req, target), unit);
	struct buf svg = BUF_INIT;
	svg_line_chart(&svg,
		       &(struct line_chart){id, json_str(ind, "name"), desc, points, n, target});
	json_t *baseline = json_object_get(ind, "baseline");
	json_t *v = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:b, s:s}", "id",
			      json_str(ind, "id"), "name", json_str(ind, "name"), "unit", unit,
			      "target", number_fr(req, target), "direction",
			      up ? "à la hausse" : "à la baisse", "svg", svg.data ? svg.data : "",
			      "rows", rows, "has_rows", n > 0, "baseline",
			      baseline ? number_fr(req, json_number_value(baseline)) : "");
	buf_free(&svg);
	return v;
}

/* Returns the timeline's view: each event with its labels. New reference. */
static json_t *timeline_view(const json_t *events)
{
	json_t *out = json_array(), *e;
	size_t i;
	json_array_foreach(events, i, e) {
		json_t *v = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "kind_label",
				      LABEL(EVENT_KINDS, json_str(e, "kind")), "at",
				      json_str(e, "at_fr"), "by", json_str(e, "by_name"), "from",
				      LABEL(PROJECT_STAGES, json_str(e, "from")), "to",
				      LABEL(PROJECT_STAGES, json_str(e, "to")), "note",
				      json_str(e, "note"));
		const char *url = json_str(json_object_get(e, "evidence"), "url");
		if (*url)
			json_object_set_new(v, "evidence_url", json_string(url));
		json_array_append_new(out, v);
	}
	return out;
}

/* Returns the journal's view: posts with their Markdown made safe HTML
 * and their attached files ({file_name, url}). New reference. */
static json_t *posts_view(struct request *req, const json_t *posts)
{
	json_t *out = json_array(), *post;
	size_t i;
	json_array_foreach(posts, i, post)
		json_array_append_new(
			out, json_pack("{s:s, s:s, s:s, s:s, s:O*, s:b}", "title",
				       json_str(post, "title"), "at", json_str(post, "at_fr"), "by",
				       json_str(post, "by_name"), "html",
				       markdown_to_html(req->arena, json_str(post, "body"), 2),
				       "files", json_object_get(post, "files"), "has_files",
				       json_array_size(json_object_get(post, "files")) > 0));
	return out;
}

/* Returns the names of organisation codes. New reference. */
static json_t *organisation_names(const json_t *orgs, const json_t *codes)
{
	json_t *out = json_array(), *c;
	size_t i;
	json_array_foreach(codes, i, c) {
		json_t *o = json_object_get(orgs, json_string_value(c));
		json_array_append_new(out,
				      json_string(o ? json_str(o, "name") : json_string_value(c)));
	}
	return out;
}

/* Adds the Grand Prix's section (web/gpi_project_link.h) to data: the
 * project's candidatures and the form that files one. */
static void add_gpi_section(struct request *req, const json_t *p, json_t *data)
{
	const struct gpi_project_section_ops *gpi = gpi_project_section();
	if (!gpi)
		return;
	struct gpi_project_facts facts;
	project_gpi_facts(req, p, &facts);
	const char *html = gpi->section(req, &facts);
	gpi_project_facts_release(&facts);
	if (html)
		json_object_set_new(data, "gpi_section", json_string(html));
}

/* Marks item (with an "id") as the one whose form is shown again with
 * its errors when section is "<kind>-<id>". */
static void mark_open(struct request *req, json_t *item, const char *kind, const char *section)
{
	if (section &&
	    strcmp(section, arena_printf(req->arena, "%s-%s", kind, json_str(item, "id"))) == 0)
		json_object_set_new(item, "form_open", json_true());
}

/* Adds the team, its coordinator and the visitor's rights to data. */
static void add_team(struct request *req, const json_t *p, json_t *data)
{
	json_t *members = json_array(), *m;
	size_t i;
	json_array_foreach(json_object_get(p, "members"), i, m)
		json_array_append_new(members,
				      json_pack("{s:s, s:s, s:s}", "user_id",
						json_str(m, "user_id"), "name", json_str(m, "name"),
						"role", LABEL(PROJECT_ROLES, json_str(m, "role"))));
	json_object_set_new(data, "members", members);
	const char *cid = json_str(p, "coordinator_id");
	bson_error_t error;
	struct user *c = *cid ? user_find_id(req->db, cid, &error) : NULL;
	json_object_set_new(data, "coordinator", json_string(c ? c->name : ""));
	bool coordinator = user_has_role(req->user, ROLE_COORDINATOR);
	json_object_set_new(data, "on_team", json_boolean(project_on_team(req, p)));
	json_object_set_new(data, "may_edit", json_boolean(project_may_edit(req, p)));
	json_object_set_new(data, "decides", json_boolean(project_decides(req, p)));
	json_object_set_new(data, "coordinator_user", json_boolean(coordinator));
	json_object_set_new(data, "may_follow", json_boolean(project_may_follow(req, p)));
}

void project_page_render(struct request *req, const json_t *p, int status, struct form *f,
			 const char *section)
{
	bson_error_t error;
	const char *pid = json_str(p, "_id");
	json_t *events = project_events(req, pid, PAGE_TIMELINE_MAX, &error);
	json_t *posts = events ? project_children(req,
						  arena_printf(req->arena, "project-posts:%s", pid),
						  "project_posts", PAGE_POSTS_MAX, &error)
			       : NULL;
	json_t *indicators = posts ? project_indicators_full(req, p, &error) : NULL;
	if (!indicators) {
		db_fail(req, "reading a project", &error);
		return;
	}
	json_t *orgs = arena_json(req->arena, organisations_by_code(req->db, &error));
	json_t *org = json_object_get(orgs, json_str(p, "organisation_id"));
	json_t *ind_views = json_array(), *ind;
	size_t i;
	json_array_foreach(indicators, i, ind)
		json_array_append_new(ind_views, indicator_view(req, ind));
	json_t *themes = json_array(), *t;
	json_array_foreach(json_object_get(p, "themes"), i, t)
		json_array_append_new(themes,
				      json_string(project_theme_name(req, json_string_value(t))));
	json_t *origin = json_object_get(p, "origin");
	const char *state = json_str(p, "state");
	json_t *data = arena_json(
		req->arena,
		json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:s, s:s, s:s}",
			  "id", pid, "slug", json_str(p, "slug"), "project_title",
			  json_str(p, "title"), "summary", json_str(p, "summary"), "problem_html",
			  markdown_to_html(req->arena, json_str(p, "problem"), 2), "solution_html",
			  markdown_to_html(req->arena, json_str(p, "solution"), 2), "organisation",
			  org ? json_str(org, "name") : json_str(p, "organisation_id"), "partners",
			  organisation_names(orgs, json_object_get(p, "partner_organisation_ids")),
			  "started_on", date_fr(req, json_str(p, "started_on")), "stages",
			  stage_steps(json_str(p, "stage")), "themes_named", themes, "stage_label",
			  LABEL(PROJECT_STAGES, json_str(p, "stage")), "state_label",
			  LABEL(PROJECT_STATES, state), "visibility_label",
			  LABEL(PROJECT_VISIBILITIES, json_str(p, "visibility"))));
	json_object_set(data, "external_partners", json_object_get(p, "external_partners"));
	json_object_set_new(data, "state_reason", json_string(json_str(p, "state_reason")));
	json_object_set_new(data, "inactive", json_boolean(strcmp(state, "active") != 0));
	json_object_set_new(data, "costs",
			    json_string(project_amount_text(req, json_object_get(p, "costs"))));
	json_object_set_new(data, "savings",
			    json_string(project_amount_text(req, json_object_get(p, "savings"))));
	json_object_set_new(data, "origin_defi",
			    json_boolean(strcmp(json_str(origin, "kind"), "defi") == 0));
	json_object_set_new(data, "origin_group",
			    json_boolean(strcmp(json_str(origin, "kind"), "groupe") == 0));
	json_object_set_new(data, "origin", origin ? json_incref(origin) : json_object());
	json_object_set_new(data, "example",
			    json_boolean(json_is_true(json_object_get(p, "example"))));
	json_object_set_new(data, "practice_id", json_string(json_str(p, "practice_id")));
	json_object_set_new(data, "indicators", ind_views);
	json_object_set_new(data, "timeline", timeline_view(events));
	json_object_set_new(data, "posts", posts_view(req, posts));
	json_t *pending = json_deep_copy(json_object_get(p, "pending")), *x;
	json_array_foreach(pending, i, x) {
		json_object_set_new(x, "stage_label",
				    json_string(LABEL(PROJECT_STAGES, json_str(x, "stage"))));
		mark_open(req, x, "decision", section);
	}
	json_array_foreach(ind_views, i, x)
		mark_open(req, x, "measure", section);
	json_object_set_new(data, "pending", pending);
	json_object_set_new(data, "stage", json_string(json_str(p, "stage")));
	json_object_set_new(
		data, "has_partners",
		json_boolean(json_array_size(json_object_get(p, "partner_organisation_ids"))));
	json_object_set(data, "resources", json_object_get(p, "resources"));
	json_object_set_new(data, "has_resources",
			    json_boolean(json_array_size(json_object_get(p, "resources"))));
	json_object_set_new(data, "has_external",
			    json_boolean(json_array_size(json_object_get(p, "external_partners"))));
	json_object_set_new(data, "has_pending",
			    json_boolean(json_array_size(json_object_get(p, "pending")) > 0));
	json_object_set_new(data, "states", json_array());
	for (int s = 0; s < PROJECT_STATE_COUNT; s++)
		json_array_append_new(json_object_get(data, "states"),
				      json_pack("{s:s, s:s, s:b}", "code", PROJECT_STATES[s][0],
						"label", PROJECT_STATES[s][1], "selected",
						strcmp(state, PROJECT_STATES[s][0]) == 0));
	add_team(req, p, data);
	if (project_practice_data_or_reply(req, p, data))
		return;
	add_gpi_section(req, p, data);
	const char *title = json_str(p, "title");
	if (f) {
		json_object_set_new(data, arena_printf(req->arena, "form_%s", section),
				    json_true());
		json_object_set(data, "values", f->values);
		json_object_set(data, "errors", f->errors);
		title = form_summary(req, data, f->errors, f->fields,
				     arena_printf(req->arena, "%s-", section), title);
	}
	page_reply(req, status, "projects/show", title, "projects", data);
}

void projects_page(struct request *req)
{
	json_t *p = project_of_route_or_reply(req);
	if (!p)
		return;
	if (req->is_api) {
		json_t *v = project_api_view_or_reply(req, p);
		if (v)
			reply_json(req, 200, v);
	} else {
		project_page_render(req, p, 200, NULL, NULL);
	}
}
