/* Défi du Lab teams through the real stack: creation, the restricted view
 * for other agents, invitations (accounts and addresses without one),
 * acceptance (same organisation, one team per edition, under
 * concurrency), submission listing every unmet condition, leaving back to
 * "incomplète" with a mail, decisions mailed to the captain, the frozen
 * window at its exact boundaries under the test clock, and the
 * coordinators' override recorded in the audit journal, and another
 * process's teams index, stopped while the change log it stood at was
 * purged, reloading. Each test makes its own edition (a year picked per
 * run) and its own accounts. */
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

static const char PASSWORD[] = "phrase de passe des tests du Défi";

struct account {
	char *email;
	char *id;
	char *token;
};

static struct account coord;

/* Makes an account of organisation org (caf-31 when NULL), with a token. */
static void account_new(struct account *a, const char *tag, const char *name, const char *org,
			const char *role)
{
	a->email = unique_email(tag);
	char input[128];
	snprintf(input, sizeof(input), "%s\n", PASSWORD);
	const char *args[] = {"user",
			      "add",
			      "--email",
			      a->email,
			      "--name",
			      name,
			      "--organisation",
			      org ? org : "caf-31",
			      "--job",
			      "Conseillère",
			      role ? "--role" : NULL,
			      role,
			      NULL};
	assert_int_equal(cli_run(args, input, NULL), 0);
	a->token = cli_token_create(a->email, "tests");
	assert_non_null(a->token);
	json_t *me;
	assert_int_equal(api_json(a->token, "GET", "/api/v1/me", NULL, &me), 200);
	a->id = strdup(json_string_value(json_object_get(me, "id")));
	json_decref(me);
}

static void account_free(struct account *a)
{
	free(a->email);
	free(a->id);
	free(a->token);
}

static int setup(void **state)
{
	(void)state;
	account_new(&coord, "defi-t-coord", "Julien Coordinateur", "ucanss", "coordinator");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_clock_clear();
	account_free(&coord);
	return 0;
}

/* Creates an edition shaped like 2023's (sign-ups from 16 January 08:00Z
 * to 17 April 21:59:59Z, one required question) with min_size, at the
 * first free year from a per-run start. Returns the year. */
static json_t *edition_built(int year, void *arg)
{
	char start[16], end[16], opens[32], closes[32], title[64];
	snprintf(start, sizeof(start), "%d-06-26", year);
	snprintf(end, sizeof(end), "%d-06-27", year);
	snprintf(opens, sizeof(opens), "%d-01-16T08:00:00Z", year);
	snprintf(closes, sizeof(closes), "%d-04-17T21:59:59Z", year);
	snprintf(title, sizeof(title), "Défi du Lab %d", year);
	return json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:[{s:s, s:b}]}",
			 "year", year, "title", title, "theme",
			 "mieux attirer, recruter et fidéliser", "description", "Deux jours.",
			 "event_start", start, "event_end", end, "location", "Paris",
			 "signup_opens_at", opens, "signup_closes_at", closes, "min_team_size",
			 *(int *)arg, "questions", "label", "Quel besoin ?", "required", 1);
}

static int edition_new(int min_size)
{
	return test_edition_new(coord.token, "/api/v1/defi/editions", edition_built, &min_size);
}

/* Sets the test clock to "<year>-<rest>". */
static void clock_at(int year, const char *rest)
{
	char instant[40];
	snprintf(instant, sizeof(instant), "%d-%s", year, rest);
	test_clock_set(instant);
}

/* Creates a team of year as a; returns its id (heap). */
static char *team_new(const struct account *a, int year, const char *name)
{
	char path[80];
	snprintf(path, sizeof(path), "/api/v1/defi/editions/%d/teams", year);
	json_t *body = json_pack("{s:s, s:s, s:s, s:[{s:s, s:s}]}", "name", name, "pitch",
				 "Un parrainage des nouveaux arrivants.", "theme_fit", "Fidéliser.",
				 "answers", "code", "q1", "text", "Mieux accueillir.");
	json_t *out;
	assert_int_equal(api_json(a->token, "POST", path, body, &out), 201);
	json_decref(body);
	char *id = strdup(json_string_value(json_object_get(out, "id")));
	json_decref(out);
	return id;
}

/* Sends action (POST /api/v1/defi/teams/<id>/<action>) as a with body
 * (may be NULL); returns the status, *out (when not NULL) the answer. */
static long team_act(const struct account *a, const char *id, const char *action,
		     const json_t *body, json_t **out)
{
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/defi/teams/%s%s%s", id, *action ? "/" : "", action);
	return api_json(a->token, "POST", path, body, out);
}

static long invite(const struct account *captain, const char *id, const char *email)
{
	json_t *body = json_pack("{s:s}", "email", email);
	long status = team_act(captain, id, "invitations", body, NULL);
	json_decref(body);
	return status;
}

/* Returns error.fields.<field> of an API error (borrowed), or NULL. */
static const char *field_of(const json_t *err, const char *field)
{
	return json_string_value(
		json_object_get(json_object_get(json_object_get(err, "error"), "fields"), field));
}

