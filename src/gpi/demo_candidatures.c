#include "gpi/demo_candidatures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accounts/user.h"
#include "core/app.h"
#include "core/arena.h"
#include "core/clock.h"
#include "db/db.h"
#include "db/doc.h"
#include "files/store.h"
#include "gpi/candidature.h"
#include "gpi/edition.h"

/* The demo project the draft is filed from (projects/demo.c's first:
 * "Offres d'emploi en vidéo", caf-31, Camille Martin's). */
#define DEMO_PROJECT "de5000000000000000000000"

/* One demo candidature. */
struct demo_cand {
	bool current;         /* in the open edition (else 2022) */
	const char *category; /* a code of both editions */
	enum gpi_status status;
	const char *reason; /* irrecevable: the article 5 reason's code */
	const char *title, *summary, *results;
	int started_years_back; /* the start date: 1 June this many years
				 * before the edition */
	bool completed, endowment;
	const char *organisation; /* NULL: Camille Martin's caf-31 */
	bool withdrawn;           /* its one named person withdrew from publication */
};

static const struct demo_cand DEMO[] = {
	{true, "relation-usagers", GPI_STATUS_DEPOSEE, NULL,
	 "Rendez-vous en visio pour les allocataires",
	 "Les allocataires choisissent un rendez-vous en visioconférence depuis leur espace, "
	 "avec le même conseiller d’un échange à l’autre.",
	 "Sur un an, 4 200 rendez-vous en visio ont été tenus\u202f; 92 % des allocataires se disent "
	 "satisfaits et les déplacements en agence ont baissé de 18 %. Le délai moyen d’obtention "
	 "d’un rendez-vous est passé de neuf à trois jours ouvrés, mesuré chaque mois sur le "
	 "portail.",
	 2, true, true, NULL, false},
	{true, "rh", GPI_STATUS_RECEVABLE, NULL, "Parrainage des nouveaux gestionnaires",
	 "Chaque nouveau gestionnaire conseil est accompagné six mois par un pair volontaire, "
	 "formé au tutorat.",
	 "Le taux de départ dans la première année est passé de 21 % à 9 % en deux promotions\u202f; "
	 "le temps de prise en main du poste a baissé d’un tiers selon les responsables d’équipe, "
	 "et 87 % des parrainés recommandent le dispositif dans l’enquête de fin de parcours.",
	 2, true, false, NULL, false},
	{true, "environnementale", GPI_STATUS_IRRECEVABLE, "hors-periode",
	 "Flotte de vélos de service",
	 "Des vélos à assistance électrique pour les visites à domicile en centre-ville.",
	 "Les déplacements en voiture de service ont baissé de 40 % sur les trajets de moins de "
	 "cinq kilomètres, soit 3,2 tonnes de CO2 évitées par an selon le bilan carbone de "
	 "l’organisme, et les visites durent en moyenne douze minutes de moins qu’avant.",
	 5, true, true, NULL, false},
	{false, "sociale", GPI_STATUS_RECEVABLE, NULL, "Accueil sans rendez-vous des aidants",
	 "Un guichet réservé aux aidants familiaux, deux matinées par semaine.",
	 "En 2021, 1 150 aidants ont été reçus\u202f; 64 % ont ouvert un droit qu’ils ignoraient, et "
	 "le nombre de réclamations liées aux dossiers d’aidants a diminué de moitié sur "
	 "l’année, mesuré par le service qualité de l’organisme à partir des réclamations.",
	 2, true, true, NULL, false},
	{false, "territoriale", GPI_STATUS_DEPOSEE, NULL, "Bus France services en zone rurale",
	 "Un bus aménagé assure une permanence hebdomadaire dans douze communes éloignées.",
	 "Douze communes desservies chaque semaine, 2 300 personnes reçues la première année, "
	 "dont 40 % n’avaient jamais contacté l’organisme\u202f; le délai de traitement de leurs "
	 "demandes est le même qu’en agence, selon le suivi mensuel du service.",
	 1, true, false, NULL, false},
	{false, "rsi", GPI_STATUS_IRRECEVABLE, "sans-resultats", "Chatbot des indépendants",
	 "Un assistant conversationnel répond aux questions fréquentes des travailleurs "
	 "indépendants.",
	 "L’expérimentation vient de commencer.", 1, false, true, NULL, false},
	/* Issue 13: 2022's finalists and laureates (gpi/demo_results.c), and
	 * the open edition's admissible "rh" candidatures its jurors score. */
	{false, "relation-usagers", GPI_STATUS_FINALISTE, NULL,
	 "Accueil des assurés en langue des signes",
	 "Un accueil en visio avec un interprète en langue des signes, dans chaque agence.",
	 "En 2021, 640 rendez-vous tenus avec un interprète\u202f; 95 % des personnes sourdes reçues "
	 "disent avoir tout compris de leur dossier, contre 40 % avant, selon l’enquête menée "
	 "avec l’association départementale.",
	 2, true, false, "cpam-31", true},
	{false, "relation-usagers", GPI_STATUS_FINALISTE, NULL, "Simulateur de retraite en agence",
	 "Un conseiller simule avec l’assuré sa retraite sur grand écran, carrière à l’appui.",
	 "3 100 simulations en 2021\u202f; les demandes de régularisation de carrière déposées "
	 "complètes sont passées de 55 % à 83 %, mesuré par le service retraite.",
	 2, true, true, "carsat-midi-pyrenees", false},
	{false, "relation-usagers", GPI_STATUS_FINALISTE, NULL, "Courriers en français clair",
	 "Les 40 courriers les plus envoyés réécrits avec des usagers volontaires.",
	 "Les appels qui suivent l’envoi d’un courrier ont baissé de 27 % en un an sur les 40 "
	 "modèles réécrits, selon la plateforme téléphonique.",
	 3, true, true, "urssaf-caisse-nationale", false},
	{false, "relation-usagers", GPI_STATUS_NON_RETENUE, NULL, "Borne d’accueil multilingue",
	 "Une borne qui oriente les visiteurs en huit langues.",
	 "1 800 visiteurs orientés par la borne en 2021, dont 30 % dans une autre langue que le "
	 "français, selon les statistiques de la borne.",
	 1, true, true, NULL, false},
	{false, "environnementale", GPI_STATUS_FINALISTE, NULL, "Médiation numérique sobre",
	 "Des ateliers de médiation numérique sur des ordinateurs reconditionnés.",
	 "120 ordinateurs reconditionnés au lieu d’être achetés neufs, 14 tonnes de CO2 évitées, "
	 "et 900 personnes formées à leurs démarches en ligne en 2021.",
	 2, true, true, "carsat-bretagne", false},
	{false, "environnementale", GPI_STATUS_FINALISTE, NULL, "Archives numérisées sans papier",
	 "La numérisation des dossiers retraite à l’arrivée, papier recyclé ensuite.",
	 "27 tonnes de papier en moins par an et des dossiers consultables en un jour au lieu de "
	 "huit, mesuré par le service des archives.",
	 2, true, true, "cnav", false},
	{false, "environnementale", GPI_STATUS_FINALISTE, NULL, "Tri des déchets en agence",
	 "Le tri sélectif et le compostage dans les douze agences du département.",
	 "Les déchets non triés ont baissé de 60 % en un an, selon les pesées du prestataire.", 2,
	 true, true, NULL, false},
	{true, "rh", GPI_STATUS_RECEVABLE, NULL, "Télétravail accompagné des managers",
	 "Un parcours de formation des managers d’équipes en télétravail.",
	 "210 managers formés en un an\u202f; la satisfaction des équipes sur l’organisation du "
	 "travail est passée de 61 % à 78 % au baromètre social.",
	 2, true, true, "cpam-31", false},
	{true, "rh", GPI_STATUS_RECEVABLE, NULL, "Intégration des alternants en anglais",
	 "Un livret et un parcours d’accueil en anglais pour les alternants étrangers.",
	 "34 alternants accueillis avec le parcours\u202f; 31 ont terminé leur contrat, contre la "
	 "moitié avant, selon le service formation.",
	 2, true, true, "carsat-midi-pyrenees", false},
	{true, "rh", GPI_STATUS_RECEVABLE, NULL, "Offres d’emploi en vidéo",
	 "Des offres d’emploi présentées en vidéo par les équipes qui recrutent.",
	 "Les candidatures reçues par offre ont doublé en un an et les postes restent vacants "
	 "trois semaines de moins, selon le service recrutement.",
	 2, true, true, "urssaf-caisse-nationale", false},
};

