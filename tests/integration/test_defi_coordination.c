/* The coordinators' side of a Défi edition through the real stack: the
 * teams list and its filters (page and API), the figures, and the CSV
 * exports with formula injection neutralised. Teams are made through the
 * teams API by agents of caf-31 (the CLI's organisation, branch famille). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

static const char PASSWORD[] = "correct horse battery staple 42";

static char *coord_token, *agent_token[3], *agent_email[3];
static struct sess *coord;
static int year;
static char names[3][64];

static char *token_for(const char *tag, const char *role, char **email)
{
	*email = unique_email(tag);
	assert_int_equal(cli_user_add(*email, "Alex Testeur", role, PASSWORD), 0);
	char *t = cli_token_create(*email, "tests");
	assert_non_null(t);
	return t;
}

/* An edition open for years around now, at the first free year. */
static json_t *edition_built(int y, void *arg)
{
	(void)arg;
	char start[16], end[16];
	snprintf(start, sizeof(start), "%d-06-26", y);
	snprintf(end, sizeof(end), "%d-06-27", y);
	return json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "year", y, "title",
			 "Défi du Lab (coordination)", "theme", "la coordination", "event_start",
			 start, "event_end", end, "location", "Paris", "signup_opens_at",
			 "2020-01-01T00:00:00Z", "signup_closes_at", "2099-12-31T22:59:59Z");
}

static int open_edition(void)
{
	return test_edition_new(coord_token, "/api/v1/defi/editions", edition_built, NULL);
}

