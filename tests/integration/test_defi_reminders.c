/* The Défi's reminder mails through the real stack, under the test
 * clock: a draft team's captain gets one mail a week before the close and
 * one on the last day, an invited colleague who has not answered after
 * three days gets one, and none of them twice, whatever the number of app
 * processes and passes. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

static const char PASSWORD[] = "correct horse battery staple 42";

/* Writes the UTC instant ms as RFC 3339 into out. */
static void rfc3339(long long ms, char out[32])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static char *token_for(const char *tag, const char *role, char **email)
{
	*email = unique_email(tag);
	assert_int_equal(cli_user_add(*email, "Alex Testeur", role, PASSWORD), 0);
	char *t = cli_token_create(*email, "tests");
	assert_non_null(t);
	return t;
}

/* Waits up to 10 s for exactly want messages holding needle, then checks
 * that no other comes within the next 1.5 s. */
static void expect_mails(const char *needle, int want)
{
	long long until = now_ms() + 10000;
	while (maildir_count(needle) < want && now_ms() < until)
		usleep(100 * 1000);
	assert_int_equal(maildir_count(needle), want);
	usleep(1500 * 1000);
	assert_int_equal(maildir_count(needle), want);
}

/* An edition in a free year whose sign-ups close at arg (RFC 3339). */
static json_t *edition_built(int y, void *arg)
{
	char start[16], end[16];
	snprintf(start, sizeof(start), "%d-06-26", y);
	snprintf(end, sizeof(end), "%d-06-27", y);
	return json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "year", y, "title",
			 "Défi du Lab (rappels)", "theme", "les rappels", "event_start", start,
			 "event_end", end, "location", "Paris", "signup_opens_at",
			 "2020-01-01T00:00:00Z", "signup_closes_at", (const char *)arg);
}

static void reminders_go_once_at_their_time(void **state)
{
	(void)state;
	char *coord_email, *captain_email, *invitee_email;
	char *coord = token_for("defi-coord", "coordinator", &coord_email);
	char *captain = token_for("defi-captain", NULL, &captain_email);
	char *invitee = token_for("defi-invitee", NULL, &invitee_email);
	/* Sign-ups close ten days from now (real time: invitations are
	 * dated by the real clock). */
	long long close = ((long long)time(NULL) + 10 * 86400) * 1000;
	char closes[32], at[32], team_name[64], path[96];
	rfc3339(close, closes);
	int year = test_edition_new(coord, "/api/v1/defi/editions", edition_built, closes);
	snprintf(team_name, sizeof(team_name), "Rappel%dx%lld", (int)getpid(), now_ms() % 100000);
	snprintf(path, sizeof(path), "/api/v1/defi/editions/%d/teams", year);
	json_t *t = json_pack("{s:s, s:s, s:s, s:[]}", "name", team_name, "pitch", "Une idée.",
			      "theme_fit", "Le thème.", "answers"),
	       *out;
	assert_int_equal(api_json(captain, "POST", path, t, &out), 201);
	json_decref(t);
	snprintf(path, sizeof(path), "/api/v1/defi/teams/%s/invitations",
		 json_string_value(json_object_get(out, "id")));
	json_decref(out);
	json_t *inv = json_pack("{s:s}", "email", invitee_email);
	assert_int_equal(api_json(captain, "POST", path, inv, NULL), 201);
	json_decref(inv);
	expect_mails(invitee_email, 1); /* the invitation itself */

	/* Eight days before the close: nothing is due yet. */
	rfc3339(close - 8LL * 86400 * 1000, at);
	test_clock_set(at);
	expect_mails(team_name, 1);
	/* Six days before: the captain's first reminder, and the invitee's
	 * (invited four days before that instant). */
	rfc3339(close - 6LL * 86400 * 1000, at);
	test_clock_set(at);
	expect_mails(team_name, 3);
	expect_mails(invitee_email, 2);
	/* The last day, then the closing instant itself: the second one. */
	rfc3339(close - 3600 * 1000, at);
	test_clock_set(at);
	expect_mails(team_name, 4);
	rfc3339(close, at);
	test_clock_set(at);
	expect_mails(captain_email, 2);
	test_clock_clear();

	free(coord);
	free(captain);
	free(invitee);
	free(coord_email);
	free(captain_email);
	free(invitee_email);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reminders_go_once_at_their_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
