#include "gpi/demo.h"

#include <stdio.h>
#include <string.h>

#include "accounts/user.h"
#include "audit/audit.h"
#include "core/app.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/paris_time.h"
#include "db/db.h"
#include "gpi/edition.h"
#include "gpi/edition_rules.h"

enum { DAY_MS = 86400000, MIB = 1024 * 1024 };

/* The six categories of article 1 of the 2022 rules, with its words. */
static const struct gpi_category CATEGORIES[] = {
	{"relation-usagers", "Innovation en matière de relation aux usagers",
	 "En tant que service public, la relation avec l’utilisateur (allocataire, assuré "
	 "social, cotisant) est au cœur des objectifs et Cog des branches et régimes de la "
	 "Sécurité sociale. De plus, c’est un puissant levier qui permet d’introduire les "
	 "changements d’organisation, des outils et de méthodes de travail. Concrètement "
	 "peuvent se retrouver ici les initiatives dont la finalité est un service de qualité. "
	 "C’est là tout l’enjeu de l’innovation de la relation client."},
	{"sociale", "Innovation sociale",
	 "L’innovation sociale est, selon la Commission européenne, «\u202fle développement et "
	 "la mise en œuvre de nouvelles idées (produits, services, modèles) en réponse à des "
	 "besoins sociaux et qui créent de nouvelles relations ou collaborations "
	 "sociales.\u202f» Concrètement, peuvent se retrouver dans cette catégorie, les actions "
	 "visant à répondre aux besoins d’une population spécifique (personnes âgées, "
	 "fragilisées, non-connectées, auto-entrepreneurs débutants...) ou qui cherchent à "
	 "réinterroger la façon dont sont conçues et mises en œuvre les politiques publiques. "
	 "Le maître-mot est «\u202fsolidarité\u202f»."},
	{"environnementale", "Innovation environnementale",
	 "La Sécurité sociale accorde un rôle important à la maîtrise de ses émissions de gaz à "
	 "effet de serre, non seulement à travers la gestion de son patrimoine et de ses "
	 "activités directes, mais aussi dans le cadre de l’exercice de ses missions. Le suivi "
	 "et le contrôle de l’empreinte carbone permettent également de répondre aux impératifs "
	 "économiques en soutenant un fonctionnement efficient de l’Institution et de "
	 "participer à l’amélioration de nos services auprès de l’ensemble de nos publics. "
	 "Qu’il s’agisse de diminuer l’impact environnemental de bâtiments, de favoriser les "
	 "mobilités douces, de mieux gérer les déchets... tout projet novateur, répondant à "
	 "l’engagement N°3 «\u202fRéduire notre impact environnemental\u202f» du référentiel "
	 "RSO de la Sécurité sociale, peut être affilié à cette catégorie."},
	{"territoriale", "Innovation territoriale",
	 "Avec plus de 300 organismes répartis sur tout le territoire Français et des missions "
	 "de service public pour accompagner tous les profils de concitoyens, la Sécurité "
	 "sociale est par définition un acteur des territoires en lien avec de nombreux "
	 "acteurs. Il arrive ainsi que des organismes se renouvellent dans leur façon de faire, "
	 "élargissent leur champ d’intervention, en transforment les contours initiaux, en "
	 "interbranche ou avec d’autres partenaires, afin de mieux répondre aux besoins des "
	 "publics de la caisse. Cette catégorie est pour ceux qui ont une capacité à connecter "
	 "des mondes qui se connaissent mal et à assurer un rôle d’intermédiaire local "
	 "indispensable, avec d’autres administrations, des collectivités locales, des "
	 "associations, des entreprises, des tiers lieux... pour mieux agir auprès de leurs "
	 "publics et créer du lien social, de nouvelles solidarités ou dynamiser le maillage "
	 "territorial. Est attendu tout projet novateur répondant à l’engagement N°5 "
	 "«\u202fDévelopper notre implication dans les territoires\u202f» du référentiel RSO de "
	 "la Sécurité sociale."},
	{"rh", "Innovation RH",
	 "L’entreprise est une somme de collaborateurs mettant en commun leurs compétences, "
	 "leur temps et leur énergie. Les ressources humaines sont donc au cœur de toute cette "
	 "organisation. Comme toute entreprise, les organismes de la Sécurité sociale sont "
	 "confrontés aux différents défis\u202f: attirer de jeunes candidats aux dernières "
	 "compétences sur le marché\u202f; créer le bon cadre de travail pour garder les talents "
	 "en interne\u202f; assurer le développement personnel et la formation des "
	 "collaborateurs... Les organismes de Sécurité sociale innovent également pour "
	 "transformer les modes de collaboration ou renouveler les modes de management, afin "
	 "de responsabiliser ses collaborateurs, rendre l’organisme plus agile et flexible, "
	 "renforcer la collaboration, être plus efficace pour la réalisation d’un projet... Il "
	 "ne s’agit plus de satisfaire un besoin ponctuel exprimé par une équipe métier mais "
	 "de préparer le futur de l’entreprise grâce à une vision RH qui saura porter ses "
	 "autres objectifs de développement."},
	{"rsi", "Innovation en matière de responsabilité sociale interne",
	 "Intégrer au mieux les salariés quelle que soit leur singularité, leur permettre "
	 "d’évoluer dans un environnement serein et propice au développement de leur "
	 "expression et de leur implication ou valoriser leurs compétences sont autant "
	 "d’objectifs que s’est fixée la Sécurité sociale. Cette catégorie couvrira les "
	 "actions responsables vis-à-vis de nos collaborateurs\u202f: QVT, bien-être, parité, "
	 "équité, diversité, handicap, employabilité... répondant à l’engagement N°2 "
	 "«\u202fPorter notre responsabilité sociale interne\u202f» du référentiel RSO de la "
	 "Sécurité sociale"},
};

