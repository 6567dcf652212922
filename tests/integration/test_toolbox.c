/* A practice's toolbox through nginx: multipart uploads checked by
 * content (refusals leave nothing behind), links, downloads served by
 * nginx from the app's cache with the reader's rights checked, Range
 * requests, order and removal, and the API twin. Each test makes its own
 * draft, written by the author below. */
#include <dirent.h>
#include <mongoc/mongoc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static const char PASSWORD[] = "phrase de passe de la boite";
static const char PDF[] = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

struct users {
	struct sess *author, *other, *coordinator, *anonymous;
};

struct practice {
	char id[32];
	char slug[128];
};

static struct sess *signed_in(const char *tag, const char *role)
{
	return sess_signed_in(tag, "Agent Boîte à outils", role, PASSWORD);
}

static int setup(void **state)
{
	struct users *u = calloc(1, sizeof(*u));
	u->author = signed_in("toolbox-author", NULL);
	u->other = signed_in("toolbox-other", NULL);
	u->coordinator = signed_in("toolbox-coord", "coordinator");
	u->anonymous = sess_new();
	*state = u;
	return 0;
}

static int teardown(void **state)
{
	struct users *u = *state;
	if (!u)
		return 0;
	sess_free(u->author);
	sess_free(u->other);
	sess_free(u->coordinator);
	sess_free(u->anonymous);
	free(u);
	return 0;
}

/* Sends a state-changing request as s with its CSRF token in the header;
 * body is JSON when not NULL. */
static void api(struct sess *s, const char *method, const char *path, const char *body,
		struct http_reply *r)
{
	char *token = sess_cookie(s, "csrf");
	char header[128];
	snprintf(header, sizeof(header), "X-CSRF-Token: %s", token ? token : "");
	const char *headers[] = {header, NULL};
	assert_int_equal(sess_request(s, method, path, headers, body ? "application/json" : NULL,
				      body, body ? strlen(body) : 0, r),
			 0);
	free(token);
}

/* Creates a draft as s; fills p. */
static void new_practice(struct sess *s, const char *title, struct practice *p)
{
	char body[1024];
	snprintf(body, sizeof(body),
		 "{\"title\":\"%s\",\"summary\":\"Un résumé.\",\"problem\":\"Un problème.\","
		 "\"description\":\"Une description.\",\"maturity\":\"experimentee\","
		 "\"organisation_ids\":[\"caf-31\"],\"themes\":[\"communication\"]}",
		 title);
	struct http_reply r;
	api(s, "POST", "/api/v1/practices", body, &r);
	assert_int_equal(r.status, 201);
	json_t *doc = json_loads(r.body, 0, NULL);
	assert_non_null(doc);
	snprintf(p->id, sizeof(p->id), "%s", json_string_value(json_object_get(doc, "id")));
	snprintf(p->slug, sizeof(p->slug), "%s", json_string_value(json_object_get(doc, "slug")));
	json_decref(doc);
	http_reply_free(&r);
}

/* POSTs parts to path as s, the CSRF token as the body's first field as
 * the page's form does (or in the header for the API). */
