/* Grand Prix candidatures through the real stack (nginx, app, FerretDB),
 * with the test clock: filing from the API and the pages, the eligibility
 * panel at the window's first and last day ±1, submission at the
 * deadline's exact second after the spring clock change (23:30:00 Paris
 * is 21:30:00Z in April: accepted; 21:30:01Z refused), read-only from
 * then on, versions kept, the receipt mailed once, creation from a
 * project pre-filled with its facts, and another organisation's
 * candidature a 404 on its page, its API and its files; another process's
 * index, stopped while the change log it stood at was purged, reloads. */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mp4_make.h"
#include "support.h"

static const char PASSWORD[] = "correct horse battery staple 42";

static struct test_account secretariat;
static struct agent filer, colleague, stranger;
static int year;

static int setup(void **state)
{
	(void)state;
	test_account_new(&secretariat, "gpic-sec", "Sophie Secrétariat", "secretariat", PASSWORD);
	agent_new(&filer, "gpic-filer", "caf-31", NULL, PASSWORD);
	agent_new(&colleague, "gpic-colleague", "caf-31", NULL, PASSWORD);
	agent_new(&stranger, "gpic-stranger", "cpam-31", NULL, PASSWORD);
	year = test_gpi_edition_new(secretariat.token);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_clock_clear();
	test_account_free(&secretariat);
	agent_free(&filer);
	agent_free(&colleague);
	agent_free(&stranger);
	return 0;
}

/* Sets the test clock to "<year>-<rest>". */
static void clock_at(const char *rest)
{
	char instant[40];
	snprintf(instant, sizeof(instant), "%d-%s", year, rest);
	test_clock_set(instant);
}

static const char *error_code(const json_t *reply)
{
	return json_string_value(json_object_get(json_object_get(reply, "error"), "code"));
}

static const json_t *error_fields(const json_t *reply)
{
	return json_object_get(json_object_get(reply, "error"), "fields");
}

/* A start date inside the edition's window (year-3 to year-1). */
static const char *in_window(void)
{
	static char date[16];
	snprintf(date, sizeof(date), "%d-06-01", year - 2);
	return date;
}

/* A unique word for a title, so mail and pages can be searched for it. */
static char *unique_word(const char *tag)
{
	static int n;
	char *w = malloc(64);
	snprintf(w, 64, "%s%d%d", tag, (int)getpid(), ++n);
	return w;
}

/* A complete candidature of category rh started on started_on, whose
 * title holds word; contact is its contact's address. New reference. */
static json_t *complete_body(const char *word, const char *started_on, const char *contact)
{
	char results[260];
	memset(results, 'r', 210);
	results[210] = '\0';
	char title[128];
	snprintf(title, sizeof(title), "Accueil sur rendez-vous %s", word);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:{s:s, s:s, s:s}, s:s, s:s, "
			 "s:s, s:s, s:s, s:[{s:s, s:s}], s:[{s:s, s:s}]}",
			 "category", "rh", "title", title, "summary", "Un accueil repensé.",
			 "objectives", "Réduire l’attente.", "actions", "Prise de rendez-vous.",
			 "results", results, "started_on", started_on, "completed", true, "costs",
			 "short", "10 000 €", "medium", "2 000 € par an", "long", "aucun",
			 "savings", "Deux heures par agent et par semaine.", "generalisation",
			 "Reproductible partout.", "interbranch", "Caf et CPAM.", "impact",
			 "Meilleure image.", "endowment_use", "Former les équipes.", "contacts",
			 "name", "Léa Martin", "email", contact, "people", "name", "Paul Durand",
			 "role", "Chef de projet");
}

/* Creates a candidature as token in the test edition; returns its id
 * (heap). */
static char *create(const char *token, json_t *body)
{
	char path[80];
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/candidatures", year);
	json_t *out;
	assert_int_equal(api_json(token, "POST", path, body, &out), 201);
	json_decref(body);
	char *id = strdup(json_string_value(json_object_get(out, "id")));
	assert_string_equal(json_string_value(json_object_get(out, "status")), "brouillon");
	assert_string_equal(json_string_value(json_object_get(out, "organisation_id")), "caf-31");
	assert_true(json_is_null(json_object_get(out, "dossier")));
	json_decref(out);
	return id;
}

