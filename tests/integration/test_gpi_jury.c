/* Grand Prix juries through the real stack (issue 13): the secretariat
 * appoints jurors per category and the grand jury, by API and by the
 * page's forms, names the sponsor; recusal holds on every path a juror
 * could take (the candidature's page and API, its dossier's download,
 * their assignments), for a juror of the filers' organisation, of a
 * partner organisation, and after a declared conflict, whose reason the
 * secretariat sees. A juror sees only admissible candidatures of their
 * own category. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpi_filing.h"
#include "support.h"

static const char PASSWORD[] = "correct horse battery staple 42";

/* A juror: an account of an organisation, its token and a session. */
struct juror {
	char *email, *token, *id;
	struct sess *s;
};

static struct test_account sec, filer;
static struct juror neutral, second, own, partner, elsewhere, grand;
static int year;
static char *cand;       /* recevable, rh, filed by caf-31 with partner cpam-31 */
static char *pending;    /* deposee, rh: not before the jury yet */
static char *dossier;    /* cand's dossier path, /fichiers/... */

static void juror_new(struct juror *j, const char *tag, const char *name, const char *organisation)
{
	j->email = unique_email(tag);
	char input[128];
	snprintf(input, sizeof(input), "%s\n", PASSWORD);
	const char *args[] = {"user", "add", "--email", j->email, "--name", name,
			      "--organisation", organisation, NULL};
	assert_int_equal(cli_run(args, input, NULL), 0);
	j->token = cli_token_create(j->email, "tests");
	assert_non_null(j->token);
	j->s = sess_new();
	assert_int_equal(sess_login(j->s, j->email, PASSWORD), 303);
	j->id = sess_user_id(j->s);
	assert_non_null(j->id);
}

static void juror_free(struct juror *j)
{
	free(j->email);
	free(j->token);
	free(j->id);
	sess_free(j->s);
}

/* Files, as the filer (caf-31), an eligible candidature in category rh
 * with cpam-31 as partner, submitted. Returns its id (heap). */
static char *file_candidature(const char *title)
{
	char *contact = unique_email("gpi-jury-contact");
	struct gpi_filing f = {.year = year,
			       .token = filer.token,
			       .title = title,
			       .category = "rh",
			       .contact = contact,
			       .partner = "cpam-31"};
	char *id = gpi_file(&f);
	free(contact);
	return id;
}

/* Appoints j to jury (a category code, or NULL for the grand jury) as the
 * secretariat through the API; asserts the answer lists them. */
static void appoint(const struct juror *j, const char *category)
{
	char path[200];
	if (category)
		snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/juries/%s/members", year,
			 category);
	else
		snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/grand-jury/members", year);
	json_t *body = json_pack("{s:s}", "user_id", j->id), *out;
	assert_int_equal(api_json(sec.token, "POST", path, body, &out), 200);
	json_decref(body);
	char *text = json_dumps(out, 0);
	assert_non_null(strstr(text, j->id));
	free(text);
	json_decref(out);
}

