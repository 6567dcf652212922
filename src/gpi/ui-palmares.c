/* The Grand Prix's results in public: the laureates page of an edition
 * (/grand-prix/{year}/palmares), the archive across editions
 * (/grand-prix/palmares), their Atom feed and the laureates API. Every
 * one reads results through gpi_laureates_for, so before the ceremony
 * instant they show anonymous visitors and candidates exactly what they
 * show when nothing is decided: the date results will be published. None
 * is kept in the page cache, so the instant shows within the refresher's
 * second, and a ceremony moved later hides them again at once. */
#include <string.h>

#include "accounts/organisation.h"
#include "core/app.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/atom.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/paris_time.h"
#include "db/db.h"
#include "db/doc.h"
#include "gpi/candidature.h"
#include "gpi/edition.h"
#include "gpi/laureates.h"
#include "gpi/results_rules.h"
#include "gpi/ui.h"
#include "http/reply.h"
#include "web/db_reply.h"
#include "web/gpi_project_link.h"
#include "web/page.h"
#include "web/practice_link.h"

/* The members of a laureate the API gives (issue 13), in order. */
static const char *const API_KEYS[] = {"category",      "prize",           "candidature_id",
				       "title",         "organisation_id", "endowment_eur",
				       "endowment_note"};

/* Returns the API item of laureate l (new reference); the special prize
 * adds its own title as prize_title. */
static json_t *api_item(const json_t *l)
{
	json_t *out = json_object();
	for (size_t i = 0; i < sizeof(API_KEYS) / sizeof(*API_KEYS); i++)
		json_object_set(out, API_KEYS[i], json_object_get(l, API_KEYS[i]));
	if (*json_str(l, "prize_title"))
		json_object_set(out, "prize_title", json_object_get(l, "prize_title"));
	return out;
}

/* Returns the laureates of e as req's visitor may see them now (arena),
 * or NULL after replying the caches' failure. */
static json_t *laureates_or_reply(struct request *req, const json_t *e, int64_t now)
{
	bson_error_t error;
	json_t *list = arena_json(req->arena,
				  gpi_laureates_for(req->db, req->user, e, now, &error));
	if (!list)
		db_fail(req, "reading the Grand Prix results", &error);
	return list;
}

void gpi_api_laureates(struct request *req)
{
	const json_t *e = gpi_edition_of_route_or_reply(req);
	int64_t now = clock_now_ms();
	json_t *list = e ? laureates_or_reply(req, e, now) : NULL, *l;
	if (!list)
		return;
	json_t *items = json_array();
	size_t i;
	json_array_foreach(list, i, l)
		json_array_append_new(items, api_item(l));
	reply_json(
		req, 200,
		arena_json(req->arena, json_pack("{s:b, s:o}", "published",
						 gpi_results_published(e, now), "items", items)));
}

/* Adds to laureate l what its page shows beyond the API: its
 * organisation's name, the people who accept publication (people_text),
 * and the links to its project and published cousiSTORE practice the
 * visitor may open. Everything comes from in-process copies (the
 * candidatures' index, the projects' index, the practices' catalogue):
 * the page is what everyone loads at the ceremony instant. */
