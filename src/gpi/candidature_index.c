/* The in-process index of every candidature's row (candidature.h),
 * loaded once from "gpi_candidatures" in one unsorted cursor, then kept
 * coherent across processes by a change log read by _id only
 * (db/changelog.h, log "gpi_candidature_changes", one scope "all"): each
 * write appends a record naming its candidature, and each process re-reads
 * by _id only the candidatures the records after its last one name: the
 * writer's process at once, the others on their refresher's next pass
 * (every 250 ms). A record naming GPI_INDEX_ALL (a bulk load) makes every
 * process read everything again, and so does a process that finds the
 * record it needs purged (it stood still longer than the log keeps
 * records: the refresher purges them, an hour old, every few minutes).
 * Requests only ever read the copy.
 *
 * The copy is {rows: [...] by year then title in French order, by_id:
 * {id: row}, by_organisation: {code: [rows in the same order]}},
 * replaced (never changed) on each change: a filer's page finds its row,
 * and an organisation's list its few dozen rows, without a pass over the
 * edition; the desk's lists are one pass over the rows. */
#include <mongoc/mongoc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/collate.h"
#include "core/xalloc.h"
#include "core/log.h"
#include "db/changelog.h"
#include "db/db.h"
#include "db/doc.h"
#include "gpi/candidature.h"
#include "gpi/candidature_rules.h"
#include "gpi/results_rules.h"
#include "gpi/serial.h"
#include "http/page_cache.h"

static const struct changelog CHANGES = {"gpi_candidature_changes", "gpi-candidature-changes",
					 "candidature_id"};
#define SCOPE "all"

/* The stored fields a row keeps as they are (absent ones become null). */
static const char *const KEPT[] = {
	"year",    "category",   "organisation_id", "partner_organisation_ids",
	"status",  "project_id", "project_slug",    "title",
	"example", "created_by", "admissibility",   "repositioning",
};

/* Returns the row of a stored candidature (new reference). */
static json_t *row_of(const bson_t *doc)
{
	json_t *c = doc_to_json(doc), *row = json_object();
	json_object_set(row, "id", json_object_get(c, "_id"));
	for (size_t i = 0; i < sizeof(KEPT) / sizeof(*KEPT); i++) {
		json_t *v = json_object_get(c, KEPT[i]);
		json_object_set(row, KEPT[i], v ? v : json_null());
	}
	json_t *d = json_object_get(c, "dossier"), *v = json_object_get(c, "video");
	json_object_set_new(row, "dossier",
			    json_is_object(d)
				    ? json_pack("{s:s, s:s, s:O}", "file_id",
						json_str(d, "file_id"), "name", json_str(d, "name"),
						"bytes", json_object_get(d, "bytes"))
				    : json_null());
	json_object_set_new(row, "video",
			    json_is_object(v)
				    ? json_pack("{s:s, s:s, s:O, s:O}", "file_id",
						json_str(v, "file_id"), "name", json_str(v, "name"),
						"bytes", json_object_get(v, "bytes"), "seconds",
						json_object_get(v, "seconds"))
				    : json_null());
	json_object_set_new(row, "submitted_ms", json_integer(doc_int(doc, "submitted_at", 0)));
	json_object_set_new(row, "updated_ms", json_integer(doc_int(doc, "updated_at", 0)));
	/* The laureates page names them: it reads no candidature. */
	json_object_set_new(row, "public_people", gpi_public_people(c));
	struct arena *a = arena_new();
	struct gpi_facts f = gpi_facts_of(a, c);
	json_object_set_new(row, "facts", gpi_facts_json(&f));
	/* The sort key travels with the row: sorting never folds twice. */
	json_object_set_new(row, "sort_key", json_string(collate_key(a, json_str(c, "title"))));
	arena_free(a);
	json_decref(c);
	return row;
}

static int by_year_then_title(const void *x, const void *y)
{
	const json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
	json_int_t ya = json_integer_value(json_object_get(a, "year"));
	json_int_t yb = json_integer_value(json_object_get(b, "year"));
	if (ya != yb)
		return ya > yb ? -1 : 1;
	return collate_compare(json_str(a, "sort_key"), json_str(a, "title"),
			       json_str(b, "sort_key"), json_str(b, "title"));
}

/* Returns the cached value {rows, by_id, by_organisation} of rows
 * all[0..n) (sorted here; the rows are shared). New reference. */
