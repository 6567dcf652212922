#include "defi/demo.h"

#include <stdio.h>
#include <string.h>

#include "accounts/user.h"
#include "audit/audit.h"
#include "core/app.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/paris_time.h"
#include "db/db.h"
#include "db/doc.h"
#include "defi/edition.h"
#include "defi/edition_rules.h"

enum { DAY_MS = 86400000 };

/* A past edition: what the Lab announced, or an invented theme. */
struct past_edition {
	int year;
	const char *title, *theme, *start, *end, *opens, *closes; /* opens/closes: Paris local */
};

/* 2023 is the announcement's: sign-ups until 17 April 2023 (23:59:59 in
 * Paris), the event on 26 and 27 June 2023 in Paris. The first edition,
 * in 2018, was called "Appel à idées". The themes before 2023 are
 * inventions in the spirit of the Lab's toolbox. */
static const struct past_edition PAST[] = {
	{2018, "Appel à idées 2018", "simplifier les démarches des assurés", "2018-06-14",
	 "2018-06-15", "2018-02-05T09:00:00", "2018-04-13T23:59:59"},
	{2019, "Défi du Lab 2019", "l’accueil de demain, physique et numérique", "2019-06-20",
	 "2019-06-21", "2019-02-04T09:00:00", "2019-04-12T23:59:59"},
	{2020, "Défi du Lab 2020", "travailler ensemble à distance", "2020-10-08", "2020-10-09",
	 "2020-06-02T09:00:00", "2020-09-04T23:59:59"},
	{2021, "Défi du Lab 2021", "l’inclusion numérique des publics fragiles", "2021-06-24",
	 "2021-06-25", "2021-02-01T09:00:00", "2021-04-16T23:59:59"},
	{2022, "Défi du Lab 2022", "la responsabilité sociétale au quotidien", "2022-06-23",
	 "2022-06-24", "2022-01-31T09:00:00", "2022-04-15T23:59:59"},
	{2023, "Défi du Lab 2023", "mieux attirer, recruter et fidéliser", "2023-06-26",
	 "2023-06-27", "2023-01-16T09:00:00", "2023-04-17T23:59:59"},
};

static const char DESCRIPTION[] =
	"Pendant deux jours, des équipes de collègues des cinq branches de la Sécurité "
	"sociale se retrouvent à Paris pour imaginer et prototyper des solutions autour "
	"du thème, avec des animateurs formés au *design thinking*.\n\n"
	"- On candidate **en équipe d’au moins six collègues d’un même organisme**, "
	"quels que soient son niveau hiérarchique ou sa région.\n"
	"- Une amorce d’idée suffit\u202f: la motivation compte plus qu’un projet abouti.\n"
	"- Après le hackathon, le Lab accompagne les équipes pendant plusieurs mois "
	"pour prototyper et déployer leur projet.";

/* Creates one edition from in, reporting a failure. Returns 0 or -1. */
static int create(struct db_ctx *db, const struct audit_actor *by, struct defi_edition_input *in)
{
	struct field_error errors[DEFI_EDITION_MAX_ERRORS];
	bson_error_t error;
	if (defi_edition_check(in, errors)) {
		fprintf(stderr, "seed: Défi %d: %s: %s\n", in->year, errors[0].field,
			errors[0].message);
		return -1;
	}
	if (defi_edition_create(db, by, in, &error) && error.code != 11000) {
		fprintf(stderr, "seed: Défi %d: %s\n", in->year, error.message);
		return -1;
	}
	return 0;
}

/* The edition open today: sign-ups opened two weeks ago and close in
 * five weeks at 23:59:59 Paris, the event ten weeks after the close. */
static void current_edition(struct arena *a, struct defi_edition_input *in, int64_t now)
{
	struct paris_time_fields close = paris_time_split(now + 35LL * DAY_MS);
	struct paris_time_fields start = paris_time_split(now + 105LL * DAY_MS);
	struct paris_time_fields end = paris_time_split(now + 106LL * DAY_MS);
	close.hour = 23, close.minute = 59, close.second = 59;
	paris_time_from_local(&close, &in->closes_at);
	in->opens_at = now - 14LL * DAY_MS;
	in->opens_set = in->closes_set = true;
	in->year = start.year;
	in->title = arena_printf(a, "Défi du Lab %d", start.year);
	in->theme = "la qualité de vie et des conditions de travail";
	in->event_start = arena_printf(a, "%04d-%02d-%02d", start.year, start.month, start.day);
	in->event_end = arena_printf(a, "%04d-%02d-%02d", end.year, end.month, end.day);
	in->questions[0] = (struct defi_question){
		NULL,
		"Quel besoin de vos collègues ou "
		"des assurés votre idée cherche-t-elle à satisfaire\u202f?",
		true};
	in->questions[1] = (struct defi_question){NULL,
						  "Votre direction soutient-elle la "
						  "candidature de l’équipe\u202f?",
						  false};
	in->n_questions = 2;
	in->example = false;
	defi_questions_number(a, in);
}

int defi_demo_load(const struct app *app)
{
	struct db_ctx *db = db_ctx_open(app->db, "seed");
	bson_error_t error;
	struct user *coordinator = user_find_email(db, "julien.moreau@example.org", &error);
	struct audit_actor by = audit_actor_cli(coordinator);
	int rc = coordinator ? 0 : -1;
	if (!coordinator)
		fprintf(stderr, "seed: the demo coordinator is missing\n");
	for (size_t i = 0; rc == 0 && i < sizeof(PAST) / sizeof(*PAST); i++) {
		const struct past_edition *p = &PAST[i];
		struct defi_edition_input in = {
			.year = p->year,
			.title = p->title,
			.theme = p->theme,
			.description = DESCRIPTION,
			.location = "Paris",
			.event_start = p->start,
			.event_end = p->end,
			.min_team = DEFI_DEFAULT_MIN_TEAM,
			.example = p->year != 2023,
		};
		in.opens_set = paris_time_parse_datetime_local(p->opens, &in.opens_at) ==
			       PARIS_TIME_OK;
		in.closes_set = paris_time_parse_datetime_local(p->closes, &in.closes_at) ==
				PARIS_TIME_OK;
		rc = create(db, &by, &in);
	}
	struct defi_edition_input now_open = {
		.description = DESCRIPTION,
		.location = "Paris",
		.min_team = DEFI_DEFAULT_MIN_TEAM,
	};
	if (rc == 0) {
		current_edition(db->arena, &now_open, clock_now_ms());
		rc = create(db, &by, &now_open);
	}
	if (rc == 0)
		rc = defi_demo_teams(app, db, coordinator, now_open.year);
	if (rc == 0)
		printf("seed: Défi du Lab editions 2018 to 2023 and %d (sign-ups open, with teams)\n",
		       now_open.year);
	db_ctx_close(db);
	return rc;
}
