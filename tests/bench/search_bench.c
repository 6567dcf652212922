/* Search index benchmark (not a test): builds a deterministic synthetic
 * catalogue of N practices in French, runs typical queries and prints their
 * latency and the index's resident memory.
 *   search_bench [N=10000] [queries=5000]
 * Single-threaded: each figure is one core's work. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "practices/search.h"
#include "search/index_impl.h"

static uint64_t rng_state = 42;

/* splitmix64: the same catalogue and queries on every run. */
static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

static double uniform(void)
{
	return (double)(rng() >> 11) / 9007199254740992.0;
}

/* Returns an index in [0, n), skewed towards 0 like word frequencies. */
static size_t skewed(size_t n)
{
	double u = uniform();
	return (size_t)((double)n * u * u * u);
}

struct words {
	char **w;
	size_t n;
};

/* Splits a space-separated list ('_' stands for a space inside an item). */
static struct words words(const char *list)
{
	struct words ws = {0};
	char *copy = strdup(list);
	for (char *save, *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		ws.w = realloc(ws.w, (ws.n + 1) * sizeof(*ws.w));
		for (char *c = t; *c; c++)
			if (*c == '_')
				*c = ' ';
		ws.w[ws.n++] = t;
	}
	return ws;
}

static const char *pick(const struct words *ws)
{
	return ws->w[rng() % ws->n];
}

static const char *pick_skewed(const struct words *ws)
{
	return ws->w[skewed(ws->n)];
}

enum { N_THEMES = 12 };
static const char *const THEME_CODES[N_THEMES] = {
	"communication",
	"continuite-activite",
	"nouvelles-modalites-travail",
	"rgpd",
	"recrutement-integration",
	"relation-usagers",
	"acces-aux-droits",
	"rse",
	"outils-collaboratifs",
	"formation",
	"innovation-participative",
	"qualite-vie-travail",
};
static const char *const THEME_VOCAB[N_THEMES] = {
	"communication interne intranet lettre newsletter vidéo podcast réseau_social journal "
	"affichage message campagne ambassadeurs témoignages identité charte_graphique "
	"événement séminaire webinaire diffusion information éditorial",
	"continuité activité crise plan PCA astreinte sauvegarde reprise gestion_de_crise cellule "
	"pandémie inondation cyberattaque exercice simulation alerte résilience scénario "
	"priorisation sinistre",
	"télétravail hybride bureaux flex_office nomadisme tiers-lieux espaces management "
	"distance visioconférence équipement horaires autonomie confiance charte accord "
	"aménagement collectif",
	"RGPD données personnelles confidentialité registre traitement consentement DPO "
	"délégué sécurité pseudonymisation violation conservation sensibilisation conformité "
	"habilitations droit_d'accès",
	"recrutement intégration onboarding arrivants parrainage offre_d'emploi attractivité "
	"candidats entretien marque_employeur alternance stagiaires fidélisation livret "
	"vidéo_métier jobdating cooptation",
	"usagers accueil rendez-vous guichet téléphone courriel parcours satisfaction "
	"réclamation médiation accompagnement borne agence permanence délais simplification "
	"irritants écoute",
	"accès_aux_droits non-recours précarité rendez-vous_des_droits détection vulnérables "
	"partenaires ciblage data-mining prestations invalidité handicap complémentaire santé "
	"solidaire allocataires assurés",
	"RSE développement_durable sobriété énergie mobilité covoiturage déchets recyclage "
	"achats_responsables biodiversité empreinte carbone numérique_responsable inclusion "
	"diversité égalité",
	"outils collaboratifs Teams SharePoint wiki messagerie visio plateforme espace_partagé "
	"co-édition tableau_blanc Klaxoon Trello Wooclap agilité animation kanban",
	"formation e-learning tutorat compétences montée_en_compétences classe_virtuelle MOOC "
	"apprentissage pédagogie formateurs modules certification gamification mentorat "
	"transmission savoir-faire",
	"innovation participative idées hackathon laboratoire prototype expérimentation design "
	"co-construction intelligence_collective défi incubateur créativité facilitation "
	"sprint atelier",
	"qualité_de_vie bien-être santé_au_travail ergonomie prévention risques_psychosociaux "
	"sport relaxation déconnexion équilibre absentéisme cohésion soutien écoute "
	"télétravail handicap",
};
static const char *const GENERAL =
	"agents collaborateurs managers équipe service direction caisse organisme réseau "
	"branche projet démarche dispositif outil guide méthode pilotage indicateurs suivi "
	"tableau_de_bord résultats bénéfices gain temps qualité efficacité coût budget "
	"déploiement généralisation expérimentation évaluation bilan retour_d'expérience "
	"mise_en_œuvre calendrier étapes phase lancement comité instance validation "
	"partenariat convention territoire département région national local proximité "
	"public cible besoins attentes difficultés problème solution réponse amélioration "
	"simplification modernisation transformation numérique dématérialisation "
	"automatisation processus procédure circuit dossier traitement délai flux stock "
	"production activité charge organisation planning ressources humaines moyens "
	"référent pilote coordinateur sponsor correspondant animateur relais "
	"sensibilisation communication information formation accompagnement soutien "
	"appui expertise conseil diagnostic analyse étude enquête questionnaire "
	"entretiens ateliers réunions groupe_de_travail séminaire journée rencontre "
	"partage échanges mutualisation coopération collaboration transversalité "
	"interbranches cousinade inter-organismes Sécurité_sociale protection_sociale "
	"assurance maladie famille retraite recouvrement cotisations prestations "
	"allocataires assurés employeurs entreprises travailleurs_indépendants "
	"professionnels_de_santé médecins pharmaciens hôpitaux établissements associations "
	"collectivités mairies France_Services préfecture Pôle_emploi CCAS MDPH "
	"rapidement simplement durablement efficacement concrètement progressivement "
	"nouveau nouvelle innovant innovante simple pratique utile efficace partagé "
	"commun collectif individuel personnalisé adapté accessible disponible "
	"mettre_en_place déployer améliorer simplifier faciliter réduire renforcer "
	"développer accompagner former informer mobiliser valoriser partager "
	"construire tester mesurer évaluer suivre piloter organiser anticiper";
