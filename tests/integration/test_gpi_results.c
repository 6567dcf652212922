/* The embargo and the publication of the Grand Prix's results through
 * the real stack (issue 13). Candidatures of two organisations are filed,
 * found admissible, three of them made finalists and told so; the grand
 * jury awards Or (to one without an endowment use), Argent, Bronze, the
 * coup de cœur and a special prize. Then:
 *   - until the ceremony instant, every response an anonymous visitor or
 *     a candidate can get (pages, API, feed, calendar, the mails in the
 *     sink) is searched for the laureates' titles and the prizes: none;
 *   - at the instant, with no request, the laureates' mails go out, once;
 *     the palmarès, its archive, the feed and the API show the prizes,
 *     without the person who withdrew from publication, and the Gold
 *     endowment as not attributable;
 *   - a ceremony moved later puts them back under embargo, one moved
 *     earlier publishes them at its new instant. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gpi_filing.h"
#include "support.h"

static const char PASSWORD[] = "correct horse battery staple 42";

static struct agent sec, grand, filer_a, filer_b;
static int year;
static char tag[32];
/* The candidatures: A1 (Or, no endowment use), A2 (Bronze), B1 (Argent
 * and coup de cœur), B2 (not kept), S (special prize, another category). */
static char *a1, *a2, *b1, *b2, *s1;
static char titles[5][96], special_title[96];
static char *contact_a, *contact_b; /* where the organisations' mails go */

/* Sets the test clock to year's month-day and time (UTC). */
static void clock_at(const char *month_day_time)
{
	char instant[40];
	snprintf(instant, sizeof(instant), "%d-%s", year, month_day_time);
	test_clock_set(instant);
}

/* Returns status after sending body (consumed) to path (year's edition
 * inserted for %d) as token; the reply is dropped. */
static long send(const char *token, const char *method, const char *path_fmt, json_t *body)
{
	char path[200];
	snprintf(path, sizeof(path), path_fmt, year);
	json_t *out = NULL;
	long status = api_json(token, method, path, body, &out);
	if (status >= 400) {
		char *dump = out ? json_dumps(out, 0) : NULL;
		fprintf(stderr, "%s %s: %ld %s\n", method, path, status, dump ? dump : "");
		free(dump);
	}
	json_decref(out);
	json_decref(body);
	return status;
}

/* Withdraws "Anne Martin", the one person of candidature id, from
 * publication (article 10). */
static void withdraw_person(const char *id)
{
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s", id);
	json_t *c;
	assert_int_equal(api_json(sec.token, "GET", path, NULL, &c), 200);
	const json_t *anne = json_array_get(json_object_get(c, "people"), 0);
	json_t *body = json_pack("{s:s, s:b}", "person",
				 json_string_value(json_object_get(anne, "id")), "withdrawn", 1);
	json_decref(c);
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s/withdrawal", id);
	assert_int_equal(api_json(sec.token, "POST", path, body, NULL), 200);
	json_decref(body);
}

