/* The Grand Prix secretariat's desk through the real stack: candidatures
 * are filed by an agent through the API (dossier PDF uploaded, submitted
 * on time under the test clock), then the secretariat repositions one in
 * two steps (the organisation mailed at the announcement), exports the
 * CSV and the ZIP of a category's dossiers, and marks one irrecevable,
 * whose notice waits for the notification phase and goes out once. Others
 * get 404 (another organisation) or 403 (the filers). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gpi_filing.h"
#include "support.h"

static const char PASSWORD[] = "correct horse battery staple 42";

static struct test_account sec, filer;
static char *other_token; /* an agent of another organisation */
static int year;

/* Sets the test clock to year's month-day and time (UTC). */
static void clock_at(const char *month_day_time)
{
	char instant[40];
	snprintf(instant, sizeof(instant), "%d-%s", year, month_day_time);
	test_clock_set(instant);
}

static int setup(void **state)
{
	(void)state;
	test_account_new(&sec, "gpi-desk-sec", "Sophie Secrétariat", "secretariat", PASSWORD);
	test_account_new(&filer, "gpi-desk-filer", "Fanny Déposante", NULL, PASSWORD);
	char *email = unique_email("gpi-desk-other");
	char input[128];
	snprintf(input, sizeof(input), "%s\n", PASSWORD);
	const char *args[] = {"user", "add", "--email", email, "--name", "Octave Autre",
			      "--organisation", "cpam-31", NULL};
	assert_int_equal(cli_run(args, input, NULL), 0);
	other_token = cli_token_create(email, "tests");
	assert_non_null(other_token);
	free(email);
	year = test_gpi_edition_new(sec.token);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_clock_clear();
	test_account_free(&sec);
	test_account_free(&filer);
	free(other_token);
	return 0;
}

static const char *error_code(const json_t *j)
{
	return json_string_value(json_object_get(json_object_get(j, "error"), "code"));
}

static const char *field_error(const json_t *j, const char *field)
{
	return json_string_value(
		json_object_get(json_object_get(json_object_get(j, "error"), "fields"), field));
}

/* Files, as the filer, an eligible candidature titled title in category
 * with contact's address, uploads its dossier and submits it (unless
 * draft) under the filing clock. Returns its id (heap). */
static char *file_candidature(const char *title, const char *category, const char *contact,
			      bool draft)
{
	struct gpi_filing f = {.year = year,
			       .token = filer.token,
			       .title = title,
			       .category = category,
			       .contact = contact,
			       .draft = draft};
	return gpi_file(&f);
}

static long decide(const char *token, const char *id, const char *what, json_t *body,
		   json_t **out)
{
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s/%s", id, what);
	long status = api_json(token, "POST", path, body, out);
	json_decref(body);
	return status;
}

/* Returns how many outbox messages match filter (JSON), waiting up to 10 s
 * for at least want. */
static long long outbox_wait(const char *filter, long long want)
{
	long long until = now_ms() + 10000, n;
	while ((n = mongo_count("outbox", filter)) < want && now_ms() < until)
		usleep(100 * 1000);
	return n;
}

static long long audit_count(const char *action, const char *id)
{
	char filter[200];
	snprintf(filter, sizeof(filter), "{\"action\": \"%s\", \"target\": \"%s\"}", action, id);
	return mongo_count("audit", filter);
}

