#include <mongoc/mongoc.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/arena_json.h"
#include "core/paris_time.h"
#include "db/db.h"
#include "db/doc.h"
#include "db/lookup.h"
#include "gpi/candidature.h"

/* Attempts of a write that keeps losing its revision claim to others. */
enum { WRITE_ATTEMPTS = 12 };

/* The stored BSON dates; every other instant is an integer of ms. */
static const char *const DATE_FIELDS[] = {"created_at", "updated_at", "submitted_at"};
#define N_DATES (sizeof(DATE_FIELDS) / sizeof(*DATE_FIELDS))

const char *const GPI_STATUSES[GPI_STATUS_COUNT][2] = {
	[GPI_STATUS_BROUILLON] = {"brouillon", "Brouillon"},
	[GPI_STATUS_DEPOSEE] = {"deposee", "Déposée"},
	[GPI_STATUS_RECEVABLE] = {"recevable", "Recevable"},
	[GPI_STATUS_IRRECEVABLE] = {"irrecevable", "Irrecevable"},
	[GPI_STATUS_NON_RETENUE] = {"non-retenue", "Non retenue"},
	[GPI_STATUS_FINALISTE] = {"finaliste", "Finaliste"},
};

int gpi_status_from(const char *code)
{
	for (int i = 0; code && i < GPI_STATUS_COUNT; i++)
		if (strcmp(GPI_STATUSES[i][0], code) == 0)
			return i;
	return -1;
}

const char *gpi_status_label(const char *code)
{
	int s = gpi_status_from(code);
	return s < 0 ? code : GPI_STATUSES[s][1];
}

bool gpi_candidature_id_ok(const char *s)
{
	return s && strlen(s) == 32 && strspn(s, "0123456789abcdef") == 32;
}

static const char *versions_list(struct arena *a, const char *id)
{
	return arena_printf(a, "gpi-versions:%s", id);
}

static const char *project_list(struct arena *a, const char *project_id)
{
	return arena_printf(a, "gpi-project-candidatures:%s", project_id);
}

/* Returns doc as JSON with the "<date>_ms" integers of DATE_FIELDS (0
 * when absent). New reference. */
static json_t *json_with_ms(const bson_t *doc)
{
	json_t *j = doc_to_json(doc);
	for (size_t i = 0; i < N_DATES; i++) {
		char key[40];
		snprintf(key, sizeof(key), "%s_ms", DATE_FIELDS[i]);
		json_object_set_new(j, key, json_integer(doc_int(doc, DATE_FIELDS[i], 0)));
	}
	return j;
}

json_t *gpi_candidature_load(struct db_ctx *db, const char *id, bson_error_t *error)
{
	memset(error, 0, sizeof(*error));
	if (!gpi_candidature_id_ok(id))
		return NULL;
	bson_t *doc = doc_find_id(db, GPI_CANDIDATURES, id, error);
	if (!doc)
		return NULL;
	json_t *j = json_with_ms(doc);
	bson_destroy(doc);
	return j;
}

/* Returns true when key is one doc_to_json or json_with_ms derived from a
 * date (the date itself, its "_fr" display or its "_ms" integer): the
 * stored document gets those back from the integers. */
static bool derived_key(const char *key)
{
	size_t n = strlen(key);
	if (n > 3 && (strcmp(key + n - 3, "_fr") == 0 || strcmp(key + n - 3, "_ms") == 0))
		return true;
	for (size_t i = 0; i < N_DATES; i++)
		if (strcmp(key, DATE_FIELDS[i]) == 0)
			return true;
	return false;
}

/* Returns the BSON document to store for cand (JSON with *_ms integers),
 * with revision rev and updated_at now_ms. New, or NULL with error set. */
