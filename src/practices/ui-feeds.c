/* Atom 1.0 feeds of the newest published practices (see feeds.h), built
 * from the catalogue: no database read but the themes' cache. */
#include <string.h>
#include <time.h>

#include "core/app.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/atom.h"
#include "core/buf.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/reply.h"
#include "practices/catalogue.h"
#include "practices/feeds.h"
#include "practices/themes.h"
#include "practices/ui.h"
#include "web/db_reply.h"
#include "web/error_reply.h"

bool feeds_rfc3339_from_iso(const char *iso, char out[21])
{
	struct tm tm = {0};
	const char *end = iso ? strptime(iso, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;
	time_t t = end && !*end ? timegm(&tm) : (time_t)-1;
	out[0] = '\0';
	if (t == (time_t)-1 || !gmtime_r(&t, &tm))
		return false;
	return strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) == 20;
}

/* Appends the entry of practice p. Returns false (nothing appended) when
 * it has no date; else its update date is in updated. */
static bool append_entry(struct request *req, struct buf *b, const json_t *p, json_t *themes,
			 char updated[21])
{
	char published[21];
	bool has_published = feeds_rfc3339_from_iso(json_str(p, "published_at"), published);
	if (!feeds_rfc3339_from_iso(json_str(p, "updated_at"), updated)) {
		if (!has_published)
			return false;
		memcpy(updated, published, sizeof(published));
	}
	const char *base = req->app->config.base_url;
	buf_puts(b, "  <entry>\n");
	atom_element(b, "    ", "title", json_str(p, "title"));
	atom_element(b, "    ", "id",
		arena_printf(req->arena, "%s/pratiques/%s", base, json_str(p, "_id")));
	atom_link(b, "    ", "alternate", "text/html", base,
		     arena_printf(req->arena, "/pratiques/%s", json_str(p, "slug")));
	if (has_published)
		atom_element(b, "    ", "published", published);
	atom_element(b, "    ", "updated", updated);
	if (*json_str(p, "author_name")) {
		buf_puts(b, "    <author>\n");
		atom_element(b, "      ", "name", json_str(p, "author_name"));
		buf_puts(b, "    </author>\n");
	}
	size_t i;
	json_t *code;
	json_array_foreach(json_object_get(p, "themes"), i, code) {
		buf_puts(b, "    <category term=\"");
		atom_text(b, json_string_value(code) ? json_string_value(code) : "");
		buf_puts(b, "\" label=\"");
		atom_text(b,
				      json_str(theme_in(themes, json_string_value(code)), "name"));
		buf_puts(b, "\"/>\n");
	}
	buf_puts(b, "    <summary type=\"text\">");
	atom_text(b, json_str(p, "summary"));
	buf_puts(b, "</summary>\n  </entry>\n");
	return true;
}

/* Replies the feed of the newest practices (of theme, or all when NULL)
 * titled title, served at self, whose page is alternate. */
static void feed_reply(struct request *req, json_t *themes, const char *theme, const char *title,
		       const char *self, const char *alternate)
{
	struct practice_query q = {.theme = theme,
				   .has_toolbox = -1,
				   .sort = SEARCH_SORT_NEWEST,
				   .page = 1,
				   .page_size = FEED_ENTRIES};
	struct search_result r;
	bson_error_t error;
	if (catalogue_sync(req, &error)) {
		db_fail(req, "reading the catalogue", &error);
		return;
	}
	if (catalogue_search(req, &q, &r)) {
		reply_error(req, 500, "internal", "Le flux n’a pas pu être construit.", NULL);
		return;
	}
	struct buf entries = BUF_INIT, feed = BUF_INIT;
	char updated[21] = "", at[21];
	for (size_t i = 0; i < r.n_ids; i++) {
		json_t *p = catalogue_get(req, r.ids[i]);
		if (p && append_entry(req, &entries, p, themes, at) && strcmp(at, updated) > 0)
			memcpy(updated, at, sizeof(at));
		json_decref(p);
	}
	if (!*updated) {
		time_t now = time(NULL);
		struct tm tm;
		strftime(updated, sizeof(updated), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	}
	const char *base = req->app->config.base_url;
	atom_feed_open(&feed, base, title, self, alternate, updated);
	buf_append(&feed, entries.data ? entries.data : "", entries.len);
	atom_feed_close(&feed);
	reply_header(req, "Cache-Control", "public, max-age=300");
	reply_text(req, 200, "application/atom+xml; charset=utf-8", feed.data);
	buf_free(&feed);
	buf_free(&entries);
}

/* Runs feed_reply for theme code (NULL: the whole catalogue), or replies
 * 404 for an unknown theme. */
static void theme_feed(struct request *req, const char *code)
{
	bson_error_t error;
	json_t *themes = arena_json(req->arena, themes_all(req->db, &error));
	json_t *theme = themes && code ? theme_in(themes, code) : NULL;
	if (!themes)
		db_fail(req, "reading the themes", &error);
	else if (!code)
		feed_reply(req, themes, NULL, "cousiSTORE : nouvelles pratiques",
			   "/pratiques/flux.atom", "/pratiques");
	else if (!theme)
		reply_error(req, 404, "not_found", "Ce thème n’existe pas.", NULL);
	else
		feed_reply(req, themes, code,
			   arena_printf(req->arena, "cousiSTORE : nouvelles pratiques – %s",
					json_str(theme, "name")),
			   arena_printf(req->arena, "/clubs/%s/flux.atom", code),
			   arena_printf(req->arena, "/clubs/%s", code));
}

void feeds_catalogue(struct request *req)
{
	theme_feed(req, NULL);
}

void feeds_theme(struct request *req)
{
	const char *code = request_param(req, "theme");
	theme_feed(req, code ? code : "");
}