/* Uploads a valid PDF of size bytes as the dossier of id through the
 * API as a. Returns the status. */
static long upload_dossier(struct agent *a, const char *id, size_t size)
{
	char file[] = "/tmp/gpic-dossier-XXXXXX";
	int fd = mkstemp(file);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(pdf_make_file(file, size), 0);
	FILE *f = fopen(file, "rb");
	char *bytes = malloc(size);
	assert_int_equal(fread(bytes, 1, size, f), size);
	fclose(f);
	unlink(file);
	char path[96], auth[160];
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s/dossier", id);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", a->token);
	const char *headers[] = {auth, NULL};
	struct mpart part = {"file", bytes, size, "dossier.pdf"};
	struct http_reply r;
	sess_post_parts(a->s, path, headers, NULL, &part, 1, &r);
	long status = r.status;
	http_reply_free(&r);
	free(bytes);
	return status;
}

/* Returns the check code of id's eligibility as a (ok: 1, failed: 0). */
static int check_ok(const char *token, const char *id, const char *code)
{
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s/eligibility", id);
	json_t *out;
	assert_int_equal(api_json(token, "GET", path, NULL, &out), 200);
	const json_t *c;
	size_t i;
	int ok = -1;
	json_array_foreach(json_object_get(out, "checks"), i, c)
		if (strcmp(json_string_value(json_object_get(c, "code")), code) == 0)
			ok = json_is_true(json_object_get(c, "ok"));
	assert_int_equal(json_array_size(json_object_get(out, "checks")), 6);
	json_decref(out);
	assert_true(ok >= 0);
	return ok;
}

static void set_start(const char *id, int y, const char *month_day)
{
	char path[96], date[16];
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s", id);
	snprintf(date, sizeof(date), "%d-%s", y, month_day);
	json_t *body = json_pack("{s:s}", "started_on", date), *out;
	assert_int_equal(api_json(filer.token, "PUT", path, body, &out), 200);
	assert_string_equal(json_string_value(json_object_get(out, "started_on")), date);
	json_decref(out);
	json_decref(body);
}

static void window_first_and_last_day(void **state)
{
	(void)state;
	clock_at("02-01T10:00:00Z");
	char *word = unique_word("fenetre");
	char *contact = unique_email("gpic-contact");
	char *id = create(filer.token, complete_body(word, "2000-01-01", contact));
	/* The window runs from 1 January year-3 to 31 December year-1. */
	set_start(id, year - 4, "12-31");
	assert_int_equal(check_ok(filer.token, id, "window"), 0);
	set_start(id, year - 3, "01-01");
	assert_int_equal(check_ok(filer.token, id, "window"), 1);
	set_start(id, year - 1, "12-31");
	assert_int_equal(check_ok(filer.token, id, "window"), 1);
	set_start(id, year, "01-01");
	assert_int_equal(check_ok(filer.token, id, "window"), 0);
	/* A missing endowment use is a warning, never a refusal. */
	assert_int_equal(check_ok(filer.token, id, "endowment_use"), 1);
	free(id);
	free(contact);
	free(word);
}

