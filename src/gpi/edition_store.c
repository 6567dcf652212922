/* Grand Prix editions in the database and in every process's cache. */
#include "gpi/edition.h"

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
#include "gpi/edition_rules.h"
#include "gpi/serial.h"
#include "http/request.h"

#define EDITIONS "gpi_editions"
#define CACHE_KEY "gpi-editions"

/* The top-level date fields: BSON dates in the database, UTC ms in the
 * cache. */
static const char *const DATE_FIELDS[] = {
	"launch_at",
	"deadline_at",
	"created_at",
	"updated_at",
};

/* Returns doc as the cache keeps it: doc_to_json's fields with every
 * instant as an integer, the phases' included. New reference. */
static json_t *edition_json(const bson_t *doc)
{
	json_t *e = doc_to_json(doc);
	for (size_t i = 0; i < sizeof(DATE_FIELDS) / sizeof(*DATE_FIELDS); i++)
		editions_date_ms(e, doc, DATE_FIELDS[i]);
	bson_iter_t it, phases;
	json_t *out = json_object_get(e, "phases");
	if (!bson_iter_init_find(&it, doc, "phases") || !BSON_ITER_HOLDS_DOCUMENT(&it) ||
	    !bson_iter_recurse(&it, &phases))
		return e;
	while (bson_iter_next(&phases)) {
		uint32_t len;
		const uint8_t *data;
		bson_t phase;
		if (!BSON_ITER_HOLDS_DOCUMENT(&phases))
			continue;
		bson_iter_document(&phases, &len, &data);
		if (!bson_init_static(&phase, data, len))
			continue;
		json_t *p = json_object_get(out, bson_iter_key(&phases));
		editions_date_ms(p, &phase, "start");
		editions_date_ms(p, &phase, "end");
	}
	return e;
}

/* Loads every edition: one a year, so a whole read stays small. */
static json_t *load_editions(struct db_ctx *db, bson_error_t *error)
{
	/* Before the copy is installed: pages of the old one go stale. */
	gpi_serial_move();
	return editions_load(db, EDITIONS, edition_json, error);
}

static struct versioned_cache editions_cache = VERSIONED_CACHE(CACHE_KEY, load_editions);

json_t *gpi_editions_all(struct db_ctx *db, bson_error_t *err)
{
	return cache_get(&editions_cache, db, err);
}

const json_t *gpi_edition_get(struct db_ctx *db, int year, bson_error_t *err)
{
	err->code = 0;
	json_t *all = gpi_editions_all(db, err);
	return all ? editions_find(db, all, year) : NULL;
}

/* Appends to b the arrays of in's categories and criteria. */
static void append_categories(bson_t *b, const struct gpi_edition_input *in)
{
	bson_t list, item;
	char key[16];
	BSON_APPEND_ARRAY_BEGIN(b, "categories", &list);
	for (size_t i = 0; i < in->n_categories; i++) {
		const char *k;
		bson_uint32_to_string((uint32_t)i, &k, key, sizeof(key));
		BSON_APPEND_DOCUMENT_BEGIN(&list, k, &item);
		BSON_APPEND_UTF8(&item, "code", in->categories[i].code);
		BSON_APPEND_UTF8(&item, "name", in->categories[i].name);
		BSON_APPEND_UTF8(&item, "description", in->categories[i].description);
		bson_append_document_end(&list, &item);
	}
	bson_append_array_end(b, &list);
	BSON_APPEND_ARRAY_BEGIN(b, "criteria", &list);
	for (size_t i = 0; i < in->n_criteria; i++) {
		const char *k;
		bson_uint32_to_string((uint32_t)i, &k, key, sizeof(key));
		BSON_APPEND_DOCUMENT_BEGIN(&list, k, &item);
		BSON_APPEND_UTF8(&item, "code", in->criteria[i].code);
		BSON_APPEND_UTF8(&item, "label", in->criteria[i].label);
		BSON_APPEND_INT32(&item, "weight", in->criteria[i].weight);
		bson_append_document_end(&list, &item);
	}
	bson_append_array_end(b, &list);
}

/* Returns the BSON of in's editable fields, for $set or an insert. */
static bson_t *editable_fields(const struct gpi_edition_input *in)
{
	bson_t *b = BCON_NEW("year", BCON_INT32(in->year), "title", BCON_UTF8(in->title), "rules",
			     BCON_UTF8(in->rules), "launch_at", BCON_DATE_TIME(in->launch_at),
			     "deadline_at", BCON_DATE_TIME(in->deadline_at), "window_start",
			     BCON_UTF8(in->window_start), "window_end", BCON_UTF8(in->window_end),
			     "gold_endowment_eur", BCON_INT64(in->gold_endowment_eur), "contact",
			     "{", "name", BCON_UTF8(in->contact_name), "email",
			     BCON_UTF8(in->contact_email), "}");
	bson_t sub, phase;
	BSON_APPEND_DOCUMENT_BEGIN(b, "phases", &sub);
	for (int p = 0; p < GPI_PHASE_COUNT; p++) {
		BSON_APPEND_DOCUMENT_BEGIN(&sub, gpi_phase_key(p), &phase);
		BSON_APPEND_DATE_TIME(&phase, "start", in->phase_start[p]);
		BSON_APPEND_DATE_TIME(&phase, "end", in->phase_end[p]);
		bson_append_document_end(&sub, &phase);
	}
	bson_append_document_end(b, &sub);
	BSON_APPEND_DOCUMENT_BEGIN(b, "limits", &sub);
	for (int l = 0; l < GPI_LIMIT_COUNT; l++)
		BSON_APPEND_INT64(&sub, gpi_limit_key(l), in->limits[l]);
	bson_append_document_end(b, &sub);
	append_categories(b, in);
	return b;
}

int gpi_edition_create(struct db_ctx *db, const struct audit_actor *by,
		       const struct gpi_edition_input *in, bson_error_t *err)
{
	if (editions_insert(db, EDITIONS, CACHE_KEY, editable_fields(in), in->year, in->example,
			    err))
		return -1;
	audit_write(db, by, "gpi.edition.create", arena_printf(db->arena, "%d", in->year),
		    in->title);
	return 0;
}

int gpi_edition_update(struct request *req, const json_t *current, int64_t rev,
		       const struct gpi_edition_input *in, bson_error_t *err)
{
	const char *id = json_str(current, "_id");
	int64_t now_rev = json_integer_value(json_object_get(current, "rev"));
	int64_t next = rev + 1;
	int won = rev == now_rev
			  ? lookup_claim(req->db, arena_printf(req->arena, "gpi_editions/%s", id),
					 &next, err)
			  : 0;
	if (won == 0)
		bson_set_error(err, DB_ERROR_DOMAIN_COUSILAB, DB_ERROR_CONFLICT,
			       "edition %s is at revision %lld, not %lld", id, (long long)now_rev,
			       (long long)rev);
	if (won != 1)
		return -1;
	if (editions_set(req->db, EDITIONS, CACHE_KEY, id, editable_fields(in), next, err))
		return -1;
	audit_record(req, "gpi.edition.update", id, in->title, NULL);
	return 0;
}
