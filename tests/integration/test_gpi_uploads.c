/* Grand Prix uploads at their boundaries, through nginx and the real app:
 * the dossier (a PDF by content, 5 Mo ± 1 byte), the video (an MP4 by
 * content, 3:00 against 3:01, moov at the end, cut off, the image rights
 * box), 500 Mo + 1 byte refused with nothing left behind, a
 * Content-Length no form may have refused before the body is parsed, and
 * nginx's own refusal of a larger one, answered in French.
 * Files are made by mp4_make.h; the 500 Mo one is a hole on disk. Serial
 * (tests/CMakeLists.txt): it checks that the upload folder is empty. */
#include "support.h"

#include <curl/curl.h>
#include <dirent.h>
#include <mongoc/mongoc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mp4_make.h"

#define MO ((size_t)1024 * 1024)

static struct test_account sec, filer, stranger;
static int year;
static char dir[] = "/tmp/cousilab-gpi-uploads-XXXXXX";

/* ---- the edition and a draft ---------------------------------------- */

/* The edition of year y (2030 and after) as the other Grand Prix tests
 * have it, but launched in 2020: open for filing now. */
static json_t *open_edition(int y, void *arg)
{
	(void)arg;
	json_t *e = test_gpi_edition_json(y);
	json_object_set_new(e, "launch_at", json_string("2020-01-01T00:00:00Z"));
	return e;
}

/* Returns a new draft of filer's organisation (heap id). */
static char *draft(void)
{
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/candidatures", year);
	json_t *body = json_pack("{s:s, s:s}", "category", "rh", "title", "Téléversements"), *res;
	assert_int_equal(api_json(filer.token, "POST", path, body, &res), 201);
	char *id = strdup(json_string_value(json_object_get(res, "id")));
	json_decref(body);
	json_decref(res);
	return id;
}

/* Returns the candidature id as filer reads it (new reference). */
static json_t *candidature(const char *id)
{
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s", id);
	json_t *c;
	assert_int_equal(api_json(filer.token, "GET", path, NULL, &c), 200);
	return c;
}

/* ---- multipart through libcurl, the file streamed from disk ---------- */

static size_t collect(char *p, size_t size, size_t n, void *ctx)
{
	struct http_reply *r = ctx;
	size_t len = size * n;
	r->body = realloc(r->body, r->len + len + 1);
	memcpy(r->body + r->len, p, len);
	r->len += len;
	r->body[r->len] = '\0';
	return len;
}

/* Sends the POST c is set up for to path with the headers h (may be
 * NULL) and, when token is set, its bearer token; fills r (status, body:
 * heap) and, when type is not NULL, *type (the Content-Type, heap). Frees
 * h and c. Fails the test when no answer comes. */
static void perform(CURL *c, const char *path, const char *token, struct curl_slist *h,
		    struct http_reply *r, char **type)
{
	char url[256], auth[256];
	snprintf(url, sizeof(url), "%s%s", env_or("COUSILAB_BASE_URL", "http://127.0.0.1:18080"),
		 path);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token ? token : "");
	if (token)
		h = curl_slist_append(h, auth);
	*r = (struct http_reply){0};
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 600L);
	CURLcode rc = curl_easy_perform(c);
	if (rc != CURLE_OK)
		fail_msg("POST %s: %s", path, curl_easy_strerror(rc));
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	if (type) {
		char *ct = NULL;
		curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
		*type = strdup(ct ? ct : "");
	}
	if (!r->body)
		r->body = strdup("");
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
}

/* POSTs to the API path of candidature id, as token, a multipart body of
 * image_rights=on (when rights) and the file at file (none when NULL) as
 * field "file" named name. Returns the status; *error the answer's
 * error.message (heap, NULL when none). */
static long upload(const char *token, const char *id, const char *what, bool rights,
		   const char *file, const char *name, char **error)
{
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s/%s", id, what);
	CURL *c = curl_easy_init();
	curl_mime *mime = curl_mime_init(c);
	if (rights) {
		curl_mimepart *p = curl_mime_addpart(mime);
		curl_mime_name(p, "image_rights");
		curl_mime_data(p, "on", CURL_ZERO_TERMINATED);
	}
	if (file) {
		curl_mimepart *p = curl_mime_addpart(mime);
		curl_mime_name(p, "file");
		curl_mime_filedata(p, file);
		curl_mime_filename(p, name);
	}
	curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
	struct http_reply r;
	perform(c, path, token, NULL, &r, NULL);
	curl_mime_free(mime);
	if (error) {
		json_t *j = json_loads(r.body, 0, NULL);
		const char *m = json_string_value(
			json_object_get(json_object_get(j, "error"), "message"));
		*error = m ? strdup(m) : NULL;
		json_decref(j);
	}
	free(r.body);
	return r.status;
}