static void post_multipart(struct sess *s, const char *path, const struct mpart *parts, size_t n,
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

/* Uploads a file resource to p's page route as s. */
static void upload(struct sess *s, const struct practice *p, const char *kind, const char *title,
		   const char *bytes, size_t len, const char *filename, struct http_reply *r)
{
	char path[256];
	snprintf(path, sizeof(path), "/pratiques/%s/ressources", p->slug);
	struct mpart parts[] = {
		{"kind", kind, 0, NULL},
		{"title", title, 0, NULL},
		{"description", "Pour démarrer.", 0, NULL},
		{"file", bytes, len, filename},
	};
	post_multipart(s, path, parts, 4, r);
}

/* Returns p's toolbox as s sees it through the API (new reference). */
static json_t *toolbox_of(struct sess *s, const struct practice *p)
{
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/practices/%s", p->id);
	struct http_reply r;
	assert_int_equal(sess_get(s, path, &r), 0);
	assert_int_equal(r.status, 200);
	json_t *doc = json_loads(r.body, 0, NULL);
	json_t *toolbox = json_incref(json_object_get(doc, "toolbox"));
	assert_true(json_is_array(toolbox));
	json_decref(doc);
	http_reply_free(&r);
	return toolbox;
}

/* Returns the file id of the resource at index i of toolbox (borrowed). */
static const char *file_id_at(const json_t *toolbox, size_t i)
{
	const char *id = json_string_value(json_object_get(json_array_get(toolbox, i), "file_id"));
	assert_non_null(id);
	return id;
}

/* Returns the download path of the resource at index i of toolbox (heap):
 * the url the API gives a file resource. */
static char *download_path(const json_t *toolbox, size_t i)
{
	char path[64];
	snprintf(path, sizeof(path), "/fichiers/%s/", file_id_at(toolbox, i));
	const char *url = json_string_value(json_object_get(json_array_get(toolbox, i), "url"));
	assert_non_null(url);
	assert_memory_equal(url, path, strlen(path));
	assert_non_null(strstr(url, ".pdf"));
	return strdup(url);
}

static long status_of(struct sess *s, const char *path)
{
	struct http_reply r;
	assert_int_equal(sess_get(s, path, &r), 0);
	long status = r.status;
	http_reply_free(&r);
	return status;
}

static void assert_header_has(const struct http_reply *r, const char *name, const char *text)
{
	char *v = http_header(r, name);
	assert_non_null(v);
	if (!strstr(v, text))
		fail_msg("%s: %s lacks %s", name, v, text);
	free(v);
}

static void assert_field_error(const struct http_reply *r, const char *field, const char *text)
{
	char *error = html_field_error(r->body, field);
	assert_non_null(error);
	if (!strstr(error, text))
		fail_msg("%s: \"%s\" lacks \"%s\"", field, error, text);
	free(error);
}

/* What a refused upload could leave behind. */
struct leftovers {
	long long files;
	int chunk_collections;
	int uploads;
};

static void count_leftovers(struct leftovers *l)
{
	l->files = mongo_count("files", "{}");
	assert_true(l->files >= 0);
	mongoc_client_t *client = mongoc_client_new(test_db_uri());
	bson_error_t error;
	mongoc_database_t *d = mongoc_client_get_database(client, "cousilab");
	char **names = mongoc_database_get_collection_names_with_opts(d, NULL, &error);
	assert_non_null(names);
	l->chunk_collections = 0;
	for (char **p = names; *p; p++)
		l->chunk_collections += !strncmp(*p, "file_chunks_", 12);
	bson_strfreev(names);
	mongoc_database_destroy(d);
	mongoc_client_destroy(client);
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/cache/uploads", env_or("COUSILAB_VAR", "var"));
	DIR *up = opendir(dir);
	l->uploads = 0;
	for (struct dirent *e; up && (e = readdir(up));)
		l->uploads += e->d_name[0] != '.';
	if (up)
		closedir(up);
}

static void assert_nothing_left(const struct leftovers *before)
{
	struct leftovers after;
	count_leftovers(&after);
	assert_int_equal(after.files, before->files);
	assert_int_equal(after.chunk_collections, before->chunk_collections);
	assert_int_equal(after.uploads, 0);
}

/* ---- Tests ---------------------------------------------------------- */

static void pdf_and_link_then_download(void **state)
{
	struct users *u = *state;
	struct practice p;
	new_practice(u->author, "Boîte à outils : accueil des nouveaux arrivants", &p);
	struct http_reply r;
	upload(u->author, &p, "guide", "Guide d’accueil", PDF, sizeof(PDF) - 1,
	       "Guide d'accueil été.pdf", &r);
	assert_int_equal(r.status, 303);
	assert_header_has(&r, "Location", "#ressource-");
	http_reply_free(&r);

	char path[256];
	snprintf(path, sizeof(path), "/pratiques/%s/ressources", p.slug);
	sess_post_form(u->author, path, path, &r, "kind", "lien", "title", "Fiche service-public",
		       "description", "", "url", "https://www.service-public.fr/particuliers",
		       NULL);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);

	json_t *toolbox = toolbox_of(u->author, &p);
	assert_int_equal(json_array_size(toolbox), 2);
	json_t *file = json_array_get(toolbox, 0), *link = json_array_get(toolbox, 1);
	assert_string_equal(json_string_value(json_object_get(file, "mime")), "application/pdf");
	assert_int_equal(json_integer_value(json_object_get(file, "size")), sizeof(PDF) - 1);
	assert_string_equal(json_string_value(json_object_get(link, "url")),
			    "https://www.service-public.fr/particuliers");

	/* The page links both. */
	assert_int_equal(sess_get(u->author, path, &r), 0);
	assert_non_null(strstr(r.body, "href=\"https://www.service-public.fr/particuliers\""));
	assert_non_null(strstr(r.body, "/Guide%20d%27accueil%20%C3%A9t%C3%A9.pdf\""));
	http_reply_free(&r);

	char *dl = download_path(toolbox, 0);
	assert_int_equal(sess_get(u->author, dl, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.len, sizeof(PDF) - 1);
	assert_memory_equal(r.body, PDF, r.len);
	assert_header_has(&r, "Content-Type", "application/pdf");
	assert_header_has(&r, "Content-Disposition",
			  "inline; filename=\"Guide d'accueil ete.pdf\"; "
			  "filename*=UTF-8''Guide%20d%27accueil%20%C3%A9t%C3%A9.pdf");
	assert_header_has(&r, "X-Content-Type-Options", "nosniff");
	http_reply_free(&r);

	const char *range[] = {"Range: bytes=0-3", NULL};
	assert_int_equal(sess_request(u->author, "GET", dl, range, NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 206);
	assert_int_equal(r.len, 4);
	assert_memory_equal(r.body, "%PDF", 4);
	char expected[64];
	snprintf(expected, sizeof(expected), "bytes 0-3/%zu", sizeof(PDF) - 1);
	assert_header_has(&r, "Content-Range", expected);
	http_reply_free(&r);

	/* The internal location is nginx's alone. */
	snprintf(path, sizeof(path), "/_fichiers/%s", file_id_at(toolbox, 0));
	assert_int_equal(status_of(u->author, path), 404);
	free(dl);
	json_decref(toolbox);
}

static void download_rights(void **state)
{
	struct users *u = *state;
	struct practice p;
	new_practice(u->author, "Brouillon aux fichiers privés", &p);
	struct http_reply r;
	upload(u->author, &p, "modele", "Modèle de courrier", PDF, sizeof(PDF) - 1, "modele.pdf",
	       &r);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	json_t *toolbox = toolbox_of(u->author, &p);
	char *dl = download_path(toolbox, 0);

	assert_int_equal(status_of(u->author, dl), 200);
	assert_int_equal(status_of(u->coordinator, dl), 200);
	assert_int_equal(status_of(u->other, dl), 404);
	assert_int_equal(status_of(u->anonymous, dl), 404);
	/* Neither may another agent change the toolbox of a draft it cannot see. */
	upload(u->other, &p, "guide", "Intrus", PDF, sizeof(PDF) - 1, "intrus.pdf", &r);
	assert_int_equal(r.status, 404);
	http_reply_free(&r);

	/* Published: everyone reads, only its editors change it. */
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/practices/%s/submit", p.id);
	api(u->author, "POST", path, "{}", &r);
	assert_int_equal(r.status / 100, 2);
	http_reply_free(&r);
	/* The coordinator publishes the version they read. */
	snprintf(path, sizeof(path), "/api/v1/practices/%s", p.id);
	assert_int_equal(sess_get(u->coordinator, path, &r), 0);
	json_t *doc = json_loads(r.body, 0, NULL);
	http_reply_free(&r);
	char reviewed[64];
	snprintf(reviewed, sizeof(reviewed), "{\"version\":%lld}",
		 (long long)json_integer_value(json_object_get(doc, "version")));
	json_decref(doc);
	snprintf(path, sizeof(path), "/api/v1/practices/%s/publish", p.id);
	api(u->coordinator, "POST", path, reviewed, &r);
	assert_int_equal(r.status / 100, 2);
	http_reply_free(&r);
	assert_int_equal(status_of(u->other, dl), 200);
	assert_int_equal(status_of(u->anonymous, dl), 200);
	upload(u->other, &p, "guide", "Intrus", PDF, sizeof(PDF) - 1, "intrus.pdf", &r);
	assert_int_equal(r.status, 403);
	http_reply_free(&r);

	/* Ids are never paths: nginx refuses to climb, the app takes 24 hex
	 * digits that name a stored file. */
	assert_int_equal(status_of(u->author, "/fichiers/..%2F..%2Fetc%2Fpasswd/x"), 400);
	assert_int_equal(status_of(u->author, "/fichiers/%2E%2E/passwd"), 404);
	assert_int_equal(status_of(u->author, "/fichiers/0123456789ABCDEF01234567/x.pdf"), 404);
	assert_int_equal(status_of(u->author, "/fichiers/0123456789abcdef01234567/x.pdf"), 404);
	free(dl);
	json_decref(toolbox);
}

static void executable_named_pdf_refused(void **state)
{
	struct users *u = *state;
	struct practice p;
	new_practice(u->author, "Pratique et programme déguisé", &p);
	char exe[4096] = "MZ\x90";
	memset(exe + 3, 'A', sizeof(exe) - 3);
	struct leftovers before;
	count_leftovers(&before);
	struct http_reply r;
	upload(u->author, &p, "guide", "Rapport annuel", exe, sizeof(exe), "rapport.pdf", &r);
	assert_int_equal(r.status, 422);
	assert_field_error(&r, "resource-file", "Les programmes exécutables ne sont pas acceptés.");
	char *title = html_input_value(r.body, "title");
	assert_non_null(title);
	assert_string_equal(title, "Rapport annuel");
	free(title);
	assert_non_null(strstr(r.body, "<option value=\"guide\" selected>"));
	http_reply_free(&r);
	assert_nothing_left(&before);
}

static void empty_file_refused(void **state)
{
	struct users *u = *state;
	struct practice p;
	new_practice(u->author, "Pratique au fichier vide", &p);
	struct leftovers before;
	count_leftovers(&before);
	struct http_reply r;
	upload(u->author, &p, "checklist", "Liste vide", "", 0, "vide.pdf", &r);
	assert_int_equal(r.status, 422);
	assert_field_error(&r, "resource-file", "Ce fichier est vide.");
	http_reply_free(&r);
	assert_nothing_left(&before);
}

/* A PNG of size bytes: signature, IHDR, padding in a tEXt chunk (CRCs
 * are not checked by the sniffer), IEND. Heap. */
static char *png_of(size_t size)
{
	static const unsigned char head[] = {
		0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0,
		0,    0,   1,   0,   0,    0,    1,    8,    0, 0, 0, 0,  0,   0,   0,   0,
	};
	static const unsigned char iend[] = {0,   0,   0,    0,    'I',  'E',
					     'N', 'D', 0xae, 0x42, 0x60, 0x82};
	char *png = calloc(1, size);
	size_t text = size - sizeof(head) - sizeof(iend) - 12;
	memcpy(png, head, sizeof(head));
	unsigned char *t = (unsigned char *)png + sizeof(head);
	t[0] = (unsigned char)(text >> 24);
	t[1] = (unsigned char)(text >> 16);
	t[2] = (unsigned char)(text >> 8);
	t[3] = (unsigned char)text;
	memcpy(t + 4, "tEXt", 4);
	memcpy(png + size - sizeof(iend), iend, sizeof(iend));
	return png;
}

static void over_the_kind_limit_refused(void **state)
{
	struct users *u = *state;
	struct practice p;
	new_practice(u->author, "Pratique à la trop grande affiche", &p);
	size_t size = 10 * 1024 * 1024 + 1; /* a guide takes images up to 10 Mo */
	char *png = png_of(size);
	struct leftovers before;
	count_leftovers(&before);
	struct http_reply r;
	upload(u->author, &p, "guide", "Affiche", png, size, "affiche.png", &r);
	assert_int_equal(r.status, 422);
	assert_field_error(&r, "resource-file",
			   "dépasse la taille autorisée (10 Mo pour une image)");
	http_reply_free(&r);
	assert_nothing_left(&before);

	/* One byte less is an image a guide takes. */
	free(png);
	png = png_of(--size);
	upload(u->author, &p, "guide", "Affiche", png, size, "affiche.png", &r);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	json_t *toolbox = toolbox_of(u->author, &p);
	assert_string_equal(json_string_value(json_object_get(json_array_get(toolbox, 0), "mime")),
			    "image/png");
	json_decref(toolbox);
	free(png);
}

static void script_in_title_is_text(void **state)
{
	struct users *u = *state;
	struct practice p;
	new_practice(u->author, "Pratique au titre piégé", &p);
	struct http_reply r;
	upload(u->author, &p, "guide", "<script>alert(1)</script>", PDF, sizeof(PDF) - 1, "a.pdf",
	       &r);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	char path[256];
	const char *pages[] = {"/pratiques/%s", "/pratiques/%s/ressources"};
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), pages[i], p.slug);
		assert_int_equal(sess_get(u->author, path, &r), 0);
		assert_int_equal(r.status, 200);
		assert_non_null(strstr(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
		assert_null(strstr(r.body, "<script>alert(1)"));
		http_reply_free(&r);
	}
}

static void links_and_fields_checked(void **state)
{
	struct users *u = *state;
	struct practice p;
	new_practice(u->author, "Pratique aux liens douteux", &p);
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/practices/%s/resources", p.id);
	static const struct {
		const char *body, *field;
	} bad[] = {
		{"{\"kind\":\"lien\",\"title\":\"x\",\"url\":\"javascript:alert(1)\"}", "url"},
		{"{\"kind\":\"lien\",\"title\":\"x\",\"url\":\"data:text/html,<b>x</b>\"}", "url"},
		{"{\"kind\":\"lien\",\"title\":\"x\",\"url\":\"https://user@evil.example/\"}",
		 "url"},
		{"{\"kind\":\"lien\",\"title\":\"x\",\"url\":\"https:///chemin\"}", "url"},
		{"{\"kind\":\"lien\",\"title\":\"x\",\"url\":\"https://exemple.fr/a b\"}", "url"},
		{"{\"kind\":\"lien\",\"title\":\"x\"}", "url"},
		{"{\"kind\":\"affiche\",\"title\":\"x\",\"url\":\"https://exemple.fr\"}", "kind"},
		{"{\"kind\":\"lien\",\"title\":\"\",\"url\":\"https://exemple.fr\"}", "title"},
		{"{\"kind\":\"guide\",\"title\":\"x\"}", "file"},
	};
	struct http_reply r;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		api(u->author, "POST", path, bad[i].body, &r);
		if (r.status != 422 || !strstr(r.body, bad[i].field))
			fail_msg("%s: %ld %s", bad[i].body, r.status, r.body);
		http_reply_free(&r);
	}
	/* Lengths: title 150 characters, URL 2000 bytes. */
	char title[160 * 2 + 1] = "", url[2100] = "https://exemple.fr/";
	for (int i = 0; i < 151; i++)
		strcat(title, "é");
	memset(url + strlen(url), 'a', 2001 - strlen(url));
	char body[4096];
	snprintf(body, sizeof(body),
		 "{\"kind\":\"lien\",\"title\":\"%s\",\"url\":\"https://a.fr\"}", title);
	api(u->author, "POST", path, body, &r);
	assert_int_equal(r.status, 422);
	http_reply_free(&r);
	snprintf(body, sizeof(body), "{\"kind\":\"lien\",\"title\":\"x\",\"url\":\"%s\"}", url);
	api(u->author, "POST", path, body, &r);
	assert_int_equal(r.status, 422);
	http_reply_free(&r);

	/* The API twin takes the same multipart form and answers 201. */
	struct mpart parts[] = {
		{"kind", "presentation", 0, NULL},
		{"title", "Support de présentation", 0, NULL},
		{"file", PDF, sizeof(PDF) - 1, "support.pdf"},
	};
	post_multipart(u->author, path, parts, 3, &r);
	assert_int_equal(r.status, 201);
	json_t *res = json_loads(r.body, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(res, "kind")), "presentation");
	assert_string_equal(json_string_value(json_object_get(res, "file_name")), "support.pdf");
	assert_int_equal(strlen(json_string_value(json_object_get(res, "file_id"))), 24);
	char download[64];
	snprintf(download, sizeof(download), "/fichiers/%s/support.pdf",
		 json_string_value(json_object_get(res, "file_id")));
	assert_string_equal(json_string_value(json_object_get(res, "url")), download);
	json_decref(res);
	http_reply_free(&r);
	/* A file and a URL at once: one or the other. */
	struct mpart both[] = {
		{"kind", "guide", 0, NULL},
		{"title", "Les deux", 0, NULL},
		{"url", "https://exemple.fr", 0, NULL},
		{"file", PDF, sizeof(PDF) - 1, "deux.pdf"},
	};
	post_multipart(u->author, path, both, 4, &r);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "\"url\""));
	http_reply_free(&r);
}