static const char *const ACTIONS =
	"Guide Parcours Charte Kit Démarche Atelier Plateforme Dispositif Programme Cellule "
	"Réseau Tableau_de_bord Baromètre Méthode Référentiel Journée Boîte_à_outils Cycle "
	"Plan Label Mallette Challenge Semaine Café Club";
static const char *const QUALIFIERS =
	"pour_les_managers en_agence à_distance des_nouveaux_arrivants inter-organismes "
	"pour_les_usagers en_équipe au_quotidien en_période_de_crise pour_tous "
	"des_agents_d'accueil du_réseau en_région pour_les_partenaires";
static const char *const RESOURCES =
	"Guide_de_déploiement Modèle_de_convention Checklist_d'accueil Présentation_COMEX "
	"Vidéo_témoignage Tableur_de_suivi Fiche_réflexe Kit_de_communication "
	"Questionnaire_d'évaluation Support_de_formation Affiche Livret Mode_opératoire "
	"Cahier_des_charges Retroplanning Bilan_d'expérimentation";
static const char *const BRANCHES = "maladie famille retraite recouvrement autonomie agricole";
static const char *const ORG_KINDS = "cpam caf urssaf msa carsat";
static const char *const REGIONS =
	"Auvergne-Rhône-Alpes Bourgogne-Franche-Comté Bretagne Centre-Val_de_Loire Corse "
	"Grand_Est Hauts-de-France Île-de-France Normandie Nouvelle-Aquitaine Occitanie "
	"Pays_de_la_Loire Provence-Alpes-Côte_d'Azur Guadeloupe Martinique Guyane "
	"La_Réunion Mayotte";
static const char *const MATURITIES = "idee experimentee deployee generalisee";
static const char *const SYLLABLES[] = {
	"ba",  "ro", "tel", "mi", "san", "vor", "li",  "que", "den", "ar",  "pa",  "gu",
	"zon", "fi", "ter", "mu", "cha", "le",  "bri", "ox",  "na",  "pel", "sti", "gon",
};