/* A small one-page PDF for the demo dossiers. */
static const char PDF[] = "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
			  "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
			  "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
			  "trailer << /Root 1 0 R >>\n%%EOF\n";

/* Stores the demo PDF as a dossier of candidature id. Returns the file's
 * id (arena), or NULL (logged). */
static const char *store_pdf(struct db_ctx *db, const char *id)
{
	char path[] = "/tmp/cousilab-demo-dossier-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, PDF, sizeof(PDF) - 1) != (ssize_t)(sizeof(PDF) - 1)) {
		perror("seed: demo dossier");
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	close(fd);
	bson_error_t error;
	const char *fid = file_store_put(db_client(db), db_name(db), db->arena, path,
					 sizeof(PDF) - 1, "dossier-de-candidature.pdf", FILE_PDF,
					 "candidature", id, &error);
	unlink(path);
	if (!fid)
		fprintf(stderr, "seed: demo dossier: %s\n", error.message);
	return fid;
}

/* What the second write of a demo candidature sets. */
struct demo_state {
	const struct demo_cand *d;
	const char *file_id, *by_id;
	int64_t at;
};

static int set_state(json_t *cand, void *ctx)
{
	const struct demo_state *s = ctx;
	if (s->file_id)
		json_object_set_new(cand, "dossier",
				    json_pack("{s:s, s:s, s:I, s:I}", "file_id", s->file_id, "name",
					      "dossier-de-candidature.pdf", "bytes",
					      (json_int_t)(sizeof(PDF) - 1), "at",
					      (json_int_t)s->at));
	if (s->d->status == GPI_STATUS_BROUILLON)
		return 0;
	json_object_set_new(cand, "status", json_string(GPI_STATUSES[s->d->status][0]));
	json_object_set_new(cand, "submitted_at_ms", json_integer(s->at));
	if (s->d->status != GPI_STATUS_DEPOSEE)
		json_object_set_new(
			cand, "admissibility",
			json_pack("{s:b, s:s, s:s, s:s, s:I}", "admissible",
				  s->d->status != GPI_STATUS_IRRECEVABLE, "reason",
				  s->d->reason ? s->d->reason : "", "comment",
				  s->d->reason ? "Exemple\u202f: motif relevé à l’analyse du dossier."
					       : "",
				  "by_id", s->by_id, "at", (json_int_t)s->at));
	return 0;
}