/* Fails unless error holds needle; frees it. */
static void assert_says(char *error, const char *needle)
{
	if (!error || !strstr(error, needle))
		fail_msg("expected \"%s\" in the error, got \"%s\"", needle,
			 error ? error : "(none)");
	free(error);
}

/* Returns path in the temp dir (static buffer, one at a time). */
static const char *tmp(const char *name)
{
	static char path[128];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

/* ---- what a refused upload may leave ---------------------------------- */

/* Returns how many entries the app's upload folder holds; fails when
 * there is no such folder, which would make the count meaningless. */
static int uploads_left(void)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/cache/uploads", env_or("COUSILAB_VAR", "var"));
	DIR *d = opendir(path); /* made by the first upload of the run */
	if (!d)
		fail_msg("no upload folder at %s", path);
	int n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

/* Returns how many stored files and chunk collections the database has. */
static long long stored_files(void)
{
	mongoc_client_t *client = mongoc_client_new(test_db_uri());
	mongoc_database_t *db = mongoc_client_get_default_database(client);
	bson_error_t err;
	char **names = mongoc_database_get_collection_names_with_opts(db, NULL, &err);
	assert_non_null(names);
	long long n = 0;
	for (char **p = names; *p; p++)
		n += strncmp(*p, "file_chunks_", 12) == 0;
	bson_strfreev(names);
	mongoc_database_destroy(db);
	mongoc_client_destroy(client);
	return n + mongo_count("files", "{}");
}

/* ---- tests -------------------------------------------------------------- */

/* 5 Mo is accepted, 5 Mo + 1 byte refused; the first dossier stays. */
static void dossier_of_five_mo(void **state)
{
	(void)state;
	char *id = draft();
	assert_int_equal(pdf_make_file(tmp("five.pdf"), 5 * MO), 0);
	assert_int_equal(
		upload(filer.token, id, "dossier", false, tmp("five.pdf"), "dossier.pdf", NULL) /
			100,
		2);
	json_t *c = candidature(id);
	json_t *d = json_object_get(c, "dossier");
	assert_int_equal(json_integer_value(json_object_get(d, "bytes")), 5 * MO);
	assert_string_equal(json_string_value(json_object_get(d, "name")), "dossier.pdf");
	json_decref(c);

	long long files = stored_files();
	char *error;
	assert_int_equal(pdf_make_file(tmp("over.pdf"), 5 * MO + 1), 0);
	assert_int_equal(
		upload(filer.token, id, "dossier", false, tmp("over.pdf"), "trop.pdf", &error),
		413);
	assert_says(error, "5 Mo");
	assert_int_equal(uploads_left(), 0);
	assert_int_equal(stored_files(), files);
	c = candidature(id);
	d = json_object_get(c, "dossier");
	assert_string_equal(json_string_value(json_object_get(d, "name")), "dossier.pdf");
	json_decref(c);
	free(id);
}

/* By content, not by name: an HTML page named .pdf, a PDF cut before its
 * trailer. */
static void dossier_checked_by_content(void **state)
{
	(void)state;
	char *id = draft(), *error;
	FILE *f = fopen(tmp("page.pdf"), "w");
	fputs("<!DOCTYPE html><html><body><p>%PDF-1.7</p></body></html>\n%%EOF\n", f);
	fclose(f);
	assert_int_equal(
		upload(filer.token, id, "dossier", false, tmp("page.pdf"), "page.pdf", &error),
		422);
	assert_says(error, "n’est pas un document PDF");

	assert_int_equal(pdf_make_file(tmp("cut.pdf"), 100 * 1024), 0);
	assert_int_equal(truncate(tmp("cut.pdf"), 100 * 1024 - 8), 0);
	assert_int_equal(
		upload(filer.token, id, "dossier", false, tmp("cut.pdf"), "cut.pdf", &error), 422);
	assert_says(error, "incomplet");

	json_t *c = candidature(id);
	assert_true(json_is_null(json_object_get(c, "dossier")) || !json_object_get(c, "dossier"));
	json_decref(c);
	assert_int_equal(uploads_left(), 0);
	free(id);
}

/* Writes a video of seconds (+ extra units at timescale 600) to name. */
static const char *video(const char *name, uint64_t seconds, uint64_t extra, bool moov_at_end)
{
	struct mp4_spec s = {.timescale = 600,
			     .duration = seconds * 600 + extra,
			     .moov_at_end = moov_at_end,
			     .mdat_bytes = 64 * 1024};
	const char *path = tmp(name);
	assert_true(mp4_make_file(path, &s) > 0);
	return path;
}

/* 3:00 exactly is accepted, 3:00 and 1/600 s is not, nor 3:01. */
static void video_of_three_minutes(void **state)
{
	(void)state;
	char *id = draft(), *error;
	assert_int_equal(upload(filer.token, id, "video", true, video("180.mp4", 180, 0, false),
				"film.mp4", NULL) /
				 100,
			 2);
	json_t *c = candidature(id);
	json_t *v = json_object_get(c, "video");
	assert_int_equal(json_integer_value(json_object_get(v, "seconds")), 180);
	assert_string_equal(json_string_value(json_object_get(v, "name")), "film.mp4");
	json_decref(c);

	assert_int_equal(upload(filer.token, id, "video", true, video("181.mp4", 181, 0, false),
				"long.mp4", &error),
			 422);
	assert_says(error, "3\u00a0min 01\u00a0s");
	assert_int_equal(upload(filer.token, id, "video", true, video("180+.mp4", 180, 1, false),
				"long.mp4", &error),
			 422);
	assert_says(error, "3\u00a0min 01\u00a0s");
	c = candidature(id);
	v = json_object_get(c, "video");
	assert_string_equal(json_string_value(json_object_get(v, "name")), "film.mp4");
	json_decref(c);
	assert_int_equal(uploads_left(), 0);
	free(id);
}

/* moov after a large mdat, as cameras write it; a cut-off file; no image
 * rights; not an MP4. */
static void video_checked_by_content(void **state)
{
	(void)state;
	char *id = draft(), *error;
	struct mp4_spec s = {.timescale = 90000,
			     .duration = 90000 * 95,
			     .mvhd_version = 1,
			     .moov_at_end = true,
			     .mdat_largesize = true,
			     .mdat_bytes = 3 * MO};
	assert_true(mp4_make_file(tmp("end.mp4"), &s) > 0);
	assert_int_equal(upload(filer.token, id, "video", false, tmp("end.mp4"), "fin.mp4", &error),
			 422);
	assert_says(error, "droit");
	assert_int_equal(
		upload(filer.token, id, "video", true, tmp("end.mp4"), "fin.mp4", NULL) / 100, 2);
	json_t *c = candidature(id);
	assert_int_equal(
		json_integer_value(json_object_get(json_object_get(c, "video"), "seconds")), 95);
	json_decref(c);

	assert_int_equal(truncate(tmp("end.mp4"), 2 * MO), 0);
	assert_int_equal(
		upload(filer.token, id, "video", true, tmp("end.mp4"), "coupe.mp4", &error), 422);
	assert_says(error, "incomplète");
	assert_int_equal(pdf_make_file(tmp("doc.mp4"), 4096), 0);
	assert_int_equal(upload(filer.token, id, "video", true, tmp("doc.mp4"), "doc.mp4", &error),
			 422);
	assert_says(error, "n’est pas une vidéo MP4");
	assert_int_equal(uploads_left(), 0);
	free(id);
}

/* 500 Mo + 1 byte: refused as it streams, nothing left in the upload
 * folder, the files or the chunks. The file is a hole: no disk. */
static void video_over_500_mo(void **state)
{
	(void)state;
	char *id = draft(), *error;
	struct mp4_spec s = {.timescale = 600, .duration = 600 * 170};
	uint64_t overhead = mp4_make_file(tmp("big.mp4"), &s);
	s.mdat_bytes = 500 * MO + 1 - overhead;
	assert_int_equal(mp4_make_file(tmp("big.mp4"), &s), 500 * MO + 1);
	long long files = stored_files();
	assert_int_equal(upload(filer.token, id, "video", true, tmp("big.mp4"), "gros.mp4", &error),
			 413);
	assert_says(error, "500 Mo");
	assert_int_equal(uploads_left(), 0);
	assert_int_equal(stored_files(), files);
	json_t *c = candidature(id);
	assert_true(json_is_null(json_object_get(c, "video")) || !json_object_get(c, "video"));
	json_decref(c);
	unlink(tmp("big.mp4"));
	free(id);
}

/* A Content-Length no dossier form may have is refused from the header
 * alone: 413, where parsing the body (no boundary in it, no CSRF token)
 * would have answered 400 or 403. */
static void content_length_refused_before_parsing(void **state)
{
	(void)state;
	char *id = draft();
	size_t len = 5 * MO + 900 * 1024; /* under nginx's 6m, over the form's bound */
	char *body = malloc(len);
	memset(body, 'x', len);
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s/dossier", id);
	char auth[256];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", filer.token);
	const char *headers[] = {auth, NULL};
	struct sess *s = sess_new();
	struct http_reply r = {0};
	assert_int_equal(sess_request(s, "POST", path, headers,
				      "multipart/form-data; boundary=jamais-vu", body, len, &r),
			 0);
	assert_int_equal(r.status, 413);
	assert_non_null(strstr(r.body, "5 Mo"));
	http_reply_free(&r);
	sess_free(s);
	free(body);
	assert_int_equal(uploads_left(), 0);
	free(id);
}

/* A read callback giving zeros, never asked for: nginx answers the
 * Expect: 100-continue of an announced body. */
static size_t zeros(char *p, size_t size, size_t n, void *ctx)
{
	(void)ctx;
	memset(p, 0, size * n);
	return size * n;
}

/* POSTs, as token (NULL: none), a body announced as length bytes to path
 * without sending it. Returns the status, the answer in *body (heap) and
 * its Content-Type in *type (heap). */
static long announce(const char *token, const char *path, curl_off_t length, char **body,
		     char **type)
{
	struct curl_slist *h = curl_slist_append(NULL,
						 "Content-Type: multipart/form-data; boundary=b");
	h = curl_slist_append(h, "Expect: 100-continue");
	CURL *c = curl_easy_init();
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, length);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, zeros);
	curl_easy_setopt(c, CURLOPT_EXPECT_100_TIMEOUT_MS, 60000L);
	struct http_reply r;
	perform(c, path, token, h, &r, type);
	*body = r.body;
	return r.status;
}