static int setup(void **state)
{
	(void)state;
	agent_new(&sec, "gpi-res-sec", "ucanss", "secretariat", PASSWORD);
	agent_new(&grand, "gpi-res-grand", "ucanss", NULL, PASSWORD);
	agent_new(&filer_a, "gpi-res-a", "caf-31", NULL, PASSWORD);
	agent_new(&filer_b, "gpi-res-b", "cpam-31", NULL, PASSWORD);
	year = test_gpi_edition_new(sec.token);
	snprintf(tag, sizeof(tag), "%ld-%d", (long)getpid(), year);
	const char *names[] = {"Accueil augmenté", "Agenda partagé", "Bureau nomade",
			       "Budget participatif", "Simulateur de droits"};
	for (int i = 0; i < 5; i++)
		snprintf(titles[i], sizeof(titles[i]), "%s %s", names[i], tag);
	snprintf(special_title, sizeof(special_title), "Prix de l’audace %s", tag);
	contact_a = unique_email("gpi-res-contact-a");
	contact_b = unique_email("gpi-res-contact-b");
	char **ids[] = {&a1, &a2, &b1, &b2, &s1};
	for (int i = 0; i < 5; i++) {
		struct gpi_filing f = {.year = year,
				       .token = i < 2 ? filer_a.token : filer_b.token,
				       .title = titles[i],
				       .category = i < 4 ? "rh" : "sociale",
				       .contact = i < 2 ? contact_a : contact_b,
				       .no_endowment_use = i == 0};
		*ids[i] = gpi_file(&f);
	}
	for (int i = 0; i < 5; i++)
		gpi_admit(sec.token, year, *ids[i], true);
	/* Anne Martin withdraws from every laureate's publication but the
	 * special prize's. */
	for (int i = 0; i < 4; i++)
		withdraw_person(*ids[i]);
	long appointed = send(sec.token, "POST", "/api/v1/gpi/editions/%d/grand-jury/members",
			      json_pack("{s:s}", "user_id", grand.id));
	assert_true(appointed == 200 || appointed == 201);
	clock_at("06-20T08:00:00Z");
	assert_int_equal(send(sec.token, "POST", "/api/v1/gpi/editions/%d/categories/rh/finalists",
			      json_pack("{s:[s, s, s], s:s}", "candidature_ids", a1, a2, b1,
					"minutes", "Délibération du jury.")),
			 200);
	assert_int_equal(
		send(sec.token, "POST", "/api/v1/gpi/editions/%d/categories/sociale/finalists",
		     json_pack("{s:[s], s:s}", "candidature_ids", s1, "minutes", "Seule.")),
		200);
	clock_at("07-01T08:00:00Z");
	assert_int_equal(send(sec.token, "POST", "/api/v1/gpi/editions/%d/notifications", NULL),
			 200);
	clock_at("10-03T12:00:00Z");
	assert_int_equal(send(grand.token, "PUT",
			      "/api/v1/gpi/editions/%d/categories/rh/awards",
			      json_pack("{s:s, s:s, s:s}", "or", a1, "argent", b1, "bronze", a2)),
			 200);
	assert_int_equal(send(grand.token, "PUT", "/api/v1/gpi/editions/%d/awards/coup-de-coeur",
			      json_pack("{s:s}", "candidature_id", b1)),
			 200);
	assert_int_equal(send(grand.token, "PUT", "/api/v1/gpi/editions/%d/awards/special",
			      json_pack("{s:s, s:s}", "candidature_id", s1, "title", special_title)),
			 200);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_clock_clear();
	agent_free(&sec);
	agent_free(&grand);
	agent_free(&filer_a);
	agent_free(&filer_b);
	free(a1);
	free(a2);
	free(b1);
	free(b2);
	free(s1);
	free(contact_a);
	free(contact_b);
	return 0;
}

/* Returns the body of GET path (%d: the year) as s (NULL: anonymous),
 * with its status in *status (heap). */
static char *get(struct sess *s, const char *path_fmt, long *status)
{
	char path[200];
	snprintf(path, sizeof(path), path_fmt, year);
	struct sess *anonymous = s ? NULL : sess_new();
	struct http_reply r;
	assert_int_equal(sess_get(s ? s : anonymous, path, &r), 0);
	char *body = strdup(r.body ? r.body : "");
	if (status)
		*status = r.status;
	http_reply_free(&r);
	sess_free(anonymous);
	return body;
}

/* Every path an anonymous visitor or a candidate can ask about the
 * edition and its results (%d: the year). */
static const char *const PUBLIC_PATHS[] = {
	"/grand-prix",
	"/grand-prix/%d",
	"/grand-prix/%d/palmares",
	"/grand-prix/palmares",
	"/grand-prix/palmares.atom",
	"/grand-prix/%d/calendrier.ics",
	"/api/v1/gpi/editions",
	"/api/v1/gpi/editions/%d",
	"/api/v1/gpi/editions/%d/laureates",
	"/grand-prix/%d/grand-jury",
	"/grand-prix/%d/classement",
	"/api/v1/gpi/editions/%d/ranking?category=rh",
	"/grand-prix/%d/finalistes",
};