static const char *error_code(const json_t *err)
{
	return json_string_value(json_object_get(json_object_get(err, "error"), "code"));
}

/* Returns how many members of team id have state "confirmed" as seen by a. */
static long confirmed(const struct account *a, const char *id)
{
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/defi/teams/%s", id);
	json_t *t;
	assert_int_equal(api_json(a->token, "GET", path, NULL, &t), 200);
	long n = (long)json_integer_value(json_object_get(t, "confirmed_count"));
	json_decref(t);
	return n;
}

static void creation_and_views(void **state)
{
	(void)state;
	int year = edition_new(6);
	clock_at(year, "03-01T12:00:00Z");
	struct account cap, other;
	account_new(&cap, "defi-t-cap", "Camille Capitaine", NULL, NULL);
	account_new(&other, "defi-t-other", "Olivier Autre", "cpam-31", NULL);
	char *id = team_new(&cap, year, "Les Accueillants");

	char path[96];
	snprintf(path, sizeof(path), "/api/v1/defi/teams/%s", id);
	json_t *t;
	assert_int_equal(api_json(cap.token, "GET", path, NULL, &t), 200);
	assert_int_equal(json_integer_value(json_object_get(t, "year")), year);
	assert_string_equal(json_string_value(json_object_get(t, "organisation_id")), "caf-31");
	assert_string_equal(json_string_value(json_object_get(t, "captain_id")), cap.id);
	assert_string_equal(json_string_value(json_object_get(t, "status")), "brouillon");
	assert_int_equal(json_integer_value(json_object_get(t, "confirmed_count")), 1);
	json_t *m = json_array_get(json_object_get(t, "members"), 0);
	assert_string_equal(json_string_value(json_object_get(m, "user_id")), cap.id);
	assert_string_equal(json_string_value(json_object_get(m, "name")), "Camille Capitaine");
	assert_string_equal(json_string_value(json_object_get(m, "state")), "confirmed");
	json_decref(t);

	/* Another agent sees the name, organisation and status only. */
	assert_int_equal(api_json(other.token, "GET", path, NULL, &t), 200);
	assert_string_equal(json_string_value(json_object_get(t, "name")), "Les Accueillants");
	assert_string_equal(json_string_value(json_object_get(t, "status")), "brouillon");
	assert_null(json_object_get(t, "members"));
	assert_null(json_object_get(t, "pitch"));
	json_decref(t);

	/* A second team of the same captain in the same edition: 409. */
	char create[80];
	snprintf(create, sizeof(create), "/api/v1/defi/editions/%d/teams", year);
	json_t *body = json_pack("{s:s}", "name", "Encore");
	assert_int_equal(api_json(cap.token, "POST", create, body, NULL), 409);
	json_decref(body);
	/* A nameless team, a query operator as a name: 422 next to the field. */
	json_t *err;
	body = json_pack("{s:s}", "name", "");
	assert_int_equal(api_json(other.token, "POST", create, body, &err), 422);
	assert_non_null(field_of(err, "name"));
	json_decref(err);
	json_decref(body);
	body = json_pack("{s:{s:s}}", "name", "$gt", "");
	assert_int_equal(api_json(other.token, "POST", create, body, &err), 422);
	assert_non_null(field_of(err, "name"));
	json_decref(err);
	json_decref(body);

	/* An answer to a question the edition does not ask: refused. */
	body = json_pack("{s:s, s:[{s:s, s:s}]}", "name", "Réponses", "answers", "code", "$where",
			 "text", "x");
	assert_int_equal(api_json(other.token, "POST", create, body, &err), 422);
	assert_non_null(field_of(err, "answers"));
	json_decref(err);
	json_decref(body);

	/* Someone else's team: 403; one that does not exist: 404. */
	assert_int_equal(team_act(&other, id, "submit", NULL, NULL), 403);
	assert_int_equal(invite(&other, id, "x@example.org"), 403);
	assert_int_equal(team_act(&other, id, "accept", NULL, NULL), 403);
	assert_int_equal(team_act(&other, id, "decision", NULL, NULL), 403);
	assert_int_equal(api_json(cap.token, "GET",
				  "/api/v1/defi/teams/0123456789abcdef0123456789abcdef", NULL,
				  NULL),
			 404);
	assert_int_equal(api_json(cap.token, "GET", "/api/v1/defi/teams/..%2f..", NULL, NULL), 404);
	free(id);
	account_free(&cap);
	account_free(&other);
}

