/* Files attached in the practice creation form, through nginx: the
 * multipart form creates the draft and its first toolbox resources in
 * one submit; a refused form creates nothing, keeps what was typed, names
 * the file to choose again, and never carries the CSRF token in a URL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

static const char PASSWORD[] = "phrase de passe des fichiers joints";
static const char PDF[] = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
/* The start of a Windows program: refused whatever its declared type. */
static const char EXE[] = "MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00";

static int setup(void **state)
{
	*state = sess_signed_in("practice-files", "Agent Fichiers joints", NULL, PASSWORD);
	return 0;
}

static int teardown(void **state)
{
	sess_free(*state);
	return 0;
}

/* Returns a title no other run uses (static buffer of the caller's). */
static const char *unique_title(char *out, size_t size, const char *what)
{
	static int n;
	snprintf(out, size, "%s %d-%d", what, (int)getpid(), ++n);
	return out;
}

/* The creation form's text fields, with title (may be ""). */
#define PRACTICE_PARTS(title)                                                                  \
	{"title", title, 0, NULL},                                                             \
		{"summary", "Des fiches d’accueil partagées entre caisses.", 0, NULL},         \
		{"problem", "Chaque caisse refaisait ses fiches seule.", 0, NULL},             \
		{"description", "Un modèle commun, relu par trois caisses.", 0, NULL},         \
		{"organisation_ids", "caf-31", 0, NULL}, {"themes", "communication", 0, NULL}, \
	{                                                                                      \
		"maturity", "experimentee", 0, NULL                                            \
	}

/* Asserts that nothing in r puts a CSRF token in a URL: no redirect
 * target, link or form action with a csrf parameter. */
static void assert_no_csrf_in_urls(const struct http_reply *r)
{
	char *location = http_header(r, "Location");
	if (location)
		assert_null(strstr(location, "csrf"));
	free(location);
	assert_null(strstr(r->body, "?csrf="));
	assert_null(strstr(r->body, "&csrf="));
	assert_null(strstr(r->body, "&amp;csrf="));
}

/* Returns the number of practices titled title in the database. */
static long long practices_titled(const char *title)
{
	char filter[512];
	snprintf(filter, sizeof(filter), "{\"title\": \"%s\"}", title);
	return mongo_count("practices", filter);
}

static void creation_form_is_multipart_with_file_rows(void **state)
{
	struct http_reply r;
	assert_int_equal(sess_get(*state, "/pratiques/nouvelle", &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "enctype=\"multipart/form-data\""));
	for (int i = 1; i <= 3; i++) {
		char id[64];
		snprintf(id, sizeof(id),
			 "id=\"attachment-%d\" name=\"attachment-%d\" type=\"file\"", i, i);
		assert_non_null(strstr(r.body, id));
	}
	http_reply_free(&r);
}

static void files_attached_at_creation_land_in_the_toolbox(void **state)
{
	struct sess *s = *state;
	char title[128];
	unique_title(title, sizeof(title), "Fiches d’accueil jointes");
	char *csrf = sess_csrf(s, "/pratiques/nouvelle");
	assert_non_null(csrf);
	const struct mpart parts[] = {
		PRACTICE_PARTS(title),
		{"attachment-1-kind", "guide", 0, NULL},
		{"attachment-1-title", "Guide d’accueil", 0, NULL},
		{"attachment-1", PDF, sizeof(PDF) - 1, "guide-accueil.pdf"},
		{"attachment-2-kind", "modele", 0, NULL},
		{"attachment-2-title", "Modèle de fiche", 0, NULL},
		{"attachment-2", PDF, sizeof(PDF) - 1, "modele.pdf"},
		/* An untouched third row: no file, nothing added. */
		{"attachment-3-kind", "", 0, NULL},
		{"attachment-3-title", "", 0, NULL},
	};
	struct http_reply r;
	sess_post_parts(s, "/pratiques/nouvelle", NULL, csrf, parts, sizeof(parts) / sizeof(*parts),
			&r);
	assert_int_equal(r.status, 303);
	assert_no_csrf_in_urls(&r);
	char *location = http_header(&r, "Location");
	assert_non_null(location);
	assert_non_null(strstr(location, "?info=creee"));
	assert_null(strstr(location, "fichier-refuse"));
	http_reply_free(&r);

	/* The sheet lists both files, in the form's order, downloadable. */
	assert_int_equal(sess_get(s, location, &r), 0);
	assert_int_equal(r.status, 200);
	const char *guide = strstr(r.body, "Guide d’accueil");
	const char *model = strstr(r.body, "Modèle de fiche");
	assert_non_null(guide);
	assert_non_null(model);
	assert_true(guide < model);
	assert_non_null(strstr(r.body, "/guide-accueil.pdf\" download>"));
	http_reply_free(&r);
	free(location);
	free(csrf);
}