/* Fails when body (from path) holds needle. */
static void refute_in(const char *who, const char *path, const char *body, const char *needle)
{
	if (strstr(body, needle)) {
		fprintf(stderr, "%s: %s shows \"%s\" before the ceremony\n", who, path, needle);
		fail();
	}
}

/* The prizes' words, which no page of this edition an outsider can get
 * may hold before the ceremony (pages shared by every edition may, from
 * another edition's published results). */
static const char *const PRIZE_WORDS[] = {"non attribuable", "Coup de cœur", "Prix spécial",
					  "lauréat", "Lauréat", "Argent", "Bronze"};

/* Fails when a response of paths (then extra) to s (NULL: anonymous)
 * holds one of needles, or, on a path of this edition (one with %d, and
 * every extra one), a prize's word. */
static void assert_nothing_leaks(const char *who, struct sess *s, const char *const *extra,
				 size_t n_extra, const char *const *needles, size_t n_needles)
{
	const size_t n_public = sizeof(PUBLIC_PATHS) / sizeof(*PUBLIC_PATHS);
	for (size_t i = 0; i < n_public + n_extra; i++) {
		const char *path = i < n_public ? PUBLIC_PATHS[i] : extra[i - n_public];
		char *body = get(s, path, NULL);
		for (size_t k = 0; k < n_needles; k++)
			refute_in(who, path, body, needles[k]);
		bool own_edition = i >= n_public || strstr(path, "%d");
		for (size_t k = 0; own_edition && k < sizeof(PRIZE_WORDS) / sizeof(*PRIZE_WORDS); k++)
			refute_in(who, path, body, PRIZE_WORDS[k]);
		free(body);
	}
}

static void nothing_shows_before_the_ceremony_instant(void **state)
{
	(void)state;
	clock_at("10-03T21:59:59Z");
	const char *everything[] = {titles[0], titles[1], titles[2], titles[4], special_title};
	assert_nothing_leaks("anonymous", NULL, NULL, 0, everything,
			     sizeof(everything) / sizeof(*everything));
	/* The filers of A1 (Or) and A2 (Bronze): their own pages say
	 * "Finaliste" and nothing more. */
	char own[3][160];
	snprintf(own[0], sizeof(own[0]), "/grand-prix/%%d/candidatures/%s", a1);
	snprintf(own[1], sizeof(own[1]), "/api/v1/gpi/candidatures/%s", a1);
	snprintf(own[2], sizeof(own[2]), "/grand-prix/%%d/candidatures");
	const char *extra[] = {own[0], own[1], own[2]};
	const char *others[] = {titles[2], titles[4], special_title};
	assert_nothing_leaks("candidate", filer_a.s, extra, 3, others,
			     sizeof(others) / sizeof(*others));
	char *page = get(filer_a.s, own[0], NULL);
	assert_non_null(strstr(page, "Finaliste"));
	free(page);
	/* The API says it in the one agreed shape. */
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/laureates", year);
	json_t *j;
	assert_int_equal(api_json(filer_a.token, "GET", path, NULL, &j), 200);
	json_t *want = json_pack("{s:b, s:[]}", "published", 0, "items");
	assert_true(json_equal(j, want));
	json_decref(j);
	json_decref(want);
	/* The grand jury and the secretariat see them. */
	assert_int_equal(api_json(grand.token, "GET", path, NULL, &j), 200);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 5);
	assert_false(json_is_true(json_object_get(j, "published")));
	json_decref(j);
	/* No mail so far names a prize. */
	for (int i = 0; i < 5; i++) {
		char id[96];
		snprintf(id, sizeof(id), "{\"_id\": {\"$regex\": \"^gpi-prix-%s\"}}",
			 (const char *[]){a1, a2, b1, b2, s1}[i]);
		assert_int_equal(mongo_count("outbox", id), 0);
	}
	assert_int_equal(maildir_count(special_title), 0);
}