static void repositioning_needs_an_announcement_first(void **state)
{
	(void)state;
	char *contact = unique_email("gpi-desk-move");
	char *id = file_candidature("Accueil sans rendez-vous", "rh", contact, false);
	clock_at("04-10T08:00:00Z");
	json_t *j;
	assert_int_equal(decide(sec.token, id, "repositioning/confirm", NULL, &j), 409);
	assert_string_equal(error_code(j), "not_announced");
	json_decref(j);
	assert_int_equal(decide(sec.token, id, "repositioning",
				json_pack("{s:s, s:s}", "category", "rh", "message", "m"), &j),
			 422);
	assert_non_null(field_error(j, "category"));
	json_decref(j);
	assert_int_equal(decide(sec.token, id, "repositioning",
				json_pack("{s:s, s:s}", "category", "inconnue", "message", "m"), &j),
			 422);
	json_decref(j);
	assert_int_equal(decide(sec.token, id, "repositioning",
				json_pack("{s:s, s:s}", "category", "sociale", "message", ""), &j),
			 422);
	assert_non_null(field_error(j, "message"));
	json_decref(j);

	/* Announced: the organisation is told at once, the move waits. */
	assert_int_equal(
		decide(sec.token, id, "repositioning",
		       json_pack("{s:s, s:s}", "category", "sociale", "message",
				 "Votre projet relève plutôt de l’innovation sociale."),
		       &j),
		200);
	assert_string_equal(json_string_value(json_object_get(j, "category")), "rh");
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(j, "repositioning"), "to")),
		"sociale");
	json_decref(j);
	char filter[300];
	snprintf(filter, sizeof(filter), "{\"template\": \"gpi_repositioning\", \"to\": \"%s\"}",
		 contact);
	assert_int_equal(outbox_wait(filter, 1), 1);
	long long until = now_ms() + 10000;
	while (maildir_count(contact) == 0 && now_ms() < until)
		usleep(100 * 1000);
	assert_true(maildir_count(contact) >= 1);
	/* The announcement shows on the candidature, for its filers too. */
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s", id);
	assert_int_equal(api_json(filer.token, "GET", path, NULL, &j), 200);
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(j, "repositioning"), "to")),
		"sociale");
	json_decref(j);

	/* Confirmed: the category moves, the announcement is done. */
	assert_int_equal(decide(sec.token, id, "repositioning/confirm", NULL, &j), 200);
	assert_string_equal(json_string_value(json_object_get(j, "category")), "sociale");
	assert_true(json_is_null(json_object_get(j, "repositioning")) ||
		    !json_object_get(j, "repositioning"));
	json_decref(j);
	assert_int_equal(audit_count("gpi.repositioning.announce", id), 1);
	assert_int_equal(audit_count("gpi.repositioning.confirm", id), 1);
	/* The desk's twin lists it in its new category. */
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/candidatures?categorie=sociale",
		 year);
	assert_int_equal(api_json(sec.token, "GET", path, NULL, &j), 200);
	bool found = false;
	json_t *item;
	size_t i;
	json_array_foreach(json_object_get(j, "items"), i, item)
		found |= strcmp(json_string_value(json_object_get(item, "id")), id) == 0;
	assert_true(found);
	json_decref(j);

	/* The desk and its twin read the in-process index: no request scans
	 * (the debug build logs "scans=N" for any filter but _id). */
	char desk[96], twin[96];
	snprintf(desk, sizeof(desk), "/grand-prix/%d/secretariat", year);
	snprintf(twin, sizeof(twin), "/api/v1/gpi/editions/%d/candidatures", year);
	struct http_reply r;
	assert_int_equal(sess_get(sec.s, desk, &r), 0); /* the caches loaded */
	http_reply_free(&r);
	long offset = app_log_size();
	assert_int_equal(sess_get(sec.s, desk, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "Accueil sans rendez-vous"));
	http_reply_free(&r);
	assert_int_equal(api_json(sec.token, "GET", twin, NULL, &j), 200);
	json_decref(j);
	usleep(200 * 1000); /* the log lines are written after the replies */
	char *scans = app_log_since(offset, " scans=", NULL);
	assert_string_equal(scans, "");
	free(scans);
	free(id);
	free(contact);
}