static int setup(void **state)
{
	(void)state;
	char *email;
	coord_token = token_for("defi-coord", "coordinator", &email);
	coord = sess_new();
	assert_int_equal(sess_login(coord, email, PASSWORD), 303);
	free(email);
	year = open_edition();
	/* The first name would be a formula in a spreadsheet. */
	const char *base[3] = {"=HYPERLINK(\"http://x\")", "Les Innovateurs", "Zébulon"};
	for (int i = 0; i < 3; i++) {
		agent_token[i] = token_for("defi-captain", NULL, &agent_email[i]);
		snprintf(names[i], sizeof(names[i]), "%s %d", base[i], (int)getpid());
		char path[64];
		snprintf(path, sizeof(path), "/api/v1/defi/editions/%d/teams", year);
		json_t *t = json_pack("{s:s, s:s, s:s, s:[]}", "name", names[i], "pitch",
				      "-1 idée : simplifier l’accueil", "theme_fit",
				      "Au cœur du thème.", "answers");
		assert_int_equal(api_json(agent_token[i], "POST", path, t, NULL), 201);
		json_decref(t);
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sess_free(coord);
	free(coord_token);
	for (int i = 0; i < 3; i++) {
		free(agent_token[i]);
		free(agent_email[i]);
	}
	return 0;
}

/* Returns the API list of the edition's teams with query (may be ""). */
static json_t *teams(const char *query)
{
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/defi/editions/%d/teams%s", year, query);
	json_t *out;
	assert_int_equal(api_json(coord_token, "GET", path, NULL, &out), 200);
	return out;
}

static long long total(const char *query)
{
	json_t *list = teams(query);
	long long n = json_integer_value(json_object_get(list, "total"));
	json_decref(list);
	return n;
}

static void api_lists_and_filters_the_teams(void **state)
{
	(void)state;
	json_t *list = teams("");
	assert_int_equal(json_integer_value(json_object_get(list, "total")), 3);
	json_t *first = json_array_get(json_object_get(list, "items"), 0);
	assert_int_equal(json_integer_value(json_object_get(first, "confirmed_count")), 1);
	assert_string_equal(json_string_value(json_object_get(first, "organisation_id")), "caf-31");
	assert_string_equal(json_string_value(json_object_get(first, "status")), "brouillon");
	json_decref(list);
	assert_int_equal(total("?status=brouillon"), 3);
	assert_int_equal(total("?status=retenue"), 0);
	assert_int_equal(total("?organisation=caf-31"), 3);
	assert_int_equal(total("?organisation=cpam-75"), 0);
	assert_int_equal(total("?branch=famille"), 3);
	assert_int_equal(total("?branch=maladie"), 0);
	assert_int_equal(total("?status=%24gt"), 0);

	char path[64];
	snprintf(path, sizeof(path), "/api/v1/defi/editions/%d/teams", year);
	assert_int_equal(api_json(agent_token[0], "GET", path, NULL, NULL), 403);
	assert_int_equal(api_json(NULL, "GET", path, NULL, NULL), 401);
	assert_int_equal(
		api_json(coord_token, "GET", "/api/v1/defi/editions/1999/teams", NULL, NULL), 404);
}

static void page_shows_the_teams_and_their_counts(void **state)
{
	(void)state;
	char path[96];
	snprintf(path, sizeof(path), "/defi/%d/equipes?statut=brouillon", year);
	struct http_reply r;
	assert_int_equal(sess_get(coord, path, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "Équipes trouvées\u202f: 3 (3 membres confirmés)"));
	assert_non_null(strstr(r.body, "Les Innovateurs"));
	assert_non_null(strstr(r.body, "<option value=\"brouillon\" selected>"));
	http_reply_free(&r);

	snprintf(path, sizeof(path), "/defi/%d/pilotage", year);
	assert_int_equal(sess_get(coord, path, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "<svg"));
	assert_non_null(
		strstr(r.body, "<tr><th scope=\"row\">Brouillon</th><td>3</td><td>3</td></tr>"));
	assert_non_null(
		strstr(r.body, "<tr><th scope=\"row\">Famille</th><td>3</td><td>3</td></tr>"));
	http_reply_free(&r);
}

static void exports_are_french_csv_without_formulas(void **state)
{
	(void)state;
	char path[96];
	snprintf(path, sizeof(path), "/defi/%d/equipes.csv", year);
	struct http_reply r;
	assert_int_equal(sess_get(coord, path, &r), 0);
	assert_int_equal(r.status, 200);
	assert_memory_equal(r.body, "\xEF\xBB\xBF\"Identifiant\";\"Équipe\";", 27);
	char want[128];
	snprintf(want, sizeof(want), "\"'=HYPERLINK(\"\"http://x\"\") %d\"", (int)getpid());
	assert_non_null(strstr(r.body, want));
	assert_non_null(strstr(r.body, "\"'-1 idée : simplifier l’accueil\""));
	char *type = http_header(&r, "Content-Type");
	assert_non_null(strstr(type, "text/csv"));
	free(type);
	http_reply_free(&r);

	snprintf(path, sizeof(path), "/defi/%d/participants.csv?statut=brouillon", year);
	assert_int_equal(sess_get(coord, path, &r), 0);
	assert_int_equal(r.status, 200);
	for (int i = 0; i < 3; i++)
		assert_non_null(strstr(r.body, agent_email[i]));
	assert_non_null(strstr(r.body, "\"Capitaine\";\"Confirmé\""));
	http_reply_free(&r);

	struct sess *agent = sess_new();
	assert_int_equal(sess_get(agent, path, &r), 0);
	assert_int_equal(r.status, 302); /* to the sign-in page */
	http_reply_free(&r);
	sess_free(agent);
}

/* Returns the coordinators' list page of the edition with query (heap
 * body), after checking its 200. */
static char *list_page(const char *query)
{
	char path[192];
	snprintf(path, sizeof(path), "/defi/%d/equipes%s", year, query);
	return sess_page(coord, path);
}

/* The organisation filter is the shared picker: a name typed without
 * script filters, an emptied field clears the filter whatever code the
 * page had kept, and an unknown name is said next to the field, kept. */
static void page_filters_by_a_typed_organisation(void **state)
{
	(void)state;
	char *body = list_page("?organisme_text=Caf%20de%20la%20Haute-Garonne");
	assert_non_null(strstr(body, "Équipes trouvées\u202f: 3 "));
	assert_non_null(strstr(body, "value=\"caf-31\""));
	assert_non_null(strstr(body, "value=\"Caf de la Haute-Garonne\""));
	assert_null(strstr(body, "<select id=\"organisme\""));
	free(body);
	body = list_page("?organisme=cpam-75&organisme_text=");
	assert_non_null(strstr(body, "Équipes trouvées\u202f: 3 "));
	free(body);
	body = list_page("?organisme=cpam-75");
	assert_non_null(strstr(body, "Équipes trouvées\u202f: 0 "));
	free(body);
	body = list_page("?organisme_text=Caf%20de%20Nulle-Part");
	char *why = html_field_error(body, "organisme");
	assert_non_null(why);
	free(why);
	assert_non_null(strstr(body, "value=\"Caf de Nulle-Part\""));
	assert_non_null(strstr(body, "Équipes trouvées\u202f: 0 "));
	free(body);
}

/* Coordinators share the list through the page cache, each with their
 * own account bar. */
static void coordinators_share_the_list_with_their_own_bar(void **state)
{
	(void)state;
	char *email = unique_email("defi-coord-2");
	assert_int_equal(cli_user_add(email, "Dominique Seconde", "coordinator", PASSWORD), 0);
	struct sess *other = sess_new();
	assert_int_equal(sess_login(other, email, PASSWORD), 303);
	char path[64];
	snprintf(path, sizeof(path), "/defi/%d/equipes", year);
	char *mine = list_page("");
	char *theirs = sess_page(other, path);
	assert_non_null(strstr(theirs, "Dominique Seconde"));
	assert_non_null(strstr(theirs, "Les Innovateurs"));
	assert_null(strstr(mine, "Dominique Seconde"));
	free(mine);
	free(theirs);
	sess_free(other);
	free(email);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(api_lists_and_filters_the_teams),
		cmocka_unit_test(page_shows_the_teams_and_their_counts),
		cmocka_unit_test(exports_are_french_csv_without_formulas),
		cmocka_unit_test(page_filters_by_a_typed_organisation),
		cmocka_unit_test(coordinators_share_the_list_with_their_own_bar),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
