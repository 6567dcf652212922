#include "practices/clubs.h"

#include <mongoc/mongoc.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/request.h"
#include "practices/reuse.h"

/* Removes the oldest events of theme's activity beyond CLUB_EVENTS_MAX.
 * $pop takes one per update; racing writers may trim one too many, which
 * only shortens a list that shows CLUB_ACTIVITY_SHOWN anyway. */
static int trim(struct db_ctx *db, const char *theme, bson_error_t *error)
{
	bson_t *doc = doc_find_id(db, "club_activity", theme, error);
	if (!doc)
		return error->code ? -1 : 0;
	bson_iter_t it, events;
	long excess = -CLUB_EVENTS_MAX;
	if (bson_iter_init_find(&it, doc, "events") && BSON_ITER_HOLDS_ARRAY(&it) &&
	    bson_iter_recurse(&it, &events))
		while (bson_iter_next(&events))
			excess++;
	bson_destroy(doc);
	for (; excess > 0; excess--)
		if (doc_upsert_id(db, "club_activity", theme,
				  BCON_NEW("$pop", "{", "events", BCON_INT32(-1), "}"), error))
			return -1;
	return 0;
}

int club_record_reuse(struct db_ctx *db, const json_t *practice, const char *org_name,
		      const char *stage, bson_error_t *error)
{
	json_t *theme;
	size_t i;
	int64_t now = doc_now_ms();
	json_array_foreach(json_object_get(practice, "themes"), i, theme) {
		const char *code = json_string_value(theme);
		if (!code)
			continue;
		bson_t *update = BCON_NEW(
			"$push", "{", "events", "{", "slug", BCON_UTF8(json_str(practice, "slug")),
			"title", BCON_UTF8(json_str(practice, "title")), "organisation_name",
			BCON_UTF8(org_name), "stage", BCON_UTF8(stage), "stage_label",
			BCON_UTF8(reuse_stage_label(stage)), "at", BCON_DATE_TIME(now), "}", "}");
		if (doc_upsert_id(db, "club_activity", code, update, error) ||
		    trim(db, code, error))
			return -1;
	}
	return 0;
}

static int newest_first(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	return strcmp(json_str(y, "at"), json_str(x, "at"));
}

json_t *club_activity_merge(const json_t *a, const json_t *b, size_t max)
{
	size_t na = json_array_size(a), nb = json_array_size(b);
	json_t **all = xmalloc((na + nb + 1) * sizeof(*all));
	for (size_t i = 0; i < na; i++)
		all[i] = json_array_get(a, i);
	for (size_t i = 0; i < nb; i++)
		all[na + i] = json_array_get(b, i);
	qsort(all, na + nb, sizeof(*all), newest_first);
	json_t *out = json_array();
	for (size_t i = 0; i < na + nb && i < max; i++)
		json_array_append(out, all[i]);
	free(all);
	return out;
}