/* The seven selection criteria of article 4, the juries' grid. */
static const struct gpi_criterion CRITERIA[] = {
	{"objectifs", "Clarté et pertinence des objectifs du projet", 1},
	{"resultats",
	 "Résultats mesurables (efficacité du dispositif, adhésion du public cible...)", 1},
	{"gestion-financiere",
	 "Gestion financière\u202f: appréciation des coûts de mise en œuvre du projet, économies "
	 "réalisées à court, moyen et long terme",
	 1},
	{"generalisation", "Généralisation possible du projet (réplicabilité, budget réduit...)",
	 1},
	{"interbranche", "Caractère interbranches ou inter-régimes de l’opération", 1},
	{"performance-notoriete",
	 "Projet qui contribue tant à améliorer la performance économique, sociale, "
	 "environnementale de la Sécurité sociale que sa notoriété",
	 1},
	{"presentation",
	 "Qualité de présentation du dossier (clarté d’expression écrite et orale, qualité des "
	 "échanges, aptitude à convaincre...)",
	 1},
};

/* The rules of 2022 in Markdown, article by article; %d is the year,
 * %s the deadline in French and the window's years. */
static const char RULES[] =
	"## Article 1\u202f: Objet du concours\n\n"
	"L’Union des caisses nationales de Sécurité sociale (Ucanss) et la Direction de la "
	"Sécurité sociale (DSS) organisent le «\u202fGrand Prix de l’Innovation de la Sécurité "
	"sociale %d\u202f». Ce prix récompense des projets ou expérimentations innovants et "
	"aboutis, menés par des organismes de Sécurité sociale, ou des Caisses nationales, tous "
	"régimes confondus, présentant un résultat porteur au regard de l’innovation.\n\n"
	"Les candidats proposent leur projet dans l’une des six catégories. Un même projet peut "
	"être déposé dans plusieurs catégories. Si besoin est, le secrétariat du GPI se réserve "
	"le droit de repositionner une candidature dans une autre catégorie que celle où "
	"l’organisme a candidaté. L’organisme concerné en sera cependant préalablement "
	"informé.\n\n"
	"## Article 2 : Participants\n\n"
	"La participation est ouverte à l’ensemble des organismes et des Caisses nationales de "
	"Sécurité sociale, tous régimes confondus. Les projets peuvent être internes à "
	"l’organisme, ou issus d’une collaboration inter-organismes ou avec des partenaires "
	"externes (opérateurs, collectivités, etc.).\n\n"
	"## Article 3 : Participation au concours\n\n"
	"Le dossier de candidature est déposé sur le site avec son éventuelle vidéo. Il est au "
	"format PDF et ne dépasse pas 5 Mo. La vidéo est facultative mais appréciée\u202f: au "
	"format MP4, elle n’excède pas 3 minutes et ne dépasse pas 500 Mo. Les candidats "
	"décrivent avec précision les actions et les résultats obtenus.\n\n"
	"La date limite de dépôt des candidatures est fixée au %s. Toute candidature reçue "
	"après ce délai ne sera pas prise en compte.\n\n"
	"## Article 4\u202f: Critères de sélection\n\n"
	"Le Grand Prix ne récompense pas des idées, mais des réalisations effectives menées au "
	"cours des trois dernières années (%d, %d et %d). Ne peuvent concourir que les "
	"organismes ayant mené des réalisations à leur terme ou des expérimentations "
	"abouties.\n\n"
	"## Article 5\u202f: Critères éliminatoires\n\n"
	"- Date limite de participation échue.\n"
	"- Projet initialisé hors de la période précisée dans l’article 4.\n"
	"- Expérimentation n’ayant pas de résultats mesurables.\n"
	"- Dossier de candidature incomplet, non conforme aux attentes.\n\n"
	"## Article 6\u202f: Étapes de sélection\n\n"
	"Chacune des six catégories dispose de son propre jury, qui note les dossiers sur la "
	"grille d’analyse et sélectionne trois finalistes. Le grand jury reçoit les finalistes la "
	"veille de la cérémonie et désigne le lauréat de chaque catégorie, sous embargo jusqu’à "
	"la cérémonie.\n\n"
	"## Article 9\u202f: Récompense\n\n"
	"Dans chaque catégorie sont décernés des prix «\u202fBronze\u202f», «\u202fArgent\u202f» "
	"et «\u202fOr\u202f». Chaque organisme lauréat d’un prix «\u202fOr\u202f» reçoit une "
	"dotation de 5\u202f000\u00a0€, à la condition d’avoir bien indiqué l’objet de la "
	"dépense dans son dossier de candidature.\n\n"
	"## Article 10 : Autorisations\n\n"
	"Si l’une des personnes mentionnées dans le dossier de candidature ne souhaite pas "
	"apparaître sur les supports de communication, elle informe le secrétariat du GPI de "
	"son droit de retrait. Les candidats s’assurent de posséder toutes les autorisations "
	"nécessaires à l’exploitation de l’éventuelle vidéo, notamment le droit à l’image de "
	"toute personne qui y figure.\n";

