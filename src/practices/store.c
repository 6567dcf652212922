#include "practices/store.h"

#include <mongoc/mongoc.h>
#include <stdio.h>
#include <string.h>

#include "accounts/user.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/log.h"
#include "db/db.h"
#include "db/doc.h"
#include "db/lookup.h"
#include "http/request.h"
#include "practices/catalogue.h"
#include "practices/lookups.h"
#include "practices/quota.h"

/* The fields a version snapshot keeps: what an editor changes. */
static const char *const EDITABLE[] = {
	"title",    "summary", "problem",          "description", "results", "public",
	"maturity", "contact", "organisation_ids", "branches",    "themes",
};
#define N_EDITABLE (sizeof(EDITABLE) / sizeof(*EDITABLE))

/* Returns true when s is a practice id (24 lowercase hex). */
static bool is_id(const char *s)
{
	return s && strlen(s) == 24 && strspn(s, "0123456789abcdef") == 24;
}

json_t *practice_load(struct db_ctx *db, const char *id_or_slug, bson_error_t *error)
{
	memset(error, 0, sizeof(*error));
	if (!id_or_slug || !*id_or_slug)
		return NULL;
	const char *id = id_or_slug;
	if (!is_id(id_or_slug)) {
		/* By the slug's own document: a filter on "slug" would scan. */
		bson_t *slug = doc_find_id(db, PRACTICE_SLUGS, id_or_slug, error);
		if (!slug)
			return NULL;
		id = doc_string(db->arena, slug, "practice_id");
		bson_destroy(slug);
		if (!id)
			return NULL;
	}
	return doc_find_id_json(db, "practices", id, error);
}

static json_t *string_list(const char *const *items, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(items[i]));
	return a;
}

/* Returns the editable fields of in as a JSON object (new reference). */
static json_t *input_json(const struct practice_input *in)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "title",
			 in->title, "summary", in->summary, "problem", in->problem, "description",
			 in->description, "results", in->results ? in->results : "", "public",
			 in->public_ ? in->public_ : "", "maturity", in->maturity, "contact",
			 in->contact ? in->contact : "", "organisation_ids",
			 string_list(in->organisations, in->n_organisations), "branches",
			 string_list(in->branches, in->n_branches), "themes",
			 string_list(in->themes, in->n_themes));
}

/* Returns a new BSON document from a JSON object our code built; NULL
 * with error set if it cannot be converted. */
static bson_t *to_bson(const json_t *value, bson_error_t *error)
{
	char *text = json_dumps(value, JSON_COMPACT);
	bson_t *doc = text ? bson_new_from_json((const uint8_t *)text, -1, error) : NULL;
	free(text);
	return doc;
}

/* Records version `version` of practice id: who, when, what changed, and
 * the editable fields as they now are. */
static int record_version(struct db_ctx *db, const struct user *by, const char *id, int64_t version,
			  json_t *changed, const json_t *state, bson_error_t *error)
{
	json_t *snapshot = json_object();
	for (size_t i = 0; i < N_EDITABLE; i++) {
		json_t *v = json_object_get(state, EDITABLE[i]);
		if (v)
			json_object_set(snapshot, EDITABLE[i], v);
	}
	const struct user *u = by;
	json_t *doc = arena_json(
		db->arena,
		json_pack("{s:s, s:s, s:I, s:s, s:s, s:O, s:o}", "_id",
			  arena_printf(db->arena, "%s:%06lld", id, (long long)version),
			  "practice_id", id, "version", (json_int_t)version, "by_id",
			  u && u->id ? u->id : "", "by_name", u && u->name ? u->name : "",
			  "changed", changed, "snapshot", snapshot));
	bson_t *b = to_bson(doc, error);
	if (!b)
		return -1;
	BSON_APPEND_DATE_TIME(b, "at", doc_now_ms());
	bool ok = mongoc_collection_insert_one(db_collection(db, "practice_versions"), b, NULL,
					       NULL, error);
	bson_destroy(b);
	return ok ? 0 : -1;
}

/* Claims the slug of a new practice: base, else base-2, base-3...
 * Returns it (arena), or NULL with error set. */
static const char *claim_slug(struct db_ctx *db, const char *base, const char *id,
			      bson_error_t *error)
{
	for (int n = 1; n <= 50; n++) {
		const char *slug = n == 1 ? base : arena_printf(db->arena, "%s-%d", base, n);
		bson_t *doc = BCON_NEW("_id", BCON_UTF8(slug), "practice_id", BCON_UTF8(id));
		bool ok = mongoc_collection_insert_one(db_collection(db, PRACTICE_SLUGS), doc, NULL,
						       NULL, error);
		bson_destroy(doc);
		if (ok)
			return slug;
		if (error->code != 11000)
			return NULL;
	}
	bson_set_error(error, DB_ERROR_DOMAIN_COUSILAB, DB_ERROR_CONFLICT, "no free slug for %s",
		       base);
	return NULL;
}