static void another_organisation_gets_404(void **state)
{
	(void)state;
	clock_at("02-01T10:00:00Z");
	char *word = unique_word("prive");
	char *contact = unique_email("gpic-contact");
	char *id = create(filer.token, complete_body(word, in_window(), contact));
	assert_int_equal(upload_dossier(&filer, id, 4096), 201);
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s", id);
	json_t *out;
	assert_int_equal(api_json(stranger.token, "GET", path, NULL, &out), 404);
	json_decref(out);
	/* A colleague of the same organisation files with the filer. */
	assert_int_equal(api_json(colleague.token, "GET", path, NULL, &out), 200);
	const char *file_url = json_string_value(
		json_object_get(json_object_get(out, "dossier"), "url"));
	assert_non_null(file_url);
	char *file = strdup(file_url);
	json_decref(out);
	/* The secretariat sees every candidature. */
	assert_int_equal(api_json(secretariat.token, "GET", path, NULL, &out), 200);
	json_decref(out);
	json_t *body = json_pack("{s:s}", "title", "Détournée");
	assert_int_equal(api_json(stranger.token, "PUT", path, body, &out), 404);
	json_decref(out);
	json_decref(body);
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s/eligibility", id);
	assert_int_equal(api_json(stranger.token, "GET", path, NULL, &out), 404);
	json_decref(out);
	snprintf(path, sizeof(path), "/grand-prix/%d/candidatures/%s", year, id);
	struct http_reply r;
	assert_int_equal(sess_get(stranger.s, path, &r), 0);
	assert_int_equal(r.status, 404);
	assert_null(strstr(r.body, word));
	http_reply_free(&r);
	assert_int_equal(sess_get(filer.s, path, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, word));
	http_reply_free(&r);
	assert_int_equal(sess_get(stranger.s, file, &r), 0);
	assert_int_equal(r.status, 404);
	http_reply_free(&r);
	assert_int_equal(sess_get(filer.s, file, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(r.len > 4 && memcmp(r.body, "%PDF-", 5) == 0);
	http_reply_free(&r);
	free(file);
	free(id);
	free(contact);
	free(word);
}

static void submit(const char *id, const char *token, long want, const char *code)
{
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s/submit", id);
	json_t *out;
	assert_int_equal(api_json(token, "POST", path, NULL, &out), want);
	if (code)
		assert_string_equal(error_code(out), code);
	json_decref(out);
}

/* Waits up to 10 s for n messages holding needle in the SMTP sink. */
static int wait_mail(const char *needle, int n)
{
	int have = 0;
	for (int i = 0; i < 100 && (have = maildir_count(needle)) < n; i++)
		usleep(100 * 1000);
	return have;
}

static void deadline_second_after_the_clock_change(void **state)
{
	(void)state;
	clock_at("02-01T10:00:00Z");
	char *on_time = unique_word("atemps");
	char *late = unique_word("tard");
	char *contact = unique_email("gpic-contact");
	char *a = create(filer.token, complete_body(on_time, in_window(), contact));
	char *b = create(filer.token, complete_body(late, in_window(), contact));

	/* No dossier yet: refused, with the failing check named. */
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s/submit", a);
	json_t *out;
	assert_int_equal(api_json(filer.token, "POST", path, NULL, &out), 422);
	assert_string_equal(error_code(out), "ineligible");
	assert_non_null(json_object_get(error_fields(out), "complete"));
	assert_null(json_object_get(error_fields(out), "endowment_use"));
	json_decref(out);
	assert_int_equal(upload_dossier(&filer, a, 4096), 201);
	assert_int_equal(upload_dossier(&filer, b, 4096), 201);

	/* 23:30:00 Paris, summer time since the last Sunday of March. */
	clock_at("04-01T21:30:00Z");
	submit(a, filer.token, 200, NULL);
	assert_int_equal(wait_mail(on_time, 2), 2); /* the filer and the contact */
	/* Once: a second submission is refused and mails nothing. */
	submit(a, filer.token, 409, "conflict");
	sleep(1);
	assert_int_equal(maildir_count(on_time), 2);

	/* 23:30:01 Paris: refused, and everything is read-only now. */
	clock_at("04-01T21:30:01Z");
	submit(b, filer.token, 422, "deadline");
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s", b);
	json_t *body = json_pack("{s:s}", "summary", "Trop tard.");
	assert_int_equal(api_json(filer.token, "PUT", path, body, &out), 422);
	assert_string_equal(error_code(out), "deadline");
	json_decref(out);
	json_decref(body);
	assert_int_equal(upload_dossier(&filer, a, 4096), 422);
	/* Still readable, with the deadline said in Paris time. */
	assert_int_equal(api_json(filer.token, "GET", path, NULL, &out), 200);
	assert_string_equal(json_string_value(json_object_get(out, "status")), "brouillon");
	json_decref(out);
	char page[96];
	snprintf(page, sizeof(page), "/grand-prix/%d/candidatures/%s", year, a);
	char *html = sess_page(filer.s, page);
	assert_non_null(strstr(html, "1er avril"));
	assert_non_null(strstr(html, "23 h 30"));
	assert_null(strstr(html, "/modifier\""));
	free(html);
	free(a);
	free(b);
	free(contact);
	free(on_time);
	free(late);
}

static void versions_are_kept(void **state)
{
	(void)state;
	clock_at("02-01T10:00:00Z");
	char *word = unique_word("versions");
	char *contact = unique_email("gpic-contact");
	char *id = create(filer.token, complete_body(word, in_window(), contact));
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s", id);
	json_t *body = json_pack("{s:s}", "summary", "Deuxième version."), *out;
	assert_int_equal(api_json(colleague.token, "PUT", path, body, &out), 200);
	json_decref(out);
	json_decref(body);
	assert_int_equal(upload_dossier(&filer, id, 4096), 201);
	assert_int_equal(upload_dossier(&filer, id, 5000), 201); /* replaces, kept in history */
	char filter[128];
	snprintf(filter, sizeof(filter), "{\"candidature_id\": \"%s\"}", id);
	assert_int_equal(mongo_count("gpi_candidature_versions", filter), 3);
	snprintf(filter, sizeof(filter), "{\"_id\": \"%s:1\"}", id);
	assert_int_equal(mongo_count("gpi_candidature_versions", filter), 1);
	assert_int_equal(api_json(filer.token, "GET", path, NULL, &out), 200);
	assert_string_equal(json_string_value(json_object_get(out, "summary")),
			    "Deuxième version.");
	assert_int_equal(
		json_integer_value(json_object_get(json_object_get(out, "dossier"), "bytes")),
		5000);
	json_decref(out);
	char page[96];
	snprintf(page, sizeof(page), "/grand-prix/%d/candidatures/%s", year, id);
	char *html = sess_page(filer.s, page);
	assert_non_null(strstr(html, "Version 3"));
	assert_non_null(strstr(html, "Version 1"));
	free(html);
	free(id);
	free(contact);
	free(word);
}

static void an_html_file_named_pdf_is_refused(void **state)
{
	(void)state;
	clock_at("02-01T10:00:00Z");
	char *word = unique_word("html");
	char *contact = unique_email("gpic-contact");
	char *id = create(filer.token, complete_body(word, in_window(), contact));
	char path[96], auth[160];
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s/dossier", id);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", filer.token);
	const char *headers[] = {auth, NULL};
	const char html[] = "<!doctype html><html><body>%PDF-1.7 pas un PDF %%EOF</body></html>";
	struct mpart part = {"file", html, sizeof(html) - 1, "dossier.pdf"};
	struct http_reply r;
	sess_post_parts(filer.s, path, headers, NULL, &part, 1, &r);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "\"file\""));
	http_reply_free(&r);
	free(id);
	free(contact);
	free(word);
}