struct vocab {
	struct words theme[N_THEMES], general, actions, qualifiers, resources, branches, org_kinds,
		regions, maturities;
};

/* Returns a made-up rare word (place names, acronyms, jargon: the long
 * tail that makes a real vocabulary grow with the catalogue), in a static
 * buffer. */
static const char *rare_word(void)
{
	static char w[32];
	size_t id = skewed(300000), nsyl = sizeof(SYLLABLES) / sizeof(*SYLLABLES), len = 0;
	for (int k = 0; k < 2 + (int)(id % 3); k++, id /= nsyl)
		len += (size_t)snprintf(w + len, sizeof(w) - len, "%s", SYLLABLES[id % nsyl]);
	return w;
}

/* Writes about nwords words in sentences, mostly from the theme, with the
 * articles the index drops. */
static void text(char *out, size_t cap, const struct vocab *v, int theme, int nwords)
{
	size_t len = 0;
	out[0] = '\0';
	for (int i = 0; i < nwords && len + 80 < cap; i++) {
		double u = uniform();
		const char *w =
			u < 0.04 ? rare_word()
			: u < 0.40
				? pick_skewed(&v->theme[u < 0.32 ? theme : (int)(rng() % N_THEMES)])
				: pick_skewed(&v->general);
		len += (size_t)snprintf(out + len, cap - len, "%s%s%s",
					i == 0   ? ""
					: i % 12 ? " "
						 : ". ",
					u > 0.55 && u < 0.75 ? "de la " : "", w);
	}
	snprintf(out + len, cap - len, ".");
}

struct practice_text {
	char title[256], summary[1024], description[8192], toolbox[1024], labels[256];
	const char *themes[2], *branches[2], *orgs[2], *regions[2];
	char org_codes[2][32];
	char id[25];
};

/* Fills p and e with practice number i of the synthetic catalogue. */
static void make_practice(const struct vocab *v, size_t i, struct practice_text *p,
			  struct practice_entry *e)
{
	int theme = (int)skewed(N_THEMES);
	snprintf(p->id, sizeof(p->id), "%024zx", i + 1);
	snprintf(p->title, sizeof(p->title), "%s %s %s %s", pick(&v->actions),
		 pick_skewed(&v->theme[theme]), pick_skewed(&v->theme[theme]),
		 rng() % 2 ? pick(&v->qualifiers) : "");
	text(p->summary, sizeof(p->summary), v, theme, 20 + (int)(rng() % 20));
	text(p->description, sizeof(p->description), v, theme, 120 + (int)(rng() % 280));
	size_t nres = rng() % 6, len = 0;
	p->toolbox[0] = '\0';
	for (size_t r = 0; r < nres; r++)
		len += (size_t)snprintf(p->toolbox + len, sizeof(p->toolbox) - len, "%s%s %s",
					r ? " " : "", pick(&v->resources),
					pick_skewed(&v->theme[theme]));
	size_t nthemes = 1 + rng() % 2, norgs = 1 + (rng() % 4 == 0);
	p->themes[0] = THEME_CODES[theme];
	p->themes[1] = THEME_CODES[rng() % N_THEMES];
	for (size_t k = 0; k < 2; k++) {
		p->branches[k] = pick(&v->branches);
		p->regions[k] = pick(&v->regions);
		snprintf(p->org_codes[k], sizeof(p->org_codes[k]), "%s-%02d", pick(&v->org_kinds),
			 1 + (int)(rng() % 95));
		p->orgs[k] = p->org_codes[k];
	}
	snprintf(p->labels, sizeof(p->labels), "%s %s %s", THEME_CODES[theme], p->org_codes[0],
		 p->regions[0]);
	*e = (struct practice_entry){
		.id = p->id,
		.title = p->title,
		.summary = p->summary,
		.description = p->description,
		.toolbox_text = p->toolbox,
		.labels_text = p->labels,
		.themes = p->themes,
		.n_themes = nthemes,
		.branches = p->branches,
		.n_branches = norgs,
		.organisations = p->orgs,
		.n_orgs = norgs,
		.regions = p->regions,
		.n_regions = norgs,
		.maturity = pick(&v->maturities),
		.has_toolbox = nres > 0,
		.published_ms = 1546300800000 + (int64_t)(rng() % (6ull * 365 * 86400000)),
		.reuse_count = (int)skewed(40),
	};
}