/* Over nginx's limit for the route (501m for a video, 6m for a dossier,
 * 1m elsewhere), nginx refuses the body unread and the app answers in
 * French: the API's JSON error, or a page. */
static void body_over_nginx_limit(void **state)
{
	(void)state;
	char *id = draft(), *body, *type, path[128];
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s/video", id);
	assert_int_equal(announce(filer.token, path, (curl_off_t)501 * MO + 1, &body, &type), 413);
	assert_non_null(strstr(type, "json"));
	json_t *j = json_loads(body, 0, NULL);
	json_t *e = json_object_get(j, "error");
	assert_string_equal(json_string_value(json_object_get(e, "code")), "too_large");
	assert_non_null(strstr(json_string_value(json_object_get(e, "message")), "dépasse"));
	json_decref(j);
	free(body);
	free(type);

	snprintf(path, sizeof(path), "/grand-prix/%d/candidatures/%s/dossier", year, id);
	assert_int_equal(announce(NULL, path, (curl_off_t)6 * MO + 1, &body, &type), 413);
	assert_non_null(strstr(type, "text/html"));
	assert_non_null(strstr(body, "dépasse la taille autorisée"));
	free(body);
	free(type);
	assert_int_equal(uploads_left(), 0);
	free(id);
}

/* Another organisation's agent may not know the candidature exists. */
static void another_organisation_gets_404(void **state)
{
	(void)state;
	char *id = draft();
	long long files = stored_files();
	assert_int_equal(pdf_make_file(tmp("small.pdf"), 4096), 0);
	assert_int_equal(
		upload(stranger.token, id, "dossier", false, tmp("small.pdf"), "intrus.pdf", NULL),
		404);
	assert_int_equal(upload(stranger.token, id, "video", true, video("ok.mp4", 10, 0, false),
				"intrus.mp4", NULL),
			 404);
	assert_int_equal(stored_files(), files);
	assert_int_equal(uploads_left(), 0);
	free(id);
}