/* An edition's dates, Paris local: "YYYY-MM-DDTHH:MM:SS" for the instants,
 * the ceremony's start (the laureates' publication: 14:00, an invented
 * hour) included, "YYYY-MM-DD" for the window and the other phases' first
 * and last days. */
struct calendar {
	int year;
	const char *launch, *deadline, *window_start, *window_end;
	const char *phases[GPI_PHASE_COUNT][2];
	bool example;
};

/* 2022, article 12 of the rules. */
static const struct calendar Y2022 = {
	2022,
	"2022-01-10T00:00:00",
	"2022-04-01T23:30:00",
	"2019-01-01",
	"2021-12-31",
	{{"2022-04-04", "2022-05-25"},
	 {"2022-05-30", "2022-06-24"},
	 {"2022-07-01", "2022-07-01"},
	 {"2022-10-03", "2022-10-03"},
	 {"2022-10-04T14:00:00", "2022-10-04"}},
	false,
};

/* 2019, from the Ucanss's interview of 8 March 2019: filing open since
 * January until 3 May, realisations of 2016 to 2018, the pre-jury early in
 * September, the finalists on 3 October, the results the next day. The
 * launch day, the deadline's hour, the analysis and the notification are
 * invented. */
static const struct calendar Y2019 = {
	2019,
	"2019-01-14T00:00:00",
	"2019-05-03T23:30:00",
	"2016-01-01",
	"2018-12-31",
	{{"2019-05-06", "2019-08-30"},
	 {"2019-09-02", "2019-09-06"},
	 {"2019-09-13", "2019-09-13"},
	 {"2019-10-03", "2019-10-03"},
	 {"2019-10-04T14:00:00", "2019-10-04"}},
	true,
};

/* Sets *ms to the Paris local date and time "YYYY-MM-DDTHH:MM:SS", or
 * to the day's first (end false) or last (end true) second. Returns
 * whether it is a real Paris time. */
static bool local(const char *text, bool end, int64_t *ms)
{
	if (strlen(text) > 10)
		return paris_time_parse_datetime_local(text, ms) == PARIS_TIME_OK;
	return paris_time_parse_local(text, end ? "23:59:59" : "00:00:00", ms) == PARIS_TIME_OK;
}

/* Fills in with the 2022 rules on calendar c. */
static void edition_of(struct arena *a, const struct calendar *c, struct gpi_edition_input *in)
{
	memset(in, 0, sizeof(*in));
	in->year = c->year;
	in->title = arena_printf(a, "Grand Prix de l’innovation de la Sécurité sociale %d",
				 c->year);
	in->launch_set = local(c->launch, false, &in->launch_at);
	in->deadline_set = local(c->deadline, false, &in->deadline_at);
	in->window_start = c->window_start;
	in->window_end = c->window_end;
	for (int p = 0; p < GPI_PHASE_COUNT; p++)
		in->phase_set[p] = local(c->phases[p][0], false, &in->phase_start[p]) &&
				   local(c->phases[p][1], true, &in->phase_end[p]);
	in->limits[GPI_LIMIT_DOSSIER_BYTES] = 5LL * MIB;
	in->limits[GPI_LIMIT_VIDEO_BYTES] = 500LL * MIB;
	in->limits[GPI_LIMIT_VIDEO_SECONDS] = 180;
	in->gold_endowment_eur = 5000;
	in->contact_name = "Secrétariat du Grand Prix de l’innovation (Ucanss)";
	in->contact_email = "gpi-secu@ucanss.fr";
	in->n_categories = sizeof(CATEGORIES) / sizeof(*CATEGORIES);
	memcpy(in->categories, CATEGORIES, sizeof(CATEGORIES));
	in->n_criteria = sizeof(CRITERIA) / sizeof(*CRITERIA);
	memcpy(in->criteria, CRITERIA, sizeof(CRITERIA));
	char deadline[PARIS_TIME_LONG_MAX];
	in->rules = arena_printf(
		a, RULES, c->year,
		paris_time_format_long(in->deadline_at, deadline, sizeof(deadline)), c->year - 3,
		c->year - 2, c->year - 1);
	in->example = c->example;
}