static int setup(void **state)
{
	(void)state;
	test_account_new(&sec, "gpi-jury-sec", "Sophie Secrétariat", "secretariat", PASSWORD);
	test_account_new(&filer, "gpi-jury-filer", "Fanny Déposante", NULL, PASSWORD);
	juror_new(&neutral, "gpi-jury-neutral", "Nadia Neutre", "carsat-aquitaine");
	juror_new(&second, "gpi-jury-second", "Sacha Second", "carsat-bretagne");
	juror_new(&own, "gpi-jury-own", "Olivier Organisme", "caf-31");
	juror_new(&partner, "gpi-jury-partner", "Paula Partenaire", "cpam-31");
	juror_new(&elsewhere, "gpi-jury-elsewhere", "Éric Ailleurs", "carsat-auvergne");
	juror_new(&grand, "gpi-jury-grand", "Gaëlle Grande", "carsat-bretagne");
	year = test_gpi_edition_new(sec.token);

	cand = file_candidature("Parcours d’accueil des nouveaux agents");
	pending = file_candidature("Mentorat inversé");
	gpi_admit(sec.token, year, cand, true);
	char api[160];
	snprintf(api, sizeof(api), "/api/v1/gpi/candidatures/%s", cand);
	json_t *c;
	assert_int_equal(api_json(sec.token, "GET", api, NULL, &c), 200);
	dossier = strdup(json_string_value(json_object_get(json_object_get(c, "dossier"), "url")));
	json_decref(c);

	appoint(&neutral, "rh");
	appoint(&second, "rh");
	appoint(&own, "rh");
	appoint(&partner, "rh");
	appoint(&elsewhere, "sociale");
	appoint(&grand, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_clock_clear();
	test_account_free(&sec);
	test_account_free(&filer);
	struct juror *all[] = {&neutral, &second, &own, &partner, &elsewhere, &grand};
	for (size_t i = 0; i < sizeof(all) / sizeof(*all); i++)
		juror_free(all[i]);
	free(cand);
	free(pending);
	free(dossier);
	return 0;
}

/* Returns the status of GET path for j's session (page or file). */
static long page_status(const struct juror *j, const char *path)
{
	struct http_reply r;
	sess_get(j->s, path, &r);
	long status = r.status;
	http_reply_free(&r);
	return status;
}

/* Returns whether j's assignments (API) list candidature id; someone on
 * no jury any more is refused them (403). */
static bool assigned(const struct juror *j, const char *id)
{
	json_t *out;
	long status = api_json(j->token, "GET", "/api/v1/gpi/me/assignments", NULL, &out);
	assert_true(status == 200 || status == 403);
	bool found = false;
	json_t *it;
	size_t i;
	json_array_foreach(json_object_get(out, "items"), i, it)
		found |= strcmp(json_string_value(json_object_get(it, "candidature_id")), id) == 0;
	json_decref(out);
	return found;
}

/* Asserts what j gets of cand on every path: all 200 when sees, else
 * every one a 404 (and absent from their assignments). */
static void assert_sees(const struct juror *j, const char *id, bool sees)
{
	char page[160], api[160];
	snprintf(page, sizeof(page), "/grand-prix/%d/candidatures/%s", year, id);
	snprintf(api, sizeof(api), "/api/v1/gpi/candidatures/%s", id);
	long want = sees ? 200 : 404;
	assert_int_equal(page_status(j, page), want);
	assert_int_equal(api_json(j->token, "GET", api, NULL, NULL), want);
	if (id == cand)
		assert_int_equal(page_status(j, dossier), want);
	assert_int_equal(assigned(j, id), sees);
}

/* Asserts that POSTing {field: value} to path as token is refused with a
 * 422 whose message stands beside field. */
static void assert_refused(const char *token, const char *path, const char *field,
			   const char *value)
{
	json_t *body = json_pack("{s:s}", field, value), *out;
	assert_int_equal(api_json(token, "POST", path, body, &out), 422);
	assert_non_null(api_field_error(out, field));
	json_decref(out);
	json_decref(body);
}

static void jurors_see_only_admissible_unrecused_candidatures(void **state)
{
	(void)state;
	assert_sees(&neutral, cand, true);
	assert_sees(&second, cand, true);
	/* The filers' own organisation, even as its agent, and the partner. */
	assert_sees(&own, cand, false);
	assert_sees(&partner, cand, false);
	/* Another category's juror. */
	assert_sees(&elsewhere, cand, false);
	/* Not admissible yet: nobody of the jury sees it. */
	assert_sees(&neutral, pending, false);
	/* The grand jury sees admissible candidatures. */
	char page[160];
	snprintf(page, sizeof(page), "/grand-prix/%d/candidatures/%s", year, cand);
	assert_int_equal(page_status(&grand, page), 200);
	/* Nor is it in their organisation's list, where the filer finds it. */
	char list[80];
	snprintf(list, sizeof(list), "/grand-prix/%d/candidatures", year);
	char *html = sess_page(own.s, list);
	assert_null(strstr(html, "Parcours d’accueil des nouveaux agents"));
	free(html);
	html = sess_page(filer.s, list);
	assert_non_null(strstr(html, "Parcours d’accueil des nouveaux agents"));
	free(html);
	/* The filer still sees both. */
	snprintf(page, sizeof(page), "/api/v1/gpi/candidatures/%s", pending);
	assert_int_equal(api_json(filer.token, "GET", page, NULL, NULL), 200);
}

static void the_juror_page_shows_progress_without_recused_ones(void **state)
{
	(void)state;
	char path[80];
	snprintf(path, sizeof(path), "/grand-prix/%d/jury", year);
	char *html = sess_page(neutral.s, path);
	assert_non_null(strstr(html, "Parcours d’accueil des nouveaux agents"));
	assert_non_null(strstr(html, "<strong>1</strong> à noter"));
	assert_null(strstr(html, "Mentorat inversé"));
	free(html);
	html = sess_page(own.s, path);
	assert_null(strstr(html, "Parcours d’accueil des nouveaux agents"));
	assert_non_null(strstr(html, "<strong>0</strong> à noter"));
	free(html);
	/* The grand jury scores no category: no such page for them. */
	assert_int_equal(page_status(&grand, path), 403);
}

static void the_secretariat_sees_every_conflict(void **state)
{
	(void)state;
	char path[80];
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/juries", year);
	json_t *j;
	assert_int_equal(api_json(sec.token, "GET", path, NULL, &j), 200);
	json_t *c, *rh = NULL;
	size_t i;
	json_array_foreach(json_object_get(j, "categories"), i, c)
		if (!strcmp(json_string_value(json_object_get(c, "code")), "rh"))
			rh = c;
	assert_non_null(rh);
	assert_int_equal(json_array_size(json_object_get(rh, "members")), 4);
	json_t *m;
	json_array_foreach(json_object_get(rh, "members"), i, m) {
		const char *id = json_string_value(json_object_get(m, "id"));
		json_t *conflicts = json_object_get(m, "conflicts");
		if (!strcmp(id, own.id) || !strcmp(id, partner.id)) {
			assert_int_equal(json_array_size(conflicts), 1);
			assert_string_equal(
				json_string_value(json_object_get(json_array_get(conflicts, 0), "reason")),
				!strcmp(id, own.id) ? "son organisation" : "organisation partenaire");
		} else {
			assert_int_equal(json_array_size(conflicts), 0);
		}
	}
	assert_int_equal(json_array_size(json_object_get(j, "grand_jury")), 1);
	json_decref(j);
	/* Jurors, filers and other agents learn nothing of the juries. */
	assert_int_equal(api_json(neutral.token, "GET", path, NULL, NULL), 403);
	assert_int_equal(api_json(filer.token, "GET", path, NULL, NULL), 403);
	/* The page lists them with their organisation's conflicts. */
	snprintf(path, sizeof(path), "/grand-prix/%d/jurys", year);
	char *html = sess_page(sec.s, path);
	assert_non_null(strstr(html, "Olivier Organisme"));
	assert_non_null(strstr(html, "son organisation"));
	assert_non_null(strstr(html, "organisation partenaire"));
	assert_non_null(strstr(html, "Gaëlle Grande"));
	free(html);
}

static void a_declared_conflict_recuses_and_shows_its_reason(void **state)
{
	(void)state;
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s/conflict", cand);
	json_t *body, *out;
	assert_refused(second.token, path, "reason", "   ");
	/* Someone outside the jury cannot declare (nor learn it exists). */
	body = json_pack("{s:s}", "reason", "Je connais l’équipe.");
	assert_int_equal(api_json(elsewhere.token, "POST", path, body, NULL), 404);
	assert_int_equal(api_json(filer.token, "POST", path, body, NULL), 404);
	/* Declared through the page's form. */
	char form[160];
	snprintf(form, sizeof(form), "/grand-prix/%d/candidatures/%s/conflit", year, cand);
	struct http_reply r;
	sess_post_form(second.s, form, form, &r, "reason", "", NULL);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "Indiquez le motif"));
	http_reply_free(&r);
	sess_post_form(second.s, form, form, &r, "reason", "Ancienne collègue de la cheffe de projet.",
		       NULL);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	json_decref(body);
	assert_sees(&second, cand, false);
	assert_sees(&neutral, cand, true);
	/* Once recused, declaring again is a 404 like everything else. */
	body = json_pack("{s:s}", "reason", "Encore");
	assert_int_equal(api_json(second.token, "POST", path, body, NULL), 404);
	json_decref(body);

	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/juries", year);
	assert_int_equal(api_json(sec.token, "GET", path, NULL, &out), 200);
	char *text = json_dumps(out, 0);
	assert_non_null(strstr(text, "Ancienne collègue de la cheffe de projet."));
	assert_non_null(strstr(text, "conflit déclaré"));
	free(text);
	json_decref(out);
	char filter[200];
	snprintf(filter, sizeof(filter), "{\"action\": \"gpi.conflict.declare\", \"target\": \"%s\"}",
		 cand);
	assert_int_equal(mongo_count("audit", filter), 1);
}

