#include "projects/demo.h"

#include <mongoc/mongoc.h>
#include <stdio.h>
#include <string.h>

#include "accounts/user.h"
#include "core/app.h"
#include "core/arena.h"
#include "core/clock.h"
#include "db/db.h"
#include "db/doc.h"
#include "projects/project.h"
#include "projects/store.h"

enum { DAY_MS = 86400000, DUPLICATE_KEY = 11000 };

/* One demo project. months: how many monthly measurements its indicator
 * has (0: no indicator). idle_days: days since its last activity. */
struct demo_project {
	const char *title, *summary, *problem, *solution, *organisation;
	enum project_stage stage;
	enum project_state state;
	const char *reason;
	const char *origin_kind; /* defi, groupe, organisme */
	int defi_year;
	const char *origin_label;
	const char *theme1, *theme2;
	const char *porteur, *member; /* demo logins */
	int idle_days, started_days_ago;
	const char *indicator, *unit;
	double baseline, target;
	bool down;
	int months;
	const char *visibility;
};

static const struct demo_project DEMO[] = {
	{"Offres d’emploi en vidéo",
	 "Des offres tournées par les équipes elles-mêmes, en une minute, pour les métiers qui peinent à recruter.",
	 "Les offres écrites attirent peu de candidats pour les postes de gestionnaire conseil.",
	 "Un kit de tournage au smartphone et un **modèle de montage** partagé.",
	 "caf-31",
	 PROJECT_STAGE_INSTITUTION,
	 PROJECT_STATE_ACTIVE,
	 NULL,
	 "defi",
	 2021,
	 "Recrut’vidéo",
	 "recrutement-integration",
	 "communication",
	 "camille.martin",
	 "nadia.lefevre",
	 8,
	 900,
	 "Candidatures par offre",
	 "candidatures",
	 6,
	 20,
	 false,
	 12,
	 "public"},
	{"Onboarding en anglais pour les profils internationaux",
	 "Un parcours d’accueil bilingue pour les informaticiens recrutés hors de France.",
	 "Les nouveaux arrivants non francophones décrochent pendant leur période d’essai.",
	 "Un livret d’accueil et des binômes parlant anglais.",
	 "urssaf-ile-de-france",
	 PROJECT_STAGE_BRANCHE,
	 PROJECT_STATE_ACTIVE,
	 NULL,
	 "defi",
	 2022,
	 "Welcome aboard",
	 "recrutement-integration",
	 "formation",
	 "nadia.lefevre",
	 "camille.martin",
	 12,
	 700,
	 "Départs pendant la période d’essai",
	 "%",
	 22,
	 8,
	 true,
	 12,
	 "staff"},
	{"Équipes autonomes à l’accueil",
	 "Des équipes qui organisent elles-mêmes leurs plannings et leurs priorités.",
	 "Les plannings imposés pèsent sur l’engagement des conseillers.",
	 "Des rituels courts et un tableau partagé.",
	 "cpam-31",
	 PROJECT_STAGE_BRANCHE,
	 PROJECT_STATE_ACTIVE,
	 NULL,
	 "defi",
	 2020,
	 "Autonomie",
	 "management",
	 "nouvelles-modalites-travail",
	 "nadia.lefevre",
	 NULL,
	 20,
	 1100,
	 "Absentéisme",
	 "%",
	 7.5,
	 5,
	 true,
	 12,
	 "public"},
	{"Application des éco-gestes au bureau",
	 "Une application pour mesurer son empreinte carbone au travail et partager les bonnes pratiques RSE.",
	 "Les agents veulent agir mais ne savent pas par où commencer.",
	 "Des défis hebdomadaires et un quiz.",
	 "carsat-midi-pyrenees",
	 PROJECT_STAGE_EXPERIMENTATION,
	 PROJECT_STATE_ACTIVE,
	 NULL,
	 "defi",
	 2022,
	 "Green Sécu",
	 "rse",
	 NULL,
	 "camille.martin",
	 NULL,
	 15,
	 600,
	 "Agents inscrits",
	 "agents",
	 0,
	 300,
	 false,
	 6,
	 "staff"},
	{"Binômes d’accueil des nouveaux embauchés",
	 "Chaque nouvel agent est accompagné trois mois par un collègue volontaire.",
	 "Un agent sur cinq quitte l’organisme dans l’année.",
	 "Un binôme formé et une grille de suivi.",
	 "caf-31",
	 PROJECT_STAGE_EXPERIMENTATION,
	 PROJECT_STATE_ACTIVE,
	 NULL,
	 "defi",
	 2023,
	 "Les parrains",
	 "recrutement-integration",
	 "management",
	 "camille.martin",
	 "nadia.lefevre",
	 5,
	 400,
	 "Départs dans l’année",
	 "%",
	 20,
	 10,
	 true,
	 5,
	 "staff"},
	{"Forum des métiers en ligne",
	 "Une journée de découverte des métiers de la Sécurité sociale, ouverte aux étudiants.",
	 "Les métiers de l’Institution sont mal connus des jeunes diplômés.",
	 "Des stands virtuels animés par des agents.",
	 "cnav",
	 PROJECT_STAGE_PROTOTYPE,
	 PROJECT_STATE_ACTIVE,
	 NULL,
	 "defi",
	 2023,
	 "Sécu Métiers",
	 "recrutement-integration",
	 "communication",
	 "nadia.lefevre",
	 NULL,
	 30,
	 350,
	 NULL,
	 NULL,
	 0,
	 0,
	 false,
	 0,
	 "public"},
	{"Télétravail\u202f: la charte co-écrite",
	 "Une charte du travail hybride écrite avec les équipes, service par service.",
	 "Les règles du télétravail variaient d’un service à l’autre.",
	 "Des ateliers d’écriture et une charte commune.",
	 "msa-auvergne",
	 PROJECT_STAGE_PROTOTYPE,
	 PROJECT_STATE_ACTIVE,
	 NULL,
	 "groupe",
	 0,
	 "Nouveaux outils collaboratifs",
	 "nouvelles-modalites-travail",
	 NULL,
	 "camille.martin",
	 NULL,
	 75,
	 500,
	 NULL,
	 NULL,
	 0,
	 0,
	 false,
	 0,
	 "staff"},
	{"Mutualiser les MOOC de présentation des branches",
	 "Des modules en ligne communs pour présenter chaque branche aux nouveaux agents.",
	 "Chaque branche produit ses propres contenus sur les mêmes sujets.",
	 "Un catalogue commun de modules courts.",
	 "ucanss",
	 PROJECT_STAGE_IDEE,
	 PROJECT_STATE_ACTIVE,
	 NULL,
	 "groupe",
	 0,
	 "Apprentissage numérique",
	 "formation",
	 NULL,
	 "nadia.lefevre",
	 NULL,
	 90,
	 400,
	 NULL,
	 NULL,
	 0,
	 0,
	 false,
	 0,
	 "public"},
	{"Chasse aux irritants du poste de travail",
	 "Recenser et corriger les petits dysfonctionnements du système d’information qui gênent chaque jour.",
	 "Les irritants s’accumulent sans être remontés.",
	 "Un formulaire de signalement et un comité mensuel.",
	 "cnaf",
	 PROJECT_STAGE_EXPERIMENTATION,
	 PROJECT_STATE_ACTIVE,
	 NULL,
	 "groupe",
	 0,
	 "Irritants du système d’information",
	 "outils-collaboratifs",
	 NULL,
	 "camille.martin",
	 NULL,
	 70,
	 800,
	 "Irritants corrigés",
	 "irritants",
	 0,
	 50,
	 false,
	 4,
	 "staff"},
	{"Culture numérique pour tous",
	 "Des ateliers pour que personne ne reste à l’écart des outils numériques.",
	 "Certains agents se sentent isolés face aux nouveaux outils.",
	 "Des ambassadeurs numériques dans chaque site.",
	 "carsat-bretagne",
	 PROJECT_STAGE_PROTOTYPE,
	 PROJECT_STATE_PAUSED,
	 "En attente du nouveau plan de formation.",
	 "groupe",
	 0,
	 "Culture numérique",
	 "formation",
	 "outils-collaboratifs",
	 "nadia.lefevre",
	 NULL,
	 120,
	 700,
	 NULL,
	 NULL,
	 0,
	 0,
	 false,
	 0,
	 "staff"},
	{"Rendez-vous des droits en visioconférence",
	 "Des rendez-vous à distance pour les assurés éloignés des agences.",
	 "Les assurés ruraux renoncent à se déplacer.",
	 "Un créneau visio réservable en ligne.",
	 "cpam-31",
	 PROJECT_STAGE_BRANCHE,
	 PROJECT_STATE_ACTIVE,
	 NULL,
	 "organisme",
	 0,
	 NULL,
	 "acces-droits",
	 "relation-usagers",
	 "nadia.lefevre",
	 "camille.martin",
	 3,
	 800,
	 "Rendez-vous honorés",
	 "%",
	 60,
	 85,
	 false,
	 12,
	 "public"},
	{"Rappel des assurés fragiles en période de crise",
	 "Une liste d’appels sortants vers les assurés les plus fragiles pendant une crise.",
	 "Les assurés isolés restent sans nouvelles pendant les crises.",
	 "Un ciblage et un script d’appel.",
	 "cgss-reunion",
	 PROJECT_STAGE_EXPERIMENTATION,
	 PROJECT_STATE_ACTIVE,
	 NULL,
	 "organisme",
	 0,
	 NULL,
	 "continuite-activite",
	 "acces-droits",
	 "camille.martin",
	 NULL,
	 95,
	 650,
	 NULL,
	 NULL,
	 0,
	 0,
	 false,
	 0,
	 "staff"},
	{"Simulation annuelle de cyberattaque",
	 "Un exercice grandeur nature pour préparer les équipes à une attaque informatique.",
	 "Les plans de continuité n’ont jamais été éprouvés.",
	 "Un scénario et un retour d’expérience.",
	 "urssaf-aquitaine",
	 PROJECT_STAGE_PROTOTYPE,
	 PROJECT_STATE_ACTIVE,
	 NULL,
	 "organisme",
	 0,
	 NULL,
	 "continuite-activite",
	 "rgpd",
	 "nadia.lefevre",
	 NULL,
	 10,
	 300,
	 NULL,
	 NULL,
	 0,
	 0,
	 false,
	 0,
	 "team"},
	{"Registre RGPD partagé",
	 "Un registre des traitements commun aux organismes d’une même région.",
	 "Chaque organisme tient son registre seul.",
	 "Un modèle commun et une revue croisée.",
	 "carsat-languedoc-roussillon",
	 PROJECT_STAGE_IDEE,
	 PROJECT_STATE_ACTIVE,
	 NULL,
	 "organisme",
	 0,
	 NULL,
	 "rgpd",
	 NULL,
	 "camille.martin",
	 NULL,
	 62,
	 200,
	 NULL,
	 NULL,
	 0,
	 0,
	 false,
	 0,
	 "staff"},
	{"Podcast des agents",
	 "Un podcast interne où les agents racontent leur métier.",
	 "La communication interne peine à toucher les équipes de terrain.",
	 "Un épisode par mois, enregistré sur site.",
	 "caf-31",
	 PROJECT_STAGE_EXPERIMENTATION,
	 PROJECT_STATE_ABANDONED,
	 "Le studio d’enregistrement n’a pas pu être financé.",
	 "organisme",
	 0,
	 NULL,
	 "communication",
	 NULL,
	 "camille.martin",
	 NULL,
	 200,
	 900,
	 NULL,
	 NULL,
	 0,
	 0,
	 false,
	 0,
	 "staff"},
	{"Accueil sans rendez-vous repensé",
	 "Un parcours d’accueil plus court pour les démarches simples.",
	 "Les files d’attente s’allongent le lundi matin.",
	 "Un pré-accueil et des bornes.",
	 "cpam-31",
	 PROJECT_STAGE_PROTOTYPE,
	 PROJECT_STATE_ACTIVE,
	 NULL,
	 "defi",
	 2021,
	 "Fil rouge",
	 "relation-usagers",
	 NULL,
	 "nadia.lefevre",
	 NULL,
	 140,
	 850,
	 NULL,
	 NULL,
	 0,
	 0,
	 false,
	 0,
	 "staff"},
	{"Mentorat inversé numérique",
	 "Les jeunes recrues forment les cadres aux outils collaboratifs, et inversement sur le métier.",
	 "Les générations se croisent peu au travail.",
	 "Des binômes mensuels.",
	 "urssaf-midi-pyrenees",
	 PROJECT_STAGE_IDEE,
	 PROJECT_STATE_ACTIVE,
	 NULL,
	 "defi",
	 2023,
	 "Génération Sécu",
	 "management",
	 "outils-collaboratifs",
	 "camille.martin",
	 NULL,
	 4,
	 120,
	 NULL,
	 NULL,
	 0,
	 0,
	 false,
	 0,
	 "staff"},
	{"Covoiturage entre sites",
	 "Une plateforme de covoiturage entre les sites d’un même organisme.",
	 "Les trajets domicile-travail pèsent sur le bilan carbone.",
	 "Un service de mise en relation.",
	 "msa-alsace",
	 PROJECT_STAGE_IDEE,
	 PROJECT_STATE_ACTIVE,
	 NULL,
	 "defi",
	 2022,
	 "Roulons ensemble",
	 "rse",
	 NULL,
	 "nadia.lefevre",
	 NULL,
	 160,
	 700,
	 NULL,
	 NULL,
	 0,
	 0,
	 false,
	 0,
	 "staff"},
	{"Fidéliser par la mobilité interne",
	 "Une bourse des mobilités entre organismes voisins.",
	 "Des agents partent faute de perspectives locales.",
	 "Des annonces partagées et des immersions d’une semaine.",
	 "carsat-rhone-alpes",
	 PROJECT_STAGE_PROTOTYPE,
	 PROJECT_STATE_ACTIVE,
	 NULL,
	 "defi",
	 2023,
	 "Bouger sans partir",
	 "recrutement-integration",
	 "management",
	 "camille.martin",
	 NULL,
	 25,
	 330,
	 "Mobilités internes réalisées",
	 "mobilités",
	 2,
	 15,
	 false,
	 3,
	 "staff"},
	{"Lettre interne commune",
	 "Une lettre d’information partagée entre cinq organismes voisins.",
	 "Chaque organisme publie sa lettre, souvent sur les mêmes sujets.",
	 "Une rédaction tournante.",
	 "caf-31",
	 PROJECT_STAGE_BRANCHE,
	 PROJECT_STATE_ACTIVE,
	 NULL,
	 "organisme",
	 0,
	 NULL,
	 "communication",
	 NULL,
	 "camille.martin",
	 "nadia.lefevre",
	 40,
	 1000,
	 "Taux d’ouverture",
	 "%",
	 35,
	 50,
	 false,
	 12,
	 "public"},
	{"Visioconférence pour la cellule de crise",
	 "Un mode opératoire pour réunir la cellule de crise à distance en dix minutes.",
	 "La cellule de crise mettait une heure à se réunir.",
	 "Une salle virtuelle permanente et une fiche réflexe.",
	 "cnam",
	 PROJECT_STAGE_EXPERIMENTATION,
	 PROJECT_STATE_ACTIVE,
	 NULL,
	 "organisme",
	 0,
	 NULL,
	 "continuite-activite",
	 "outils-collaboratifs",
	 "nadia.lefevre",
	 NULL,
	 18,
	 500,
	 "Délai de réunion",
	 "minutes",
	 60,
	 10,
	 true,
	 4,
	 "staff"},
	{"Formation des managers au télétravail",
	 "Un module pour manager des équipes à distance.",
	 "Les managers se sentent démunis face aux équipes hybrides.",
	 "Trois demi-journées et un réseau d’entraide.",
	 "ccmsa",
	 PROJECT_STAGE_PROTOTYPE,
	 PROJECT_STATE_ACTIVE,
	 NULL,
	 "groupe",
	 0,
	 "Nouveaux outils collaboratifs",
	 "management",
	 "formation",
	 "camille.martin",
	 NULL,
	 66,
	 450,
	 NULL,
	 NULL,
	 0,
	 0,
	 false,
	 0,
	 "staff"},
	{"Simulateur de droits en langage clair",
	 "Un simulateur qui explique les droits sans jargon administratif.",
	 "Les assurés ne comprennent pas les courriers.",
	 "Des phrases courtes testées avec des usagers.",
	 "cnaf",
	 PROJECT_STAGE_IDEE,
	 PROJECT_STATE_ACTIVE,
	 NULL,
	 "organisme",
	 0,
	 NULL,
	 "acces-droits",
	 "relation-usagers",
	 "nadia.lefevre",
	 NULL,
	 2,
	 60,
	 NULL,
	 NULL,
	 0,
	 0,
	 false,
	 0,
	 "public"},
	{"Journée d’immersion des nouveaux managers",
	 "Les nouveaux managers passent une journée dans chaque service.",
	 "Les managers connaissent mal les autres métiers.",
	 "Un programme d’immersion.",
	 "urssaf-bretagne",
	 PROJECT_STAGE_EXPERIMENTATION,
	 PROJECT_STATE_PAUSED,
	 "Reprise prévue après la réorganisation.",
	 "defi",
	 2021,
	 "Vis ma vie",
	 "management",
	 NULL,
	 "camille.martin",
	 NULL,
	 80,
	 800,
	 "Managers accueillis",
	 "managers",
	 0,
	 30,
	 false,
	 6,
	 "staff"},
	{"Signature électronique des contrats de travail",
	 "Des contrats signés en ligne dès la promesse d’embauche.",
	 "Les candidats attendent leur contrat plusieurs semaines.",
	 "Un circuit de signature sécurisé.",
	 "urssaf-caisse-nationale",
	 PROJECT_STAGE_PROTOTYPE,
	 PROJECT_STATE_ACTIVE,
	 NULL,
	 "defi",
	 2022,
	 "Signé\u202f!",
	 "recrutement-integration",
	 "outils-collaboratifs",
	 "nadia.lefevre",
	 NULL,
	 7,
	 500,
	 NULL,
	 NULL,
	 0,
	 0,
	 false,
	 0,
	 "staff"},
};