static bson_t *stored_of(const json_t *cand, int64_t rev, int64_t now_ms, bson_error_t *error)
{
	json_t *fields = json_object();
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)cand, key, v)
		if (!derived_key(key) && strcmp(key, "rev") != 0)
			json_object_set(fields, key, v);
	char *text = json_dumps(fields, JSON_COMPACT);
	json_decref(fields);
	bson_t *doc = text ? bson_new_from_json((const uint8_t *)text, -1, error) : NULL;
	free(text);
	if (!doc)
		return NULL;
	BSON_APPEND_INT64(doc, "rev", rev);
	int64_t created = json_integer_value(json_object_get(cand, "created_at_ms"));
	int64_t submitted = json_integer_value(json_object_get(cand, "submitted_at_ms"));
	BSON_APPEND_DATE_TIME(doc, "created_at", created ? created : now_ms);
	BSON_APPEND_DATE_TIME(doc, "updated_at", now_ms);
	if (submitted)
		BSON_APPEND_DATE_TIME(doc, "submitted_at", submitted);
	return doc;
}

/* Claims the category of candidature doc's edition for its project
 * (article 1: a project files once per category). Returns true, or false
 * with error set (GPI_ERROR_TAKEN when claimed before). */
static bool claim_category(struct db_ctx *db, const json_t *doc, bson_error_t *error)
{
	const char *claim = arena_printf(
		db->arena, "%lld:%s:%s",
		(long long)json_integer_value(json_object_get(doc, "year")),
		json_str(doc, "project_id"), json_str(doc, "category"));
	int won = doc_claim_id(db, GPI_PROJECT_CLAIMS, claim, error);
	if (won == 0)
		bson_set_error(error, GPI_ERROR_DOMAIN, GPI_ERROR_TAKEN,
			       "the project has a candidature in that category");
	return won == 1;
}

const char *gpi_candidature_insert(struct db_ctx *db, const json_t *cand, const char *by_id,
				   bool example, bson_error_t *error)
{
	unsigned char raw[16];
	randombytes_buf(raw, sizeof(raw));
	char *id = arena_alloc(db->arena, sizeof(raw) * 2 + 1);
	sodium_bin2hex(id, sizeof(raw) * 2 + 1, raw, sizeof(raw));
	json_t *doc = json_deep_copy(cand);
	json_object_set_new(doc, "_id", json_string(id));
	json_object_set_new(doc, "status", json_string(GPI_STATUSES[GPI_STATUS_BROUILLON][0]));
	json_object_set_new(doc, "created_by", json_string(by_id));
	json_object_set_new(doc, "example", json_boolean(example));
	json_object_set_new(doc, "dossier_history", json_array());
	const char *project_id = json_str(doc, "project_id");
	if (*project_id && !claim_category(db, doc, error)) {
		json_decref(doc);
		return NULL;
	}
	bson_t *b = stored_of(doc, 1, doc_now_ms(), error);
	bool ok = b && mongoc_collection_insert_one(db_collection(db, GPI_CANDIDATURES), b, NULL,
						    NULL, error);
	bson_destroy(b);
	if (ok && *project_id)
		ok = lookup_add_id(db, project_list(db->arena, project_id), id, error) == 0;
	json_decref(doc);
	if (!ok || gpi_index_changed(db, id, error))
		return NULL;
	return id;
}

/* Keeps prev (the stored document at revision rev) as a version written
 * over by by_id at now_ms. A version already there (a write that failed
 * after keeping it, then retried) is fine. Returns true, or false with
 * error set. */
static bool keep_version(struct db_ctx *db, const char *id, const bson_t *prev, int64_t rev,
			 const char *by_id, int64_t now_ms, bson_error_t *error)
{
	const char *vid = arena_printf(db->arena, "%s:%lld", id, (long long)rev);
	bson_t *v = BCON_NEW("_id", BCON_UTF8(vid), "candidature_id", BCON_UTF8(id), "rev",
			     BCON_INT64(rev), "by_id", BCON_UTF8(by_id), "at",
			     BCON_DATE_TIME(now_ms), "doc", BCON_DOCUMENT(prev));
	bool ok = mongoc_collection_insert_one(db_collection(db, GPI_CANDIDATURE_VERSIONS), v, NULL,
					       NULL, error);
	bson_destroy(v);
	if (!ok && error->code != 11000)
		return false;
	bson_t *item = BCON_NEW("id", BCON_UTF8(vid), "rev", BCON_INT64(rev), "by_id",
				BCON_UTF8(by_id), "at", BCON_INT64(now_ms));
	int rc = ok ? lookup_add(db, versions_list(db->arena, id), item, error) : 0;
	bson_destroy(item);
	return rc == 0;
}