static void enrich(struct request *req, json_t *l, const json_t *organisations)
{
	const json_t *org = json_object_get(organisations, json_str(l, "organisation_id"));
	json_object_set_new(
		l, "organisation_name",
		json_string(org ? json_str(org, "name") : json_str(l, "organisation_id")));
	bson_error_t error;
	json_t *row = arena_json(req->arena,
				 gpi_index_row(req->db, json_str(l, "candidature_id"), &error));
	const json_t *person;
	struct buf text = BUF_INIT;
	size_t i;
	json_array_foreach(json_object_get(row, "public_people"), i, person)
		buf_printf(&text, "%s%s%s%s%s", i ? ", " : "", json_str(person, "name"),
			   *json_str(person, "role") ? " (" : "", json_str(person, "role"),
			   *json_str(person, "role") ? ")" : "");
	json_object_set_new(l, "people_text", json_string(text.data ? text.data : ""));
	buf_free(&text);
	const struct gpi_project_link_ops *projects = gpi_project_link();
	struct gpi_project_brief p;
	if (!*json_str(l, "project_id") || !projects ||
	    projects->brief(req, json_str(l, "project_id"), &p, &error) != 1)
		return;
	json_object_set_new(l, "project",
			    json_pack("{s:s, s:s}", "title", p.title, "url",
				      arena_printf(req->arena, "/projets/%s", p.slug)));
	json_t *practice = *p.practice_id
				   ? arena_json(req->arena,
						practice_link()->published(req, p.practice_id))
				   : NULL;
	if (practice)
		json_object_set_new(l, "practice",
				    json_pack("{s:s, s:s}", "title", json_str(practice, "title"),
					      "url",
					      arena_printf(req->arena, "/pratiques/%s",
							   json_str(practice, "slug"))));
}

/* Returns the laureates of list grouped as the page shows them: {categories:
 * [{code, name, prizes: [laureates]}] (categories with a prize),
 * has_others, others: [coup de cœur, special prize], has_any} (new
 * reference). */
static json_t *grouped(const json_t *list)
{
	json_t *categories = json_array(), *others = json_array(), *group = NULL;
	const json_t *l;
	size_t i;
	json_array_foreach(list, i, l) {
		int prize = gpi_prize_from(json_str(l, "prize"));
		if (prize >= GPI_CATEGORY_PRIZES) {
			json_array_append(others, (json_t *)l);
			continue;
		}
		if (!group || strcmp(json_str(group, "code"), json_str(l, "category"))) {
			group = json_pack("{s:s, s:s, s:[]}", "code", json_str(l, "category"),
					  "name", json_str(l, "category_name"), "prizes");
			json_array_append_new(categories, group);
		}
		json_array_append(json_object_get(group, "prizes"), (json_t *)l);
	}
	return json_pack("{s:o, s:b, s:o, s:b}", "categories", categories, "has_others",
			 json_array_size(others) > 0, "others", others, "has_any",
			 json_array_size(list) > 0);
}

/* Returns the French long form of e's publication instant (arena). */
static const char *publish_fr(struct request *req, const json_t *e)
{
	char when[PARIS_TIME_LONG_MAX];
	int64_t at = gpi_results_publish_ms(e);
	return at == INT64_MAX
		       ? ""
		       : arena_strdup(req->arena, paris_time_format_long(at, when, sizeof(when)));
}

void gpi_palmares_page(struct request *req)
{
	const json_t *e = gpi_edition_of_route_or_reply(req);
	int64_t now = clock_now_ms();
	json_t *list = e ? laureates_or_reply(req, e, now) : NULL, *l;
	bson_error_t error;
	json_t *organisations = list ? arena_json(req->arena,
						  organisations_by_code(req->db, &error))
				     : NULL;
	if (list && !organisations)
		db_fail(req, "reading the organisations", &error);
	if (!organisations)
		return;
	size_t i;
	json_array_foreach(list, i, l)
		enrich(req, l, organisations);
	bool published = gpi_results_published(e, now);
	json_t *data = arena_json(req->arena, grouped(list));
	json_object_set_new(data, "published", json_boolean(published));
	json_object_set_new(data, "embargo", json_boolean(!published && json_array_size(list)));
	json_object_set_new(data, "publish_fr", json_string(publish_fr(req, e)));
	json_object_set_new(data, "edition_title", json_string(json_str(e, "title")));
	json_object_set_new(data, "year", json_integer(gpi_edition_year(e)));
	page_reply(req, 200, "gpi/palmares",
		   arena_printf(req->arena, "Palmarès – %s", json_str(e, "title")), "gpi", data);
}

/* Returns the editions with their laureates as anyone sees them now:
 * [{year, publish_ms, title, published, publish_fr, laureates,
 * has_laureates}] newest first (arena),
 * or NULL after replying a failure. */