static json_t *value_of(json_t **all, size_t n)
{
	qsort(all, n, sizeof(*all), by_year_then_title);
	json_t *rows = json_array(), *by_id = json_object(), *by_org = json_object();
	for (size_t i = 0; i < n; i++) {
		json_array_append(rows, all[i]);
		json_object_set(by_id, json_str(all[i], "id"), all[i]);
		const char *org = json_str(all[i], "organisation_id");
		json_t *of = json_object_get(by_org, org);
		if (!of)
			json_object_set_new(by_org, org, of = json_array());
		json_array_append(of, all[i]);
	}
	return json_pack("{s:o, s:o, s:o}", "rows", rows, "by_id", by_id, "by_organisation",
			 by_org);
}

static json_t *load_index(struct db_ctx *db, bson_error_t *error)
{
	/* The texts come too: the facts measure what is filled in; and the
	 * people, whose public names the row keeps for the laureates page. */
	bson_t *opts = BCON_NEW("projection", "{", "dossier_history", BCON_INT32(0), "}");
	bson_t *filter = bson_new();
	mongoc_cursor_t *c = mongoc_collection_find_with_opts(db_collection(db, GPI_CANDIDATURES),
							      filter, opts, NULL);
	size_t n = 0, cap = 256;
	json_t **all = xmalloc(cap * sizeof(*all));
	const bson_t *doc;
	while (mongoc_cursor_next(c, &doc)) {
		if (n == cap)
			all = xrealloc(all, (cap *= 2) * sizeof(*all));
		all[n++] = row_of(doc);
	}
	json_t *value = mongoc_cursor_error(c, error) ? NULL : value_of(all, n);
	for (size_t i = 0; i < n; i++)
		json_decref(all[i]);
	free(all);
	mongoc_cursor_destroy(c);
	bson_destroy(opts);
	bson_destroy(filter);
	return value;
}

/* lock guards what follows and is never held over I/O or a sort; io is,
 * and makes its holder the only one to replace index_value (one loader or
 * refresher at a time), so it may read index_value without lock. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t io = PTHREAD_MUTEX_INITIALIZER;
static json_t *index_value; /* {rows, by_id}, replaced on change */
static int64_t applied_seq; /* the last change taken in */
static bool loaded;

/* Returns value with the rows of changes (id → new row, or null when the
 * candidature is gone) in place. New reference; the rows are shared. */
static json_t *with_changes(const json_t *value, const json_t *changes)
{
	const json_t *rows = json_object_get(value, "rows");
	size_t n = json_array_size(rows), k = 0;
	json_t **all = xmalloc((n + json_object_size(changes) + 1) * sizeof(*all));
	json_t *r;
	size_t i;
	json_array_foreach(rows, i, r)
		if (!json_object_get(changes, json_str(r, "id")))
			all[k++] = json_incref(r);
	const char *id;
	json_object_foreach((json_t *)changes, id, r)
		if (json_is_object(r))
			all[k++] = json_incref(r);
	json_t *out = value_of(all, k);
	for (i = 0; i < k; i++)
		json_decref(all[i]);
	free(all);
	return out;
}

/* Loads everything and sets the change it stands at: the log's head read
 * first, so a change made during the load is taken in after it. io held.
 * Returns 0, or -1 with error set. */
static int load(struct db_ctx *db, bson_error_t *error)
{
	int64_t head = changelog_head(db, &CHANGES, SCOPE, error);
	json_t *value = head < 0 ? NULL : load_index(db, error);
	if (!value)
		return -1;
	pthread_mutex_lock(&lock);
	/* Before the copy is installed: pages of the old one go stale. */
	gpi_serial_move();
	json_t *old = index_value;
	index_value = value;
	applied_seq = head;
	loaded = true;
	pthread_mutex_unlock(&lock);
	json_decref(old);
	page_cache_bump();
	return 0;
}

/* Takes in the changes after applied_seq: one read by _id per record and
 * per candidature it names, and one more to see there is no next. io
 * held, the index loaded. Returns 0, or -1 with error set (what was read
 * before is taken in). */
static int apply_changes(struct db_ctx *db, bson_error_t *error)
{
	json_t *changes = json_object();
	int64_t seq = applied_seq;
	bool reload = false;
	const char *id;
	while (!reload && (id = changelog_at(db, &CHANGES, SCOPE, seq + 1, error))) {
		reload = strcmp(id, GPI_INDEX_ALL) == 0;
		if (!reload && !json_object_get(changes, id)) {
			bson_t *doc = doc_find_id(db, GPI_CANDIDATURES, id, error);
			if (!doc && error->code)
				break;
			json_object_set_new(changes, id, doc ? row_of(doc) : json_null());
			bson_destroy(doc);
		}
		seq++;
	}
	int rc = error->code ? -1 : 0;
	if (reload || changelog_gone(error)) {
		json_decref(changes);
		return load(db, error);
	}
	if (seq > applied_seq) {
		/* Later records of one candidature were read at once with the
		 * first: its row is the newest. */
		json_t *value = with_changes(index_value, changes);
		pthread_mutex_lock(&lock);
		/* Before the copy is installed: pages of the old one go stale. */
		gpi_serial_move();
		json_t *old = index_value;
		index_value = value;
		applied_seq = seq;
		pthread_mutex_unlock(&lock);
		json_decref(old);
		/* The pages shared from the old rows (the organisations' lists,
		 * the desk, a candidature's page) are stale: the change shows
		 * within the refresher's pass, not a page's lifetime later. */
		page_cache_bump();
	}
	json_decref(changes);
	return rc;
}

