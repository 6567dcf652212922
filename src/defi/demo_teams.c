/* The demo's teams of the edition open today, one or two at every
 * status, made as their captains and the coordinator would: the
 * captain's account creates the team through the teams' store (which
 * claims their seat), colleagues of the same organisation take their
 * seats and join, and the team is taken to its status. Colleagues are
 * fictional accounts "defi.<n>@example.org" with the demo password. */
#include <stdio.h>
#include <string.h>

#include "accounts/admin_ops.h"
#include "accounts/user.h"
#include "audit/audit.h"
#include "core/app.h"
#include "core/arena.h"
#include "core/clock.h"
#include "db/db.h"
#include "db/doc.h"
#include "defi/demo.h"
#include "defi/team_store.h"

enum { DAY_MS = 86400000 };

/* What the demo's teams are made with: the settings, the database, and
 * the audit journal's actor (the command, as the demo coordinator). */
struct seed {
	const struct app *app;
	struct db_ctx *db;
	struct audit_actor by;
};

struct demo_team {
	const char *name, *organisation, *status;
	int confirmed, invited; /* captain included in confirmed */
	bool incomplete;
	const char *pitch, *decision_message;
};

static const struct demo_team TEAMS[] = {
	{"Les Éclaireurs", "caf-31", "brouillon", 3, 2, false,
	 "Un livret d’accueil vidéo tourné par les équipes elles-mêmes.", NULL},
	{"Premier Pas", "cpam-31", "brouillon", 5, 0, true,
	 "Un parrainage des nouveaux arrivants par un collègue d’un autre service.", NULL},
	{"Cap Guyane", "caf-973", "deposee", 6, 0, false,
	 "Des offres d’emploi écrites avec des agents du terrain, et lues par eux.", NULL},
	{"Onboarding 35", "caf-35", "deposee", 7, 1, false,
	 "Un parcours d’intégration en anglais pour les profils internationaux.", NULL},
	{"Sens et Service", "caf-69", "retenue", 6, 0, false,
	 "Mesurer et raconter l’utilité sociale de chaque métier.",
	 "Bravo\u202f: votre idée répond de près au thème. Rendez-vous à Paris\u202f!"},
	{"Ambassadeurs 13", "cpam-13", "liste-attente", 6, 0, false,
	 "Des agents ambassadeurs de la marque employeur dans les forums.",
	 "Votre candidature est solide\u202f; une place peut se libérer d’ici juin."},
	{"Télétravail+", "cpam-35", "non-retenue", 6, 0, false,
	 "Un outil pour organiser les jours de présence d’une équipe.",
	 "Le jury a préféré des idées plus proches du recrutement cette année."},
	{"Équipe Calanques", "caf-13", "desistee", 6, 0, false,
	 "Un forum des métiers ouvert aux lycéens.", NULL},
};

static const char *const FIRST[] = {"Léa",   "Hugo",   "Inès",  "Karim", "Manon", "Yanis",
				    "Chloé", "Mathis", "Aïcha", "Lucas", "Emma",  "Noé"};
static const char *const LAST[] = {"Durand", "Lefort",  "Nguyen", "Benali", "Roux",   "Faure",
				   "Girard", "Mercier", "Diallo", "Blanc",  "Perrin", "Texier"};

/* Returns demo colleague n's account in organisation (made if missing),
 * or NULL after printing why. */
static struct user *colleague(const struct seed *s, int n, const char *organisation)
{
	struct db_ctx *db = s->db;
	const char *email = arena_printf(db->arena, "defi.%d@example.org", n);
	const char *why = NULL;
	struct account_new a = {
		email,
		arena_printf(db->arena, "%s %s", FIRST[n % 12], LAST[(n / 12 + n) % 12]),
		organisation,
		"Chargé·e de mission RH",
		"cousilab-demo-2026",
		ROLE_AGENT};
	bson_error_t error;
	struct user *u = user_find_email(db, email, &error);
	if (!u && !error.code && account_create(db, s->app->common, &s->by, &a, &why))
		u = user_find_email(db, email, &error);
	if (!u)
		fprintf(stderr, "seed: %s: %s\n", email, why ? why : error.message);
	return u;
}

/* What the edit gives a demo team: its people and its outcome. */
struct outcome {
	const struct demo_team *t;
	json_t *members; /* [{user_id, state, invited_at, accepted_at}] */
	const char *coordinator_id;
	int64_t now;
};

static int apply_outcome(json_t *team, void *ctx)
{
	const struct outcome *o = ctx;
	json_object_set(team, "members", o->members);
	json_object_set_new(team, "status", json_string(o->t->status));
	json_object_set_new(team, "incomplete", json_boolean(o->t->incomplete));
	if (strcmp(o->t->status, "brouillon") != 0 || o->t->incomplete)
		json_object_set_new(team, "submitted_at", json_integer(o->now - 5LL * DAY_MS));
	if (o->t->decision_message)
		json_object_set_new(team, "decision",
				    json_pack("{s:s, s:s, s:s, s:I}", "decision", o->t->status,
					      "message", o->t->decision_message, "by",
					      o->coordinator_id, "at",
					      (json_int_t)(o->now - DAY_MS)));
	return 0;
}

/* Creates demo team t of edition year with colleagues from *next on.
 * Returns 0 or -1. */
static int make_team(const struct seed *s, int year, const struct demo_team *t, int *next,
		     const char *coordinator_id)
{
	struct user *captain = colleague(s, (*next)++, t->organisation);
	if (!captain)
		return -1;
	bson_error_t error;
	json_t *answers = json_array();
	struct defi_team_input in = {t->name, t->pitch,
				     "Elle vise à mieux accueillir et fidéliser les collègues.",
				     answers};
	const char *id = defi_team_insert(s->db, captain, year, &in, true, &error);
	json_decref(answers);
	if (!id) {
		fprintf(stderr, "seed: team %s: %s\n", t->name, error.message);
		return -1;
	}
	struct outcome o = {t, json_array(), coordinator_id, clock_now_ms()};
	for (int i = 0; i < t->confirmed + t->invited; i++) {
		struct user *u = i ? colleague(s, (*next)++, t->organisation) : captain;
		bool confirmed = i < t->confirmed;
		if (!u || (i && confirmed &&
			   defi_seat_claim(s->db, year, u->id, id, "member", NULL, &error) < 0)) {
			json_decref(o.members);
			return -1;
		}
		json_t *m = json_pack("{s:s, s:s, s:I}", "user_id", u->id, "state",
				      confirmed ? "confirmed" : "invited", "invited_at",
				      (json_int_t)(o.now - 10LL * DAY_MS));
		if (confirmed)
			json_object_set_new(m, "accepted_at", json_integer(o.now - 9LL * DAY_MS));
		json_array_append_new(o.members, m);
	}
	int rc = defi_team_write(s->db, id, apply_outcome, &o, NULL, &error);
	json_decref(o.members);
	if (rc)
		fprintf(stderr, "seed: team %s: %s\n", t->name, error.message);
	return rc ? -1 : 0;
}

int defi_demo_teams(const struct app *app, struct db_ctx *db, const struct user *coordinator,
		    int year)
{
	const struct seed s = {app, db, audit_actor_cli(coordinator)};
	int next = 1;
	for (size_t i = 0; i < sizeof(TEAMS) / sizeof(*TEAMS); i++)
		if (make_team(&s, year, &TEAMS[i], &next, coordinator->id))
			return -1;
	return 0;
}