static void the_form_files_and_the_panel_says_what_is_missing(void **state)
{
	(void)state;
	clock_at("02-01T10:00:00Z");
	char *word = unique_word("formulaire");
	char form_path[80];
	snprintf(form_path, sizeof(form_path), "/grand-prix/%d/candidatures/nouvelle", year);
	struct http_reply r;
	/* A title but no category: the form again, what was typed kept. */
	sess_post_form(filer.s, form_path, form_path, &r, "title", word, "category", "", NULL);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, word));
	char *err = html_field_error(r.body, "category");
	assert_non_null(err);
	free(err);
	http_reply_free(&r);
	sess_post_form(filer.s, form_path, form_path, &r, "title", word, "category", "sociale",
		       "contact_1_name", "Léa Martin", "contact_1_email", "lea@example.org", NULL);
	assert_int_equal(r.status, 303);
	char *location = http_header(&r, "Location");
	assert_non_null(location);
	http_reply_free(&r);
	char *page = strdup(location);
	char *q = strchr(page, '?');
	if (q)
		*q = '\0';
	char *html = sess_page(filer.s, page);
	assert_non_null(strstr(html, word));
	/* The panel names what is missing, the dossier among it. */
	assert_non_null(strstr(html, "data-check=\"complete\""));
	assert_non_null(strstr(html, "dossier PDF"));
	assert_non_null(strstr(html, "200 caractères"));
	free(html);
	/* Submitting it now is refused, on the page itself. */
	char submit_path[128];
	snprintf(submit_path, sizeof(submit_path), "%s/deposer", page);
	sess_post_form(filer.s, page, submit_path, &r, NULL);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "ne peut pas encore être déposée"));
	assert_non_null(strstr(r.body, "data-check=\"complete\""));
	http_reply_free(&r);
	/* The edit form opens with what is stored. */
	char edit[128];
	snprintf(edit, sizeof(edit), "%s/modifier", page);
	html = sess_page(filer.s, edit);
	char *title = html_input_value(html, "title");
	assert_non_null(title);
	assert_string_equal(title, word);
	char *contact = html_input_value(html, "contact_1_email");
	assert_non_null(contact);
	assert_string_equal(contact, "lea@example.org");
	free(contact);
	free(title);
	free(html);
	char list[80];
	snprintf(list, sizeof(list), "/grand-prix/%d/candidatures", year);
	html = sess_page(colleague.s, list);
	assert_non_null(strstr(html, word));
	free(html);
	html = sess_page(stranger.s, list);
	assert_null(strstr(html, word));
	free(html);
	free(location);
	free(page);
	free(word);
}