static void invitations_submission_and_decision(void **state)
{
	(void)state;
	int year = edition_new(6);
	clock_at(year, "03-01T12:00:00Z");
	struct account cap, mates[5], outsider;
	account_new(&cap, "defi-t-cap", "Camille Capitaine", NULL, NULL);
	account_new(&outsider, "defi-t-out", "Paul Ailleurs", "cpam-31", NULL);
	/* From here on, every request reads by _id (README, data access). */
	long log_mark = app_log_size();
	char team_name[64];
	snprintf(team_name, sizeof(team_name), "Équipe %d-%d", year, (int)getpid());
	char *id = team_new(&cap, year, team_name);
	for (int i = 0; i < 5; i++) {
		account_new(&mates[i], "defi-t-mate", "Agnès Collègue", NULL, NULL);
		assert_int_equal(invite(&cap, id, mates[i].email), 201);
	}
	assert_int_equal(invite(&cap, id, outsider.email), 201);
	/* Invited twice: refused next to the address. */
	json_t *err;
	json_t *body = json_pack("{s:s}", "email", mates[0].email);
	assert_int_equal(team_act(&cap, id, "invitations", body, &err), 422);
	assert_non_null(field_of(err, "email"));
	json_decref(err);
	json_decref(body);
	/* An invitation is no membership. */
	assert_int_equal(confirmed(&cap, id), 1);
	for (int i = 0; i < 4; i++)
		assert_int_equal(team_act(&mates[i], id, "accept", NULL, NULL), 200);
	assert_int_equal(confirmed(&cap, id), 5);

	/* Five confirmed: refused, naming the missing count. */
	assert_int_equal(team_act(&cap, id, "submit", NULL, &err), 422);
	assert_string_equal(error_code(err), "invalid");
	assert_non_null(strstr(field_of(err, "members"), "Il manque 1 membre confirmé"));
	json_decref(err);

	/* Another organisation: refused, naming both. */
	assert_int_equal(team_act(&outsider, id, "accept", NULL, &err), 422);
	const char *why = field_of(err, "organisation");
	assert_non_null(why);
	assert_non_null(strstr(why, "Caf de la Haute-Garonne"));
	assert_non_null(strstr(why, "CPAM de la Haute-Garonne"));
	json_decref(err);

	assert_int_equal(team_act(&mates[4], id, "accept", NULL, NULL), 200);
	assert_int_equal(team_act(&mates[4], id, "accept", NULL, NULL), 409);
	json_t *t;
	assert_int_equal(team_act(&cap, id, "submit", NULL, &t), 200);
	assert_string_equal(json_string_value(json_object_get(t, "status")), "deposee");
	assert_int_equal(json_integer_value(json_object_get(t, "confirmed_count")), 6);
	json_decref(t);

	/* A member leaves before the close: back to "incomplète", the captain
	 * told by mail and on the team. */
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/defi/teams/%s/members/%s", id, mates[4].id);
	assert_int_equal(api_json(mates[4].token, "DELETE", path, NULL, &t), 200);
	assert_string_equal(json_string_value(json_object_get(t, "status")), "brouillon");
	assert_true(json_is_true(json_object_get(t, "incomplete")));
	json_decref(t);
	json_t *mine;
	assert_int_equal(api_json(cap.token, "GET", "/api/v1/me/defi", NULL, &mine), 200);
	bool told = false;
	size_t i;
	json_array_foreach(json_object_get(mine, "editions"), i, t)
		if (json_integer_value(json_object_get(t, "year")) == year)
			told = strstr(json_string_value(json_object_get(json_object_get(t, "team"),
									"notice")),
				      "incomplète") != NULL;
	assert_true(told);
	json_decref(mine);
	/* The captain had no mail so far: this one says the team is incomplete. */
	for (int tries = 0; tries < 100 && maildir_count(cap.email) == 0; tries++)
		usleep(100 * 1000);
	assert_int_equal(maildir_count(cap.email), 1);

	/* The seat is free again: the colleague comes back, the team goes in. */
	assert_int_equal(invite(&cap, id, mates[4].email), 201);
	assert_int_equal(team_act(&mates[4], id, "accept", NULL, NULL), 200);
	assert_int_equal(team_act(&cap, id, "submit", NULL, NULL), 200);

	/* Decisions are the coordinators'; a message is needed. */
	body = json_pack("{s:s, s:s}", "decision", "retenue", "message", "Bravo !");
	assert_int_equal(team_act(&cap, id, "decision", body, NULL), 403);
	json_t *bad = json_pack("{s:s, s:s}", "decision", "desistee", "message", "");
	assert_int_equal(team_act(&coord, id, "decision", bad, &err), 422);
	assert_non_null(field_of(err, "decision"));
	assert_non_null(field_of(err, "message"));
	json_decref(err);
	json_decref(bad);
	int mails_before = maildir_count(mates[0].email);
	assert_int_equal(team_act(&coord, id, "decision", body, &t), 200);
	assert_string_equal(json_string_value(json_object_get(t, "status")), "retenue");
	json_decref(t);
	json_decref(body);
	/* The captain and each member get the decision. */
	for (int tries = 0; tries < 100 && maildir_count(cap.email) < 2; tries++)
		usleep(100 * 1000);
	assert_int_equal(maildir_count(cap.email), 2);
	for (int tries = 0; tries < 100 && maildir_count(mates[0].email) == mails_before; tries++)
		usleep(100 * 1000);
	assert_int_equal(maildir_count(mates[0].email), mails_before + 1);
	char audit[160];
	snprintf(audit, sizeof(audit), "{\"action\": \"defi.team.decision\", \"target\": \"%s\"}",
		 id);
	assert_int_equal(mongo_count("audit", audit), 1);
	/* Decided: members no longer change. */
	assert_int_equal(api_json(mates[4].token, "DELETE", path, NULL, NULL), 409);
	char *scans = app_log_since(log_mark, " scans=", NULL);
	if (*scans)
		print_error("requests that scanned:\n%s", scans);
	assert_string_equal(scans, "");
	free(scans);
	free(id);
	account_free(&cap);
	account_free(&outsider);
	for (int k = 0; k < 5; k++)
		account_free(&mates[k]);
}