static void refused_file_creates_nothing_and_keeps_what_was_typed(void **state)
{
	struct sess *s = *state;
	char title[128];
	unique_title(title, sizeof(title), "Pratique au fichier refusé");
	char *csrf = sess_csrf(s, "/pratiques/nouvelle");
	const struct mpart parts[] = {
		PRACTICE_PARTS(title),
		{"attachment-1-kind", "guide", 0, NULL},
		{"attachment-1-title", "Programme", 0, NULL},
		{"attachment-1", EXE, sizeof(EXE) - 1, "outil.pdf"},
	};
	struct http_reply r;
	sess_post_parts(s, "/pratiques/nouvelle", NULL, csrf, parts, sizeof(parts) / sizeof(*parts),
			&r);
	assert_int_equal(r.status, 422);
	assert_no_csrf_in_urls(&r);
	char *error = html_field_error(r.body, "attachment-1");
	assert_non_null(error);
	assert_non_null(strstr(error, "exécutables"));
	free(error);
	/* The typed title and the file's row are kept, the file named. */
	assert_non_null(strstr(r.body, title));
	assert_non_null(strstr(r.body, "value=\"Programme\""));
	assert_non_null(strstr(r.body, "Vous aviez choisi «\u202foutil.pdf\u202f»"));
	assert_non_null(strstr(r.body, "<title>Erreur\u202f: "));
	http_reply_free(&r);
	assert_int_equal(practices_titled(title), 0);
	free(csrf);
}

static void practice_errors_with_a_file_create_nothing(void **state)
{
	struct sess *s = *state;
	char *csrf = sess_csrf(s, "/pratiques/nouvelle");
	const struct mpart parts[] = {
		PRACTICE_PARTS(""),
		{"attachment-1-kind", "guide", 0, NULL},
		{"attachment-1-title", "Guide sans pratique", 0, NULL},
		{"attachment-1", PDF, sizeof(PDF) - 1, "guide.pdf"},
		/* A title without its file is refused too. */
		{"attachment-2-title", "Titre seul", 0, NULL},
	};
	struct http_reply r;
	sess_post_parts(s, "/pratiques/nouvelle", NULL, csrf, parts, sizeof(parts) / sizeof(*parts),
			&r);
	assert_int_equal(r.status, 422);
	assert_no_csrf_in_urls(&r);
	char *error = html_field_error(r.body, "title");
	assert_non_null(error);
	free(error);
	error = html_field_error(r.body, "attachment-2");
	assert_non_null(error);
	assert_non_null(strstr(error, "Choisissez le fichier"));
	free(error);
	assert_non_null(strstr(r.body, "Des fiches d’accueil partagées entre caisses."));
	http_reply_free(&r);
	free(csrf);
}

/* The multipart form's token is its first field; without it, or with a
 * wrong one, nothing is created and nothing points back with it. */
static void multipart_creation_checks_csrf_in_the_body(void **state)
{
	struct sess *s = *state;
	char title[128];
	unique_title(title, sizeof(title), "Pratique sans jeton");
	const struct mpart parts[] = {
		PRACTICE_PARTS(title),
		{"attachment-1-kind", "guide", 0, NULL},
		{"attachment-1-title", "Guide", 0, NULL},
		{"attachment-1", PDF, sizeof(PDF) - 1, "guide.pdf"},
	};
	size_t n = sizeof(parts) / sizeof(*parts);
	struct http_reply r;
	sess_post_parts(s, "/pratiques/nouvelle", NULL, NULL, parts, n, &r);
	assert_int_equal(r.status, 403);
	assert_no_csrf_in_urls(&r);
	http_reply_free(&r);
	sess_post_parts(s, "/pratiques/nouvelle", NULL, "0123456789abcdef0123456789abcdef", parts,
			n, &r);
	assert_int_equal(r.status, 403);
	http_reply_free(&r);
	assert_int_equal(practices_titled(title), 0);
}

/* Every page form's refusal answers on the spot: no redirect that would
 * carry the typed fields, the token among them, into a URL. */
static void form_errors_never_put_the_token_in_a_url(void **state)
{
	struct sess *s = *state;
	struct http_reply r;
	static const struct {
		const char *page, *action, *fields;
	} forms[] = {
		{"/pratiques/nouvelle", "/pratiques/nouvelle", "title=&summary="},
		{"/compte", "/compte", "name=&job="},
		{"/compte", "/compte/mot-de-passe", "current_password=faux&password=court"},
		{"/compte", "/compte/jetons", "label="},
	};
	for (size_t i = 0; i < sizeof(forms) / sizeof(*forms); i++) {
		char *csrf = sess_csrf(s, forms[i].page);
		assert_non_null(csrf);
		char body[512];
		snprintf(body, sizeof(body), "csrf=%s&%s", csrf, forms[i].fields);
		assert_int_equal(sess_post(s, forms[i].action, body, &r), 0);
		assert_int_equal(r.status, 422);
		assert_no_csrf_in_urls(&r);
		/* Nor is it echoed as a typed value: the page has the visitor's
		 * own, masked afresh. */
		char *echoed = html_input_value(r.body, "csrf");
		assert_non_null(echoed);
		assert_string_not_equal(echoed, csrf);
		free(echoed);
		http_reply_free(&r);
		free(csrf);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(creation_form_is_multipart_with_file_rows),
		cmocka_unit_test(files_attached_at_creation_land_in_the_toolbox),
		cmocka_unit_test(refused_file_creates_nothing_and_keeps_what_was_typed),
		cmocka_unit_test(practice_errors_with_a_file_create_nothing),
		cmocka_unit_test(multipart_creation_checks_csrf_in_the_body),
		cmocka_unit_test(form_errors_never_put_the_token_in_a_url),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