static void reorder_and_remove(void **state)
{
	struct users *u = *state;
	struct practice p;
	new_practice(u->author, "Pratique à ranger", &p);
	struct http_reply r;
	upload(u->author, &p, "guide", "Premier", PDF, sizeof(PDF) - 1, "premier.pdf", &r);
	http_reply_free(&r);
	char path[256];
	snprintf(path, sizeof(path), "/pratiques/%s/ressources", p.slug);
	sess_post_form(u->author, path, path, &r, "kind", "lien", "title", "Deuxième", "url",
		       "https://exemple.fr/2", NULL);
	http_reply_free(&r);
	json_t *toolbox = toolbox_of(u->author, &p);
	const char *first = json_string_value(json_object_get(json_array_get(toolbox, 0), "id"));
	char *dl = download_path(toolbox, 0);
	assert_int_equal(status_of(u->author, dl), 200); /* now cached */

	/* Down on the page, as a form does. */
	char action[256];
	snprintf(action, sizeof(action), "/pratiques/%s/ressources/%s/descendre", p.slug, first);
	sess_post_form(u->author, path, action, &r, NULL);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	json_t *after = toolbox_of(u->author, &p);
	assert_string_equal(json_string_value(json_object_get(json_array_get(after, 0), "title")),
			    "Deuxième");
	json_decref(after);

	/* Removed through the API: the stored file and its cached copy go. */
	struct leftovers before;
	count_leftovers(&before);
	snprintf(action, sizeof(action), "/api/v1/practices/%s/resources/%s", p.id, first);
	api(u->author, "DELETE", action, NULL, &r);
	assert_int_equal(r.status, 200);
	json_t *reply = json_loads(r.body, 0, NULL);
	assert_int_equal(json_array_size(json_object_get(reply, "toolbox")), 1);
	json_decref(reply);
	http_reply_free(&r);
	api(u->author, "DELETE", action, NULL, &r);
	assert_int_equal(r.status, 404);
	http_reply_free(&r);
	struct leftovers now;
	count_leftovers(&now);
	assert_int_equal(now.files, before.files - 1);
	assert_int_equal(now.chunk_collections, before.chunk_collections - 1);
	assert_int_equal(status_of(u->author, dl), 404);
	char cached[4096];
	snprintf(cached, sizeof(cached), "%s/cache/files/%s", env_or("COUSILAB_VAR", "var"),
		 file_id_at(toolbox, 0));
	assert_null(fopen(cached, "rb"));
	after = toolbox_of(u->author, &p);
	assert_int_equal(json_array_size(after), 1);
	json_decref(after);
	free(dl);
	json_decref(toolbox);
}

