#include "gpi/synthetic.h"

#include <mongoc/mongoc.h>
#include <stdio.h>

#include "accounts/organisation.h"
#include "core/app.h"
#include "core/arena.h"
#include "core/clock.h"
#include "db/db.h"
#include "db/doc.h"
#include "gpi/candidature.h"
#include "gpi/desk_rules.h"
#include "gpi/edition.h"

enum { BATCH = 500, FILER_EVERY = 50 };

static const char RESULTS[] =
	"Le délai moyen de traitement est passé de 21 à 9 jours en dix-huit mois\u202f; 87 % des "
	"usagers interrogés se disent satisfaits, contre 61 % avant\u202f; les réclamations ont "
	"baissé d’un tiers et le dispositif a été repris par deux caisses voisines.";

static const char *candidature_id(struct arena *a, long i)
{
	return arena_printf(a, "5eed%028lx", (unsigned long)i);
}

/* Appends candidature i of edition e, filed by organisation org. */
static void add_candidature(struct db_ctx *db, mongoc_bulk_operation_t *bulk, const json_t *e,
			    long i, const char *org, int64_t now)
{
	struct arena *a = db->arena;
	const json_t *categories = json_object_get(e, "categories");
	const char *category =
		json_str(json_array_get(categories, (size_t)i % json_array_size(categories)), "code");
	enum gpi_status status = (enum gpi_status)(i % 4);
	bson_t *doc = BCON_NEW(
		"_id", BCON_UTF8(candidature_id(a, i)), "year", BCON_INT32(gpi_edition_year(e)),
		"category", BCON_UTF8(category), "organisation_id", BCON_UTF8(org),
		"partner_organisation_ids", "[", "]", "project_id", BCON_UTF8(""), "project_slug",
		BCON_UTF8(""), "title",
		BCON_UTF8(arena_printf(a, "Candidature synthétique %ld", i + 1)), "summary",
		BCON_UTF8("Un accueil sur rendez-vous qui réduit l’attente des usagers."),
		"objectives", BCON_UTF8("Réduire l’attente et les déplacements inutiles."),
		"actions", BCON_UTF8("Prise de rendez-vous en ligne, formation des conseillers."),
		"results", BCON_UTF8(RESULTS), "generalisation",
		BCON_UTF8("Reproductible dans toute caisse à budget constant."), "interbranch",
		BCON_UTF8("Mené avec la CPAM et la CARSAT."), "impact",
		BCON_UTF8("Une meilleure image auprès des usagers."), "endowment_use",
		BCON_UTF8("Former les conseillers des caisses voisines."), "indicators", "[", "]",
		"started_on", BCON_UTF8(json_str(e, "window_start")), "completed", BCON_BOOL(true),
		"costs", BCON_UTF8("Court terme : 12 000 €. Moyen terme : 4 000 € par an."),
		"savings", BCON_UTF8("Court terme : 3 000 €. Long terme : 20 000 € par an."),
		"contacts", "[", "{", "name", BCON_UTF8("Claire Contact"), "email",
		BCON_UTF8(arena_printf(a, "contact-%ld@example.org", i)), "phone",
		BCON_UTF8("05 61 00 00 00"), "}", "]", "people", "[", "{", "id",
		BCON_UTF8(arena_printf(a, "p%ld", i)), "name", BCON_UTF8("Anne Martin"), "role",
		BCON_UTF8("cheffe de projet"), "publication_withdrawn", BCON_BOOL(false), "}", "]",
		"status", BCON_UTF8(GPI_STATUSES[status][0]), "created_by", BCON_UTF8(""), "example",
		BCON_BOOL(true), "rev", BCON_INT64(1), "created_at", BCON_DATE_TIME(now),
		"updated_at", BCON_DATE_TIME(now));
	if (status != GPI_STATUS_BROUILLON)
		BSON_APPEND_DATE_TIME(doc, "submitted_at", now);
	if (status == GPI_STATUS_RECEVABLE || status == GPI_STATUS_IRRECEVABLE) {
		bool yes = status == GPI_STATUS_RECEVABLE;
		bson_t d;
		BSON_APPEND_DOCUMENT_BEGIN(doc, "admissibility", &d);
		BSON_APPEND_BOOL(&d, "admissible", yes);
		BSON_APPEND_UTF8(&d, "reason", yes ? "" : GPI_REASONS[i % GPI_REASON_COUNT].code);
		BSON_APPEND_UTF8(&d, "comment", yes ? "" : "Constat du secrétariat.");
		BSON_APPEND_UTF8(&d, "by_id", "");
		BSON_APPEND_INT64(&d, "at", now);
		bson_append_document_end(doc, &d);
	}
	mongoc_bulk_operation_insert(bulk, doc);
	bson_destroy(doc);
}

/* Inserts candidatures [from, to). Returns 0 or -1. */
static int insert_batch(struct db_ctx *db, const json_t *e, long from, long to, const json_t *orgs,
			long *inserted)
{
	bson_t *opts = BCON_NEW("ordered", BCON_BOOL(false));
	mongoc_bulk_operation_t *bulk = mongoc_collection_create_bulk_operation_with_opts(
		db_collection(db, GPI_CANDIDATURES), opts);
	int64_t now = clock_now_ms();
	for (long i = from; i < to; i++)
		add_candidature(db, bulk, e, i,
				i % FILER_EVERY == 0
					? "caf-31"
					: json_str(json_array_get(orgs, (size_t)i % json_array_size(orgs)),
						   "_id"),
				now);
	long added = 0;
	int rc = doc_bulk_insert(bulk, &added);
	*inserted += added;
	mongoc_bulk_operation_destroy(bulk);
	bson_destroy(opts);
	return rc ? -1 : 0;
}

int gpi_synthetic_load(const struct app *app, long n)
{
	struct db_ctx *db = db_ctx_open(app->db, "seed");
	bson_error_t error;
	json_t *editions = gpi_editions_all(db, &error);
	json_t *orgs = editions ? organisations_active(db, &error) : NULL;
	const json_t *e = editions ? gpi_edition_current(editions, clock_now_ms()) : NULL;
	int rc = -1;
	if (!orgs)
		fprintf(stderr, "seed: %s\n", error.message);
	else if (!e || !json_array_size(orgs))
		fputs("seed: no Grand Prix edition (seed --demo makes one)\n", stderr);
	else {
		long inserted = 0;
		rc = 0;
		for (long i = 0; rc == 0 && i < n; i += BATCH)
			rc = insert_batch(db, e, i, i + BATCH < n ? i + BATCH : n, orgs, &inserted);
		/* One record for them all: every process reads everything again. */
		if (rc == 0 && gpi_index_changed(db, GPI_INDEX_ALL, &error)) {
			fprintf(stderr, "seed: telling the index: %s\n", error.message);
			rc = -1;
		}
		if (rc == 0)
			printf("seed: %ld synthetic Grand Prix candidatures in edition %d (%ld "
			       "already there)\n",
			       inserted, gpi_edition_year(e), n - inserted);
	}
	json_decref(orgs);
	json_decref(editions);
	db_ctx_close(db);
	return rc;
}
