/* A project's files through nginx: documents uploaded over the API and
 * from the page (CSRF in the body), a journal post's file and a stage
 * proposal's evidence file, the content checks of toolboxes (an HTML page
 * named .pdf is refused), and who downloads a file: the project's
 * visibility decides, and a file of a project someone may not see is a
 * 404 for them. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static const char PASSWORD[] = "Projets-fichiers-itest-passphrase-42";
static const char PDF[] = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
static const char HTML[] = "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>";

static struct agent porteur, outsider, coordinator;

static int setup(void **state)
{
	(void)state;
	agent_new(&porteur, "fichiers-porteur", "cpam-31", NULL, PASSWORD);
	agent_new(&outsider, "fichiers-agent", "caf-31", NULL, PASSWORD);
	agent_new(&coordinator, "fichiers-coord", "caf-31", "coordinator", PASSWORD);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	agent_free(&porteur);
	agent_free(&outsider);
	agent_free(&coordinator);
	return 0;
}

/* Creates a project of the porteur with visibility; returns its JSON. */
static json_t *project_new(const char *visibility)
{
	json_t *body = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "title", "Dossier d’accueil numérique",
		"summary", "Un dossier d’accueil partagé pour chaque nouvel agent.", "problem",
		"Les documents d’accueil sont éparpillés.", "solution", "Un dossier unique.",
		"organisation_id", "cpam-31", "started_on", "2025-01-06", "visibility", visibility);
	json_t *p = NULL;
	assert_int_equal(api_json(porteur.token, "POST", "/api/v1/projects", body, &p), 201);
	json_decref(body);
	return p;
}

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* POSTs a multipart body of parts to path as s, the CSRF token in the
 * header for the API, as the body's first field for a page. */
static void post_parts(struct sess *s, const char *path, const struct mpart *parts, size_t n,
		       struct http_reply *r)
{
	char *token = sess_cookie(s, "csrf");
	char header[128];
	bool is_api = strncmp(path, "/api/", 5) == 0;
	snprintf(header, sizeof(header), "X-CSRF-Token: %s", token ? token : "");
	const char *headers[] = {header, NULL};
	sess_post_parts(s, path, is_api ? headers : NULL, is_api ? NULL : token, parts, n, r);
	free(token);
}

/* Uploads bytes named filename to project p over the API as a; returns
 * the status and the reply's JSON in *out (new reference) when asked. */
static long upload(const struct agent *a, const json_t *p, const char *bytes, size_t len,
		   const char *filename, json_t **out)
{
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/projects/%s/files", str(p, "id"));
	struct mpart parts[] = {
		{"title", "Dossier d’accueil", 0, NULL},
		{"file", bytes, len, filename},
	};
	struct http_reply r;
	post_parts(a->s, path, parts, 2, &r);
	if (out)
		*out = json_loads(r.body, 0, NULL);
	long status = r.status;
	http_reply_free(&r);
	return status;
}

/* Returns the status of GET path by s (a fresh anonymous session when
 * NULL), with the body checked to be the PDF when 200. */
static long download(struct sess *s, const char *path)
{
	struct sess *anonymous = s ? NULL : sess_new();
	struct http_reply r;
	assert_int_equal(sess_get(s ? s : anonymous, path, &r), 0);
	long status = r.status;
	if (status == 200) {
		assert_int_equal(r.len, sizeof(PDF) - 1);
		assert_memory_equal(r.body, PDF, r.len);
	}
	http_reply_free(&r);
	sess_free(anonymous);
	return status;
}

/* Uploads the PDF to a new project of visibility; returns the file's
 * download path (heap). */
static char *file_of(const char *visibility)
{
	json_t *p = project_new(visibility), *f = NULL;
	assert_int_equal(upload(&porteur, p, PDF, sizeof(PDF) - 1, "accueil.pdf", &f), 201);
	assert_string_equal(str(f, "title"), "Dossier d’accueil");
	assert_string_equal(str(f, "mime"), "application/pdf");
	assert_int_equal(json_integer_value(json_object_get(f, "size")), sizeof(PDF) - 1);
	assert_non_null(strstr(str(f, "url"), "/fichiers/"));
	char *url = strdup(str(f, "url"));
	json_decref(f);
	json_decref(p);
	return url;
}

/* Returns the first download path in page as s reads it (heap), after
 * checking that the page has a link reading text. */
static char *page_file(struct sess *s, const char *page, const char *text)
{
	struct http_reply r;
	assert_int_equal(sess_get(s, page, &r), 0);
	assert_int_equal(r.status, 200);
	char link[200];
	snprintf(link, sizeof(link), ">%s</a>", text);
	assert_non_null(strstr(r.body, link));
	const char *href = strstr(r.body, "href=\"/fichiers/");
	assert_non_null(href);
	char url[200];
	assert_int_equal(sscanf(href, "href=\"%199[^\"]\"", url), 1);
	http_reply_free(&r);
	return strdup(url);
}

static void download_follows_visibility(void **state)
{
	(void)state;
	char *pub = file_of("public"), *staff = file_of("staff"), *team = file_of("team");
	assert_int_equal(download(NULL, pub), 200);
	assert_int_equal(download(outsider.s, pub), 200);

	assert_int_equal(download(NULL, staff), 404);
	assert_int_equal(download(outsider.s, staff), 200);

	assert_int_equal(download(NULL, team), 404);
	assert_int_equal(download(outsider.s, team), 404);
	assert_int_equal(download(porteur.s, team), 200);
	assert_int_equal(download(coordinator.s, team), 200);
	free(pub);
	free(staff);
	free(team);
}