static void withdrawal_is_recorded_per_named_person(void **state)
{
	(void)state;
	char *contact = unique_email("gpi-desk-withdraw");
	char *id = file_candidature("Tiers-lieu des agents", "rh", contact, false);
	clock_at("04-10T08:00:00Z");
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s", id);
	json_t *c, *j;
	assert_int_equal(api_json(sec.token, "GET", path, NULL, &c), 200);
	const json_t *louis = json_array_get(json_object_get(c, "people"), 1);
	assert_string_equal(json_string_value(json_object_get(louis, "name")), "Louis Roux");
	char *person = strdup(json_string_value(json_object_get(louis, "id")));
	json_decref(c);
	assert_int_equal(decide(sec.token, id, "withdrawal",
				json_pack("{s:s, s:b}", "person", "personne", "withdrawn", 1), &j),
			 422);
	assert_non_null(field_error(j, "person"));
	json_decref(j);
	assert_int_equal(decide(sec.token, id, "withdrawal",
				json_pack("{s:s, s:b}", "person", person, "withdrawn", 1), &j),
			 200);
	json_decref(j);
	assert_int_equal(api_json(filer.token, "GET", path, NULL, &c), 200);
	const json_t *people = json_object_get(c, "people");
	assert_false(json_is_true(
		json_object_get(json_array_get(people, 0), "publication_withdrawn")));
	assert_true(json_is_true(
		json_object_get(json_array_get(people, 1), "publication_withdrawn")));
	json_decref(c);
	assert_int_equal(audit_count("gpi.withdrawal", id), 1);
	free(person);
	free(id);
	free(contact);
}

static void others_get_404_and_the_filers_403(void **state)
{
	(void)state;
	char *contact = unique_email("gpi-desk-authz");
	char *id = file_candidature("Guichet partagé", "territoriale", contact, false);
	clock_at("04-10T08:00:00Z");
	json_t *j;
	assert_int_equal(decide(other_token, id, "admissibility",
				json_pack("{s:b}", "admissible", 1), &j),
			 404);
	json_decref(j);
	assert_int_equal(decide(other_token, id, "repositioning",
				json_pack("{s:s, s:s}", "category", "rh", "message", "m"), &j),
			 404);
	json_decref(j);
	assert_int_equal(decide(filer.token, id, "admissibility",
				json_pack("{s:b}", "admissible", 1), &j),
			 403);
	json_decref(j);
	assert_int_equal(decide(NULL, id, "admissibility", json_pack("{s:b}", "admissible", 1),
				&j),
			 401);
	json_decref(j);
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/candidatures", year);
	/* A filer gets their organisation's list there, not the desk. */
	struct http_reply r;
	assert_int_equal(api_json(filer.token, "GET", path, NULL, &j), 200);
	assert_null(json_object_get(j, "counts"));
	json_decref(j);
	/* The secretariat of another edition: the desk, shared through the
	 * page cache by this edition's secretariat, is not theirs (404). */
	struct test_account elsewhere;
	test_account_new(&elsewhere, "gpi-desk-elsewhere", "Élise Ailleurs", NULL, PASSWORD);
	char scope[16];
	snprintf(scope, sizeof(scope), "gpi:%d", year - 1);
	const char *grant[] = {"user", "role", "--email", elsewhere.email, "--add", "secretariat",
			       "--scope", scope, NULL};
	assert_int_equal(cli_run(grant, NULL, NULL), 0);
	snprintf(path, sizeof(path), "/grand-prix/%d/secretariat", year);
	for (int i = 0; i < 2; i++) { /* built for the secretariat, then from the cache */
		assert_int_equal(sess_get(sec.s, path, &r), 0);
		assert_int_equal(r.status, 200);
		assert_non_null(strstr(r.body, "Guichet partagé"));
		http_reply_free(&r);
	}
	struct sess *s = sess_new();
	assert_int_equal(sess_login(s, elsewhere.email, PASSWORD), 303);
	assert_int_equal(sess_get(s, path, &r), 0);
	assert_int_equal(r.status, 404);
	assert_null(strstr(r.body, "Guichet partagé"));
	http_reply_free(&r);
	sess_free(s);
	test_account_free(&elsewhere);
	snprintf(path, sizeof(path), "/grand-prix/%d/candidatures.csv", year);
	assert_int_equal(sess_get(filer.s, path, &r), 0);
	assert_true(r.status == 403 || r.status == 404);
	assert_null(strstr(r.body, "Guichet partagé"));
	http_reply_free(&r);
	free(id);
	free(contact);
}