/* Returns how many outbox messages have _id id, waiting up to 15 s for
 * at least want. */
static long long outbox_wait(const char *id, long long want)
{
	char filter[160];
	snprintf(filter, sizeof(filter), "{\"_id\": \"%s\"}", id);
	long long until = now_ms() + 15000, n;
	while ((n = mongo_count("outbox", filter)) < want && now_ms() < until)
		usleep(100 * 1000);
	return n;
}

static void results_publish_themselves_at_the_instant(void **state)
{
	(void)state;
	/* The phase mails delivered first, so the sink's counts are a base. */
	char pending[300];
	snprintf(pending, sizeof(pending),
		 "{\"to\": {\"$in\": [\"%s\", \"%s\"]}, \"status\": {\"$ne\": \"sent\"}}",
		 contact_a, contact_b);
	for (long long until = now_ms() + 15000; mongo_count("outbox", pending) && now_ms() < until;)
		usleep(100 * 1000);
	assert_int_equal(mongo_count("outbox", pending), 0);
	int mails_a = maildir_count(contact_a), mails_b = maildir_count(contact_b);
	clock_at("10-03T22:00:00Z");
	/* No request: the refresher finds the instant and mails the laureates. */
	char id[128];
	snprintf(id, sizeof(id), "gpi-prix-%s-or-0", a1);
	assert_int_equal(outbox_wait(id, 1), 1);
	snprintf(id, sizeof(id), "gpi-prix-%s-special-0", s1);
	assert_int_equal(outbox_wait(id, 1), 1);
	snprintf(id, sizeof(id), "gpi-prix-%s-coup-de-coeur-0", b1);
	assert_int_equal(outbox_wait(id, 1), 1);
	/* In the sink: A has Or and Bronze, B Argent, the coup de cœur and
	 * the special prize; B2 nothing. */
	long long until = now_ms() + 15000;
	while ((maildir_count(contact_a) < mails_a + 2 || maildir_count(contact_b) < mails_b + 3) &&
	       now_ms() < until)
		usleep(100 * 1000);
	/* Passes go on, in every process: still one mail each. */
	usleep(1500 * 1000);
	assert_int_equal(maildir_count(contact_a), mails_a + 2);
	assert_int_equal(maildir_count(contact_b), mails_b + 3);
	snprintf(id, sizeof(id), "gpi-prix-%s-or-0", a1);
	assert_int_equal(outbox_wait(id, 1), 1);
	char filter[96];
	snprintf(filter, sizeof(filter), "{\"_id\": \"%d\", \"published_mail_at\": {\"$gt\": 0}}",
		 year);
	assert_int_equal(mongo_count("gpi_edition_results", filter), 1);

	long status;
	char *page = get(NULL, "/grand-prix/%d/palmares", &status);
	assert_int_equal(status, 200);
	for (int i = 0; i < 5; i++)
		if (i != 3)
			assert_non_null(strstr(page, titles[i]));
	assert_null(strstr(page, titles[3]));
	assert_non_null(strstr(page, special_title));
	assert_non_null(strstr(page, "Dotation non attribuable"));
	/* Named once: on the special prize's candidature only. */
	const char *anne = strstr(page, "Anne Martin");
	assert_non_null(anne);
	assert_true(anne > strstr(page, special_title));
	assert_null(strstr(anne + 1, "Anne Martin"));
	/* Or before Argent before Bronze, then the coup de cœur and the
	 * special prize. */
	assert_true(strstr(page, titles[0]) < strstr(page, titles[2]));
	assert_true(strstr(page, titles[2]) < strstr(page, titles[1]));
	assert_true(strstr(page, titles[1]) < strstr(page, special_title));
	free(page);
	page = get(NULL, "/grand-prix/palmares", NULL);
	assert_non_null(strstr(page, titles[0]));
	free(page);
	page = get(NULL, "/grand-prix/palmares.atom", NULL);
	assert_non_null(strstr(page, titles[0]));
	free(page);

	char path[96];
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/laureates", year);
	json_t *j;
	assert_int_equal(api_json(NULL, "GET", path, NULL, &j), 200);
	assert_true(json_is_true(json_object_get(j, "published")));
	json_t *items = json_object_get(j, "items");
	assert_int_equal(json_array_size(items), 5);
	const json_t *gold = json_array_get(items, 0);
	assert_string_equal(json_string_value(json_object_get(gold, "prize")), "or");
	assert_string_equal(json_string_value(json_object_get(gold, "category")), "rh");
	assert_string_equal(json_string_value(json_object_get(gold, "candidature_id")), a1);
	assert_string_equal(json_string_value(json_object_get(gold, "title")), titles[0]);
	assert_string_equal(json_string_value(json_object_get(gold, "organisation_id")), "caf-31");
	assert_int_equal(json_integer_value(json_object_get(gold, "endowment_eur")), 0);
	assert_non_null(json_string_value(json_object_get(gold, "endowment_note")));
	const json_t *silver = json_array_get(items, 1);
	assert_string_equal(json_string_value(json_object_get(silver, "prize")), "argent");
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 3), "prize")),
			    "coup-de-coeur");
	const json_t *special = json_array_get(items, 4);
	assert_string_equal(json_string_value(json_object_get(special, "prize")), "special");
	assert_string_equal(json_string_value(json_object_get(special, "candidature_id")), s1);
	json_decref(j);
}