/* Returns the status of p as s reads it through the API (heap). */
static char *status_in_api(struct sess *s, const struct practice *p)
{
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/practices/%s", p->id);
	struct http_reply r;
	assert_int_equal(sess_get(s, path, &r), 0);
	json_t *doc = json_loads(r.body, 0, NULL);
	char *status = strdup(json_string_value(json_object_get(doc, "status")));
	json_decref(doc);
	http_reply_free(&r);
	return status;
}

/* The CSRF token of an upload comes from the body, before the file; the
 * query string counts for nothing, on upload routes and on the others. */
static void csrf_comes_from_the_body_before_the_file(void **state)
{
	struct users *u = *state;
	struct practice p;
	new_practice(u->author, "Pratique au jeton", &p);
	char path[256], url[512];
	snprintf(path, sizeof(path), "/pratiques/%s/ressources", p.slug);
	char *token = sess_cookie(u->author, "csrf");
	assert_non_null(token);
	struct mpart file[] = {
		{"kind", "guide", 0, NULL},
		{"title", "Guide", 0, NULL},
		{"file", PDF, sizeof(PDF) - 1, "guide.pdf"},
		{"csrf", token, 0, NULL},
	};
	struct leftovers before;
	count_leftovers(&before);
	struct http_reply r;

	/* In the action URL, as the form used to send it: refused. */
	snprintf(url, sizeof(url), "%s?csrf=%s", path, token);
	sess_post_parts(u->author, url, NULL, NULL, file, 3, &r);
	assert_int_equal(r.status, 403);
	http_reply_free(&r);
	/* After the file: refused before the file is kept. */
	sess_post_parts(u->author, path, NULL, NULL, file, 4, &r);
	assert_int_equal(r.status, 403);
	http_reply_free(&r);
	/* Another visitor's token: refused. */
	sess_post_parts(u->author, path, NULL, "0123456789abcdef0123456789abcdef", file, 3, &r);
	assert_int_equal(r.status, 403);
	http_reply_free(&r);
	assert_nothing_left(&before);
	json_t *toolbox = toolbox_of(u->author, &p);
	assert_int_equal(json_array_size(toolbox), 0);
	json_decref(toolbox);

	/* A multipart body to a route that reads none: the query string does
	 * not stand in for the form's token. */
	snprintf(url, sizeof(url), "/pratiques/%s/soumettre?csrf=%s", p.slug, token);
	sess_post_parts(u->author, url, NULL, token, NULL, 0, &r);
	assert_int_equal(r.status, 403);
	http_reply_free(&r);
	char *status = status_in_api(u->author, &p);
	assert_string_equal(status, "draft");
	free(status);

	/* First in the body, as the page's form sends it: taken. */
	sess_post_parts(u->author, path, NULL, token, file, 3, &r);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	toolbox = toolbox_of(u->author, &p);
	assert_int_equal(json_array_size(toolbox), 1);
	json_decref(toolbox);
	/* The page's form carries it so, and no longer in its action. */
	assert_int_equal(sess_get(u->author, path, &r), 0);
	assert_null(strstr(r.body, "?csrf="));
	assert_non_null(strstr(r.body, "enctype=\"multipart/form-data\" novalidate "
				       "aria-labelledby=\"ajouter-fichier\">\n      <input "
				       "type=\"hidden\" name=\"csrf\""));
	http_reply_free(&r);
	free(token);
}