/* POSTs parts (n) to the page's upload form what ("dossier" or "video")
 * of candidature id as the filer's session, with the page's CSRF token. */
static void post_upload(const char *id, const char *what, const struct mpart *parts, size_t n,
			struct http_reply *r)
{
	char page[128], path[160];
	snprintf(page, sizeof(page), "/grand-prix/%d/candidatures/%s", year, id);
	snprintf(path, sizeof(path), "%s/%s", page, what);
	char *csrf = sess_csrf(filer.s, page);
	assert_non_null(csrf);
	sess_post_parts(filer.s, path, NULL, csrf, parts, n, r);
	free(csrf);
}

/* Fails unless html is the candidature's page again (422) with an error
 * summary and field's error saying needle. */
static void assert_page_with_error(const struct http_reply *r, const char *word, const char *field,
				   const char *needle)
{
	assert_int_equal(r->status, 422);
	assert_non_null(strstr(r->body, word));
	assert_non_null(strstr(r->body, "Le formulaire contient des erreurs"));
	char *err = html_field_error(r->body, field);
	if (!err || !strstr(err, needle))
		fail_msg("%s: wanted an error saying \"%s\", got \"%s\"", field, needle,
			 err ? err : "(none)");
	free(err);
}

/* A dossier not a PDF, over 5 Mo, a video without the image-rights box or
 * not an MP4: from the page's forms, the page again with the French
 * message beside the upload field, nothing stored. */
static void a_refused_upload_shows_the_page_again(void **state)
{
	(void)state;
	clock_at("02-01T10:00:00Z");
	char *word = unique_word("refus");
	char *contact = unique_email("gpic-contact");
	char *id = create(filer.token, complete_body(word, in_window(), contact));
	struct http_reply r;

	const char html[] = "<!doctype html><html><body>pas un PDF</body></html>";
	struct mpart not_pdf = {"file", html, sizeof(html) - 1, "dossier.pdf"};
	post_upload(id, "dossier", &not_pdf, 1, &r);
	assert_page_with_error(&r, word, "dossier_file", "PDF");
	http_reply_free(&r);

	size_t big = 5 * 1024 * 1024 + 1;
	char file[] = "/tmp/gpic-big-XXXXXX";
	int fd = mkstemp(file);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(pdf_make_file(file, big), 0);
	FILE *f = fopen(file, "rb");
	char *bytes = malloc(big);
	assert_int_equal(fread(bytes, 1, big, f), big);
	fclose(f);
	unlink(file);
	struct mpart too_big = {"file", bytes, big, "dossier.pdf"};
	post_upload(id, "dossier", &too_big, 1, &r);
	assert_page_with_error(&r, word, "dossier_file", "5 Mo");
	http_reply_free(&r);
	free(bytes);

	const char junk[] = "pas une vidéo";
	struct mpart no_rights = {"file", junk, sizeof(junk) - 1, "video.mp4"};
	post_upload(id, "video", &no_rights, 1, &r);
	assert_page_with_error(&r, word, "image_rights", "droits à l’image");
	http_reply_free(&r);

	struct mpart not_mp4[] = {{"image_rights", "on", 2, NULL},
				  {"file", junk, sizeof(junk) - 1, "video.mp4"}};
	post_upload(id, "video", not_mp4, 2, &r);
	assert_page_with_error(&r, word, "video_file", "MP4");
	/* The box ticked stays ticked. */
	assert_non_null(strstr(r.body, "value=\"on\" required checked"));
	http_reply_free(&r);

	char path[96];
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s", id);
	json_t *out;
	assert_int_equal(api_json(filer.token, "GET", path, NULL, &out), 200);
	assert_true(json_is_null(json_object_get(out, "dossier")));
	assert_true(json_is_null(json_object_get(out, "video")));
	json_decref(out);
	free(id);
	free(contact);
	free(word);
}

