#include "gpi/synthetic.h"

#include <mongoc/mongoc.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "accounts/admin_ops.h"
#include "accounts/organisation.h"
#include "accounts/user.h"
#include "audit/audit.h"
#include "core/app.h"
#include "core/arena.h"
#include "core/clock.h"
#include "db/db.h"
#include "db/doc.h"
#include "gpi/candidature.h"
#include "gpi/desk_rules.h"
#include "gpi/edition.h"
#include "gpi/grid_store.h"
#include "gpi/jury.h"

enum { BATCH = 500, FILER_EVERY = 50 };

static const char RESULTS[] =
	"Le délai moyen de traitement est passé de 21 à 9 jours en dix-huit mois\u202f; 87 % des "
	"usagers interrogés se disent satisfaits, contre 61 % avant\u202f; les réclamations ont "
	"baissé d’un tiers et le dispositif a été repris par deux caisses voisines.";

/* What a run inserts: the desk's spread (every category and status), or
 * the juries' (one category, every candidature admissible). */
struct plan {
	const char *id_prefix; /* 4 or 5 hex digits: the two runs' ids differ */
	const char *category;  /* NULL: spread over e's categories */
	bool admissible;       /* all recevable; else spread over the statuses */
};

static const struct plan DESK = {"5eed", NULL, false};

static const char *candidature_id(struct arena *a, const struct plan *p, long i)
{
	return arena_printf(a, "%s%0*lx", p->id_prefix, (int)(32 - strlen(p->id_prefix)),
			    (unsigned long)i);
}

/* Appends candidature i of edition e under plan p, filed by organisation
 * org. */