/* PUTs the edition with its ceremony starting at month_day_time. */
static void move_ceremony(const char *start, const char *end)
{
	json_t *e = test_gpi_edition_json(year);
	char a[40], b[40];
	snprintf(a, sizeof(a), "%d-%s", year, start);
	snprintf(b, sizeof(b), "%d-%s", year, end);
	json_object_set_new(json_object_get(e, "phases"), "ceremony",
			    json_pack("{s:s, s:s}", "start", a, "end", b));
	assert_int_equal(send(sec.token, "PUT", "/api/v1/gpi/editions/%d", e), 200);
}

static void a_moved_ceremony_moves_the_embargo(void **state)
{
	(void)state;
	clock_at("10-03T23:00:00Z");
	move_ceremony("10-10T08:00:00Z", "10-10T21:59:59Z");
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/laureates", year);
	json_t *j;
	assert_int_equal(api_json(NULL, "GET", path, NULL, &j), 200);
	json_t *want = json_pack("{s:b, s:[]}", "published", 0, "items");
	assert_true(json_equal(j, want));
	json_decref(j);
	char *page = get(filer_a.s, "/grand-prix/%d/palmares", NULL);
	assert_null(strstr(page, titles[0]));
	free(page);
	/* Moved earlier than now: public at once. */
	move_ceremony("10-03T22:30:00Z", "10-04T21:59:59Z");
	assert_int_equal(api_json(NULL, "GET", path, NULL, &j), 200);
	assert_true(json_is_true(json_object_get(j, "published")));
	assert_int_equal(json_array_size(json_object_get(j, "items")), 5);
	json_decref(j);
	json_decref(want);
}

/* The page names a laureate's people from the candidatures' index, not
 * from the candidature: a withdrawal after the ceremony (article 10)
 * must unname them on the next view all the same. */
static void a_withdrawal_after_the_ceremony_unnames_at_once(void **state)
{
	(void)state;
	char *page = get(NULL, "/grand-prix/%d/palmares", NULL);
	assert_non_null(strstr(page, special_title));
	assert_non_null(strstr(page, "Anne Martin"));
	free(page);
	withdraw_person(s1);
	page = get(NULL, "/grand-prix/%d/palmares", NULL);
	assert_non_null(strstr(page, special_title));
	assert_null(strstr(page, "Anne Martin"));
	free(page);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nothing_shows_before_the_ceremony_instant),
		cmocka_unit_test(results_publish_themselves_at_the_instant),
		cmocka_unit_test(a_moved_ceremony_moves_the_embargo),
		cmocka_unit_test(a_withdrawal_after_the_ceremony_unnames_at_once),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