/* Returns true when the list reply out's items hold candidature id. */
static bool lists(const json_t *out, const char *id)
{
	const json_t *item;
	size_t i;
	json_array_foreach(json_object_get(out, "items"), i, item)
		if (strcmp(json_string_value(json_object_get(item, "id")), id) == 0)
			return true;
	return false;
}

/* The API twin of "Mes candidatures": an agent gets their organisation's
 * candidatures of the edition (a colleague's too, as soon as written),
 * never another organisation's; the secretariat still gets its desk. */
static void the_list_api_gives_an_agent_their_organisation(void **state)
{
	(void)state;
	clock_at("02-01T10:00:00Z");
	char *word = unique_word("liste");
	char *contact = unique_email("gpic-contact");
	char *id = create(colleague.token, complete_body(word, in_window(), contact));
	char path[80];
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/candidatures", year);
	json_t *out;
	assert_int_equal(api_json(filer.token, "GET", path, NULL, &out), 200);
	assert_true(lists(out, id));
	assert_int_equal(json_integer_value(json_object_get(out, "total")),
			 (json_int_t)json_array_size(json_object_get(out, "items")));
	const json_t *item;
	size_t i;
	json_array_foreach(json_object_get(out, "items"), i, item) {
		assert_int_equal(json_integer_value(json_object_get(item, "year")), year);
		if (strcmp(json_string_value(json_object_get(item, "id")), id) == 0) {
			assert_string_equal(json_string_value(json_object_get(item, "status")),
					    "brouillon");
			assert_true(json_is_null(json_object_get(item, "submitted_at")));
			assert_false(json_is_true(json_object_get(item, "has_dossier")));
		}
	}
	assert_null(json_object_get(out, "counts"));
	json_decref(out);
	assert_int_equal(api_json(stranger.token, "GET", path, NULL, &out), 200);
	assert_false(lists(out, id));
	json_decref(out);
	assert_int_equal(api_json(secretariat.token, "GET", path, NULL, &out), 200);
	assert_non_null(json_object_get(out, "counts"));
	json_decref(out);
	free(id);
	free(contact);
	free(word);
}

/* The page is shared by its filers through the page cache: a colleague
 * sees it right after the filer, with their own name and CSRF token;
 * another organisation's agent still gets a 404, and the secretariat a
 * page built for them. */
static void the_page_is_shared_by_its_filers_only(void **state)
{
	(void)state;
	clock_at("02-01T10:00:00Z");
	char *word = unique_word("partage");
	char *contact = unique_email("gpic-contact");
	char *id = create(filer.token, complete_body(word, in_window(), contact));
	char page[128];
	snprintf(page, sizeof(page), "/grand-prix/%d/candidatures/%s", year, id);
	for (int i = 0; i < 2; i++) { /* built, then from the cache */
		char *html = sess_page(filer.s, page);
		assert_non_null(strstr(html, word));
		assert_non_null(strstr(html, filer.name));
		free(html);
	}
	char *html = sess_page(colleague.s, page);
	assert_non_null(strstr(html, word));
	assert_non_null(strstr(html, colleague.name));
	free(html);
	char *mine = sess_csrf(colleague.s, page), *theirs = sess_csrf(filer.s, page);
	assert_non_null(mine);
	assert_non_null(theirs);
	assert_string_not_equal(mine, theirs);
	free(mine);
	free(theirs);
	struct http_reply r;
	assert_int_equal(sess_get(stranger.s, page, &r), 0);
	assert_int_equal(r.status, 404);
	assert_null(strstr(r.body, word));
	http_reply_free(&r);
	assert_int_equal(sess_get(secretariat.s, page, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, word));
	http_reply_free(&r);
	free(id);
	free(contact);
	free(word);
}

/* Returns true when GET path on peer, signed in with cookie, holds
 * needle. */
static bool peer_shows(struct fcgi_app *peer, const char *cookie, const char *path,
		       const char *needle)
{
	const char *params[] = {cookie, "REMOTE_ADDR=127.0.0.1", NULL};
	return fcgi_get_shows(peer, path, params, needle);
}