const char *practice_create(struct db_ctx *db, const struct user *by,
			    const struct practice_input *in, bson_error_t *error)
{
	if (quota_change(db, by->id, 1, 0, error))
		return NULL;
	const char *id = doc_new_id(db->arena);
	const char *slug = claim_slug(db, practice_slugify(db->arena, in->title), id, error);
	if (!slug) {
		quota_release(db, by->id, 1, 0);
		return NULL;
	}
	json_t *fields = arena_json(db->arena, input_json(in));
	json_object_set_new(fields, "_id", json_string(id));
	json_object_set_new(fields, "slug", json_string(slug));
	json_object_set_new(fields, "status", json_string("draft"));
	json_object_set_new(fields, "author_id", json_string(by->id));
	json_object_set_new(fields, "author_name", json_string(by->name ? by->name : ""));
	json_object_set_new(fields, "quota_user", json_string(by->id));
	json_object_set_new(fields, "version", json_integer(1));
	json_object_set_new(fields, "reuse_count", json_integer(0));
	json_object_set_new(fields, "toolbox", json_array());
	int64_t now = doc_now_ms();
	bson_t *doc = to_bson(fields, error);
	bool inserted = false;
	if (doc) {
		BSON_APPEND_DATE_TIME(doc, "created_at", now);
		BSON_APPEND_DATE_TIME(doc, "updated_at", now);
		inserted = mongoc_collection_insert_one(db_collection(db, "practices"), doc, NULL,
							NULL, error);
		bson_destroy(doc);
	}
	json_t *changed = arena_json(db->arena, json_pack("[s]", "creation"));
	bool ok = inserted && record_version(db, by, id, 1, changed, fields, error) == 0 &&
		  lookup_add_id(db, practice_lookup(db->arena, "practices_by", by->id), id,
				error) == 0;
	if (ok)
		catalogue_changed(db, id, error);
	else if (!inserted)
		quota_release(db, by->id, 1, 0);
	return ok ? id : NULL;
}

/* Records version *version of practice id before the practice itself is
 * written: its unique _id is the claim that makes concurrent edits of one
 * version a conflict (FerretDB runs a conditional update as a read, then a
 * write, and scans for any filter but {_id}). A version left by a writer
 * that died before updating the practice is stepped over once stale:
 * *version then grows. Returns 0, or -1 with error set (a conflict error
 * when another live edit holds it). */
static int claim_version(struct db_ctx *db, const struct user *by, const char *id, int64_t *version,
			 json_t *changed, const json_t *state, bson_error_t *error)
{
	for (int skip = 0; skip < 3; skip++, ++*version) {
		if (record_version(db, by, id, *version, changed, state, error) == 0)
			return 0;
		if (error->code != 11000)
			return -1;
		bson_t *held = doc_find_id(
			db, "practice_versions",
			arena_printf(db->arena, "%s:%06lld", id, (long long)*version), error);
		int64_t at = held ? doc_int(held, "at", 0) : 0;
		if (held)
			bson_destroy(held);
		else if (error->code)
			return -1;
		if (doc_now_ms() - at < LOOKUP_CLAIM_STALE_MS)
			break;
	}
	bson_set_error(error, DB_ERROR_DOMAIN_COUSILAB, DB_ERROR_CONFLICT,
		       "practice %s changed since version %lld", id, (long long)*version - 1);
	return -1;
}

/* Applies $set of fields (a JSON object, not stolen) plus version,
 * updated_at and, when date_field is not NULL, that date set to now, to
 * practice current, once its next version is claimed. */
static int apply(struct db_ctx *db, const struct user *by, const json_t *current, json_t *set,
		 json_t *changed, const json_t *state, const char *date_field, bson_error_t *error)
{
	const char *id = json_str(current, "_id");
	int64_t version = json_integer_value(json_object_get(current, "version")) + 1;
	if (claim_version(db, by, id, &version, changed, state, error))
		return -1;
	json_object_set_new(set, "version", json_integer(version));
	bson_t *fields = to_bson(set, error);
	if (!fields)
		return -1;
	int64_t now = doc_now_ms();
	BSON_APPEND_DATE_TIME(fields, "updated_at", now);
	if (date_field)
		BSON_APPEND_DATE_TIME(fields, date_field, now);
	bson_t *update = bson_new();
	BSON_APPEND_DOCUMENT(update, "$set", fields);
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(id));
	bool ok = mongoc_collection_update_one(db_collection(db, "practices"), filter, update, NULL,
					       NULL, error);
	bson_destroy(filter);
	bson_destroy(update);
	bson_destroy(fields);
	return ok ? catalogue_changed(db, id, error) : -1;
}

int practice_update(struct db_ctx *db, const struct user *by, const json_t *current,
		    const struct practice_input *in, bson_error_t *error)
{
	json_t *set = arena_json(db->arena, input_json(in));
	json_t *changed = arena_json(db->arena, json_array());
	const char *key;
	json_t *value;
	json_object_foreach(set, key, value)
		if (!json_equal(value, json_object_get(current, key)))
			json_array_append_new(changed, json_string(key));
	return apply(db, by, current, set, changed, set, NULL, error);
}

/* Returns true when the database holds practice id in status to: after a
 * failed write, whether its update landed before what failed. */