static void invitation_waits_for_the_account(void **state)
{
	(void)state;
	int year = edition_new(6);
	clock_at(year, "03-01T12:00:00Z");
	struct account cap, later;
	account_new(&cap, "defi-t-cap", "Camille Capitaine", NULL, NULL);
	char *id = team_new(&cap, year, "Les Patients");
	char *email = unique_email("defi-t-later");
	assert_int_equal(invite(&cap, id, email), 201);
	char link[160];
	snprintf(link, sizeof(link), "/inscription?email=");
	for (int tries = 0; tries < 100 && maildir_count(link) == 0; tries++)
		usleep(100 * 1000);
	assert_true(maildir_count(link) > 0);

	/* The account comes later, under that address (any case). */
	for (char *c = email; *c; c++)
		if (*c >= 'a' && *c <= 'z' && c == email)
			*c = (char)(*c - 'a' + 'A');
	char input[128];
	snprintf(input, sizeof(input), "%s\n", PASSWORD);
	const char *args[] = {"user",           "add",    "--email", email, "--name", "Lou Tardive",
			      "--organisation", "caf-31", NULL};
	assert_int_equal(cli_run(args, input, NULL), 0);
	later.email = email;
	later.token = cli_token_create(email, "tests");
	later.id = NULL;
	json_t *mine;
	assert_int_equal(api_json(later.token, "GET", "/api/v1/me/defi", NULL, &mine), 200);
	bool found = false;
	size_t i, j;
	json_t *e, *inv;
	json_array_foreach(json_object_get(mine, "editions"), i, e)
		json_array_foreach(json_object_get(e, "invitations"), j, inv)
			found = found ||
				strcmp(json_string_value(json_object_get(inv, "id")), id) == 0;
	assert_true(found);
	json_decref(mine);
	assert_int_equal(team_act(&later, id, "accept", NULL, NULL), 200);
	assert_int_equal(confirmed(&cap, id), 2);
	free(id);
	account_free(&cap);
	account_free(&later);
}

static void captaincy_declining_and_withdrawal(void **state)
{
	(void)state;
	int year = edition_new(6);
	clock_at(year, "03-01T12:00:00Z");
	struct account cap, mate, shy;
	account_new(&cap, "defi-t-cap", "Camille Capitaine", NULL, NULL);
	account_new(&mate, "defi-t-mate", "Agnès Collègue", NULL, NULL);
	account_new(&shy, "defi-t-shy", "Sam Réservé", NULL, NULL);
	char *id = team_new(&cap, year, "Les Relais");
	assert_int_equal(invite(&cap, id, mate.email), 201);
	assert_int_equal(invite(&cap, id, shy.email), 201);
	assert_int_equal(team_act(&mate, id, "accept", NULL, NULL), 200);

	/* Declining removes the invitation; the team stays as it was. */
	json_t *t;
	assert_int_equal(team_act(&shy, id, "decline", NULL, &t), 200);
	assert_int_equal(json_array_size(json_object_get(t, "members")), 2);
	json_decref(t);
	assert_int_equal(team_act(&shy, id, "accept", NULL, NULL), 403);

	/* The captain cannot leave while captain; hands the role over first. */
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/defi/teams/%s/members/%s", id, cap.id);
	json_t *err;
	assert_int_equal(api_json(cap.token, "DELETE", path, NULL, &err), 422);
	assert_non_null(field_of(err, "members"));
	json_decref(err);
	json_t *body = json_pack("{s:s}", "user_id", shy.id);
	assert_int_equal(team_act(&cap, id, "captain", body, &err), 422); /* not a member */
	json_decref(err);
	json_decref(body);
	body = json_pack("{s:s}", "user_id", mate.id);
	assert_int_equal(team_act(&mate, id, "captain", body, NULL), 403);
	assert_int_equal(team_act(&cap, id, "captain", body, &t), 200);
	assert_string_equal(json_string_value(json_object_get(t, "captain_id")), mate.id);
	json_decref(t);
	json_decref(body);
	assert_int_equal(api_json(cap.token, "DELETE", path, NULL, NULL), 200);
	/* Out of the team, the former captain may start another. */
	free(team_new(&cap, year, "Les Nouveaux"));

	/* The new captain withdraws the team: final. */
	assert_int_equal(team_act(&cap, id, "withdraw", NULL, NULL), 403);
	assert_int_equal(team_act(&mate, id, "withdraw", NULL, &t), 200);
	assert_string_equal(json_string_value(json_object_get(t, "status")), "desistee");
	json_decref(t);
	assert_int_equal(team_act(&mate, id, "withdraw", NULL, NULL), 409);
	assert_int_equal(invite(&mate, id, shy.email), 409);
	free(id);
	account_free(&cap);
	account_free(&mate);
	account_free(&shy);
}

