/* The practices' part of the daily digest (see digest.h): background
 * work, where a scan of the day's versions is acceptable. */
#include "practices/digest.h"

#include <mongoc/mongoc.h>
#include <string.h>

#include "core/arena.h"
#include "db/db.h"
#include "db/doc.h"
#include "practices/conversation.h"

/* A published practice is told of by its title, linking to its sheet. */
static int describe(const struct comments_digest_pass *p, const char *id, const char **title,
		    const char **url, bson_error_t *error)
{
	bson_t *doc = doc_find_id(p->db, "practices", id, error);
	if (!doc)
		return error->code ? -1 : 0;
	const char *status = doc_string(p->arena, doc, "status");
	const char *slug = doc_string(p->arena, doc, "slug");
	*title = doc_string(p->arena, doc, "title");
	bson_destroy(doc);
	if (!status || !slug || !*title || strcmp(status, "published") != 0)
		return 0;
	*url = arena_printf(p->arena, "%s/pratiques/%s", p->base_url, slug);
	return 1;
}

/* The versions made since since_ms, by practice id. */
static int versions(const struct comments_digest_pass *p, int64_t since_ms, json_t *news,
		    bson_error_t *error)
{
	bson_t *filter = BCON_NEW("at", "{", "$gte", BCON_DATE_TIME(since_ms), "}");
	bson_t *opts = BCON_NEW("projection", "{", "practice_id", BCON_INT32(1), "version",
				BCON_INT32(1), "by_id", BCON_INT32(1), "by_name", BCON_INT32(1),
				"at", BCON_INT32(1), "}");
	mongoc_cursor_t *cur = mongoc_collection_find_with_opts(
		db_collection(p->db, "practice_versions"), filter, opts, NULL);
	const bson_t *doc;
	while (mongoc_cursor_next(cur, &doc)) {
		json_t *v = doc_to_json(doc);
		const char *pid = json_str(v, "practice_id");
		json_t *list = json_object_get(news, pid);
		if (!list) {
			list = json_array();
			json_object_set_new(news, pid, list);
		}
		json_array_append_new(
			list,
			json_pack("{s:s, s:I, s:I, s:s, s:s}", "by_id", json_str(v, "by_id"), "ms",
				  (json_int_t)doc_int(doc, "at", 0), "version",
				  json_integer_value(json_object_get(v, "version")), "by_name",
				  json_str(v, "by_name"), "at_fr", json_str(v, "at_fr")));
		json_decref(v);
	}
	bool failed = mongoc_cursor_error(cur, error);
	mongoc_cursor_destroy(cur);
	bson_destroy(opts);
	bson_destroy(filter);
	return failed ? -1 : 0;
}

const struct comments_digest_kind practice_digest_kind = {
	.kind = PRACTICE_SUBJECT,
	.describe = describe,
	.news_key = "versions",
	.news = versions,
};
