/* The category states and edition results: two small collections, kept
 * whole in every process (one edition a year, a few categories each). */
#include "gpi/results.h"

#include <mongoc/mongoc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/clock.h"
#include "db/cache.h"
#include "db/db.h"
#include "db/doc.h"
#include "db/editions.h"
#include "db/lookup.h"

#define STATES_CACHE "gpi-category-states"
#define RESULTS_CACHE "gpi-edition-results"

/* A writer that keeps losing its claim gives up after this many reads:
 * only a storm of simultaneous decisions on one category would get
 * there. */
enum { WRITE_TRIES = 20 };

static const char *const PRIZES[GPI_PRIZE_COUNT][2] = {
	{"or", "Or"},
	{"argent", "Argent"},
	{"bronze", "Bronze"},
	{"coup-de-coeur", "Coup de cœur"},
	{"special", "Prix spécial"},
};

const char *gpi_prize_code(enum gpi_prize prize)
{
	return PRIZES[prize][0];
}

const char *gpi_prize_label(enum gpi_prize prize)
{
	return PRIZES[prize][1];
}

int gpi_prize_from(const char *code)
{
	for (int p = 0; code && p < GPI_PRIZE_COUNT; p++)
		if (!strcmp(code, PRIZES[p][0]))
			return p;
	return -1;
}

static json_t *load_states(struct db_ctx *db, bson_error_t *error)
{
	return editions_load(db, GPI_CATEGORY_STATES, doc_to_json, error);
}

static json_t *load_results(struct db_ctx *db, bson_error_t *error)
{
	return editions_load(db, GPI_EDITION_RESULTS, doc_to_json, error);
}

static struct versioned_cache states_cache = VERSIONED_CACHE(STATES_CACHE, load_states);
static struct versioned_cache results_cache = VERSIONED_CACHE(RESULTS_CACHE, load_results);

/* Returns the document id of cache c, borrowed for db's arena, or an
 * empty object of the arena's when there is none yet; NULL when the
 * cache cannot be loaded. */
static const json_t *cached(struct versioned_cache *c, struct db_ctx *db, const char *id,
			    bson_error_t *err)
{
	json_t *all = arena_json(db->arena, cache_get(c, db, err));
	if (!all)
		return NULL;
	json_t *doc = json_find_id(all, id);
	return doc ? doc : arena_json(db->arena, json_object());
}

const json_t *gpi_category_state(struct db_ctx *db, int year, const char *category,
				 bson_error_t *err)
{
	err->code = 0;
	return cached(&states_cache, db, arena_printf(db->arena, "%d:%s", year, category), err);
}

const json_t *gpi_edition_results(struct db_ctx *db, int year, bson_error_t *err)
{
	err->code = 0;
	return cached(&results_cache, db, arena_printf(db->arena, "%d", year), err);
}

/* Returns the non-empty string field key of doc, or NULL. */
static const char *nonempty(const json_t *doc, const char *key)
{
	const char *s = json_string_value(json_object_get(doc, key));
	return s && *s ? s : NULL;
}

const char *gpi_state_sponsor(const json_t *state)
{
	return nonempty(state, "sponsor");
}

bool gpi_state_scoring_closed(const json_t *state)
{
	return json_integer_value(json_object_get(state, "scoring_closed_at")) > 0;
}

const json_t *gpi_state_finalists(const json_t *state)
{
	const json_t *f = json_object_get(state, "finalists");
	return json_is_array(f) ? f : NULL;
}

bool gpi_state_is_finalist(const json_t *state, const char *candidature_id)
{
	size_t i;
	const json_t *v;
	json_array_foreach(gpi_state_finalists(state), i, v)
		if (candidature_id && !strcmp(json_string_value(v) ? json_string_value(v) : "",
					      candidature_id))
			return true;
	return false;
}

const char *gpi_state_award(const json_t *state, enum gpi_prize prize)
{
	if (prize >= GPI_CATEGORY_PRIZES)
		return NULL;
	return nonempty(json_object_get(state, "awards"), gpi_prize_code(prize));
}

const char *gpi_results_award(const json_t *results, enum gpi_prize prize)
{
	if (prize == GPI_PRIZE_COUP_DE_COEUR)
		return nonempty(results, "coup_de_coeur");
	if (prize == GPI_PRIZE_SPECIAL)
		return nonempty(json_object_get(results, "special"), "candidature_id");
	return NULL;
}