/* Polls path on peer until it holds needle; returns the milliseconds it
 * took, or -1 after 3 s. */
static long long peer_wait(struct fcgi_app *peer, const char *cookie, const char *path,
			   const char *needle)
{
	long long started = now_ms();
	while (now_ms() - started < 3000) {
		if (peer_shows(peer, cookie, path, needle))
			return now_ms() - started;
		usleep(20 * 1000);
	}
	return -1;
}

/* Another app process whose index is loaded: it lists the candidature
 * first, titled with word, on the filer's list. */
struct peer {
	struct fcgi_app app;
	char *word, *contact, *first, *sid;
	char cookie[256], list[80];
};

/* Files a candidature titled with a word from tag, starts peer p as name
 * and checks it lists it. End with peer_end. */
static void peer_begin(struct peer *p, const char *name, const char *tag)
{
	clock_at("02-01T10:00:00Z");
	p->word = unique_word(tag);
	p->contact = unique_email("gpic-contact");
	p->first = create(filer.token, complete_body(p->word, in_window(), p->contact));
	p->sid = sess_cookie(filer.s, "sid");
	assert_non_null(p->sid);
	snprintf(p->cookie, sizeof(p->cookie), "HTTP_COOKIE=sid=%s", p->sid);
	snprintf(p->list, sizeof(p->list), "/grand-prix/%d/candidatures", year);
	assert_int_equal(fcgi_start(&p->app, name, NULL), 0);
	assert_true(peer_shows(&p->app, p->cookie, p->list, p->word));
}

/* Files another candidature, titled with a word from tag, as the filer's
 * colleague; returns the word (heap). */
static char *peer_file_another(struct peer *p, const char *tag)
{
	char *word = unique_word(tag);
	free(create(colleague.token, complete_body(word, in_window(), p->contact)));
	return word;
}

static void peer_end(struct peer *p)
{
	assert_int_equal(fcgi_stop(&p->app), 0);
	free(p->sid);
	free(p->first);
	free(p->contact);
	free(p->word);
}

/* Another app process, its index loaded, takes in within a second a
 * candidature created and another renamed through the stack's process:
 * the organisation's list shows both (each write is one change-log record
 * it reads by _id, with the candidature it names). */
static void a_write_reaches_another_process_within_a_second(void **state)
{
	(void)state;
	struct peer p;
	peer_begin(&p, "gpi-index-peer", "ancien");
	char *later = peer_file_another(&p, "nouvelle");
	long long took = peer_wait(&p.app, p.cookie, p.list, later);
	print_message("the other process listed the new candidature after %lld ms\n", took);
	assert_true(took >= 0 && took <= 1000);

	char *renamed = unique_word("renomme"), path[96], title[128];
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s", p.first);
	snprintf(title, sizeof(title), "Accueil %s", renamed);
	json_t *body = json_pack("{s:s}", "title", title), *out;
	assert_int_equal(api_json(filer.token, "PUT", path, body, &out), 200);
	json_decref(body);
	json_decref(out);
	took = peer_wait(&p.app, p.cookie, p.list, renamed);
	print_message("the other process listed the new title after %lld ms\n", took);
	assert_true(took >= 0 && took <= 1000);
	assert_false(peer_shows(&p.app, p.cookie, p.list, p.word));
	peer_end(&p);
	free(later);
	free(renamed);
}

/* Another process, stopped while a candidature is created and the change
 * log's records (its own next one among them) are purged, finds the
 * record it needs gone when it goes on: it reloads its index and lists
 * the new candidature, instead of waiting for that record forever. */
static void a_process_behind_the_purge_reloads(void **state)
{
	(void)state;
	struct peer p;
	peer_begin(&p, "gpi-purge-peer", "avant");
	assert_int_equal(kill(p.app.pid, SIGSTOP), 0);
	char *later = peer_file_another(&p, "pendant");
	test_changelog_purge("gpi_candidature_changes", "gpi-candidature-changes", "all");
	assert_int_equal(kill(p.app.pid, SIGCONT), 0);
	long long took = peer_wait(&p.app, p.cookie, p.list, later);
	print_message("the process behind the purge listed the new candidature after %lld ms\n",
		      took);
	assert_true(took >= 0);
	assert_true(peer_shows(&p.app, p.cookie, p.list, p.word));
	peer_end(&p);
	free(later);
}