static void window_boundaries_and_coordinator_override(void **state)
{
	(void)state;
	int year = edition_new(1);
	struct account cap, mate, late;
	account_new(&cap, "defi-t-cap", "Camille Capitaine", NULL, NULL);
	account_new(&mate, "defi-t-mate", "Agnès Collègue", NULL, NULL);
	account_new(&late, "defi-t-late", "Léo Retard", NULL, NULL);
	char create[80];
	snprintf(create, sizeof(create), "/api/v1/defi/editions/%d/teams", year);
	json_t *body = json_pack("{s:s, s:s, s:s, s:[{s:s, s:s}]}", "name", "Les Ponctuels",
				 "pitch", "Idée", "theme_fit", "Thème", "answers", "code", "q1",
				 "text", "Oui");

	/* One second before the opening: closed. */
	clock_at(year, "01-16T07:59:59Z");
	json_t *err;
	assert_int_equal(api_json(cap.token, "POST", create, body, &err), 422);
	assert_string_equal(error_code(err), "closed");
	assert_non_null(field_of(err, "window"));
	json_decref(err);
	/* The opening instant itself: open. */
	clock_at(year, "01-16T08:00:00Z");
	json_t *t;
	assert_int_equal(api_json(cap.token, "POST", create, body, &t), 201);
	char *id = strdup(json_string_value(json_object_get(t, "id")));
	json_decref(t);
	json_decref(body);

	/* The closing instant is the last accepted one. */
	clock_at(year, "04-17T21:59:59Z");
	assert_int_equal(invite(&cap, id, mate.email), 201);
	assert_int_equal(team_act(&mate, id, "accept", NULL, NULL), 200);
	assert_int_equal(invite(&cap, id, late.email), 201);
	/* A second team, made at the closing instant and submitted then. */
	struct account other;
	account_new(&other, "defi-t-other", "Olga Autre", NULL, NULL);
	char *second = team_new(&other, year, "Les Derniers");
	assert_int_equal(team_act(&other, second, "submit", NULL, &t), 200);
	assert_string_equal(json_string_value(json_object_get(t, "status")), "deposee");
	json_decref(t);

	/* One second after: frozen for everyone but a coordinator. */
	clock_at(year, "04-17T22:00:00Z");
	assert_int_equal(team_act(&late, id, "accept", NULL, &err), 422);
	assert_string_equal(error_code(err), "closed");
	json_decref(err);
	assert_int_equal(invite(&cap, id, "quelquun@example.org"), 422);
	assert_int_equal(team_act(&cap, id, "submit", NULL, &err), 422);
	assert_string_equal(error_code(err), "closed");
	json_decref(err);
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/defi/teams/%s/members/%s", id, mate.id);
	assert_int_equal(api_json(mate.token, "DELETE", path, NULL, &err), 422);
	assert_string_equal(error_code(err), "closed");
	json_decref(err);
	body = json_pack("{s:s}", "name", "Autre");
	assert_int_equal(api_json(late.token, "POST", create, body, &err), 422);
	assert_string_equal(error_code(err), "closed");
	json_decref(err);
	json_decref(body);

	/* A coordinator fixes the team after the close: logged. */
	assert_int_equal(api_json(coord.token, "DELETE", path, NULL, NULL), 200);
	char audit[160];
	snprintf(audit, sizeof(audit), "{\"action\": \"defi.team.remove\", \"target\": \"%s\"}",
		 id);
	assert_int_equal(mongo_count("audit", audit), 1);
	assert_int_equal(team_act(&coord, id, "submit", NULL, &t), 200);
	assert_string_equal(json_string_value(json_object_get(t, "status")), "deposee");
	json_decref(t);
	snprintf(audit, sizeof(audit), "{\"action\": \"defi.team.submit\", \"target\": \"%s\"}",
		 id);
	assert_int_equal(mongo_count("audit", audit), 1);
	/* A captain's own submission in the window is no fix: not journalled. */
	snprintf(audit, sizeof(audit), "{\"action\": \"defi.team.submit\", \"target\": \"%s\"}",
		 second);
	assert_int_equal(mongo_count("audit", audit), 0);
	free(second);
	account_free(&other);
	free(id);
	account_free(&cap);
	account_free(&mate);
	account_free(&late);
}

/* One acceptance sent by a thread. */
struct race {
	const struct account *who;
	const char *team;
	long status;
};

static void *accept_now(void *arg)
{
	struct race *r = arg;
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/defi/teams/%s/accept", r->team);
	struct http_reply reply;
	r->status = api_request(r->who->token, "POST", path, NULL, &reply);
	http_reply_free(&reply);
	return NULL;
}

/* One invitation sent by a thread. */
struct invitation_race {
	const struct account *captain;
	const char *team;
	char *email;
	long status;
};

static void *invite_now(void *arg)
{
	struct invitation_race *r = arg;
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/defi/teams/%s/invitations", r->team);
	json_t *body = json_pack("{s:s}", "email", r->email);
	struct http_reply reply;
	r->status = api_request(r->captain->token, "POST", path, body, &reply);
	http_reply_free(&reply);
	json_decref(body);
	return NULL;
}