static void csv_has_every_candidature_neutralised(void **state)
{
	(void)state;
	char *contact = unique_email("gpi-desk-csv");
	char *id = file_candidature("=HYPERLINK(\"http://x.test\")", "rsi", contact, false);
	clock_at("04-10T08:00:00Z");
	char path[160];
	snprintf(path, sizeof(path), "/grand-prix/%d/candidatures.csv", year);
	struct http_reply r;
	/* The index lists the edition's candidatures: each is read by _id,
	 * none by a filter that FerretDB answers with a scan of every
	 * edition's (the debug build logs "scans=N" for one). */
	long offset = app_log_size();
	assert_int_equal(sess_get(sec.s, path, &r), 0);
	assert_int_equal(r.status, 200);
	/* Its line is logged once the streamed reply has ended. */
	char *logged = app_log_since(offset, "candidatures.csv", NULL);
	for (int tries = 0; !*logged && tries < 40; tries++) {
		free(logged);
		usleep(50 * 1000);
		logged = app_log_since(offset, "candidatures.csv", NULL);
	}
	assert_true(*logged);
	free(logged);
	char *scans = app_log_since(offset, "candidatures.csv", " scans=");
	assert_string_equal(scans, "");
	free(scans);
	assert_memory_equal(r.body, "\xEF\xBB\xBF", 3);
	assert_non_null(strstr(r.body, "\"Identifiant\";\"Titre\";\"Organisme\""));
	char *line = strstr(r.body, id);
	assert_non_null(line);
	assert_non_null(strstr(line, "\"'=HYPERLINK(\"\"http://x.test\"\")\""));
	assert_non_null(strstr(line, "\"Un résumé; avec \"\"guillemets\"\".\""));
	assert_non_null(strstr(line, "\"éligible\""));
	assert_non_null(strstr(line, contact));
	char *type = http_header(&r, "Content-Type");
	assert_non_null(strstr(type, "text/csv"));
	free(type);
	http_reply_free(&r);
	char target[16];
	snprintf(target, sizeof(target), "%d", year);
	assert_true(audit_count("gpi.export", target) >= 1);
	free(id);
	free(contact);
}

/* Runs a shell line; returns its stdout (heap), or NULL on failure. */
static char *shell(const char *command)
{
	FILE *p = popen(command, "r");
	assert_non_null(p);
	char *out = calloc(1, 1);
	size_t len = 0, n;
	char chunk[4096];
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0) {
		out = realloc(out, len + n + 1);
		memcpy(out + len, chunk, n);
		len += n;
		out[len] = '\0';
	}
	if (pclose(p)) {
		free(out);
		return NULL;
	}
	return out;
}

static void zip_holds_the_category_dossiers(void **state)
{
	(void)state;
	char *contact = unique_email("gpi-desk-zip");
	char *filed = file_candidature("Dossier/../à plat", "environnementale", contact, false);
	char *draft = file_candidature("Brouillon caché", "environnementale", contact, true);
	clock_at("04-10T08:00:00Z");
	char path[160];
	snprintf(path, sizeof(path), "/grand-prix/%d/secretariat/environnementale/dossiers.zip",
		 year);
	struct http_reply r;
	assert_int_equal(sess_get(sec.s, path, &r), 0);
	assert_int_equal(r.status, 200);
	char *type = http_header(&r, "Content-Type");
	assert_string_equal(type, "application/zip");
	free(type);
	char file[] = "/tmp/cousilab-desk-zip-XXXXXX";
	int fd = mkstemp(file);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, r.body, r.len), (ssize_t)r.len);
	close(fd);
	http_reply_free(&r);
	char command[256];
	snprintf(command, sizeof(command), "unzip -tq '%s'", file);
	char *tested = shell(command);
	assert_non_null(tested);
	free(tested);
	snprintf(command, sizeof(command), "unzip -Z1 '%s'", file);
	char *names = shell(command);
	assert_non_null(names);
	/* one entry, in the category's folder, its slash made harmless */
	assert_non_null(strstr(names, "environnementale/001 - "));
	assert_non_null(strstr(names, "Dossier_.._à plat.pdf"));
	assert_null(strstr(names, "Brouillon"));
	assert_null(strstr(names, "\n\n"));
	snprintf(command, sizeof(command), "unzip -p '%s' 'environnementale/001*'", file);
	char *bytes = shell(command);
	assert_non_null(bytes);
	size_t pdf_len;
	const char *pdf = gpi_dossier(&pdf_len);
	assert_memory_equal(bytes, pdf, pdf_len);
	free(bytes);
	free(names);
	unlink(file);
	/* no category of the edition: 404 */
	snprintf(path, sizeof(path), "/grand-prix/%d/secretariat/inconnue/dossiers.zip", year);
	assert_int_equal(sess_get(sec.s, path, &r), 0);
	assert_int_equal(r.status, 404);
	http_reply_free(&r);
	free(filed);
	free(draft);
	free(contact);
}