static void from_a_project_prefilled_and_once_per_category(void **state)
{
	(void)state;
	clock_at("02-01T10:00:00Z");
	char *word = unique_word("projet");
	char title[96], started[16];
	snprintf(title, sizeof(title), "Binômes d’accueil %s", word);
	snprintf(started, sizeof(started), "%d-09-02", year - 2);
	json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "title", title, "summary",
				 "Chaque nouvel agent est accueilli par un collègue.", "problem",
				 "Les nouveaux arrivants partent dans l’année.", "solution",
				 "Un binôme pendant trois mois.", "organisation_id", "caf-31",
				 "started_on", started, "visibility", "staff");
	json_t *p;
	assert_int_equal(api_json(filer.token, "POST", "/api/v1/projects", body, &p), 201);
	json_decref(body);
	char *pid = strdup(json_string_value(json_object_get(p, "id")));
	char *slug = strdup(json_string_value(json_object_get(p, "slug")));
	json_decref(p);

	char path[96];
	snprintf(path, sizeof(path), "/api/v1/projects/%s/candidature", pid);
	body = json_pack("{s:i, s:s}", "year", year, "category", "rh");
	json_t *out;
	/* Someone who is not on the project's team files nothing from it. */
	assert_int_equal(api_json(stranger.token, "POST", path, body, &out), 403);
	json_decref(out);
	assert_int_equal(api_json(filer.token, "POST", path, body, &out), 201);
	assert_string_equal(json_string_value(json_object_get(out, "title")), title);
	assert_string_equal(json_string_value(json_object_get(out, "started_on")), started);
	assert_string_equal(json_string_value(json_object_get(out, "objectives")),
			    "Les nouveaux arrivants partent dans l’année.");
	assert_string_equal(json_string_value(json_object_get(out, "project_id")), pid);
	char *id = strdup(json_string_value(json_object_get(out, "id")));
	json_decref(out);
	/* One candidature per category (article 1), but several categories. */
	assert_int_equal(api_json(filer.token, "POST", path, body, &out), 409);
	json_decref(out);
	json_decref(body);
	body = json_pack("{s:i, s:s}", "year", year, "category", "sociale");
	assert_int_equal(api_json(filer.token, "POST", path, body, &out), 201);
	json_decref(out);
	json_decref(body);

	/* Linked both ways: the project page lists it, and offers the
	 * categories left. */
	char page[96];
	snprintf(page, sizeof(page), "/projets/%s", slug);
	char *html = sess_page(filer.s, page);
	assert_non_null(strstr(html, id));
	/* The test edition's form (other editions may be open too). */
	char action[96];
	snprintf(action, sizeof(action), "action=\"/grand-prix/%d/candidatures/nouvelle\"", year);
	char *form = strstr(html, action);
	assert_non_null(form);
	char *end = strstr(form, "</form>");
	assert_non_null(end);
	*end = '\0';
	assert_null(strstr(form, "<option value=\"rh\">"));
	assert_null(strstr(form, "<option value=\"sociale\">"));
	assert_non_null(strstr(form, "<option value=\"rsi\">"));
	free(html);
	/* Another organisation's agent sees the project, not the candidature. */
	html = sess_page(stranger.s, page);
	assert_null(strstr(html, id));
	free(html);
	free(id);
	free(pid);
	free(slug);
	free(word);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(window_first_and_last_day),
		cmocka_unit_test(another_organisation_gets_404),
		cmocka_unit_test(deadline_second_after_the_clock_change),
		cmocka_unit_test(versions_are_kept),
		cmocka_unit_test(an_html_file_named_pdf_is_refused),
		cmocka_unit_test(the_form_files_and_the_panel_says_what_is_missing),
		cmocka_unit_test(from_a_project_prefilled_and_once_per_category),
		cmocka_unit_test(a_refused_upload_shows_the_page_again),
		cmocka_unit_test(the_list_api_gives_an_agent_their_organisation),
		cmocka_unit_test(the_page_is_shared_by_its_filers_only),
		cmocka_unit_test(a_write_reaches_another_process_within_a_second),
		cmocka_unit_test(a_process_behind_the_purge_reloads),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