/* Makes stranger an agent of cpam-75, another organisation than caf-31's
 * (where test_account_new makes accounts), with an API token. */
static void stranger_new(void)
{
	stranger.email = unique_email("gpi-uploads-other");
	const char *args[] = {"user",           "add",     "--email",
			      stranger.email,   "--name",  "Agent d’un autre organisme",
			      "--organisation", "cpam-75", NULL};
	assert_int_equal(cli_run(args, "mot-de-passe-d-un-autre-agent\n", NULL), 0);
	stranger.token = cli_token_create(stranger.email, "tests");
	assert_non_null(stranger.token);
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	test_account_new(&sec, "gpi-uploads-sec", "Secrétariat des téléversements", "secretariat",
			 "mot-de-passe-du-secretariat");
	test_account_new(&filer, "gpi-uploads", "Agente qui dépose", NULL, "mot-de-passe-agente");
	stranger_new();
	year = test_edition_new(sec.token, "/api/v1/gpi/editions", open_edition, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_account_free(&sec);
	test_account_free(&filer);
	free(stranger.email);
	free(stranger.token);
	static const char *const names[] = {"five.pdf", "over.pdf", "page.pdf",  "cut.pdf",
					    "180.mp4",  "181.mp4",  "180+.mp4",  "end.mp4",
					    "doc.mp4",  "big.mp4",  "small.pdf", "ok.mp4"};
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		unlink(tmp(names[i]));
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dossier_of_five_mo),
		cmocka_unit_test(dossier_checked_by_content),
		cmocka_unit_test(video_of_three_minutes),
		cmocka_unit_test(video_checked_by_content),
		cmocka_unit_test(video_over_500_mo),
		cmocka_unit_test(content_length_refused_before_parsing),
		cmocka_unit_test(body_over_nginx_limit),
		cmocka_unit_test(another_organisation_gets_404),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