/* Writes into q a word of the vocabulary as a user would type it: folded
 * or not, complete or (when prefix) cut after 3 or more characters. */
static void typed_word(char *q, size_t cap, const struct vocab *v, bool prefix)
{
	const char *w = pick_skewed(&v->theme[skewed(N_THEMES)]);
	if (rng() % 4 == 0)
		w = pick_skewed(&v->general);
	size_t len = strlen(w), cut = len;
	if (prefix && len > 3)
		cut = 3 + rng() % (len - 3);
	while (cut < len && ((unsigned char)w[cut] & 0xC0) == 0x80)
		cut++;
	size_t at = strlen(q);
	snprintf(q + at, cap - at, "%s%.*s", at ? " " : "", (int)cut, w);
}

enum { KINDS = 7, KIND_TYPO = 6 };
static const char *const KIND_NAMES[KINDS] = {
	"typing 1 word", "2-3 words", "word + theme",     "browse + filters",
	"other sorts",   "page 2-5",  "one typo (extra)",
};

/* Writes into q a word of 5 letters or more with two neighbouring ASCII
 * letters swapped, as a hurried user types it, then a whole word or not. */
static void typo_query(char *q, size_t cap, const struct vocab *v)
{
	const char *w;
	do
		w = pick_skewed(&v->theme[skewed(N_THEMES)]);
	while (strlen(w) < 6);
	size_t len = strlen(w), at = 1 + rng() % (len - 3);
	snprintf(q, cap, "%s", w);
	if ((unsigned char)q[at] < 0x80 && (unsigned char)q[at + 1] < 0x80 && q[at] != ' ' &&
	    q[at + 1] != ' ') {
		char c = q[at];
		q[at] = q[at + 1];
		q[at + 1] = c;
	}
	if (rng() % 2)
		typed_word(q, cap, v, false);
}