/* A part header over 8 KiB (a very long file name) says so, in its own
 * words, not as a file too large. */
static void long_part_header_has_its_own_message(void **state)
{
	struct users *u = *state;
	struct practice p;
	new_practice(u->author, "Pratique au long nom", &p);
	char *name = malloc(9001);
	memset(name, 'n', 8996);
	strcpy(name + 8996, ".pdf");
	struct http_reply r;
	upload(u->author, &p, "guide", "Nom long", PDF, sizeof(PDF) - 1, name, &r);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "En-tête de partie trop long"));
	assert_null(strstr(r.body, "dépasse la taille autorisée"));
	http_reply_free(&r);
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/practices/%s/resources", p.id);
	struct mpart parts[] = {
		{"kind", "guide", 0, NULL},
		{"title", "Nom long", 0, NULL},
		{"file", PDF, sizeof(PDF) - 1, name},
	};
	post_multipart(u->author, path, parts, 3, &r);
	assert_int_equal(r.status, 400);
	json_t *doc = json_loads(r.body, 0, NULL);
	const char *message = json_string_value(
		json_object_get(json_object_get(doc, "error"), "message"));
	assert_non_null(message);
	assert_non_null(strstr(message, "En-tête de partie trop long"));
	json_decref(doc);
	http_reply_free(&r);
	free(name);
}