/* Returns the Paris day of ms plus days, "YYYY-MM-DD", in the arena. */
static const char *day_after(struct arena *a, int64_t ms, int days)
{
	struct paris_time_fields t = paris_time_split(ms + (int64_t)days * DAY_MS);
	return arena_printf(a, "%04d-%02d-%02d", t.year, t.month, t.day);
}

/* The edition open on the day now_ms: launched four weeks ago, its
 * deadline at 23:30 Paris on the first Friday at least twelve weeks away,
 * and 2022's phases kept at the same number of days after the deadline
 * (analysis from 3 to 54 days, preselection 59 to 84, notification 91,
 * audition 185, ceremony 186). Its year is the deadline's. */
static struct calendar current_calendar(struct arena *a, int64_t now_ms)
{
	static const int AFTER[GPI_PHASE_COUNT][2] = {
		{3, 54}, {59, 84}, {91, 91}, {185, 185}, {186, 186}};
	/* From noon, whole days never cross a Paris midnight, summer time or not. */
	struct paris_time_fields noon = paris_time_split(now_ms + 84LL * DAY_MS);
	noon.hour = 12, noon.minute = 0, noon.second = 0;
	int64_t deadline_noon = now_ms + 84LL * DAY_MS;
	paris_time_from_local(&noon, &deadline_noon);
	while (paris_time_split(deadline_noon).weekday != 5)
		deadline_noon += DAY_MS;
	struct paris_time_fields d = paris_time_split(deadline_noon);
	struct calendar c = {.year = d.year, .example = true};
	c.launch = arena_printf(a, "%sT00:00:00", day_after(a, now_ms, -28));
	c.deadline = arena_printf(a, "%sT23:30:00", day_after(a, deadline_noon, 0));
	c.window_start = arena_printf(a, "%d-01-01", d.year - 3);
	c.window_end = arena_printf(a, "%d-12-31", d.year - 1);
	for (int p = 0; p < GPI_PHASE_COUNT; p++)
		for (int end = 0; end < 2; end++)
			c.phases[p][end] = day_after(a, deadline_noon, AFTER[p][end]);
	c.phases[GPI_PHASE_CEREMONY][0] = arena_printf(a, "%sT14:00:00",
						       c.phases[GPI_PHASE_CEREMONY][0]);
	return c;
}

/* Creates the edition of calendar c, reporting a failure; one already
 * there is kept. Returns 0 or -1. */
static int create(struct db_ctx *db, const struct audit_actor *by, const struct calendar *c)
{
	struct gpi_edition_input in;
	struct field_error errors[GPI_EDITION_MAX_ERRORS];
	bson_error_t error;
	edition_of(db->arena, c, &in);
	if (gpi_edition_check(&in, errors)) {
		fprintf(stderr, "seed: Grand Prix %d: %s: %s\n", c->year, errors[0].field,
			errors[0].message);
		return -1;
	}
	if (gpi_edition_create(db, by, &in, &error) && error.code != 11000) {
		fprintf(stderr, "seed: Grand Prix %d: %s\n", c->year, error.message);
		return -1;
	}
	return 0;
}

int gpi_demo_load(const struct app *app)
{
	struct db_ctx *db = db_ctx_open(app->db, "seed");
	bson_error_t error;
	struct user *secretariat = user_find_email(db, "sophie.bernard@example.org", &error);
	struct audit_actor by = audit_actor_cli(secretariat);
	int rc = secretariat ? 0 : -1;
	if (!secretariat)
		fprintf(stderr, "seed: the demo secretariat is missing\n");
	struct calendar now_open = current_calendar(db->arena, clock_now_ms());
	if (rc == 0)
		rc = create(db, &by, &Y2019) || create(db, &by, &Y2022) ||
				     (now_open.year != 2022 && create(db, &by, &now_open))
			     ? -1
			     : 0;
	if (rc == 0)
		printf("seed: Grand Prix editions 2019, 2022 and %d (filing open until %s)\n",
		       now_open.year, now_open.deadline);
	db_ctx_close(db);
	return rc;
}