static bool status_written(struct db_ctx *db, const char *id, enum practice_status to)
{
	bson_error_t error;
	json_t *now = arena_json(db->arena, practice_load(db, id, &error));
	return now && practice_status_from(json_str(now, "status")) == (int)to;
}

int practice_set_status(struct db_ctx *db, const struct user *by, const json_t *current,
			enum practice_status to, const char *comment, bson_error_t *error)
{
	json_t *set = arena_json(db->arena, json_pack("{s:s}", "status", practice_status_name(to)));
	if (to == PRACTICE_RETURNED)
		json_object_set_new(set, "return_comment", json_string(comment ? comment : ""));
	json_t *changed = arena_json(db->arena, json_pack("[s]", "status"));
	json_t *state = arena_json(db->arena, json_deep_copy(current));
	json_object_update(state, set);
	const char *date_field = to == PRACTICE_SUBMITTED   ? "submitted_at"
				 : to == PRACTICE_PUBLISHED ? "published_at"
							    : NULL;
	/* The queue: joined before the status moves, left after, so that a
	 * failure in between leaves at worst an entry that its readers, who
	 * check the status, skip; never a submission nobody sees. */
	const char *id = json_str(current, "_id");
	bool was_submitted = practice_status_from(json_str(current, "status")) ==
			     PRACTICE_SUBMITTED;
	bool joins = to == PRACTICE_SUBMITTED && !was_submitted;
	int rc = joins && lookup_add_id(db, PRACTICES_SUBMITTED, id, error)
			 ? -1
			 : apply(db, by, current, set, changed, state, date_field, error);
	bson_error_t queue_error;
	if (rc == 0 && to != PRACTICE_SUBMITTED && was_submitted &&
	    lookup_remove(db, PRACTICES_SUBMITTED, id, &queue_error) < 0)
		log_error(db->log_id, "practice %s left in the queue: %s", id, queue_error.message);
	/* Out of its author's hands: no longer a draft for the quota. Given
	 * back once the status is written, even if the version is not. */
	const char *counted = json_str(current, "quota_user");
	enum practice_status from = (enum practice_status)practice_status_from(
		json_str(current, "status"));
	bool was_draft = from == PRACTICE_DRAFT || from == PRACTICE_SUBMITTED ||
			 from == PRACTICE_RETURNED;
	if (*counted && was_draft && (to == PRACTICE_PUBLISHED || to == PRACTICE_ARCHIVED) &&
	    (rc == 0 || status_written(db, json_str(current, "_id"), to)))
		quota_release(db, counted, 1, 0);
	return rc;
}

int practice_set_toolbox(struct db_ctx *db, const struct user *by, const json_t *current,
			 const json_t *toolbox, bson_error_t *error)
{
	json_t *set = arena_json(db->arena, json_pack("{s:O}", "toolbox", toolbox));
	json_t *changed = arena_json(db->arena, json_pack("[s]", "toolbox"));
	return apply(db, by, current, set, changed, current, NULL, error);
}

int practice_set_counter(struct db_ctx *db, const char *id, const char *field, long long value,
			 bson_error_t *error)
{
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(id));
	bson_t *update = BCON_NEW("$set", "{", field, BCON_INT64(value), "updated_at",
				  BCON_DATE_TIME(doc_now_ms()), "}");
	bool ok = mongoc_collection_update_one(db_collection(db, "practices"), filter, update, NULL,
					       NULL, error);
	bson_destroy(update);
	bson_destroy(filter);
	return ok ? catalogue_changed(db, id, error) : -1;
}

json_t *practice_list_page(struct db_ctx *db, const char *list, int64_t page,
			   struct lookup_info *info, bson_error_t *error)
{
	json_t *items = arena_json(db->arena, lookup_page(db, list, page, info, error));
	if (!items)
		return NULL;
	json_t *out = arena_json(db->arena, json_array()), *item;
	size_t i;
	json_array_foreach(items, i, item) {
		json_t *p = practice_load(db, json_str(item, "id"), error);
		if (!p && error->code)
			return NULL;
		if (p)
			json_array_append_new(out, p);
	}
	return out;
}

json_t *practice_version(struct db_ctx *db, const char *id, int version, bson_error_t *error)
{
	return doc_find_id_json(db, "practice_versions",
				arena_printf(db->arena, "%s:%06d", id, version), error);
}

json_t *practice_history(struct db_ctx *db, const json_t *p, int64_t page, bson_error_t *error)
{
	const char *id = json_str(p, "_id");
	int64_t newest = json_integer_value(json_object_get(p, "version")) -
			 (page - 1) * PRACTICE_HISTORY_PAGE;
	json_t *out = arena_json(db->arena, json_array());
	for (int64_t v = newest; v > 0 && v > newest - PRACTICE_HISTORY_PAGE; v--) {
		json_t *version = practice_version(db, id, (int)v, error);
		if (!version && error->code)
			return NULL;
		if (version) {
			json_object_del(version, "snapshot");
			json_array_append_new(out, version);
		}
	}
	return out;
}