static void content_is_checked(void **state)
{
	(void)state;
	json_t *p = project_new("staff"), *err = NULL;
	assert_int_equal(upload(&porteur, p, HTML, sizeof(HTML) - 1, "rapport.pdf", &err), 422);
	const json_t *fields = json_object_get(json_object_get(err, "error"), "fields");
	assert_non_null(str(fields, "file"));
	json_decref(err);
	assert_int_equal(upload(&porteur, p, "", 0, "vide.pdf", NULL), 422);
	/* Only the team and the Lab's coordinators add documents. */
	assert_int_equal(upload(&outsider, p, PDF, sizeof(PDF) - 1, "accueil.pdf", NULL), 403);
	json_t *hidden = project_new("team");
	assert_int_equal(upload(&outsider, hidden, PDF, sizeof(PDF) - 1, "accueil.pdf", NULL), 404);
	json_decref(hidden);
	/* Nothing was added by the refusals. */
	json_t *now = NULL;
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/projects/%s", str(p, "id"));
	assert_int_equal(api_json(porteur.token, "GET", path, NULL, &now), 200);
	assert_int_equal(json_array_size(json_object_get(now, "resources")), 0);
	json_decref(now);
	json_decref(p);
}

static void page_upload_needs_its_csrf_token(void **state)
{
	(void)state;
	json_t *p = project_new("staff");
	char path[200], page[200];
	snprintf(page, sizeof(page), "/projets/%s", str(p, "slug"));
	snprintf(path, sizeof(path), "%s/fichiers", page);
	struct mpart parts[] = {{"file", PDF, sizeof(PDF) - 1, "compte-rendu.pdf"}};
	struct http_reply r;
	sess_post_parts(porteur.s, path, NULL, NULL, parts, 1, &r);
	assert_int_equal(r.status, 403);
	http_reply_free(&r);

	post_parts(porteur.s, path, parts, 1, &r);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	/* The title defaults to the file's name, and the link downloads it. */
	char *url = page_file(porteur.s, page, "compte-rendu.pdf");
	assert_int_equal(download(outsider.s, url), 200);
	free(url);

	/* A refused file comes back on the page, next to the field. */
	struct mpart html[] = {{"file", HTML, sizeof(HTML) - 1, "piege.pdf"}};
	post_parts(porteur.s, path, html, 1, &r);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "id=\"file-file-error\""));
	http_reply_free(&r);
	json_decref(p);
}

static void journal_post_carries_a_file(void **state)
{
	(void)state;
	json_t *p = project_new("team");
	char path[200], page[200];
	snprintf(page, sizeof(page), "/projets/%s", str(p, "slug"));
	snprintf(path, sizeof(path), "%s/journal", page);
	struct mpart parts[] = {
		{"title", "Premier comité de pilotage", 0, NULL},
		{"body", "Le **comité** a validé le dossier.", 0, NULL},
		{"file", PDF, sizeof(PDF) - 1, "comite.pdf"},
	};
	struct http_reply r;
	post_parts(porteur.s, path, parts, 3, &r);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	char *url = page_file(porteur.s, page, "comite.pdf");
	assert_int_equal(download(porteur.s, url), 200);
	/* The project is the team's: so is the post's file. */
	assert_int_equal(download(outsider.s, url), 404);
	assert_int_equal(download(NULL, url), 404);
	free(url);

	/* A refused file keeps what was typed, and posts nothing. */
	struct mpart html[] = {
		{"title", "Deuxième comité", 0, NULL},
		{"body", "Compte rendu joint.", 0, NULL},
		{"file", HTML, sizeof(HTML) - 1, "compte-rendu.pdf"},
	};
	post_parts(porteur.s, path, html, 3, &r);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "id=\"journal-file-error\""));
	assert_non_null(strstr(r.body, "value=\"Deuxième comité\""));
	http_reply_free(&r);
	json_decref(p);
}

static void proposal_evidence_is_a_file(void **state)
{
	(void)state;
	json_t *p = project_new("staff");
	char path[200], page[200];
	snprintf(page, sizeof(page), "/projets/%s", str(p, "slug"));
	snprintf(path, sizeof(path), "%s/propositions", page);
	/* A jump keeps no file. */
	struct mpart jump[] = {
		{"stage", "deploiement-institution", 0, NULL},
		{"note", "Partout, tout de suite.", 0, NULL},
		{"evidence_file", PDF, sizeof(PDF) - 1, "preuve.pdf"},
	};
	struct http_reply r;
	post_parts(porteur.s, path, jump, 3, &r);
	assert_int_equal(r.status, 422);
	http_reply_free(&r);
	assert_int_equal(sess_get(porteur.s, page, &r), 0);
	assert_null(strstr(r.body, "href=\"/fichiers/"));
	http_reply_free(&r);

	struct mpart next[] = {
		{"stage", "prototype", 0, NULL},
		{"note", "La maquette est prête.", 0, NULL},
		{"evidence_file", PDF, sizeof(PDF) - 1, "maquette.pdf"},
	};
	post_parts(porteur.s, path, next, 3, &r);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	char *url = page_file(porteur.s, page, "Preuve jointe");
	assert_non_null(strstr(url, "maquette.pdf"));
	assert_int_equal(download(outsider.s, url), 200);
	assert_int_equal(download(NULL, url), 404);
	free(url);
	json_decref(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(download_follows_visibility),
		cmocka_unit_test(content_is_checked),
		cmocka_unit_test(page_upload_needs_its_csrf_token),
		cmocka_unit_test(journal_post_carries_a_file),
		cmocka_unit_test(proposal_evidence_is_a_file),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