/* A file name with a control character or a bidi override is refused
 * next to the file field, the rest of the form kept. */
static void file_names_with_control_characters_refused(void **state)
{
	struct users *u = *state;
	struct practice p;
	new_practice(u->author, "Pratique aux noms piégés", &p);
	static const struct {
		const char *name, *code;
	} bad[] = {
		{"facture\xE2\x80\xAE"
		 "fdp.pdf",
		 "U+202E"},
		{"rouge\x1b[31m.pdf", "U+001B"},
		{"cloche\x07.pdf", "U+0007"},
		{"csi\xC2\x9B"
		 "2J.pdf",
		 "U+009B"},
	};
	struct leftovers before;
	count_leftovers(&before);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct http_reply r;
		upload(u->author, &p, "guide", "Facture type", PDF, sizeof(PDF) - 1, bad[i].name,
		       &r);
		assert_int_equal(r.status, 422);
		assert_field_error(&r, "resource-file", bad[i].code);
		assert_field_error(&r, "resource-file", "Le nom de ce fichier");
		char *title = html_input_value(r.body, "title");
		assert_non_null(title);
		assert_string_equal(title, "Facture type");
		free(title);
		http_reply_free(&r);
	}
	assert_nothing_left(&before);
}

/* Returns the account id of s (heap), from /api/v1/me. */
static char *account_id(struct sess *s)
{
	struct http_reply r;
	assert_int_equal(sess_get(s, "/api/v1/me", &r), 0);
	json_t *me = json_loads(r.body, 0, NULL);
	char *id = strdup(json_string_value(json_object_get(me, "id")));
	json_decref(me);
	http_reply_free(&r);
	return id;
}