static void add_candidature(struct db_ctx *db, mongoc_bulk_operation_t *bulk, const json_t *e,
			    const struct plan *p, long i, const char *org, int64_t now)
{
	struct arena *a = db->arena;
	const json_t *categories = json_object_get(e, "categories");
	const char *category = p->category
				       ? p->category
				       : json_str(json_array_get(
							  categories,
							  (size_t)i % json_array_size(categories)),
						  "code");
	enum gpi_status status = p->admissible ? GPI_STATUS_RECEVABLE : (enum gpi_status)(i % 4);
	bson_t *doc = BCON_NEW(
		"_id", BCON_UTF8(candidature_id(a, p, i)), "year", BCON_INT32(gpi_edition_year(e)),
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
		"status", BCON_UTF8(GPI_STATUSES[status][0]), "created_by", BCON_UTF8(""),
		"example", BCON_BOOL(true), "rev", BCON_INT64(1), "created_at", BCON_DATE_TIME(now),
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

/* Inserts candidatures [from, to) of plan p. Returns 0 or -1. */
static int insert_batch(struct db_ctx *db, const json_t *e, const struct plan *p, long from,
			long to, const json_t *orgs, long *inserted)
{
	bson_t *opts = BCON_NEW("ordered", BCON_BOOL(false));
	mongoc_bulk_operation_t *bulk = mongoc_collection_create_bulk_operation_with_opts(
		db_collection(db, GPI_CANDIDATURES), opts);
	int64_t now = clock_now_ms();
	for (long i = from; i < to; i++)
		add_candidature(
			db, bulk, e, p, i,
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

/* Inserts n candidatures of plan p into edition e and tells every
 * process's index. Returns 0, or -1 after printing why. */
static int insert_candidatures(struct db_ctx *db, const json_t *e, const struct plan *p, long n)
{
	bson_error_t error;
	json_t *orgs = organisations_active(db, &error);
	if (!orgs || !json_array_size(orgs)) {
		fprintf(stderr, "seed: no organisation%s%s\n", orgs ? "" : ": ",
			orgs ? "" : error.message);
		json_decref(orgs);
		return -1;
	}
	long inserted = 0;
	int rc = 0;
	for (long i = 0; rc == 0 && i < n; i += BATCH)
		rc = insert_batch(db, e, p, i, i + BATCH < n ? i + BATCH : n, orgs, &inserted);
	/* One record for them all: every process reads everything again. */
	if (rc == 0 && gpi_index_changed(db, GPI_INDEX_ALL, &error)) {
		fprintf(stderr, "seed: telling the index: %s\n", error.message);
		rc = -1;
	}
	if (rc == 0)
		printf("seed: %ld synthetic Grand Prix candidatures in edition %d (%ld already "
		       "there)\n",
		       inserted, gpi_edition_year(e), n - inserted);
	json_decref(orgs);
	return rc;
}

/* Runs load on the current edition (gpi_edition_current) through a
 * context of its own. Returns load's result, or -1 after printing why. */
static int on_current_edition(const struct app *app, long n, long jurors,
			      int (*load)(const struct app *app, struct db_ctx *db, const json_t *e,
					  long n, long jurors))
{
	struct db_ctx *db = db_ctx_open(app->db, "seed");
	bson_error_t error;
	json_t *editions = gpi_editions_all(db, &error);
	const json_t *e = editions ? gpi_edition_current(editions, clock_now_ms()) : NULL;
	int rc = -1;
	if (!editions)
		fprintf(stderr, "seed: %s\n", error.message);
	else if (!e)
		fputs("seed: no Grand Prix edition (seed --demo makes one)\n", stderr);
	else
		rc = load(app, db, e, n, jurors);
	json_decref(editions);
	db_ctx_close(db);
	return rc;
}

static int load_desk(const struct app *app, struct db_ctx *db, const json_t *e, long n, long jurors)
{
	(void)app, (void)jurors;
	return insert_candidatures(db, e, &DESK, n);
}

int gpi_synthetic_load(const struct app *app, long n)
{
	return on_current_edition(app, n, 0, load_desk);
}

/* ---- The juries' bench: one category, its jurors and their grids ---- */

/* The demo juror, appointed first when the demo is there, so the bench
 * can sign in as a juror of the category. */
static const char DEMO_JUROR[] = "nadia.lefevre@example.org";

/* Returns the id of synthetic juror k (db's arena): an account made on
 * the first run, found by its address on the next ones. NULL after
 * printing why. */
static const char *synthetic_juror(const struct app *app, struct db_ctx *db, long k)
{
	struct arena *a = db->arena;
	const char *email = arena_printf(a, "jure-synthetique-%ld@example.invalid", k);
	bson_error_t error;
	struct user *u = user_find_email(db, email, &error);
	if (u)
		return u->id;
	if (error.code) {
		fprintf(stderr, "seed: %s\n", error.message);
		return NULL;
	}
	unsigned char random[16];
	char password[33];
	randombytes_buf(random, sizeof(random));
	sodium_bin2hex(password, sizeof(password), random, sizeof(random));
	struct account_new in = {email,    arena_printf(a, "Juré synthétique %ld", k),
				 "caf-31", "Juré du Grand Prix",
				 password, ROLE_AGENT};
	struct audit_actor by = audit_actor_cli(NULL);
	const char *why = NULL;
	const char *id = account_create(db, app->common, &by, &in, &why);
	sodium_memzero(password, sizeof(password));
	if (!id)
		fprintf(stderr, "seed: juror %s: %s\n", email, why);
	return id;
}

/* Appoints jurors accounts to e's category (the demo juror first when
 * there is one) and writes their ids to ids[0..jurors). Returns 0, or -1
 * after printing why. */
static int appoint_jurors(const struct app *app, struct db_ctx *db, int year, const char *category,
			  long jurors, const char **ids)
{
	bson_error_t error;
	struct user *demo = user_find_email(db, DEMO_JUROR, &error);
	struct audit_actor by = audit_actor_cli(NULL);
	for (long k = 0; k < jurors; k++) {
		ids[k] = k == 0 && demo ? demo->id : synthetic_juror(app, db, k);
		struct gpi_jury_refusal why = {0};
		int rc = ids[k] ? gpi_jury_appoint(db, &by, year, category, ids[k], &why, &error)
				: -1;
		if (rc) {
			fprintf(stderr, "seed: appointing juror %ld: %s\n", k,
				rc > 0   ? why.message
				: ids[k] ? error.message
					 : "no account");
			return -1;
		}
	}
	return 0;
}

/* Appends juror's submitted grid of candidature id, with scores spread
 * deterministically (seed mixes candidature and juror) over e's criteria,
 * to bulk. */
static void add_grid(mongoc_bulk_operation_t *bulk, const json_t *e, const char *category,
		     const char *id, const char *juror, unsigned long seed, int64_t now)
{
	char key[160];
	snprintf(key, sizeof(key), "%s:%s", id, juror);
	bson_t *doc = BCON_NEW("_id", BCON_UTF8(key), "year", BCON_INT32(gpi_edition_year(e)),
			       "category", BCON_UTF8(category), "candidature_id", BCON_UTF8(id),
			       "juror_id", BCON_UTF8(juror), "comments", "{", "}", "status",
			       BCON_UTF8("submitted"), "submitted_at", BCON_INT64(now), "reopened",
			       "[", "]", "rev", BCON_INT64(1), "created_at", BCON_DATE_TIME(now),
			       "updated_at", BCON_DATE_TIME(now));
	bson_t scores;
	BSON_APPEND_DOCUMENT_BEGIN(doc, "scores", &scores);
	const json_t *c;
	size_t i;
	json_array_foreach(json_object_get(e, "criteria"), i, c) {
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		BSON_APPEND_INT32(&scores, json_str(c, "code"), (int32_t)((seed >> 33) % 6));
	}
	bson_append_document_end(doc, &scores);
	mongoc_bulk_operation_insert(bulk, doc);
	bson_destroy(doc);
}

/* Inserts the grids of jurors ids[0..jurors) on candidatures [0, n) of
 * plan p, in batches. Returns how many were new, or -1. */
static long insert_grids(struct db_ctx *db, const json_t *e, const struct plan *p, long n,
			 const char **ids, long jurors)
{
	bson_t *opts = BCON_NEW("ordered", BCON_BOOL(false));
	int64_t now = clock_now_ms();
	long inserted = 0;
	int rc = 0;
	for (long i = 0; i < n && rc == 0; i += BATCH / jurors + 1) {
		mongoc_bulk_operation_t *bulk = mongoc_collection_create_bulk_operation_with_opts(
			db_collection(db, GPI_GRIDS), opts);
		for (long k = i; k < n && k < i + BATCH / jurors + 1; k++)
			for (long j = 0; j < jurors; j++)
				add_grid(bulk, e, p->category, candidature_id(db->arena, p, k),
					 ids[j], (unsigned long)(k * 131 + j * 7919), now);
		rc = doc_bulk_insert(bulk, &inserted);
		mongoc_bulk_operation_destroy(bulk);
	}
	bson_destroy(opts);
	return rc ? -1 : inserted;
}

static int load_grids(const struct app *app, struct db_ctx *db, const json_t *e, long n,
		      long jurors)
{
	if (jurors < 1) {
		fputs("seed: --gpi-grids needs at least one juror\n", stderr);
		return -1;
	}
	const char *category = json_str(json_array_get(json_object_get(e, "categories"), 0),
					"code");
	struct plan p = {"5eed9", category, true};
	const char **ids = arena_alloc(db->arena, (size_t)jurors * sizeof(*ids));
	int year = gpi_edition_year(e);
	if (insert_candidatures(db, e, &p, n) ||
	    appoint_jurors(app, db, year, category, jurors, ids))
		return -1;
	long grids = insert_grids(db, e, &p, n, ids, jurors);
	bson_error_t error;
	if (grids < 0 ||
	    gpi_grid_index_changed(
		    db, arena_printf(db->arena, "%s:%s", candidature_id(db->arena, &p, 0), ids[0]),
		    &error)) {
		fprintf(stderr, "seed: the grids could not be written%s%s\n", grids < 0 ? "" : ": ",
			grids < 0 ? "" : error.message);
		return -1;
	}
	printf("seed: %ld jurors of category %s of edition %d, %ld submitted grids (%ld already "
	       "there)\n",
	       jurors, category, year, grids, n * jurors - grids);
	return 0;
}

int gpi_synthetic_grids_load(const struct app *app, long n, long jurors)
{
	return on_current_edition(app, n, jurors, load_grids);
}