static void one_team_per_edition_under_concurrency(void **state)
{
	(void)state;
	int year = edition_new(6);
	clock_at(year, "03-01T12:00:00Z");
	struct account a, b;
	account_new(&a, "defi-t-capa", "Alice Capitaine", NULL, NULL);
	account_new(&b, "defi-t-capb", "Bruno Capitaine", NULL, NULL);
	char *ta = team_new(&a, year, "Équipe A"), *tb = team_new(&b, year, "Équipe B");
	enum { PEOPLE = 6 };
	struct account p[PEOPLE];
	for (int i = 0; i < PEOPLE; i++) {
		account_new(&p[i], "defi-t-both", "Chris Convoité", NULL, NULL);
		assert_int_equal(invite(&a, ta, p[i].email), 201);
		assert_int_equal(invite(&b, tb, p[i].email), 201);
	}
	/* Each person accepts both invitations at the same moment. */
	struct race races[PEOPLE * 2];
	pthread_t threads[PEOPLE * 2];
	for (int i = 0; i < PEOPLE; i++) {
		races[2 * i] = (struct race){&p[i], ta, 0};
		races[2 * i + 1] = (struct race){&p[i], tb, 0};
	}
	for (int i = 0; i < PEOPLE * 2; i++)
		assert_int_equal(pthread_create(&threads[i], NULL, accept_now, &races[i]), 0);
	for (int i = 0; i < PEOPLE * 2; i++)
		pthread_join(threads[i], NULL);
	for (int i = 0; i < PEOPLE; i++) {
		long s1 = races[2 * i].status, s2 = races[2 * i + 1].status;
		assert_true((s1 == 200 && s2 == 409) || (s1 == 409 && s2 == 200));
	}
	/* Nobody ended up in both, and no acceptance was lost. */
	assert_int_equal(confirmed(&a, ta) + confirmed(&b, tb), 2 + PEOPLE);

	/* Invitations sent at once to one team all land: each write re-reads
	 * the team after losing its revision claim. */
	enum { INVITES = 8 };
	struct invitation_race inv[INVITES];
	pthread_t senders[INVITES];
	for (int i = 0; i < INVITES; i++) {
		inv[i] = (struct invitation_race){&a, ta, unique_email("defi-t-rush"), 0};
		assert_int_equal(pthread_create(&senders[i], NULL, invite_now, &inv[i]), 0);
	}
	for (int i = 0; i < INVITES; i++)
		pthread_join(senders[i], NULL);
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/defi/teams/%s", ta);
	json_t *t;
	assert_int_equal(api_json(a.token, "GET", path, NULL, &t), 200);
	for (int i = 0; i < INVITES; i++) {
		assert_int_equal(inv[i].status, 201);
		bool listed = false;
		size_t k;
		json_t *e;
		json_array_foreach(json_object_get(t, "email_invites"), k, e)
			listed = listed || strcmp(json_string_value(json_object_get(e, "email")),
						  inv[i].email) == 0;
		assert_true(listed);
		free(inv[i].email);
	}
	json_decref(t);
	free(ta);
	free(tb);
	account_free(&a);
	account_free(&b);
	for (int i = 0; i < PEOPLE; i++)
		account_free(&p[i]);
}

static void pages_and_forms(void **state)
{
	(void)state;
	int year = edition_new(6);
	clock_at(year, "03-01T12:00:00Z");
	char *email = unique_email("defi-t-page");
	assert_int_equal(cli_user_add(email, "Camille Page", NULL, PASSWORD), 0);
	struct sess *s = sess_new();
	assert_int_equal(sess_login(s, email, PASSWORD), 303);
	char form[80];
	snprintf(form, sizeof(form), "/defi/%d/equipes/nouvelle", year);
	struct http_reply r;
	assert_int_equal(sess_get(s, form, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "Une amorce d’idée suffit"));
	http_reply_free(&r);
	sess_post_form(s, form, form, &r, "name", "", "pitch", "Mon idée <b>brute</b>", NULL);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "Mon idée &lt;b&gt;brute&lt;/b&gt;"));
	char *why = html_field_error(r.body, "name");
	assert_non_null(why);
	free(why);
	http_reply_free(&r);
	sess_post_form(s, form, form, &r, "name", "Les Formulaires", "pitch", "Idée", NULL);
	assert_int_equal(r.status, 303);
	char *location = http_header(&r, "Location");
	assert_non_null(location);
	http_reply_free(&r);
	const char *page = strstr(location, "/defi/");
	assert_non_null(page);
	char team_page[128];
	snprintf(team_page, sizeof(team_page), "%.*s", (int)strcspn(page, "?\r\n"), page);
	assert_int_equal(sess_get(s, team_page, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "Les Formulaires"));
	http_reply_free(&r);
	/* Submitting alone: the page again, the missing count next to the
	 * members and the empty answer next to its question. */
	char submit[160];
	snprintf(submit, sizeof(submit), "%s/deposer", team_page);
	sess_post_form(s, team_page, submit, &r, NULL);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "Il manque 5 membres confirmés"));
	assert_non_null(strstr(r.body, "Répondez à la question «\u202fQuel besoin ?\u202f»"));
	assert_non_null(strstr(r.body, "<title>Erreur\u202f: Les Formulaires"));
	http_reply_free(&r);
	/* In a team already: the creation form leads to it. */
	assert_int_equal(sess_get(s, form, &r), 0);
	assert_int_equal(r.status, 303);
	char *to = http_header(&r, "Location");
	assert_non_null(to);
	assert_non_null(strstr(to, team_page));
	free(to);
	http_reply_free(&r);
	/* "Mon Défi" lists the team. */
	assert_int_equal(sess_get(s, "/mon-defi", &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "Les Formulaires"));
	http_reply_free(&r);
	free(location);
	free(email);
	sess_free(s);
}