/* Appends to user's quota ledger an entry with bytes stored and its
 * drafts unchanged, as if files of that size had been kept: a 1024 Mo
 * quota is tested at its edge without uploading 1024 Mo. */
static void ledger_set_bytes(const char *user, long long bytes)
{
	char filter[128], id[160];
	snprintf(filter, sizeof(filter), "{\"user_id\": \"%s\"}", user);
	long long n = mongo_count("quotas", filter);
	assert_true(n >= 1);
	mongoc_client_t *client = mongoc_client_new(test_db_uri());
	mongoc_collection_t *c = mongoc_client_get_collection(client, "cousilab", "quotas");
	snprintf(id, sizeof(id), "quota:%s:%09lld", user, n);
	bson_t *q = BCON_NEW("_id", BCON_UTF8(id));
	mongoc_cursor_t *cur = mongoc_collection_find_with_opts(c, q, NULL, NULL);
	const bson_t *last;
	assert_true(mongoc_cursor_next(cur, &last));
	bson_iter_t it;
	assert_true(bson_iter_init_find(&it, last, "drafts"));
	int64_t drafts = bson_iter_as_int64(&it);
	mongoc_cursor_destroy(cur);
	bson_destroy(q);
	snprintf(id, sizeof(id), "quota:%s:%09lld", user, n + 1);
	bson_t *doc = BCON_NEW("_id", BCON_UTF8(id), "user_id", BCON_UTF8(user), "seq",
			       BCON_INT64(n + 1), "drafts", BCON_INT64(drafts), "bytes",
			       BCON_INT64(bytes));
	bson_error_t error;
	assert_true(mongoc_collection_insert_one(c, doc, NULL, NULL, &error));
	bson_destroy(doc);
	mongoc_collection_destroy(c);
	mongoc_client_destroy(client);
}