/* Returns the index's copy (new reference), loading it the first time,
 * or NULL with error set. */
static json_t *index_get(struct db_ctx *db, bson_error_t *error)
{
	memset(error, 0, sizeof(*error));
	pthread_mutex_lock(&lock);
	bool ready = loaded;
	pthread_mutex_unlock(&lock);
	if (!ready) {
		pthread_mutex_lock(&io);
		int rc = loaded ? 0 : load(db, error);
		pthread_mutex_unlock(&io);
		if (rc)
			return NULL;
	}
	pthread_mutex_lock(&lock);
	json_t *value = json_incref(index_value);
	pthread_mutex_unlock(&lock);
	return value;
}

int gpi_index_changed(struct db_ctx *db, const char *id, bson_error_t *error)
{
	if (changelog_append(db, &CHANGES, SCOPE, id, error) < 0)
		return -1;
	pthread_mutex_lock(&io);
	int rc = loaded ? apply_changes(db, error) : 0;
	pthread_mutex_unlock(&io);
	return rc;
}

/* When this process last purged the log (ms). */
static _Atomic int64_t last_purge;

int gpi_index_refresh(struct db_ctx *db)
{
	bson_error_t error = {0};
	pthread_mutex_lock(&io);
	int rc = loaded ? apply_changes(db, &error) : 0;
	pthread_mutex_unlock(&io);
	int64_t now = doc_now_ms();
	if (!rc && changelog_purge_due(&last_purge, now) &&
	    changelog_purge(db, &CHANGES, SCOPE, now - CHANGELOG_KEEP_MS, &error) < 0)
		rc = -1;
	if (rc)
		log_error(db->log_id, "gpi index: %s", error.message);
	return rc;
}

static bool empty(const char *s)
{
	return !s || !*s;
}

json_t *gpi_index_rows(struct db_ctx *db, int year, const char *category, const char *status,
		       bson_error_t *error)
{
	json_t *value = index_get(db, error);
	if (!value)
		return NULL;
	json_t *out = json_array(), *r;
	size_t i;
	json_array_foreach(json_object_get(value, "rows"), i, r)
		if (json_integer_value(json_object_get(r, "year")) == year &&
		    (empty(category) || strcmp(json_str(r, "category"), category) == 0) &&
		    (empty(status) || strcmp(json_str(r, "status"), status) == 0))
			json_array_append(out, r);
	json_decref(value);
	return out;
}

static int newest_change_first(const void *x, const void *y)
{
	json_int_t a = json_integer_value(json_object_get(*(json_t *const *)x, "updated_ms"));
	json_int_t b = json_integer_value(json_object_get(*(json_t *const *)y, "updated_ms"));
	return a < b ? 1 : a > b ? -1 : 0;
}

json_t *gpi_index_rows_of_organisation(struct db_ctx *db, int year, const char *organisation,
				       bson_error_t *error)
{
	json_t *value = index_get(db, error);
	if (!value)
		return NULL;
	/* The organisation's rows of every edition: a few dozen a year. */
	const json_t *rows = empty(organisation)
				     ? NULL
				     : json_object_get(json_object_get(value, "by_organisation"),
						       organisation);
	json_t **mine = xmalloc((json_array_size(rows) + 1) * sizeof(*mine)), *r;
	size_t i, n = 0;
	json_array_foreach(rows, i, r)
		if (json_integer_value(json_object_get(r, "year")) == year)
			mine[n++] = r;
	qsort(mine, n, sizeof(*mine), newest_change_first);
	json_t *out = json_array();
	for (i = 0; i < n; i++)
		json_array_append(out, mine[i]);
	free(mine);
	json_decref(value);
	return out;
}

json_t *gpi_index_row(struct db_ctx *db, const char *id, bson_error_t *error)
{
	json_t *value = index_get(db, error);
	if (!value)
		return NULL;
	memset(error, 0, sizeof(*error));
	json_t *row = json_object_get(json_object_get(value, "by_id"), id);
	json_incref(row);
	json_decref(value);
	return row;
}