/* Builds query number i; its kind goes to *kind. q->q points into buf. */
static void make_query(const struct vocab *v, char *buf, size_t cap, struct practice_query *q,
		       int *kind)
{
	buf[0] = '\0';
	*q = (struct practice_query){.q = buf, .has_toolbox = -1, .page = 1, .page_size = 20};
	double u = uniform();
	if (u < 0.35) {
		*kind = 0;
		typed_word(buf, cap, v, true);
	} else if (u < 0.60) {
		*kind = 1;
		typed_word(buf, cap, v, false);
		if (rng() % 3 == 0)
			typed_word(buf, cap, v, false);
		typed_word(buf, cap, v, rng() % 2);
	} else if (u < 0.75) {
		*kind = 2;
		typed_word(buf, cap, v, rng() % 2);
		q->theme = THEME_CODES[skewed(N_THEMES)];
	} else if (u < 0.87) {
		*kind = 3;
		q->theme = rng() % 2 ? THEME_CODES[rng() % N_THEMES] : NULL;
		q->region = rng() % 2 ? pick(&v->regions) : NULL;
		q->branch = rng() % 3 == 0 ? pick(&v->branches) : NULL;
		q->has_toolbox = rng() % 4 == 0 ? 1 : -1;
	} else if (u < 0.95) {
		*kind = 4;
		if (rng() % 2)
			typed_word(buf, cap, v, false);
		q->sort = rng() % 2 ? SEARCH_SORT_NEWEST : PRACTICE_SORT_MOST_REUSED;
	} else {
		*kind = 5;
		typed_word(buf, cap, v, false);
		q->page = 2 + rng() % 4;
	}
}

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static long rss_kb(void)
{
	long pages = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Prints p50/p95/max of t[0..n) (sorted in place). */
static void report(const char *what, double *t, size_t n)
{
	if (!n)
		return;
	qsort(t, n, sizeof(*t), cmp_double);
	printf("  %-18s n=%-5zu p50 %7.0f us  p95 %7.0f us  max %7.0f us\n", what, n, t[n / 2],
	       t[n * 95 / 100], t[n - 1]);
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000;
	size_t nq = argc > 2 ? strtoul(argv[2], NULL, 10) : 5000;
	struct vocab v = {
		.general = words(GENERAL),
		.actions = words(ACTIONS),
		.qualifiers = words(QUALIFIERS),
		.resources = words(RESOURCES),
		.branches = words(BRANCHES),
		.org_kinds = words(ORG_KINDS),
		.regions = words(REGIONS),
		.maturities = words(MATURITIES),
	};
	for (int t = 0; t < N_THEMES; t++)
		v.theme[t] = words(THEME_VOCAB[t]);

	struct practice_text *p = malloc(sizeof(*p));
	struct practice_entry e;
	long rss_before = rss_kb();
	size_t text_bytes = 0;
	double t0 = now_us();
	struct search_index *ix = practice_index_new();
	for (size_t i = 0; i < n; i++) {
		make_practice(&v, i, p, &e);
		text_bytes += strlen(p->title) + strlen(p->summary) + strlen(p->description) +
			      strlen(p->toolbox);
		practice_index_put(ix, &e);
	}
	double build_ms = (now_us() - t0) / 1000;
	long rss_index = rss_kb() - rss_before;
	size_t postings = 0;
	for (size_t i = 0; i < ix->n_terms; i++)
		postings += ix->terms[i]->n;
	printf("search_bench: %zu practices, %.1f MB of text, %zu terms, %zu postings\n",
	       search_index_size(ix), (double)text_bytes / 1e6, ix->n_terms, postings);
	printf("  build %.0f ms (%.0f us per put); index RSS %.1f MB\n", build_ms,
	       build_ms * 1000 / (double)(n ? n : 1), (double)rss_index / 1024);

	/* Republish (replace) or unpublish a third of the catalogue, enough for
	 * one compaction: it is the max. Then put the unpublished back. */
	size_t nup = n / 3 + 1;
	double *up = malloc(nup * sizeof(*up));
	for (size_t i = 0; i < nup; i++) {
		make_practice(&v, i * 4 % (n ? n : 1), p, &e);
		t0 = now_us();
		if (i % 8 == 7)
			search_index_remove(ix, e.id);
		else
			practice_index_put(ix, &e);
		up[i] = now_us() - t0;
	}
	report("update", up, nup);
	for (size_t i = 7; i < nup; i += 8) {
		make_practice(&v, i * 4 % (n ? n : 1), p, &e);
		practice_index_put(ix, &e);
	}

	double *all = malloc(nq * sizeof(*all)), *by_kind[KINDS];
	size_t n_kind[KINDS] = {0}, matched = 0;
	for (int k = 0; k < KINDS; k++)
		by_kind[k] = malloc(nq * sizeof(double));
	char buf[256];
	struct practice_query q;
	struct search_result r;
	for (size_t i = 0; i < nq; i++) {
		int kind;
		make_query(&v, buf, sizeof(buf), &q, &kind);
		t0 = now_us();
		struct arena *a = arena_new();
		practice_index_run(ix, &q, a, &r);
		matched += r.total;
		arena_free(a);
		double dt = now_us() - t0;
		all[i] = dt;
		by_kind[kind][n_kind[kind]++] = dt;
	}
	printf("queries (page size 20, %.0f matches on average, arena included):\n",
	       nq ? (double)matched / (double)nq : 0.0);
	report("all", all, nq);
	/* Not in "all": a tenth as many queries with a typo, on their own. */
	for (size_t i = 0; i < nq / 10; i++) {
		q = (struct practice_query){
			.q = buf, .has_toolbox = -1, .page = 1, .page_size = 20};
		typo_query(buf, sizeof(buf), &v);
		t0 = now_us();
		struct arena *a = arena_new();
		practice_index_run(ix, &q, a, &r);
		arena_free(a);
		by_kind[KIND_TYPO][n_kind[KIND_TYPO]++] = now_us() - t0;
	}
	for (int k = 0; k < KINDS; k++)
		report(KIND_NAMES[k], by_kind[k], n_kind[k]);
	search_index_free(ix);
	return 0;
}