const char *gpi_results_special_title(const json_t *results)
{
	return gpi_results_award(results, GPI_PRIZE_SPECIAL)
		       ? nonempty(json_object_get(results, "special"), "title")
		       : NULL;
}

static const char *const INSTANTS[] = {
	[GPI_RESULTS_NOTIFICATIONS_SENT] = "notifications_sent_at",
	[GPI_RESULTS_PUBLISHED_MAIL] = "published_mail_at",
};

int64_t gpi_results_instant(const json_t *results, enum gpi_results_instant which)
{
	return json_integer_value(json_object_get(results, INSTANTS[which]));
}

/* One audited write: the document's $set (set) and $unset (unset, may be
 * empty) fields, both destroyed here. */
struct write {
	const char *collection, *cache_key, *id;
	int year;
	const char *category; /* NULL for an edition's results */
	bson_t *set, *unset;
	const char *action, *detail;
};

/* Writes w under a claim on the document's next revision: read its
 * revision by _id, claim the next one, write by _id. Returns 0 or -1. */
static int claimed_write(struct db_ctx *db, struct write *w, bson_error_t *err)
{
	for (int tries = 0; tries < WRITE_TRIES; tries++) {
		bson_t *doc = doc_find_id(db, w->collection, w->id, err);
		if (!doc && err->code)
			return -1;
		int64_t rev = (doc ? doc_int(doc, "rev", 0) : 0) + 1;
		if (doc)
			bson_destroy(doc);
		int won = lookup_claim(db, arena_printf(db->arena, "%s/%s", w->collection, w->id),
				       &rev, err);
		if (won < 0)
			return -1;
		if (won == 0) {
			lookup_back_off();
			continue;
		}
		BSON_APPEND_INT32(w->set, "year", w->year);
		if (w->category)
			BSON_APPEND_UTF8(w->set, "category", w->category);
		BSON_APPEND_INT64(w->set, "rev", rev);
		BSON_APPEND_INT64(w->set, "updated_at", clock_now_ms());
		bson_t *update = bson_new();
		BSON_APPEND_DOCUMENT(update, "$set", w->set);
		if (!bson_empty(w->unset))
			BSON_APPEND_DOCUMENT(update, "$unset", w->unset);
		return doc_upsert_id(db, w->collection, w->id, update, err);
	}
	bson_set_error(err, DB_ERROR_DOMAIN_COUSILAB, DB_ERROR_CONFLICT, "%s %s kept changing",
		       w->collection, w->id);
	return -1;
}

/* Runs w, then reloads every process's copy and journals it as by's. */
static int write_audited(struct db_ctx *db, const struct audit_actor *by, struct write *w,
			 bson_error_t *err)
{
	int rc = claimed_write(db, w, err);
	bson_destroy(w->set);
	bson_destroy(w->unset);
	if (rc || cache_bump(db, w->cache_key, err))
		return -1;
	audit_write(db, by, w->action, w->id, w->detail);
	return 0;
}

/* Returns a write of category's state in edition year. */
static struct write state_write(struct db_ctx *db, int year, const char *category,
				const char *action)
{
	return (struct write){
		.collection = GPI_CATEGORY_STATES,
		.cache_key = STATES_CACHE,
		.id = arena_printf(db->arena, "%d:%s", year, category),
		.year = year,
		.category = category,
		.set = bson_new(),
		.unset = bson_new(),
		.action = action,
	};
}

/* Returns a write of edition year's results. */
static struct write results_write(struct db_ctx *db, int year, const char *action)
{
	return (struct write){
		.collection = GPI_EDITION_RESULTS,
		.cache_key = RESULTS_CACHE,
		.id = arena_printf(db->arena, "%d", year),
		.year = year,
		.set = bson_new(),
		.unset = bson_new(),
		.action = action,
	};
}

/* Sets key to value in w, or unsets it when value is "" or NULL. */
static void set_or_unset(struct write *w, const char *key, const char *value)
{
	if (value && *value)
		BSON_APPEND_UTF8(w->set, key, value);
	else
		BSON_APPEND_UTF8(w->unset, key, "");
}

/* Records in w who decided (key_by) and when (key_at). */
static void decided(struct write *w, const struct audit_actor *by, const char *key_by,
		    const char *key_at)
{
	BSON_APPEND_UTF8(w->set, key_by, by && by->id ? by->id : "");
	BSON_APPEND_INT64(w->set, key_at, clock_now_ms());
}