/* 1024 Mo of files per user: a file that brings the total to exactly
 * 1024 Mo is taken, one more byte is refused next to the file field;
 * removing a file gives its room back. Links take no room. */
static void stored_bytes_quota_at_its_boundary(void **state)
{
	(void)state;
	struct sess *s = signed_in("toolbox-quota", NULL);
	char *user = account_id(s);
	struct practice p;
	new_practice(s, "Pratique au stockage plein", &p);
	const long long limit = 1024LL * 1024 * 1024, size = sizeof(PDF) - 1;
	ledger_set_bytes(user, limit - size);
	struct http_reply r;
	upload(s, &p, "guide", "Le dernier", PDF, size, "dernier.pdf", &r);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);

	struct leftovers before;
	count_leftovers(&before);
	upload(s, &p, "guide", "Un de trop", PDF, size, "de-trop.pdf", &r);
	assert_int_equal(r.status, 422);
	assert_field_error(&r, "resource-file", "ne tient pas dans votre espace de stockage");
	assert_field_error(&r, "resource-file", "sur 1024 Mo");
	char *title = html_input_value(r.body, "title");
	assert_string_equal(title, "Un de trop");
	free(title);
	http_reply_free(&r);
	assert_nothing_left(&before);
	char path[256];
	snprintf(path, sizeof(path), "/pratiques/%s/ressources", p.slug);
	sess_post_form(s, path, path, &r, "kind", "lien", "title", "Un lien", "url",
		       "https://exemple.fr/guide", NULL);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);

	/* Removing the file frees its room. */
	json_t *toolbox = toolbox_of(s, &p);
	char action[256];
	snprintf(action, sizeof(action), "/pratiques/%s/ressources/%s/retirer", p.slug,
		 json_string_value(json_object_get(json_array_get(toolbox, 0), "id")));
	assert_null(json_object_get(json_array_get(toolbox, 0), "quota_user"));
	json_decref(toolbox);
	sess_post_form(s, path, action, &r, NULL);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	upload(s, &p, "guide", "Le remplaçant", PDF, size, "remplacant.pdf", &r);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	free(user);
	sess_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pdf_and_link_then_download),
		cmocka_unit_test(download_rights),
		cmocka_unit_test(executable_named_pdf_refused),
		cmocka_unit_test(empty_file_refused),
		cmocka_unit_test(over_the_kind_limit_refused),
		cmocka_unit_test(script_in_title_is_text),
		cmocka_unit_test(links_and_fields_checked),
		cmocka_unit_test(reorder_and_remove),
		cmocka_unit_test(csrf_comes_from_the_body_before_the_file),
		cmocka_unit_test(long_part_header_has_its_own_message),
		cmocka_unit_test(file_names_with_control_characters_refused),
		cmocka_unit_test(stored_bytes_quota_at_its_boundary),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
