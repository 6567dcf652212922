/* Editions in the database and in every process's cache. */
#include "defi/edition.h"

#include <mongoc/mongoc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/user.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "db/cache.h"
#include "db/db.h"
#include "db/doc.h"
#include "db/editions.h"
#include "db/lookup.h"
#include "defi/edition_rules.h"
#include "http/request.h"

#define EDITIONS "defi_editions"
#define CACHE_KEY "defi-editions"

/* The date fields: BSON dates in the database, UTC ms in the cache. */
static const char *const DATE_FIELDS[] = {
	"signup_opens_at",
	"signup_closes_at",
	"created_at",
	"updated_at",
};

/* Returns doc as the cache keeps it: doc_to_json's fields with the
 * dates as integers. New reference. */
static json_t *edition_json(const bson_t *doc)
{
	json_t *e = doc_to_json(doc);
	for (size_t i = 0; i < sizeof(DATE_FIELDS) / sizeof(*DATE_FIELDS); i++)
		editions_date_ms(e, doc, DATE_FIELDS[i]);
	return e;
}

/* Loads every edition: one a year, so a whole read stays small. */
static json_t *load_editions(struct db_ctx *db, bson_error_t *error)
{
	return editions_load(db, EDITIONS, edition_json, error);
}

static struct versioned_cache editions_cache = VERSIONED_CACHE(CACHE_KEY, load_editions);

json_t *defi_editions_all(struct db_ctx *db, bson_error_t *err)
{
	return cache_get(&editions_cache, db, err);
}

const json_t *defi_edition_get(struct db_ctx *db, int year, bson_error_t *err)
{
	err->code = 0;
	json_t *all = defi_editions_all(db, err);
	return all ? editions_find(db, all, year) : NULL;
}

const json_t *defi_edition_current(const json_t *editions, const char *today)
{
	const json_t *current = NULL, *e;
	size_t i;
	json_array_foreach(editions, i, e)
		if (strcmp(json_str(e, "event_end"), today) >= 0)
			current = e; /* newest first: the last one seen is the earliest */
	return current;
}

/* Returns the BSON of in's editable fields, for $set or an insert. */
static bson_t *editable_fields(const struct defi_edition_input *in)
{
	bson_t *b = BCON_NEW("year", BCON_INT32(in->year), "title", BCON_UTF8(in->title), "theme",
			     BCON_UTF8(in->theme), "description", BCON_UTF8(in->description),
			     "event_start", BCON_UTF8(in->event_start), "event_end",
			     BCON_UTF8(in->event_end), "location", BCON_UTF8(in->location),
			     "signup_opens_at", BCON_DATE_TIME(in->opens_at), "signup_closes_at",
			     BCON_DATE_TIME(in->closes_at), "min_team_size",
			     BCON_INT32(in->min_team));
	if (in->max_team)
		BSON_APPEND_INT32(b, "max_team_size", in->max_team);
	else
		BSON_APPEND_NULL(b, "max_team_size");
	bson_t qs, q;
	char key[16];
	BSON_APPEND_ARRAY_BEGIN(b, "questions", &qs);
	for (size_t i = 0; i < in->n_questions; i++) {
		const char *k;
		bson_uint32_to_string((uint32_t)i, &k, key, sizeof(key));
		BSON_APPEND_DOCUMENT_BEGIN(&qs, k, &q);
		BSON_APPEND_UTF8(&q, "code", in->questions[i].code);
		BSON_APPEND_UTF8(&q, "label", in->questions[i].label);
		BSON_APPEND_BOOL(&q, "required", in->questions[i].required);
		bson_append_document_end(&qs, &q);
	}
	bson_append_array_end(b, &qs);
	return b;
}

int defi_edition_create(struct db_ctx *db, const struct audit_actor *by,
			const struct defi_edition_input *in, bson_error_t *err)
{
	if (editions_insert(db, EDITIONS, CACHE_KEY, editable_fields(in), in->year, in->example,
			    err))
		return -1;
	audit_write(db, by, "defi.edition.create", arena_printf(db->arena, "%d", in->year),
		    in->title);
	return 0;
}

/* Claims the revision after rev of edition id by inserting its unique
 * _id into "defi_edition_revs": of two coordinators who both read rev,
 * only one saves (FerretDB runs a conditional update as a read, then a
 * write, so it could not decide). A claim left by a writer that died
 * before saving is stepped over once stale, so *next may skip numbers.
 * Returns 0, or -1 with err set (a conflict error when another live
 * writer holds it). */
static int claim_revision(struct request *req, const char *id, int64_t rev, int64_t *next,
			  bson_error_t *err)
{
	mongoc_collection_t *revs = db_collection(req->db, "defi_edition_revs");
	for (*next = rev + 1; *next <= rev + 3; ++*next) {
		const char *claim_id = arena_printf(req->arena, "%s:%06lld", id, (long long)*next);
		bson_t *claim = BCON_NEW("_id", BCON_UTF8(claim_id), "at",
					 BCON_DATE_TIME(doc_now_ms()), "by",
					 BCON_UTF8(req->user ? req->user->id : ""));
		bool ok = mongoc_collection_insert_one(revs, claim, NULL, NULL, err);
		bson_destroy(claim);
		if (ok)
			return 0;
		if (err->code != 11000)
			return -1;
		bson_t *held = doc_find_id_in(revs, claim_id, err);
		int64_t at = held ? doc_int(held, "at", 0) : 0;
		if (held)
			bson_destroy(held);
		else if (err->code)
			return -1;
		if (doc_now_ms() - at < LOOKUP_CLAIM_STALE_MS)
			break;
	}
	bson_set_error(err, DB_ERROR_DOMAIN_COUSILAB, DB_ERROR_CONFLICT,
		       "edition %s changed since revision %lld", id, (long long)rev);
	return -1;
}

int defi_edition_update(struct request *req, const json_t *current, int64_t rev,
			const struct defi_edition_input *in, bson_error_t *err)
{
	const char *id = json_str(current, "_id");
	int64_t now_rev = json_integer_value(json_object_get(current, "rev"));
	if (rev != now_rev) {
		bson_set_error(err, DB_ERROR_DOMAIN_COUSILAB, DB_ERROR_CONFLICT,
			       "edition %s is at revision %lld, not %lld", id, (long long)now_rev,
			       (long long)rev);
		return -1;
	}
	int64_t next;
	if (claim_revision(req, id, rev, &next, err))
		return -1;
	if (editions_set(req->db, EDITIONS, CACHE_KEY, id, editable_fields(in), next, err))
		return -1;
	audit_record(req, "defi.edition.update", id, in->title, NULL);
	return 0;
}