int gpi_state_set_sponsor(struct db_ctx *db, const struct audit_actor *by, int year,
			  const char *category, const char *sponsor, bson_error_t *err)
{
	struct write w = state_write(db, year, category, "gpi.jury.sponsor");
	set_or_unset(&w, "sponsor", sponsor);
	w.detail = sponsor;
	return write_audited(db, by, &w, err);
}

int gpi_state_close_scoring(struct db_ctx *db, const struct audit_actor *by, int year,
			    const char *category, bson_error_t *err)
{
	struct write w = state_write(db, year, category, "gpi.scoring.close");
	decided(&w, by, "scoring_closed_by", "scoring_closed_at");
	return write_audited(db, by, &w, err);
}

int gpi_state_set_finalists(struct db_ctx *db, const struct audit_actor *by, int year,
			    const char *category, const json_t *ids, const char *minutes,
			    bson_error_t *err)
{
	struct write w = state_write(db, year, category, "gpi.finalists");
	bson_t list;
	char key[16];
	size_t i;
	const json_t *v;
	BSON_APPEND_ARRAY_BEGIN(w.set, "finalists", &list);
	json_array_foreach(ids, i, v) {
		const char *k;
		bson_uint32_to_string((uint32_t)i, &k, key, sizeof(key));
		BSON_APPEND_UTF8(&list, k, json_string_value(v) ? json_string_value(v) : "");
	}
	bson_append_array_end(w.set, &list);
	BSON_APPEND_UTF8(w.set, "minutes", minutes ? minutes : "");
	decided(&w, by, "finalists_by", "finalists_at");
	char *joined = json_dumps(ids, JSON_COMPACT);
	w.detail = arena_strdup(db->arena, joined ? joined : "");
	free(joined);
	return write_audited(db, by, &w, err);
}

int gpi_state_set_awards(struct db_ctx *db, const struct audit_actor *by, int year,
			 const char *category, const char *const ids[GPI_CATEGORY_PRIZES],
			 bson_error_t *err)
{
	struct write w = state_write(db, year, category, "gpi.award.category");
	bson_t awards;
	BSON_APPEND_DOCUMENT_BEGIN(w.set, "awards", &awards);
	for (int p = 0; p < GPI_CATEGORY_PRIZES; p++)
		if (ids[p] && *ids[p])
			BSON_APPEND_UTF8(&awards, gpi_prize_code(p), ids[p]);
	bson_append_document_end(w.set, &awards);
	decided(&w, by, "awards_by", "awards_at");
	w.detail = arena_printf(db->arena, "or=%s argent=%s bronze=%s", ids[0] ? ids[0] : "",
				ids[1] ? ids[1] : "", ids[2] ? ids[2] : "");
	return write_audited(db, by, &w, err);
}

int gpi_results_set_coup_de_coeur(struct db_ctx *db, const struct audit_actor *by, int year,
				  const char *id, bson_error_t *err)
{
	struct write w = results_write(db, year, "gpi.award.coup-de-coeur");
	set_or_unset(&w, "coup_de_coeur", id);
	decided(&w, by, "coup_de_coeur_by", "coup_de_coeur_at");
	w.detail = id;
	return write_audited(db, by, &w, err);
}

int gpi_results_set_special(struct db_ctx *db, const struct audit_actor *by, int year,
			    const char *id, const char *title, bson_error_t *err)
{
	struct write w = results_write(db, year, "gpi.award.special");
	if (id && *id)
		BCON_APPEND(w.set, "special", "{", "candidature_id", BCON_UTF8(id), "title",
			    BCON_UTF8(title ? title : ""), "}");
	else
		BSON_APPEND_UTF8(w.unset, "special", "");
	decided(&w, by, "special_by", "special_at");
	w.detail = arena_printf(db->arena, "%s %s", id ? id : "", title ? title : "");
	return write_audited(db, by, &w, err);
}

int gpi_results_mark(struct db_ctx *db, const struct audit_actor *by, int year,
		     enum gpi_results_instant which, int64_t at_ms, bson_error_t *err)
{
	struct write w = results_write(db, year,
				       which == GPI_RESULTS_NOTIFICATIONS_SENT ? "gpi.notifications"
									       : "gpi.results.mailed");
	BSON_APPEND_INT64(w.set, INSTANTS[which], at_ms);
	return write_audited(db, by, &w, err);
}