/* Returns the body of demo candidature d of edition year. New reference. */
static json_t *body_of(const struct demo_cand *d, int year)
{
	char started[16], email[96];
	snprintf(started, sizeof(started), "%d-06-01", year - d->started_years_back);
	const char *org = d->organisation ? d->organisation : "caf-31";
	snprintf(email, sizeof(email), "contact.%s@example.org", org);
	return json_pack(
		"{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
		"s:[], s:[{s:s, s:s, s:s}], s:[{s:s, s:s, s:s, s:b}], s:s, s:s, s:[]}",
		"year", year, "organisation_id", org, "category", d->category, "title", d->title,
		"summary", d->summary, "objectives",
		"Simplifier le parcours des personnes concernées et réduire les délais.", "actions",
		"Une équipe projet, une expérimentation sur un site pilote, puis l’extension.",
		"started_on", started, "completed", d->completed, "results", d->results, "costs",
		"Court terme\u202f: 15 000 € d’équipement.\n\nMoyen terme\u202f: 3 000 € par an.", "savings",
		"Moins de déplacements et de réclamations\u202f: environ 20 000 € par an.",
		"generalisation", "Reproductible dans tout organisme, sans développement.",
		"interbranch", "Partagé avec la CPAM voisine.", "impact",
		"Une meilleure image auprès des publics reçus.", "endowment_use",
		d->endowment ? "Former d’autres organismes à la démarche." : "",
		"partner_organisation_ids", "contacts", "name",
		d->organisation ? "Contact (exemple)" : "Camille Martin", "email",
		d->organisation ? email : "camille.martin@example.org", "phone", "05 00 00 00 00",
		"people", "id", "0000000000000001", "name", "Lucie Fabre (exemple)", "role",
		"Cheffe de projet", "publication_withdrawn", d->withdrawn, "project_id", "",
		"project_slug", "", "indicators");
}

/* The draft filed from the demo project: its facts, as the project page's
 * "Candidater au Grand Prix" takes them, left without dossier. */
