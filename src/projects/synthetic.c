#include "projects/synthetic.h"

#include <mongoc/mongoc.h>
#include <stdio.h>

#include "accounts/organisation.h"
#include "core/app.h"
#include "core/arena.h"
#include "db/cache.h"
#include "db/db.h"
#include "db/doc.h"
#include "projects/fields.h"
#include "projects/project.h"
#include "projects/store.h"

enum { BATCH = 1000 };

/* What the synthetic projects are about: {title, problem, solution}. */
static const char *const SUBJECTS[][3] = {
	{"Accueil des nouveaux arrivants en binôme",
	 "Les nouveaux salariés se sentent seuls les premières semaines.",
	 "Un binôme volontaire et un parcours d’accueil d’une semaine."},
	{"Offres d’emploi en vidéo",
	 "Les offres écrites attirent peu de candidats pour les métiers de l’accueil.",
	 "Des vidéos courtes tournées par les équipes elles-mêmes."},
	{"Rendez-vous en visioconférence pour les assurés",
	 "Les assurés éloignés renoncent à se déplacer.",
	 "Un créneau de rendez-vous en visioconférence, pris en ligne."},
	{"Équipes autonomes au service de la relation client",
	 "Les décisions remontent trop haut et ralentissent les réponses.",
	 "Des équipes qui organisent elles-mêmes leur planning et leurs priorités."},
	{"Mesurer son empreinte carbone au bureau",
	 "Personne ne sait ce que pèsent nos usages numériques.",
	 "Une application qui estime l’empreinte des gestes quotidiens."},
};
enum { SUBJECTS_COUNT = sizeof(SUBJECTS) / sizeof(*SUBJECTS) };

/* Returns synthetic project i (deterministic). New reference. */
static json_t *project_of(long i, const json_t *orgs, const json_t *themes)
{
	const char *const *s = SUBJECTS[i % SUBJECTS_COUNT];
	const json_t *org = json_array_get(orgs, (size_t)(i % (long)json_array_size(orgs)));
	const json_t *theme = json_array_get(themes, (size_t)(i % (long)json_array_size(themes)));
	char title[200];
	snprintf(title, sizeof(title), "%s n° %ld", s[0], i + 1);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:[], s:[], s:[s], s:s, s:s, s:[], s:s, "
			 "s:{s:s, s:s}, s:s, s:b}",
			 "title", title, "summary", s[1], "problem", s[1], "solution", s[2],
			 "organisation_id", json_str(org, "_id"), "partner_organisation_ids",
			 "external_partners", "themes", json_str(theme, "_id"), "started_on",
			 "2025-09-01", "visibility", "public", "members", "coordinator_id", "",
			 "origin", "kind", "organisme", "label", "", "stage",
			 PROJECT_STAGES[i % (PROJECT_STAGE_EXPERIMENTATION + 1)][0], "synthetic",
			 1);
}

/* Adds synthetic project i to the batches: the project as the store
 * writes a new one (projects/store.h's project_insert, here without a
 * summary put in the index at each insert: one version bump at the end
 * makes every process reload it once) and its slug's claim. Returns 0,
 * or -1 with error set. */
static int add_one(struct db_ctx *db, long i, const json_t *orgs, const json_t *themes, int64_t now,
		   mongoc_bulk_operation_t *projects, mongoc_bulk_operation_t *slugs,
		   bson_error_t *error)
{
	json_t *p = project_of(i, orgs, themes);
	/* Ids of their own, the same at every run: a second run skips them. */
	const char *id = arena_printf(db->arena, "5e5e5e5e%016lx", (unsigned long)i);
	const char *slug = project_slug_base(db->arena, json_str(p, "title"));
	json_object_set_new(p, "_id", json_string(id));
	json_object_set_new(p, "slug", json_string(slug));
	json_object_set_new(p, "rev", json_integer(1));
	json_object_set_new(p, "state", json_string("active"));
	json_object_set_new(p, "pending", json_array());
	json_object_set_new(p, "indicators", json_array());
	static const char *const DATES[] = {"created_at", "updated_at", "last_activity_at"};
	for (size_t k = 0; k < sizeof(DATES) / sizeof(*DATES); k++)
		json_object_set_new(p, DATES[k], project_date(now));
	bson_t *doc = project_bson_of(p, error);
	json_decref(p);
	if (!doc)
		return -1;
	bson_t *claim = BCON_NEW("_id", BCON_UTF8(slug), "project_id", BCON_UTF8(id));
	mongoc_bulk_operation_insert(projects, doc);
	mongoc_bulk_operation_insert(slugs, claim);
	bson_destroy(doc);
	bson_destroy(claim);
	return 0;
}

int projects_synthetic_load(const struct app *app, long n)
{
	struct db_ctx *db = db_ctx_open(app->db, "seed");
	bson_error_t error;
	json_t *orgs = organisations_active(db, &error);
	json_t *themes = orgs ? project_themes(db, &error) : NULL;
	int rc = 0;
	if (!themes || !json_array_size(orgs) || !json_array_size(themes)) {
		fprintf(stderr, "seed: %s\n",
			themes ? "no organisation or theme to draw from" : error.message);
		rc = -1;
	}
	long inserted = 0, claimed = 0;
	int64_t now = doc_now_ms();
	for (long first = 0; rc == 0 && first < n; first += BATCH) {
		bson_t *opts = BCON_NEW("ordered", BCON_BOOL(false));
		mongoc_bulk_operation_t
			*projects = mongoc_collection_create_bulk_operation_with_opts(
				db_collection(db, "projects"), opts);
		mongoc_bulk_operation_t *slugs = mongoc_collection_create_bulk_operation_with_opts(
			db_collection(db, "project_slugs"), opts);
		bson_destroy(opts);
		for (long i = first; rc == 0 && i < n && i < first + BATCH; i++)
			rc = add_one(db, i, orgs, themes, now, projects, slugs, &error);
		if (rc == 0)
			rc = doc_bulk_insert(slugs, &claimed) ||
			     doc_bulk_insert(projects, &inserted);
		else
			fprintf(stderr, "seed: %s\n", error.message);
		mongoc_bulk_operation_destroy(projects);
		mongoc_bulk_operation_destroy(slugs);
	}
	if (rc == 0 && cache_version_bump(db, "projects", &error)) {
		fprintf(stderr, "seed: %s\n", error.message);
		rc = -1;
	}
	if (rc == 0)
		fprintf(stderr, "seed: %ld synthetic projects inserted\n", inserted);
	json_decref(themes);
	json_decref(orgs);
	db_ctx_close(db);
	return rc;
}