static json_t *archive_or_reply(struct request *req, int64_t now)
{
	json_t *all = gpi_editions_or_reply(req), *e;
	if (!all)
		return NULL;
	json_t *out = arena_json(req->arena, json_array());
	size_t i;
	json_array_foreach(all, i, e) {
		bson_error_t error;
		json_t *list = gpi_laureates_for(req->db, NULL, e, now, &error);
		if (!list) {
			db_fail(req, "reading the Grand Prix results", &error);
			return NULL;
		}
		json_array_append_new(out, json_pack("{s:i, s:I, s:s, s:b, s:s, s:o, s:b}", "year",
						     gpi_edition_year(e), "publish_ms",
						     (json_int_t)gpi_results_publish_ms(e), "title",
						     json_str(e, "title"), "published",
						     gpi_results_published(e, now), "publish_fr",
						     publish_fr(req, e), "laureates", list,
						     "has_laureates", json_array_size(list) > 0));
	}
	return out;
}

void gpi_palmares_archive(struct request *req)
{
	json_t *editions = archive_or_reply(req, clock_now_ms());
	if (editions)
		page_reply(req, 200, "gpi/palmares_archive",
			   "Palmarès du Grand Prix de l’innovation", "gpi",
			   arena_json(req->arena, json_pack("{s:O}", "editions", editions)));
}

/* Appends the Atom entry of edition ed (an archive row) published at
 * at (RFC 3339). */
static void append_entry(struct request *req, struct buf *b, const json_t *ed, const char *at)
{
	const char *base = req->app->config.base_url;
	const char *path = arena_printf(req->arena, "/grand-prix/%d/palmares",
					(int)json_integer_value(json_object_get(ed, "year")));
	buf_puts(b, "  <entry>\n");
	atom_element(b, "    ", "title",
		     arena_printf(req->arena, "Palmarès – %s", json_str(ed, "title")));
	atom_element(b, "    ", "id", arena_printf(req->arena, "%s%s", base, path));
	atom_link(b, "    ", "alternate", "text/html", base, path);
	atom_element(b, "    ", "published", at);
	atom_element(b, "    ", "updated", at);
	struct buf text = BUF_INIT;
	const json_t *l;
	size_t i;
	json_array_foreach(json_object_get(ed, "laureates"), i, l)
		buf_printf(&text, "%s%s – %s : %s", i ? "\n" : "",
			   *json_str(l, "prize_title") ? json_str(l, "prize_title")
						       : json_str(l, "prize_label"),
			   json_str(l, "category_name"), json_str(l, "title"));
	atom_element(b, "    ", "summary", text.data ? text.data : "");
	buf_free(&text);
	buf_puts(b, "  </entry>\n");
}

void gpi_palmares_atom(struct request *req)
{
	json_t *editions = archive_or_reply(req, clock_now_ms()), *ed;
	if (!editions)
		return;
	struct buf entries = BUF_INIT, feed = BUF_INIT;
	char updated[PARIS_TIME_RFC3339_MAX] = "", at[PARIS_TIME_RFC3339_MAX];
	size_t i;
	json_array_foreach(editions, i, ed) {
		if (!json_is_true(json_object_get(ed, "has_laureates")))
			continue;
		paris_time_format_rfc3339(json_integer_value(json_object_get(ed, "publish_ms")),
					  at);
		append_entry(req, &entries, ed, at);
		if (strcmp(at, updated) > 0)
			memcpy(updated, at, sizeof(at));
	}
	if (!*updated)
		paris_time_format_rfc3339(clock_now_ms(), updated);
	atom_feed_open(&feed, req->app->config.base_url, "Palmarès du Grand Prix de l’innovation",
		       "/grand-prix/palmares.atom", "/grand-prix/palmares", updated);
	buf_append(&feed, entries.data ? entries.data : "", entries.len);
	atom_feed_close(&feed);
	reply_text(req, 200, "application/atom+xml; charset=utf-8", feed.data);
	buf_free(&feed);
	buf_free(&entries);
}