static json_t *draft_of_project(struct db_ctx *db, int year)
{
	bson_error_t error;
	json_t *p = doc_find_id_json(db, "projects", DEMO_PROJECT, &error);
	if (!p) {
		fprintf(stderr, "seed: demo project %s: %s\n", DEMO_PROJECT,
			error.code ? error.message : "missing");
		return NULL;
	}
	json_t *indicators = json_array(), *ind;
	size_t i;
	json_array_foreach(json_object_get(p, "indicators"), i, ind)
		json_array_append_new(
			indicators, json_pack("{s:s, s:s, s:O*, s:O*, s:s, s:s, s:O*}", "name",
					      json_str(ind, "name"), "unit", json_str(ind, "unit"),
					      "baseline", json_object_get(ind, "baseline"),
					      "target", json_object_get(ind, "target"), "direction",
					      json_str(ind, "direction"), "latest_date",
					      json_str(ind, "latest_date"), "latest_value",
					      json_object_get(ind, "latest_value")));
	json_t *body = json_pack(
		"{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:o, s:s, s:s, s:[], s:[], s:[]}",
		"year", year, "organisation_id", "caf-31", "category", "rh", "title",
		json_str(p, "title"), "summary", json_str(p, "summary"), "objectives",
		json_str(p, "problem"), "actions", json_str(p, "solution"), "started_on",
		json_str(p, "started_on"), "completed", false, "indicators", indicators,
		"project_id", DEMO_PROJECT, "project_slug", json_str(p, "slug"),
		"partner_organisation_ids", "contacts", "people");
	json_decref(p);
	return body;
}

/* Inserts body (stolen) by u, then brings it to d's state. Returns 0 or
 * -1 (logged); an insert refused because the project already filed in
 * that category (a demo loaded before) is 0. */
static int load_one(struct db_ctx *db, const struct user *u, json_t *body,
		    const struct demo_cand *d, int64_t at)
{
	bson_error_t error;
	if (!body)
		fprintf(stderr, "seed: a demo candidature has no body\n");
	const char *id = body ? gpi_candidature_insert(db, body, u->id, true, &error) : NULL;
	json_decref(body);
	if (!id) {
		if (body && error.domain == GPI_ERROR_DOMAIN && error.code == GPI_ERROR_TAKEN)
			return 0;
		if (body)
			fprintf(stderr, "seed: demo candidature: %s\n", error.message);
		return -1;
	}
	if (!d)
		return 0;
	struct demo_state s = {d, store_pdf(db, id), u->id, at};
	if (!s.file_id || gpi_candidature_write(db, id, u->id, 0, set_state, &s, NULL, &error)) {
		if (s.file_id)
			fprintf(stderr, "seed: demo candidature: %s\n", error.message);
		return -1;
	}
	return 0;
}

int gpi_demo_candidatures_load(const struct app *app)
{
	struct db_ctx *db = db_ctx_open(app->db, "seed");
	bson_error_t error;
	int64_t now = clock_now_ms();
	struct user *u = user_find_email(db, "camille.martin@example.org", &error);
	json_t *all = gpi_editions_all(db, &error);
	const json_t *open = all ? gpi_edition_current(all, now) : NULL;
	const json_t *y2022 = gpi_edition_get(db, 2022, &error);
	int rc = u && open && y2022 ? 0 : -1;
	if (rc)
		fprintf(stderr, "seed: demo candidatures need Camille Martin and the editions\n");
	int current = rc ? 0 : gpi_edition_year(open);
	if (rc == 0)
		rc = load_one(db, u, draft_of_project(db, current), NULL, now);
	for (size_t i = 0; rc == 0 && i < sizeof(DEMO) / sizeof(*DEMO); i++) {
		const struct demo_cand *d = &DEMO[i];
		int year = d->current ? current : 2022;
		/* Filed a week before the 2022 deadline, or an hour ago. */
		int64_t at = d->current ? now - 3600 * 1000
					: gpi_edition_deadline_ms(y2022) - 7LL * 86400 * 1000;
		rc = load_one(db, u, body_of(d, year), d, at);
	}
	if (rc == 0)
		printf("seed: %zu demo Grand Prix candidatures\n",
		       sizeof(DEMO) / sizeof(*DEMO) + 1);
	json_decref(all);
	db_ctx_close(db);
	return rc;
}