/* A team's page is shared by the agents who are not in it, through the
 * page cache: the invited person, who looks right after an outsider,
 * still gets the page that lets them answer (and does, with its form's
 * token), and neither sees the other's name. */
static void shared_team_page_stays_each_visitors_own(void **state)
{
	(void)state;
	int year = edition_new(6);
	clock_at(year, "03-01T12:00:00Z");
	struct account captain, guest, outsider;
	account_new(&captain, "defi-t-share-cap", "Capucine Partage", NULL, NULL);
	account_new(&guest, "defi-t-share-inv", "Gaspard Invité", NULL, NULL);
	account_new(&outsider, "defi-t-share-out", "Oscar Dehors", NULL, NULL);
	char *id = team_new(&captain, year, "Les Partageurs");
	assert_int_equal(invite(&captain, id, guest.email), 201);
	struct sess *g = sess_new(), *o = sess_new();
	assert_int_equal(sess_login(g, guest.email, PASSWORD), 303);
	assert_int_equal(sess_login(o, outsider.email, PASSWORD), 303);
	char path[128];
	snprintf(path, sizeof(path), "/defi/%d/equipes/%s", year, id);
	for (int round = 0; round < 2; round++) {
		char *seen = sess_page(o, path);
		assert_non_null(strstr(seen, "Les Partageurs"));
		assert_non_null(strstr(seen, "Oscar Dehors"));
		assert_null(strstr(seen, "Gaspard Invité"));
		assert_null(strstr(seen, "Accepter l’invitation"));
		free(seen);
		seen = sess_page(g, path);
		assert_non_null(strstr(seen, "Accepter l’invitation"));
		assert_non_null(strstr(seen, "Gaspard Invité"));
		assert_null(strstr(seen, "Oscar Dehors"));
		free(seen);
	}
	/* Accepted, the guest's own page says so at once. */
	char accept[160];
	snprintf(accept, sizeof(accept), "%s/accepter", path);
	struct http_reply r;
	sess_post_form(g, path, accept, &r, NULL);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	char *seen = sess_page(g, path);
	assert_non_null(strstr(seen, "Quitter l’équipe"));
	free(seen);
	sess_free(g);
	sess_free(o);
	free(id);
	account_free(&captain);
	account_free(&guest);
	account_free(&outsider);
}

/* Returns a session signed in as a (free with sess_free). */
static struct sess *signed_in(const struct account *a)
{
	struct sess *s = sess_new();
	assert_int_equal(sess_login(s, a->email, PASSWORD), 303);
	return s;
}

/* Checks that s's GET of team_page + suffix answers status and, when
 * needle is not NULL, holds it. */
static void asks(struct sess *s, const char *team_page, const char *suffix, long status,
		 const char *needle)
{
	char path[256];
	snprintf(path, sizeof(path), "%s%s", team_page, suffix);
	struct http_reply r;
	assert_int_equal(sess_get(s, path, &r), 0);
	assert_int_equal(r.status, status);
	if (needle && !strstr(r.body, needle))
		fail_msg("%s: no %s", path, needle);
	http_reply_free(&r);
}

/* Declining, leaving, removing and withdrawing ask first on a page that
 * changes nothing, names the team and is a 404 to whoever may not act. */