/* The published demo practice the roll-out project became. */
static const char LINKED_PRACTICE_SLUG[] =
	"charte-du-travail-hybride-co-construite-avec-les-equipes";

struct demo_ctx {
	struct db_ctx *db;
	int64_t now;
};

/* Returns the demo account login@example.org, or NULL (logged). */
static struct user *account(struct demo_ctx *d, const char *login)
{
	bson_error_t error;
	struct user *u = user_find_email(d->db, arena_printf(d->db->arena, "%s@example.org", login),
					 &error);
	if (!u)
		fprintf(stderr, "seed: demo account %s@example.org: %s\n", login,
			error.code ? error.message : "missing");
	return u;
}

/* Returns the "YYYY-MM-DD" of instant ms (UTC, arena). */
static const char *day_of(struct arena *a, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	return arena_printf(a, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* Inserts doc (JSON) into collection. Returns 1 inserted, 0 already
 * there, -1 error (logged). */
static int insert(struct demo_ctx *d, const char *collection, const json_t *doc)
{
	bson_error_t error;
	bson_t *b = project_bson_of(doc, &error);
	bool ok = b && mongoc_collection_insert_one(db_collection(d->db, collection), b, NULL, NULL,
						    &error);
	bson_destroy(b);
	if (ok)
		return 1;
	if (error.code == DUPLICATE_KEY)
		return 0;
	fprintf(stderr, "seed: demo project: %s\n", error.message);
	return -1;
}

/* Returns the members of demo project p. New reference, or NULL. */
static json_t *members_of(struct demo_ctx *d, const struct demo_project *p)
{
	struct user *porteur = account(d, p->porteur);
	struct user *member = p->member ? account(d, p->member) : NULL;
	if (!porteur || (p->member && !member))
		return NULL;
	json_t *m = json_pack("[{s:s, s:s, s:s}]", "user_id", porteur->id, "name", porteur->name,
			      "role", "porteur");
	if (member)
		json_array_append_new(m, json_pack("{s:s, s:s, s:s}", "user_id", member->id, "name",
						   member->name, "role", "membre"));
	return m;
}

/* Writes the monthly measurements of p's indicator iid ending at last_ms,
 * and returns the indicator as the project keeps it (new reference). */
static json_t *indicator_of(struct demo_ctx *d, const struct demo_project *p, const char *pid,
			    int64_t last_ms)
{
	const char *iid = arena_printf(d->db->arena, "%s01", pid + 8);
	json_t *ms = json_array();
	double step = p->months > 1 ? (p->target - p->baseline) * 0.8 / (p->months - 1) : 0;
	for (int i = 0; i < p->months; i++) {
		int64_t at = last_ms - (int64_t)(p->months - 1 - i) * 30 * DAY_MS;
		double wobble = (i % 3 == 1 ? 0.04 : -0.02) * (p->target - p->baseline);
		double v = p->baseline + step * i + (i ? wobble : 0);
		json_array_append_new(ms, json_pack("{s:s, s:f}", "date", day_of(d->db->arena, at),
						    "value", (double)(long long)(v * 10) / 10));
	}
	json_t *series = json_pack("{s:s, s:i, s:O}", "_id",
				   arena_printf(d->db->arena, "%s:%s", pid, iid), "rev", 1,
				   "measurements", ms);
	int rc = insert(d, "project_indicators", series);
	json_decref(series);
	json_t *last = json_array_get(ms, json_array_size(ms) - 1);
	json_t *ind = json_pack("{s:s, s:s, s:s, s:f, s:f, s:s, s:i}", "id", iid, "name",
				p->indicator, "unit", p->unit, "baseline", p->baseline, "target",
				p->target, "direction", p->down ? "down" : "up", "measurements",
				(int)json_array_size(ms));
	if (last) {
		json_object_set(ind, "latest_date", json_object_get(last, "date"));
		json_object_set(ind, "latest_value", json_object_get(last, "value"));
	}
	json_decref(ms);
	if (rc < 0) {
		json_decref(ind);
		return NULL;
	}
	return ind;
}

/* Writes the timeline of p: its creation and each stage it reached,
 * spread between its start and its last activity. Returns 0 or -1. */
static int timeline_of(struct demo_ctx *d, const struct demo_project *p, const char *pid,
		       int64_t start_ms, int64_t last_ms, const json_t *members)
{
	const char *by = json_str(json_array_get(members, 0), "name");
	const char *list = arena_printf(d->db->arena, "project-events:%s", pid);
	bson_error_t error;
	for (int s = 0; s <= (int)p->stage; s++) {
		int64_t at = start_ms + (last_ms - start_ms) * s / ((int)p->stage + 1);
		json_t *e = json_pack("{s:s, s:s, s:o, s:s, s:s, s:s}", "project_id", pid, "kind",
				      "move", "at", project_date(at), "by_name",
				      s ? "Julien Moreau" : by, "to", PROJECT_STAGES[s][0], "note",
				      s ? "Étape validée par la coordination du Lab."
					: "Création du projet");
		if (s)
			json_object_set_new(e, "from", json_string(PROJECT_STAGES[s - 1][0]));
		const char *id = project_insert_child(d->db, "project_events", list, e, &error);
		json_decref(e);
		if (!id) {
			fprintf(stderr, "seed: demo timeline: %s\n", error.message);
			return -1;
		}
	}
	return 0;
}

/* Returns the id of the published demo practice the roll-out project
 * became (arena), or "" when it is not there. */
static const char *linked_practice(struct demo_ctx *d)
{
	bson_error_t error;
	bson_t *slug = doc_find_id(d->db, "practice_slugs", LINKED_PRACTICE_SLUG, &error);
	const char *id = slug ? doc_string(d->db->arena, slug, "practice_id") : NULL;
	if (slug)
		bson_destroy(slug);
	return id ? id : "";
}

static int load_one(struct demo_ctx *d, size_t i, const char *coordinator_id)
{
	const struct demo_project *p = &DEMO[i];
	const char *pid = arena_printf(d->db->arena, "de50000000000000000000%02zx", i);
	json_t *members = members_of(d, p);
	if (!members)
		return -1;
	int64_t last = d->now - (int64_t)p->idle_days * DAY_MS;
	int64_t start = d->now - (int64_t)p->started_days_ago * DAY_MS;
	json_t *indicators = json_array();
	if (p->indicator && p->months) {
		json_t *ind = indicator_of(d, p, pid, last);
		if (!ind) {
			json_decref(members);
			json_decref(indicators);
			return -1;
		}
		json_array_append_new(indicators, ind);
	}
	json_t *themes = json_pack("[s]", p->theme1);
	if (p->theme2)
		json_array_append_new(themes, json_string(p->theme2));
	json_t *origin = json_pack("{s:s}", "kind", p->origin_kind);
	if (p->defi_year)
		json_object_set_new(origin, "year", json_integer(p->defi_year));
	if (p->origin_label)
		json_object_set_new(origin, "label", json_string(p->origin_label));
	const char *slug = project_slug_base(d->db->arena, p->title);
	json_t *doc = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[], s:[], s:o, s:s, s:s, s:o, s:s, s:o, s:s, "
		"s:s, s:s, s:o, s:[], s:I, s:o, s:o, s:o, s:b}",
		"_id", pid, "slug", slug, "title", p->title, "summary", p->summary, "problem",
		p->problem, "solution", p->solution, "organisation_id", p->organisation,
		"partner_organisation_ids", "external_partners", "themes", themes, "started_on",
		day_of(d->db->arena, start), "visibility", p->visibility, "members", members,
		"coordinator_id", i % 3 ? coordinator_id : "", "origin", origin, "stage",
		PROJECT_STAGES[p->stage][0], "state", PROJECT_STATES[p->state][0], "state_reason",
		p->reason ? p->reason : "", "indicators", indicators, "pending", "rev",
		(json_int_t)1, "created_at", project_date(start), "updated_at", project_date(last),
		"last_activity_at", project_date(last), "example", true);
	if (p->stage == PROJECT_STAGE_INSTITUTION)
		json_object_set_new(doc, "practice_id", json_string(linked_practice(d)));
	json_t *claim = json_pack("{s:s, s:s}", "_id", slug, "project_id", pid);
	int rc = insert(d, "project_slugs", claim);
	json_decref(claim);
	if (rc == 1)
		rc = insert(d, "projects", doc);
	if (rc == 1)
		rc = timeline_of(d, p, pid, start, last, members);
	json_decref(doc);
	return rc < 0 ? -1 : 0;
}

int projects_demo_load(const struct app *app)
{
	struct demo_ctx d = {.db = db_ctx_open(app->db, "seed"), .now = clock_now_ms()};
	struct user *coordinator = account(&d, "julien.moreau");
	int rc = coordinator ? 0 : -1;
	for (size_t i = 0; rc == 0 && i < sizeof(DEMO) / sizeof(*DEMO); i++)
		rc = load_one(&d, i, coordinator->id);
	bson_error_t error;
	if (rc == 0 && project_changed(d.db, NULL, &error)) {
		fprintf(stderr, "seed: demo projects: %s\n", error.message);
		rc = -1;
	}
	if (rc == 0)
		printf("seed: %zu demo projects loaded\n", sizeof(DEMO) / sizeof(*DEMO));
	db_ctx_close(d.db);
	return rc;
}