static void inadmissibility_is_told_at_the_notification_phase_once(void **state)
{
	(void)state;
	char *contact = unique_email("gpi-desk-irr");
	char *id = file_candidature("Covoiturage des agents", "rh", contact, false);
	clock_at("04-10T08:00:00Z");
	json_t *j;
	assert_int_equal(decide(sec.token, id, "admissibility",
				json_pack("{s:b}", "admissible", 0), &j),
			 422);
	assert_non_null(field_error(j, "reason"));
	json_decref(j);
	assert_int_equal(decide(sec.token, id, "admissibility",
				json_pack("{s:b, s:s}", "admissible", 0, "reason", "sans-resultats"),
				&j),
			 422);
	assert_non_null(field_error(j, "comment"));
	json_decref(j);
	assert_int_equal(decide(sec.token, id, "admissibility",
				json_pack("{s:b, s:s, s:s}", "admissible", 0, "reason",
					  "sans-resultats", "comment",
					  "Aucun indicateur n’a de valeur mesurée."),
				&j),
			 200);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "irrecevable");
	json_decref(j);
	assert_int_equal(audit_count("gpi.admissibility", id), 1);

	/* Not told yet: the last second before the notification phase. */
	char filter[200];
	snprintf(filter, sizeof(filter), "{\"_id\": \"gpi-irrecevable-%s-0\"}", id);
	clock_at("06-30T21:59:59Z");
	usleep(1500 * 1000); /* several refresher passes */
	assert_int_equal(mongo_count("outbox", filter), 0);
	int before = maildir_count(contact); /* the receipt, when it goes to contacts */

	/* The phase starts: the notice goes out with no request, once. */
	clock_at("06-30T22:00:00Z");
	assert_int_equal(outbox_wait(filter, 1), 1);
	long long until = now_ms() + 10000;
	while (maildir_count(contact) == before && now_ms() < until)
		usleep(100 * 1000);
	int mails = maildir_count(contact);
	assert_int_equal(mails, before + 1);
	usleep(1500 * 1000);
	assert_int_equal(mongo_count("outbox", filter), 1);
	assert_int_equal(maildir_count(contact), mails);
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s", id);
	assert_int_equal(api_json(sec.token, "GET", path, NULL, &j), 200);
	assert_true(json_integer_value(json_object_get(json_object_get(j, "admissibility"),
						       "notified_at")) > 0);
	json_decref(j);

	/* From then on the decision is final. */
	assert_int_equal(decide(sec.token, id, "admissibility",
				json_pack("{s:b}", "admissible", 1), &j),
			 409);
	assert_string_equal(error_code(j), "final");
	json_decref(j);
	free(id);
	free(contact);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(repositioning_needs_an_announcement_first),
		cmocka_unit_test(withdrawal_is_recorded_per_named_person),
		cmocka_unit_test(others_get_404_and_the_filers_403),
		cmocka_unit_test(csv_has_every_candidature_neutralised),
		cmocka_unit_test(zip_holds_the_category_dossiers),
		cmocka_unit_test(inadmissibility_is_told_at_the_notification_phase_once),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
