#include "projects/synthetic.h"

#include <stdio.h>

#include "accounts/organisation.h"
#include "core/arena.h"
#include "db/doc.h"
#include "http/request.h"
#include "projects/fields.h"
#include "projects/project.h"
#include "projects/store.h"
#include "web/request_offline.h"

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
		"external_partners", "themes", json_str(theme, "_id"),
		"started_on", "2025-09-01", "visibility", "public", "members",
		"coordinator_id", "", "origin", "kind", "organisme", "label", "",
		"stage", PROJECT_STAGES[i % (STAGE_EXPERIMENTATION + 1)][0], "synthetic", 1);
}

int projects_synthetic_load(const struct app *app, long n)
{
	struct request *req = request_offline(app);
	bson_error_t error;
	json_t *orgs = organisations_active(req, &error);
	json_t *themes = orgs ? project_themes(req->db, &error) : NULL;
	int rc = 0;
	if (!themes || !json_array_size(orgs) || !json_array_size(themes)) {
		fprintf(stderr, "seed: %s\n", themes ? "no organisation or theme to draw from"
						     : error.message);
		rc = -1;
	}
	for (long i = 0; rc == 0 && i < n; i++) {
		json_t *p = project_of(i, orgs, themes);
		if (!project_insert(req, p, &error)) {
			fprintf(stderr, "seed: project %ld: %s\n", i + 1, error.message);
			rc = -1;
		}
		json_decref(p);
		if ((i + 1) % 1000 == 0)
			fprintf(stderr, "seed: %ld projects\n", i + 1);
	}
	json_decref(themes);
	json_decref(orgs);
	request_offline_free(req);
	return rc;
}