static void destructive_actions_ask_first(void **state)
{
	(void)state;
	int year = edition_new(6);
	clock_at(year, "03-01T12:00:00Z");
	struct account cap, mate, out;
	account_new(&cap, "defi-t-ask-cap", "Camille Prudente", NULL, NULL);
	account_new(&mate, "defi-t-ask-mate", "Agnès Hésitante", NULL, NULL);
	account_new(&out, "defi-t-ask-out", "Sam Dehors", NULL, NULL);
	char *id = team_new(&cap, year, "Les Prudents");
	assert_int_equal(invite(&cap, id, mate.email), 201);
	struct sess *sc = signed_in(&cap), *sm = signed_in(&mate), *so = signed_in(&out);
	char team[128], action[256], remove_mate[128], remove_cap[128];
	snprintf(team, sizeof(team), "/defi/%d/equipes/%s", year, id);
	snprintf(remove_mate, sizeof(remove_mate), "/membres/%s/confirmer-retrait", mate.id);
	snprintf(remove_cap, sizeof(remove_cap), "/membres/%s/confirmer-retrait", cap.id);

	asks(sm, team, "", 200, "/confirmer-refus\"");
	snprintf(action, sizeof(action), "action=\"%s/decliner\"", team);
	asks(sm, team, "/confirmer-refus", 200, action);
	asks(sm, team, "/confirmer-refus", 200, "Les Prudents");
	asks(so, team, "/confirmer-refus", 404, NULL);
	asks(sc, team, remove_mate, 200, "Agnès Hésitante ne fera plus partie");

	assert_int_equal(team_act(&mate, id, "accept", NULL, NULL), 200);
	snprintf(action, sizeof(action), "action=\"%s/quitter\"", team);
	asks(sm, team, "/confirmer-depart", 200, action);
	asks(sc, team, "/confirmer-depart", 404, NULL); /* the captain hands over first */
	asks(so, team, "/confirmer-depart", 404, NULL);
	snprintf(action, sizeof(action), "action=\"%s/membres/%s/retirer\"", team, mate.id);
	asks(sc, team, remove_mate, 200, action);
	asks(sm, team, remove_cap, 404, NULL);
	asks(sc, team, remove_cap, 404, NULL);
	snprintf(action, sizeof(action), "action=\"%s/desister\"", team);
	asks(sc, team, "/confirmer-desistement", 200, action);
	asks(sm, team, "/confirmer-desistement", 404, NULL);
	/* Asking changed nothing. */
	assert_int_equal(confirmed(&cap, id), 2);
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/defi/teams/%s", id);
	json_t *t;
	assert_int_equal(api_json(cap.token, "GET", path, NULL, &t), 200);
	assert_string_equal(json_string_value(json_object_get(t, "status")), "brouillon");
	json_decref(t);
	/* The page's form does it. */
	struct http_reply r;
	char confirm_page[160], post[160];
	snprintf(confirm_page, sizeof(confirm_page), "%s/confirmer-depart", team);
	snprintf(post, sizeof(post), "%s/quitter", team);
	sess_post_form(sm, confirm_page, post, &r, NULL);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	assert_int_equal(confirmed(&cap, id), 1);
	sess_free(sc);
	sess_free(sm);
	sess_free(so);
	free(id);
	account_free(&cap);
	account_free(&mate);
	account_free(&out);
}

/* Returns whether the coordinators' API on peer lists a team of year
 * named name. */
static bool peer_lists(const struct fcgi_app *peer, int year, const char *name)
{
	char auth[192], path[80], quoted[96];
	snprintf(auth, sizeof(auth), "HTTP_AUTHORIZATION=Bearer %s", coord.token);
	snprintf(path, sizeof(path), "/api/v1/defi/editions/%d/teams", year);
	snprintf(quoted, sizeof(quoted), "\"%s\"", name);
	const char *params[] = {auth, "REMOTE_ADDR=127.0.0.1", NULL};
	return fcgi_get_shows(peer, path, params, quoted);
}

/* Another process, stopped while a team is created and the edition's
 * change log (its next record among them) is purged, finds the record it
 * needs gone when it goes on: it reloads the edition's teams and lists
 * the new one, instead of waiting for that record forever. */
static void a_process_behind_the_purge_reloads(void **state)
{
	(void)state;
	int year = edition_new(2);
	clock_at(year, "03-01T12:00:00Z");
	struct account first, second;
	account_new(&first, "defi-t-purge1", "Paule Première", NULL, NULL);
	account_new(&second, "defi-t-purge2", "Pierre Second", "cpam-31", NULL);
	char *before = team_new(&first, year, "Les Premiers");
	struct fcgi_app peer;
	assert_int_equal(fcgi_start(&peer, "defi-purge-peer", NULL), 0);
	assert_true(peer_lists(&peer, year, "Les Premiers"));

	assert_int_equal(kill(peer.pid, SIGSTOP), 0);
	char *during = team_new(&second, year, "Les Suivants");
	char scope[16];
	snprintf(scope, sizeof(scope), "%d", year);
	test_changelog_purge("defi_team_changes", "defi-changes", scope);
	assert_int_equal(kill(peer.pid, SIGCONT), 0);
	long long started = now_ms();
	bool listed = false;
	while (!(listed = peer_lists(&peer, year, "Les Suivants")) && now_ms() - started < 3000)
		usleep(20 * 1000);
	print_message("the process behind the purge listed the new team after %lld ms\n",
		      now_ms() - started);
	assert_true(listed);
	assert_true(peer_lists(&peer, year, "Les Premiers"));
	assert_int_equal(fcgi_stop(&peer), 0);
	free(during);
	free(before);
	account_free(&second);
	account_free(&first);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(creation_and_views),
		cmocka_unit_test(invitations_submission_and_decision),
		cmocka_unit_test(invitation_waits_for_the_account),
		cmocka_unit_test(captaincy_declining_and_withdrawal),
		cmocka_unit_test(window_boundaries_and_coordinator_override),
		cmocka_unit_test(one_team_per_edition_under_concurrency),
		cmocka_unit_test(pages_and_forms),
		cmocka_unit_test(shared_team_page_stays_each_visitors_own),
		cmocka_unit_test(destructive_actions_ask_first),
		cmocka_unit_test(a_process_behind_the_purge_reloads),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