static void appointments_are_checked_audited_and_removable(void **state)
{
	(void)state;
	char path[200];
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/juries/rh/members", year);
	json_t *body, *out;
	assert_refused(sec.token, path, "user_id", "0123456789abcdef01234567");
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/juries/inconnue/members", year);
	body = json_pack("{s:s}", "user_id", neutral.id);
	assert_int_equal(api_json(sec.token, "POST", path, body, NULL), 422);
	/* Only the edition's secretariat appoints. */
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/juries/rh/members", year);
	assert_int_equal(api_json(neutral.token, "POST", path, body, NULL), 403);
	assert_int_equal(api_json(filer.token, "POST", path, body, NULL), 403);
	/* Appointing again changes nothing. */
	assert_int_equal(api_json(sec.token, "POST", path, body, &out), 200);
	assert_int_equal(json_array_size(json_object_get(out, "members")), 4);
	json_decref(out);
	json_decref(body);
	char filter[200];
	snprintf(filter, sizeof(filter),
		 "{\"action\": \"gpi.jury.appoint\", \"target\": \"%s\", \"detail\": \"gpi:%d:rh\"}",
		 neutral.id, year);
	assert_int_equal(mongo_count("audit", filter), 1);

	/* The page's form: by address, with a clear message for an unknown
	 * one. */
	snprintf(path, sizeof(path), "/grand-prix/%d/jurys", year);
	char action[80];
	snprintf(action, sizeof(action), "/grand-prix/%d/jurys/membres", year);
	struct http_reply r;
	sess_post_form(sec.s, path, action, &r, "jury", "sociale", "email", "personne@example.org",
		       NULL);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "Aucun compte n’a cette adresse."));
	http_reply_free(&r);
	sess_post_form(sec.s, path, action, &r, "jury", "sociale", "email", second.email, NULL);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	snprintf(action, sizeof(action), "/grand-prix/%d/jurys/parrain", year);
	sess_post_form(sec.s, path, action, &r, "category", "sociale", "sponsor",
		       "Mutuelle Générale", NULL);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	char *html = sess_page(sec.s, path);
	assert_non_null(strstr(html, "value=\"Mutuelle Générale\""));
	free(html);

	/* Or chosen among an organisation's agents (the picker). */
	snprintf(path, sizeof(path), "/grand-prix/%d/jurys?organisme=carsat-aquitaine", year);
	html = sess_page(sec.s, path);
	char needle[120];
	snprintf(needle, sizeof(needle), "name=\"user_id\" value=\"%s\"", neutral.id);
	assert_non_null(strstr(html, "Agents de "));
	assert_non_null(strstr(html, needle));
	free(html);
	snprintf(path, sizeof(path), "/grand-prix/%d/jurys?organisme_text=zzz-inconnu", year);
	html = sess_page(sec.s, path);
	assert_non_null(strstr(html, "field--error"));
	assert_null(strstr(html, "Agents de "));
	free(html);

	/* Removed: the juror no longer sees the category's candidatures. */
	assert_sees(&neutral, cand, true);
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/juries/rh/members/%s", year,
		 neutral.id);
	assert_int_equal(api_json(sec.token, "DELETE", path, NULL, &out), 200);
	assert_int_equal(json_array_size(json_object_get(out, "members")), 3);
	json_decref(out);
	assert_int_equal(api_json(sec.token, "DELETE", path, NULL, NULL), 404);
	assert_sees(&neutral, cand, false);
	snprintf(filter, sizeof(filter), "{\"action\": \"gpi.jury.remove\", \"target\": \"%s\"}",
		 neutral.id);
	assert_int_equal(mongo_count("audit", filter), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(jurors_see_only_admissible_unrecused_candidatures),
		cmocka_unit_test(the_juror_page_shows_progress_without_recused_ones),
		cmocka_unit_test(the_secretariat_sees_every_conflict),
		cmocka_unit_test(a_declared_conflict_recuses_and_shows_its_reason),
		cmocka_unit_test(appointments_are_checked_audited_and_removable),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