int gpi_candidature_write(struct db_ctx *db, const char *id, const char *by_id, int64_t expect_rev,
			  gpi_candidature_edit_fn edit, void *ctx, json_t **saved,
			  bson_error_t *error)
{
	memset(error, 0, sizeof(*error));
	for (int attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
		bson_t *prev = gpi_candidature_id_ok(id)
				       ? doc_find_id(db, GPI_CANDIDATURES, id, error)
				       : NULL;
		if (!prev) {
			if (!error->code)
				bson_set_error(error, GPI_ERROR_DOMAIN, GPI_ERROR_GONE,
					       "candidature %s is gone", id);
			return -1;
		}
		int64_t rev = doc_int(prev, "rev", 1);
		if (expect_rev > 0 && expect_rev != rev) {
			bson_destroy(prev);
			return GPI_WRITE_STALE;
		}
		json_t *cand = json_with_ms(prev);
		int refused = edit(cand, ctx);
		if (refused) {
			json_decref(cand);
			bson_destroy(prev);
			return refused;
		}
		int64_t next = rev + 1;
		int won = lookup_claim(db, arena_printf(db->arena, "gpi_candidatures/%s", id),
				       &next, error);
		if (won == 1) {
			int64_t now = doc_now_ms();
			bson_t *doc = stored_of(cand, next, now, error);
			bson_t *filter = BCON_NEW("_id", BCON_UTF8(id));
			bool ok = doc && keep_version(db, id, prev, rev, by_id, now, error) &&
				  mongoc_collection_replace_one(db_collection(db, GPI_CANDIDATURES),
								filter, doc, NULL, NULL, error) &&
				  gpi_index_changed(db, id, error) == 0;
			bson_destroy(filter);
			bson_destroy(doc);
			bson_destroy(prev);
			json_object_set_new(cand, "rev", json_integer(next));
			json_object_set_new(cand, "updated_at_ms", json_integer(now));
			if (ok && saved)
				*saved = cand;
			else
				json_decref(cand);
			return ok ? 0 : -1;
		}
		json_decref(cand);
		bson_destroy(prev);
		if (won < 0)
			return -1;
		lookup_back_off();
	}
	bson_set_error(error, DB_ERROR_DOMAIN_COUSILAB, DB_ERROR_CONFLICT,
		       "candidature %s kept changing", id);
	return -1;
}

json_t *gpi_candidature_versions(struct db_ctx *db, const char *id, size_t max, bson_error_t *error)
{
	json_t *items = arena_json(db->arena,
				   lookup_tail(db, versions_list(db->arena, id), max, NULL, error));
	if (!items)
		return NULL;
	json_t *out = json_array();
	for (size_t i = json_array_size(items); i-- > 0;) {
		json_t *it = json_array_get(items, i);
		char when[PARIS_TIME_LONG_MAX];
		int64_t at = json_integer_value(json_object_get(it, "at"));
		json_array_append_new(
			out, json_pack("{s:O, s:s, s:I, s:s}", "rev", json_object_get(it, "rev"),
				       "by_id", json_str(it, "by_id"), "at", (json_int_t)at,
				       "at_fr", paris_time_format_long(at, when, sizeof(when))));
	}
	return out;
}

json_t *gpi_project_candidature_ids(struct db_ctx *db, const char *project_id, bson_error_t *error)
{
	json_t *items = arena_json(db->arena, lookup_tail(db, project_list(db->arena, project_id),
							  LOOKUP_PAGE_ITEMS, NULL, error));
	if (!items)
		return NULL;
	json_t *ids = json_array(), *it;
	size_t i;
	json_array_foreach(items, i, it)
		json_array_append_new(ids, json_string(json_str(it, "id")));
	return ids;
}
