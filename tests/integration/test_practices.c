/* cousiSTORE practices through nginx: the field rules (forms and API
 * alike), hostile input, visibility of unpublished practices, the
 * workflow and its roles, versions, search without accents, the OpenAPI
 * description, and a second app process seeing a publication within 1 s.
 * Each test makes its own accounts; practices carry a marker word unique
 * to the run so that searches find only them. */
#include <stdarg.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "support.h"
#include "web/router.h"

static const char PASSWORD[] = "phrase de passe des tests de pratiques";

/* A word no other run uses, for titles and searches. */
static char marker[32];

struct account {
	char *email;
	char *id;
	char *token; /* API bearer token */
	struct sess *s;
};

/* Makes an account (role NULL: a plain agent), signed in, with a token. */
static void account_new(struct account *a, const char *tag, const char *role)
{
	a->email = unique_email(tag);
	assert_int_equal(cli_user_add(a->email, "Camille Testeuse", role, PASSWORD), 0);
	a->s = sess_new();
	assert_int_equal(sess_login(a->s, a->email, PASSWORD), 303);
	a->token = cli_token_create(a->email, "tests");
	assert_non_null(a->token);
	struct http_reply r;
	assert_int_equal(sess_get(a->s, "/api/v1/me", &r), 0);
	json_t *me = json_loads(r.body, 0, NULL);
	a->id = strdup(json_string_value(json_object_get(me, "id")));
	json_decref(me);
	http_reply_free(&r);
}

static void account_free(struct account *a)
{
	sess_free(a->s);
	free(a->email);
	free(a->id);
	free(a->token);
}

/* Sends an API request as a (NULL: anonymous) with body (may be NULL);
 * returns the status and, when out is not NULL, the parsed answer. */
static long api(const struct account *a, const char *method, const char *path, const json_t *body,
		json_t **out)
{
	return api_json(a ? a->token : NULL, method, path, body, out);
}

/* Returns a valid practice whose title holds the run's marker. */
static json_t *valid_practice(const char *title)
{
	return json_pack(
		"{s:s+, s:s, s:s, s:s, s:s, s:[s], s:[s], s:[s, s], s:s, s:s, s:s}", "title", title,
		marker, "summary",
		"Un guide et des ateliers pour accueillir les nouveaux arrivants.", "problem",
		"Les nouveaux arrivants se sentent perdus les premières semaines.", "description",
		"Un **parcours** en trois étapes :\n\n- accueil ;\n- binôme ;\n- bilan.", "results",
		"Moins de départs pendant la période d'essai.", "organisation_ids", "caf-31",
		"branches", "famille", "themes", "recrutement-integration", "rgpd", "public",
		"Nouveaux salariés", "maturity", "deployee", "contact",
		"Camille Testeuse, service RH");
}

/* Returns the fields of practice p as an urlencoded form with token csrf
 * (heap); list members repeat their name. */
static char *form_body(const json_t *p, const char *csrf)
{
	char *body;
	size_t len;
	FILE *f = open_memstream(&body, &len);
	fprintf(f, "csrf=%s", csrf);
	const char *key;
	json_t *value;
	json_object_foreach((json_t *)p, key, value) {
		json_t *items = json_is_array(value) ? value : NULL, *item;
		size_t i;
		if (!items) {
			char *v = url_escape(json_string_value(value));
			fprintf(f, "&%s=%s", key, v);
			free(v);
		}
		json_array_foreach(items, i, item) {
			char *v = url_escape(json_string_value(item));
			fprintf(f, "&%s=%s", key, v);
			free(v);
		}
	}
	fclose(f);
	return body;
}

/* POSTs practice p as the form at path for a. Fills r. */
static void post_practice(const struct account *a, const char *path, const json_t *p,
			  struct http_reply *r)
{
	char *csrf = sess_csrf(a->s, "/pratiques/nouvelle");
	assert_non_null(csrf);
	char *body = form_body(p, csrf);
	assert_int_equal(sess_post(a->s, path, body, r), 0);
	free(body);
	free(csrf);
}

/* Returns the version the sheet at slug shows a in its publish form
 * (heap), or NULL when it has none: what a coordinator reviews. */
static char *reviewed_on_page(const struct account *a, const char *slug)
{
	char path[256];
	snprintf(path, sizeof(path), "/pratiques/%s", slug);
	struct http_reply r;
	assert_int_equal(sess_get(a->s, path, &r), 0);
	char *version = r.status == 200 ? html_input_value(r.body, "version") : NULL;
	http_reply_free(&r);
	return version;
}

/* POSTs a workflow form (the csrf field, plus comment when not NULL, and
 * for "publier" the version the sheet shows) for a. Returns the status. */
static long post_action(const struct account *a, const char *slug, const char *action,
			const char *comment)
{
	char path[256];
	snprintf(path, sizeof(path), "/pratiques/%s/%s", slug, action);
	struct http_reply r;
	char *version = strcmp(action, "publier") == 0 ? reviewed_on_page(a, slug) : NULL;
	if (comment)
		sess_post_form(a->s, "/pratiques", path, &r, "comment", comment, NULL);
	else if (version)
		sess_post_form(a->s, "/pratiques", path, &r, "version", version, NULL);
	else
		sess_post_form(a->s, "/pratiques", path, &r, NULL);
	long status = r.status;
	http_reply_free(&r);
	free(version);
	return status;
}

/* A practice created through the API for a test. */
struct practice {
	char *id;
	char *slug;
};

static void practice_new(struct practice *p, const struct account *author, const char *title)
{
	json_t *fields = valid_practice(title), *made;
	assert_int_equal(api(author, "POST", "/api/v1/practices", fields, &made), 201);
	assert_string_equal(json_string_value(json_object_get(made, "status")), "draft");
	p->id = strdup(json_string_value(json_object_get(made, "id")));
	p->slug = strdup(json_string_value(json_object_get(made, "slug")));
	json_decref(made);
	json_decref(fields);
}

static void practice_free(struct practice *p)
{
	free(p->id);
	free(p->slug);
}

/* Returns p's version as the API shows it to a (0 when it shows none). */
static long long version_of(const struct account *a, const struct practice *p)
{
	char path[256];
	json_t *doc = NULL;
	snprintf(path, sizeof(path), "/api/v1/practices/%s", p->id);
	long long v = api(a, "GET", path, NULL, &doc) == 200
			      ? json_integer_value(json_object_get(doc, "version"))
			      : 0;
	json_decref(doc);
	return v;
}

/* Sends POST /api/v1/practices/{id}/{action} as a; returns the status.
 * A publication without a body names the version a reads now. */
static long api_action(const struct account *a, const struct practice *p, const char *action,
		       const json_t *body)
{
	char path[256];
	snprintf(path, sizeof(path), "/api/v1/practices/%s/%s", p->id, action);
	if (body || strcmp(action, "publish") != 0)
		return api(a, "POST", path, body, NULL);
	json_t *reviewed = json_pack("{s:I}", "version", (json_int_t)version_of(a, p));
	long status = api(a, "POST", path, reviewed, NULL);
	json_decref(reviewed);
	return status;
}

/* Returns the status of GET path for a (NULL: anonymous); the body goes
 * to *body (heap) when body is not NULL. */
static long get(const struct account *a, const char *path, char **body)
{
	struct http_reply r;
	if (a)
		assert_int_equal(sess_get(a->s, path, &r), 0);
	else
		assert_int_equal(http_get(path, &r), 0);
	long status = r.status;
	if (body)
		*body = strdup(r.body);
	http_reply_free(&r);
	return status;
}

/* Returns the status of the sheet of p for a. */
static long sheet_status(const struct account *a, const struct practice *p)
{
	char path[256];
	snprintf(path, sizeof(path), "/pratiques/%s", p->slug);
	return get(a, path, NULL);
}

/* Returns how many practices GET /api/v1/practices?q=words finds. */
static long long api_search_total(const char *words)
{
	char *q = url_escape(words), path[512];
	snprintf(path, sizeof(path), "/api/v1/practices?q=%s", q);
	free(q);
	json_t *res;
	assert_int_equal(api(NULL, "GET", path, NULL, &res), 200);
	long long total = json_integer_value(json_object_get(res, "total"));
	json_decref(res);
	return total;
}

/* ---- Field rules ---- */

struct rule_case {
	const char *field;
	const char *patch; /* JSON merged into a valid practice; null removes */
	const char *message;
	bool api_only; /* a value a form cannot send */
};

static const struct rule_case RULES[] = {
	{"title", "{\"title\": null}", "Donnez un titre", false},
	{"title", "{\"title\": \"   \"}", "Donnez un titre", false},
	{"title", NULL, "ne doit pas dépasser 150", false},
	{"summary", "{\"summary\": null}", "Résumez la pratique", false},
	{"summary", NULL, "ne doit pas dépasser 500", false},
	{"problem", "{\"problem\": \"\"}", "Décrivez le problème", false},
	{"description", "{\"description\": \"\"}", "Décrivez la pratique", false},
	{"results", NULL, "ne doit pas dépasser 20000", false},
	{"public", NULL, "ne doit pas dépasser 300", false},
	{"contact", NULL, "ne doit pas dépasser 200", false},
	{"maturity", "{\"maturity\": null}", "Indiquez la maturité", false},
	{"maturity", "{\"maturity\": \"bof\"}", "Choisissez une maturité", false},
	{"organisation_ids", "{\"organisation_ids\": []}", "Indiquez au moins un organisme", false},
	{"organisation_ids", "{\"organisation_ids\": [\"nulle-part\"]}",
	 "Choisissez les organismes dans la liste", false},
	{"organisation_ids", "{\"organisation_ids\": [\"caf-31\", \"caf-31\"]}", "deux fois",
	 false},
	{"themes", "{\"themes\": []}", "Choisissez au moins une thématique", false},
	{"themes", "{\"themes\": [\"astrologie\"]}", "Choisissez les thématiques dans la liste",
	 false},
	{"themes",
	 "{\"themes\": [\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\",\"j\",\"k\","
	 "\"l\",\"m\",\"n\",\"o\",\"p\",\"q\",\"r\",\"s\",\"t\",\"u\"]}",
	 "au plus 20", false},
	{"branches", "{\"branches\": [\"spatiale\"]}", "Choisissez les branches dans la liste",
	 false},
	{"title", "{\"title\": {\"$gt\": \"\"}}", "doit être du texte", true},
	{"organisation_ids", "{\"organisation_ids\": {\"$gt\": \"\"}}", "liste de textes", true},
	{"themes", "{\"themes\": [{\"$ne\": null}]}", "liste de textes", true},
};

/* Returns a string of n times c (heap). */
static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* Returns the valid practice with rule case c applied. */
static json_t *apply_case(const struct rule_case *c)
{
	json_t *p = valid_practice("Règle ");
	if (c->patch) {
		json_t *patch = json_loads(c->patch, 0, NULL);
		assert_non_null(patch);
		const char *key;
		json_t *value;
		json_object_foreach(patch, key, value) {
			if (json_is_null(value))
				json_object_del(p, key);
			else
				json_object_set(p, key, value);
		}
		json_decref(patch);
		return p;
	}
	/* Lengths: one character over the limit named in the message. */
	size_t limit = strtoul(strrchr(c->message, ' ') + 1, NULL, 10);
	char *text = repeat('e', limit + 1);
	json_object_set_new(p, c->field, json_string(text));
	free(text);
	return p;
}

static void every_rule_answers_422_with_its_field_error(void **state)
{
	(void)state;
	struct account a;
	account_new(&a, "practice-rules", NULL);
	for (size_t i = 0; i < sizeof(RULES) / sizeof(*RULES); i++) {
		const struct rule_case *c = &RULES[i];
		json_t *p = apply_case(c), *res;
		print_message("rule %zu: %s → %s\n", i, c->field, c->message);

		assert_int_equal(api(&a, "POST", "/api/v1/practices", p, &res), 422);
		const char *msg = json_string_value(json_object_get(
			json_object_get(json_object_get(res, "error"), "fields"), c->field));
		assert_non_null(msg);
		assert_non_null(strstr(msg, c->message));
		json_decref(res);

		if (!c->api_only) {
			struct http_reply r;
			post_practice(&a, "/pratiques/nouvelle", p, &r);
			assert_int_equal(r.status, 422);
			char *error = html_field_error(r.body, c->field);
			assert_non_null(error);
			assert_non_null(strstr(error, c->message));
			free(error);
			/* What was typed is kept. */
			if (strcmp(c->field, "contact") != 0) {
				char *kept = html_input_value(r.body, "contact");
				assert_string_equal(kept, "Camille Testeuse, service RH");
				free(kept);
			}
			if (strcmp(c->field, "organisation_ids") != 0)
				assert_chosen(r.body, "organisation_ids", "caf-31");
			http_reply_free(&r);
		}
		json_decref(p);
	}
	char filter[128];
	snprintf(filter, sizeof(filter), "{\"author_id\": \"%s\"}", a.id);
	assert_int_equal(mongo_count("practices", filter), 0);
	account_free(&a);
}

/* The edit form and PUT apply the same rules. */
static void edits_apply_the_same_rules(void **state)
{
	(void)state;
	struct account a;
	account_new(&a, "practice-edit-rules", NULL);
	struct practice p;
	practice_new(&p, &a, "Règles à la modification ");
	json_t *bad = valid_practice("");
	json_object_set_new(bad, "title", json_string(""));
	char path[256];
	snprintf(path, sizeof(path), "/api/v1/practices/%s", p.id);
	assert_int_equal(api(&a, "PUT", path, bad, NULL), 422);
	snprintf(path, sizeof(path), "/pratiques/%s/modifier", p.slug);
	struct http_reply r;
	post_practice(&a, path, bad, &r);
	assert_int_equal(r.status, 422);
	char *error = html_field_error(r.body, "title");
	assert_non_null(error);
	free(error);
	http_reply_free(&r);
	json_decref(bad);
	practice_free(&p);
	account_free(&a);
}

/* ---- Hostile input ---- */

static void script_title_is_text_and_raw_html_is_stripped(void **state)
{
	(void)state;
	struct account a;
	account_new(&a, "practice-hostile", NULL);
	json_t *fields = valid_practice("<script>alert(1)</script> Accueil "), *made;
	json_object_set_new(
		fields, "description",
		json_string("Du **gras** et <img src=x onerror=alert(1)> puis "
			    "<script>alert(2)</script> et [un lien](javascript:alert(3))."));
	assert_int_equal(api(&a, "POST", "/api/v1/practices", fields, &made), 201);
	char path[256];
	snprintf(path, sizeof(path), "/pratiques/%s",
		 json_string_value(json_object_get(made, "slug")));
	char *html;
	assert_int_equal(get(&a, path, &html), 200);
	assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt; Accueil"));
	assert_null(strstr(html, "<script>"));
	assert_non_null(strstr(html, "<strong>gras</strong>"));
	assert_null(strstr(html, "onerror"));
	assert_null(strstr(html, "<img"));
	assert_null(strstr(html, "javascript:"));
	/* The API gives the text back as typed, and safe HTML beside it. */
	const char *rendered = json_string_value(json_object_get(made, "description_html"));
	assert_non_null(strstr(rendered, "<strong>gras</strong>"));
	assert_null(strstr(rendered, "onerror"));
	free(html);
	json_decref(made);
	json_decref(fields);
	account_free(&a);
}

/* ---- Visibility and workflow ---- */

static void foreign_draft_is_invisible(void **state)
{
	(void)state;
	struct account author, other, coord;
	account_new(&author, "practice-author", NULL);
	account_new(&other, "practice-other", NULL);
	account_new(&coord, "practice-coord", "coordinator");
	struct practice p;
	practice_new(&p, &author, "Brouillon secret ");

	assert_int_equal(sheet_status(&author, &p), 200);
	assert_int_equal(sheet_status(&coord, &p), 200);
	assert_int_equal(sheet_status(&other, &p), 404);
	assert_int_equal(sheet_status(NULL, &p), 404);
	char path[256];
	snprintf(path, sizeof(path), "/pratiques/%s/versions", p.slug);
	assert_int_equal(get(&other, path, NULL), 404);
	snprintf(path, sizeof(path), "/pratiques/%s/modifier", p.slug);
	assert_int_equal(get(&other, path, NULL), 404);
	snprintf(path, sizeof(path), "/api/v1/practices/%s", p.id);
	assert_int_equal(api(&other, "GET", path, NULL, NULL), 404);
	assert_int_equal(api(NULL, "GET", path, NULL, NULL), 404);
	json_t *fields = valid_practice("Détourné ");
	assert_int_equal(api(&other, "PUT", path, fields, NULL), 404);
	json_decref(fields);
	assert_int_equal(api_action(&other, &p, "submit", NULL), 404);
	/* The same answer as a practice that does not exist. */
	assert_int_equal(
		api(&other, "GET", "/api/v1/practices/000000000000000000000000", NULL, NULL), 404);

	/* Nor is it found by searching, even by its author. */
	char words[128], *html;
	snprintf(words, sizeof(words), "/recherche?q=brouillon%%20secret%%20%s", marker);
	assert_int_equal(get(&other, words, &html), 200);
	assert_null(strstr(html, p.slug));
	free(html);
	snprintf(words, sizeof(words), "brouillon secret %s", marker);
	assert_int_equal(api_search_total(words), 0);

	practice_free(&p);
	account_free(&coord);
	account_free(&other);
	account_free(&author);
}

static void workflow_follows_the_roles(void **state)
{
	(void)state;
	struct account author, coord;
	account_new(&author, "practice-flow", NULL);
	account_new(&coord, "practice-flow-coord", "coordinator");
	struct practice p;
	practice_new(&p, &author, "Circuit de validation ");

	/* Publishing needs a coordinator, and a submitted practice. */
	assert_int_equal(api_action(&author, &p, "publish", NULL), 403);
	assert_int_equal(post_action(&author, p.slug, "publier", NULL), 403);
	assert_int_equal(api_action(&coord, &p, "publish", NULL), 409);
	assert_int_equal(post_action(&author, p.slug, "soumettre", NULL), 303);

	/* A return needs a comment, which the author then sees. */
	json_t *empty = json_pack("{s:s}", "comment", " "), *res;
	char path[256];
	snprintf(path, sizeof(path), "/api/v1/practices/%s/return", p.id);
	assert_int_equal(api(&coord, "POST", path, empty, &res), 422);
	assert_non_null(json_object_get(json_object_get(json_object_get(res, "error"), "fields"),
					"comment"));
	json_decref(res);
	json_decref(empty);
	struct http_reply r;
	snprintf(path, sizeof(path), "/pratiques/%s/renvoyer", p.slug);
	sess_post_form(coord.s, path, path, &r, "comment", "", NULL);
	assert_int_equal(r.status, 422);
	char *error = html_field_error(r.body, "comment");
	assert_non_null(error);
	free(error);
	http_reply_free(&r);
	assert_int_equal(post_action(&coord, p.slug, "renvoyer",
				     "Ajoutez les résultats chiffrés, s'il vous plaît."),
			 303);
	char *html;
	snprintf(path, sizeof(path), "/pratiques/%s", p.slug);
	assert_int_equal(get(&author, path, &html), 200);
	assert_non_null(strstr(html, "Ajoutez les résultats chiffrés"));
	assert_non_null(strstr(html, "Renvoyée à son auteur"));
	free(html);
	assert_int_equal(get(&author, "/pratiques/mes-pratiques", &html), 200);
	assert_non_null(strstr(html, "Ajoutez les résultats chiffrés"));
	free(html);

	/* Resubmitted, published: everyone sees it; the author edits no more. */
	assert_int_equal(api_action(&author, &p, "submit", NULL), 200);
	assert_int_equal(get(&coord, "/pratiques/a-valider", &html), 200);
	assert_non_null(strstr(html, p.slug));
	free(html);
	assert_int_equal(get(&author, "/pratiques/a-valider", NULL), 403);
	assert_int_equal(post_action(&coord, p.slug, "publier", NULL), 303);
	assert_int_equal(sheet_status(NULL, &p), 200);
	assert_int_equal(api_action(&coord, &p, "publish", NULL), 409);
	json_t *fields = valid_practice("Circuit modifié ");
	snprintf(path, sizeof(path), "/api/v1/practices/%s", p.id);
	assert_int_equal(api(&author, "PUT", path, fields, NULL), 403);
	json_decref(fields);

	/* Archived: out of the catalogue. */
	assert_int_equal(api_action(&author, &p, "archive", NULL), 403);
	assert_int_equal(api_action(&coord, &p, "archive", NULL), 200);
	assert_int_equal(sheet_status(NULL, &p), 404);
	assert_int_equal(sheet_status(&author, &p), 200);

	practice_free(&p);
	account_free(&coord);
	account_free(&author);
}

static void edits_keep_versions(void **state)
{
	(void)state;
	struct account a;
	account_new(&a, "practice-versions", NULL);
	struct practice p;
	practice_new(&p, &a, "Première version ");
	json_t *fields = valid_practice("Deuxième version ");
	char path[256];
	snprintf(path, sizeof(path), "/pratiques/%s/modifier", p.slug);
	struct http_reply r;
	post_practice(&a, path, fields, &r);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	json_decref(fields);

	char *html;
	snprintf(path, sizeof(path), "/pratiques/%s/versions", p.slug);
	assert_int_equal(get(&a, path, &html), 200);
	assert_non_null(strstr(html, "Version 2"));
	assert_non_null(strstr(html, "Version 1"));
	assert_non_null(strstr(html, "Titre"));
	free(html);
	snprintf(path, sizeof(path), "/pratiques/%s/versions/1", p.slug);
	assert_int_equal(get(&a, path, &html), 200);
	assert_non_null(strstr(html, "Première version"));
	free(html);
	snprintf(path, sizeof(path), "/pratiques/%s/versions/9", p.slug);
	assert_int_equal(get(&a, path, NULL), 404);

	json_t *list;
	snprintf(path, sizeof(path), "/api/v1/practices/%s/versions", p.id);
	assert_int_equal(api(&a, "GET", path, NULL, &list), 200);
	json_t *items = json_object_get(list, "items");
	assert_int_equal(json_array_size(items), 2);
	json_t *changed = json_object_get(json_array_get(items, 0), "changed");
	assert_string_equal(json_string_value(json_array_get(changed, 0)), "title");
	json_decref(list);
	practice_free(&p);
	account_free(&a);
}

/* The coordinator publishes what they read: an edit by the author after
 * the review page was loaded makes the publication a 409 until the page
 * is reloaded. */
static void publication_is_of_the_reviewed_version(void **state)
{
	(void)state;
	struct account author, coord;
	account_new(&author, "practice-review", NULL);
	account_new(&coord, "practice-review-coord", "coordinator");
	struct practice p;
	practice_new(&p, &author, "Relue puis changée ");
	assert_int_equal(api_action(&author, &p, "submit", NULL), 200);

	/* The coordinator opens the sheet to review it... */
	char *reviewed = reviewed_on_page(&coord, p.slug);
	assert_non_null(reviewed);
	/* ...meanwhile the author, still allowed to edit, rewrites it. */
	json_t *fields = valid_practice("Relue puis changée ");
	json_object_set_new(fields, "description", json_string("Un texte que personne n’a relu."));
	char path[256];
	snprintf(path, sizeof(path), "/api/v1/practices/%s", p.id);
	assert_int_equal(api(&author, "PUT", path, fields, NULL), 200);
	json_decref(fields);

	/* Publishing what was read is refused, with the reason. */
	snprintf(path, sizeof(path), "/pratiques/%s/publier", p.slug);
	struct http_reply r;
	sess_post_form(coord.s, "/pratiques", path, &r, "version", reviewed, NULL);
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(r.body, "a changé depuis votre relecture"));
	http_reply_free(&r);
	json_t *stale = json_pack("{s:I}", "version", (json_int_t)atoll(reviewed));
	json_t *res = NULL;
	snprintf(path, sizeof(path), "/api/v1/practices/%s/publish", p.id);
	assert_int_equal(api(&coord, "POST", path, stale, &res), 409);
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(res, "error"), "code")),
		"stale_version");
	json_decref(res);
	json_decref(stale);
	/* Naming no version is refused too: the API must say what it read. */
	assert_int_equal(api(&coord, "POST", path, NULL, NULL), 422);
	assert_int_equal(sheet_status(NULL, &p), 404);

	/* Reloaded, read again: published. */
	free(reviewed);
	reviewed = reviewed_on_page(&coord, p.slug);
	assert_non_null(reviewed);
	snprintf(path, sizeof(path), "/pratiques/%s/publier", p.slug);
	sess_post_form(coord.s, "/pratiques", path, &r, "version", reviewed, NULL);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	assert_int_equal(sheet_status(NULL, &p), 200);
	free(reviewed);
	practice_free(&p);
	account_free(&coord);
	account_free(&author);
}

/* ---- Control characters ---- */

/* Returns the message the API gives for field in a 422 answer (borrowed
 * from res), or NULL. */
static const char *field_message(const json_t *res, const char *field)
{
	return json_string_value(
		json_object_get(json_object_get(json_object_get(res, "error"), "fields"), field));
}

/* One-line fields refuse controls, line ends and bidi overrides; the
 * multi-line ones keep line ends and tabs, refuse other controls; the
 * form comes back with what was typed. */
static void control_characters_are_refused_next_to_their_field(void **state)
{
	(void)state;
	struct account a;
	account_new(&a, "practice-controls", NULL);
	static const struct {
		const char *field, *value, *message;
	} bad[] = {
		{"title",
		 "Facture \xE2\x80\xAE"
		 "fdp.exe ",
		 "U+202E"},
		{"title",
		 "Isolat \xE2\x81\xA6"
		 "droite ",
		 "U+2066"},
		{"title", "Deux\nlignes ", "une seule ligne"},
		{"title", "Avec\ttabulation ", "tabulation"},
		{"public", "Agents\x1b[31m", "U+001B"},
		{"contact",
		 "Service\xC2\x9B"
		 "2J",
		 "U+009B"},
		{"summary", "Un résumé\x07 qui sonne.", "U+0007"},
		{"description", "Texte\x1b]0;titre\x07", "U+001B"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		json_t *fields = valid_practice("Contrôles "), *res = NULL;
		json_object_set_new(fields, bad[i].field, json_string(bad[i].value));
		assert_int_equal(api(&a, "POST", "/api/v1/practices", fields, &res), 422);
		const char *m = field_message(res, bad[i].field);
		if (!m || !strstr(m, bad[i].message))
			fail_msg("%s: %s", bad[i].field, m ? m : "no message");
		json_decref(res);
		json_decref(fields);
	}
	/* Lists are one-line texts too. */
	json_t *fields = valid_practice("Contrôles "), *res = NULL;
	json_object_set_new(fields, "themes", json_pack("[s]", "rgpd\x1b"));
	assert_int_equal(api(&a, "POST", "/api/v1/practices", fields, &res), 422);
	assert_non_null(field_message(res, "themes"));
	json_decref(res);
	json_decref(fields);

	/* Paragraphs keep their line ends and tabs, CRLF made LF. */
	fields = valid_practice("Paragraphes ");
	json_object_set_new(fields, "description", json_string("Étapes :\r\n\r\n- un\r\n\t- deux"));
	assert_int_equal(api(&a, "POST", "/api/v1/practices", fields, &res), 201);
	assert_string_equal(json_string_value(json_object_get(res, "description")),
			    "Étapes :\n\n- un\n\t- deux");
	json_decref(res);
	json_decref(fields);

	/* The page: the error next to the field, what was typed kept. */
	fields = valid_practice("Titre\x01invisible ");
	struct http_reply r;
	post_practice(&a, "/pratiques/nouvelle", fields, &r);
	assert_int_equal(r.status, 422);
	char *error = html_field_error(r.body, "title");
	assert_non_null(error);
	assert_non_null(strstr(error, "U+0001"));
	free(error);
	assert_non_null(strstr(r.body, "Un guide et des ateliers pour accueillir"));
	char *kept = html_input_value(r.body, "public");
	assert_non_null(kept);
	assert_string_equal(kept, "Nouveaux salariés");
	free(kept);
	http_reply_free(&r);
	json_decref(fields);
	account_free(&a);
}

/* ---- Quotas ---- */

/* The quota of practices in progress: PRACTICE_QUOTA_DRAFTS (20) are
 * taken, the next one is refused with the reason, on the page with what
 * was typed; one published makes room again. */
static void drafts_quota_at_its_boundary(void **state)
{
	(void)state;
	struct account a, coord;
	account_new(&a, "practice-quota", NULL);
	account_new(&coord, "practice-quota-coord", "coordinator");
	struct practice first;
	practice_new(&first, &a, "Quota numéro 1 ");
	for (int i = 2; i <= 20; i++) {
		char title[64];
		snprintf(title, sizeof(title), "Quota numéro %d ", i);
		json_t *fields = valid_practice(title);
		assert_int_equal(api(&a, "POST", "/api/v1/practices", fields, NULL), 201);
		json_decref(fields);
	}
	json_t *fields = valid_practice("Quota numéro 21 "), *res = NULL;
	assert_int_equal(api(&a, "POST", "/api/v1/practices", fields, &res), 422);
	const char *m = field_message(res, "title");
	assert_non_null(m);
	assert_non_null(strstr(m, "déjà 20 pratiques en cours"));
	json_decref(res);
	struct http_reply r;
	post_practice(&a, "/pratiques/nouvelle", fields, &r);
	assert_int_equal(r.status, 422);
	char *error = html_field_error(r.body, "title");
	assert_non_null(error);
	assert_non_null(strstr(error, "déjà 20 pratiques en cours"));
	free(error);
	char *kept = html_input_value(r.body, "title");
	assert_non_null(kept);
	assert_non_null(strstr(kept, "Quota numéro 21"));
	free(kept);
	http_reply_free(&r);

	/* Submitted, it still counts; published, it leaves the quota. */
	assert_int_equal(api_action(&a, &first, "submit", NULL), 200);
	assert_int_equal(api(&a, "POST", "/api/v1/practices", fields, NULL), 422);
	assert_int_equal(api_action(&coord, &first, "publish", NULL), 200);
	assert_int_equal(api(&a, "POST", "/api/v1/practices", fields, NULL), 201);
	assert_int_equal(api(&a, "POST", "/api/v1/practices", fields, NULL), 422);
	json_decref(fields);
	practice_free(&first);
	account_free(&coord);
	account_free(&a);
}

/* Concurrent creations by one author. */
struct burst {
	const struct account *a;
	long status;
};

static void *create_one(void *arg)
{
	struct burst *b = arg;
	json_t *fields = valid_practice("Rafale ");
	struct http_reply r;
	b->status = api_request(b->a->token, "POST", "/api/v1/practices", fields, &r);
	http_reply_free(&r);
	json_decref(fields);
	return NULL;
}

/* 30 creations at once: exactly 20 are taken, whatever their order. The
 * slots are claimed by unique _ids, so no two requests take the same. */
static void drafts_quota_holds_under_concurrency(void **state)
{
	(void)state;
	enum { N = 30 };
	struct account a;
	account_new(&a, "practice-burst", NULL);
	struct burst b[N];
	pthread_t t[N];
	for (int i = 0; i < N; i++) {
		b[i] = (struct burst){&a, 0};
		assert_int_equal(pthread_create(&t[i], NULL, create_one, &b[i]), 0);
	}
	int created = 0, refused = 0;
	for (int i = 0; i < N; i++) {
		pthread_join(t[i], NULL);
		created += b[i].status == 201;
		refused += b[i].status == 422;
	}
	assert_int_equal(created, 20);
	assert_int_equal(refused, N - 20);
	char filter[128];
	snprintf(filter, sizeof(filter), "{\"author_id\": \"%s\"}", a.id);
	assert_int_equal(mongo_count("practices", filter), 20);
	account_free(&a);
}

/* ---- Search ---- */

/* Creates, submits and publishes a practice titled title. */
static void publish_new(struct practice *p, const struct account *author,
			const struct account *coord, const char *title)
{
	practice_new(p, author, title);
	assert_int_equal(api_action(author, p, "submit", NULL), 200);
	assert_int_equal(api_action(coord, p, "publish", NULL), 200);
}

static void search_without_accents_finds_a_published_practice(void **state)
{
	(void)state;
	struct account author, coord;
	account_new(&author, "practice-search", NULL);
	account_new(&coord, "practice-search-coord", "coordinator");
	char words[128];
	snprintf(words, sizeof(words), "teletravail apaise %s", marker);
	struct practice p;
	practice_new(&p, &author, "Télétravail apaisé ");
	assert_int_equal(api_search_total(words), 0);
	assert_int_equal(api_action(&author, &p, "submit", NULL), 200);
	assert_int_equal(api_action(&coord, &p, "publish", NULL), 200);
	assert_int_equal(api_search_total(words), 1);

	/* The page: last word as a prefix, facets as links keeping the query. */
	char path[256], *html;
	snprintf(path, sizeof(path), "/recherche?q=%s%%20TELETRAV", marker);
	assert_int_equal(get(NULL, path, &html), 200);
	assert_non_null(strstr(html, p.slug));
	assert_non_null(strstr(html, "1 pratique"));
	char link[256];
	snprintf(link, sizeof(link), "href=\"/recherche?q=%s%%20TELETRAV&amp;theme=rgpd\"", marker);
	assert_non_null(strstr(html, link));
	free(html);

	json_t *res;
	snprintf(path, sizeof(path), "/api/v1/practices?q=%s&theme=rgpd&maturity=deployee", marker);
	assert_int_equal(api(NULL, "GET", path, NULL, &res), 200);
	assert_int_equal(json_integer_value(json_object_get(res, "total")), 1);
	json_t *item = json_array_get(json_object_get(res, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(item, "id")), p.id);
	json_t *regions = json_object_get(json_object_get(res, "facets"), "region");
	assert_true(json_array_size(regions) >= 1);
	json_decref(res);
	snprintf(path, sizeof(path), "/api/v1/practices?q=%s&theme=communication", marker);
	assert_int_equal(api(NULL, "GET", path, NULL, &res), 200);
	assert_int_equal(json_integer_value(json_object_get(res, "total")), 0);
	json_decref(res);

	/* Its theme and organisation names are words of it; plurals too. */
	snprintf(words, sizeof(words), "rgpd caf haute-garonne %s", marker);
	assert_int_equal(api_search_total(words), 1);
	snprintf(words, sizeof(words), "teletravails apaises %s", marker);
	assert_int_equal(api_search_total(words), 1);

	/* A typo: the closest words' practices, and the corrected query. */
	snprintf(path, sizeof(path), "/recherche?q=%s%%20T%%C3%%A9l%%C3%%A9travial", marker);
	assert_int_equal(get(NULL, path, &html), 200);
	assert_non_null(strstr(html, p.slug));
	snprintf(link, sizeof(link), "Essayez\u202f: <a href=\"/recherche?q=%s%%20teletravail\">",
		 marker);
	assert_non_null(strstr(html, link));
	free(html);
	snprintf(path, sizeof(path), "/api/v1/practices?q=%s%%20teletravial", marker);
	assert_int_equal(api(NULL, "GET", path, NULL, &res), 200);
	assert_int_equal(json_integer_value(json_object_get(res, "total")), 1);
	snprintf(words, sizeof(words), "%s teletravail", marker);
	assert_string_equal(json_string_value(json_object_get(res, "suggestion")), words);
	assert_string_equal(json_string_value(json_object_get(res, "sort")), "relevance");
	json_decref(res);

	/* Without words: newest first, and the page says so. */
	assert_int_equal(api(NULL, "GET", "/api/v1/practices", NULL, &res), 200);
	assert_string_equal(json_string_value(json_object_get(res, "sort")), "newest");
	json_decref(res);
	assert_int_equal(get(NULL, "/pratiques", &html), 200);
	assert_non_null(
		strstr(html, "<a href=\"/pratiques\" aria-current=\"true\">Plus récentes</a>"));
	assert_null(strstr(html, "Pertinence"));
	free(html);
	snprintf(path, sizeof(path), "/recherche?q=%s", marker);
	assert_int_equal(get(NULL, path, &html), 200);
	assert_non_null(strstr(html, "aria-current=\"true\">Pertinence</a>"));
	free(html);

	practice_free(&p);
	account_free(&coord);
	account_free(&author);
}

/* A second app process, whose catalogue is loaded before the publication
 * through nginx, finds the practice within a second. */
static void another_process_sees_a_publication_within_a_second(void **state)
{
	(void)state;
	struct account author, coord;
	account_new(&author, "practice-peer", NULL);
	account_new(&coord, "practice-peer-coord", "coordinator");
	struct fcgi_app peer;
	assert_int_equal(fcgi_start(&peer, "practices-peer", NULL), 0);
	char uri[256];
	snprintf(uri, sizeof(uri), "/api/v1/practices?q=pair%%20%s", marker);
	struct http_reply r;
	assert_int_equal(fcgi_request(&peer, "GET", uri, NULL, NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"total\":0"));
	http_reply_free(&r);

	struct practice p;
	publish_new(&p, &author, &coord, "Pair ");
	long long published = now_ms(), seen = -1;
	while (seen < 0 && now_ms() - published < 3000) {
		assert_int_equal(fcgi_request(&peer, "GET", uri, NULL, NULL, NULL, 0, &r), 0);
		if (strstr(r.body, "\"total\":1"))
			seen = now_ms() - published;
		http_reply_free(&r);
		usleep(20 * 1000);
	}
	print_message("the second process saw the publication after %lld ms\n", seen);
	assert_true(seen >= 0 && seen <= 1000);
	assert_int_equal(fcgi_stop(&peer), 0);
	practice_free(&p);
	account_free(&coord);
	account_free(&author);
}

/* ---- API description ---- */

/* Returns pattern with every {name} written {} (heap), so that parameter
 * names need not match. */
static char *shape(const char *pattern)
{
	char *out = strdup(pattern), *o = out;
	for (const char *p = pattern; *p; p++) {
		*o++ = *p;
		if (*p == '{')
			p = strchr(p, '}') - 1;
	}
	*o = '\0';
	return out;
}

static void openapi_describes_every_api_route(void **state)
{
	(void)state;
	json_t *doc;
	assert_int_equal(api(NULL, "GET", "/api/v1/openapi.json", NULL, &doc), 200);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.0.3");
	json_t *paths = json_object_get(doc, "paths");
	size_t failed = 0;
	for (size_t i = 0; i < ROUTES_COUNT; i++) {
		if (strncmp(ROUTES[i].pattern, "/api/", 5) != 0)
			continue;
		char *want = shape(ROUTES[i].pattern), method[8];
		bool found = false;
		snprintf(method, sizeof(method), "%s", ROUTES[i].method);
		for (char *m = method; *m; m++)
			*m = (char)(*m - 'A' + 'a');
		const char *path;
		json_t *item;
		json_object_foreach(paths, path, item) {
			char *have = shape(path);
			found |= strcmp(have, want) == 0 && json_object_get(item, method);
			free(have);
		}
		if (!found) {
			print_error("not in openapi.json: %s %s\n", ROUTES[i].method,
				    ROUTES[i].pattern);
			failed++;
		}
		free(want);
	}
	json_decref(doc);
	assert_int_equal(failed, 0);
}

int main(void)
{
	snprintf(marker, sizeof(marker), "zq%dx%lld", (int)getpid(), now_ms() % 100000);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_rule_answers_422_with_its_field_error),
		cmocka_unit_test(edits_apply_the_same_rules),
		cmocka_unit_test(script_title_is_text_and_raw_html_is_stripped),
		cmocka_unit_test(foreign_draft_is_invisible),
		cmocka_unit_test(workflow_follows_the_roles),
		cmocka_unit_test(edits_keep_versions),
		cmocka_unit_test(search_without_accents_finds_a_published_practice),
		cmocka_unit_test(another_process_sees_a_publication_within_a_second),
		cmocka_unit_test(control_characters_are_refused_next_to_their_field),
		cmocka_unit_test(drafts_quota_holds_under_concurrency),
		/* After the search: they publish practices with the marker. */
		cmocka_unit_test(drafts_quota_at_its_boundary),
		cmocka_unit_test(publication_is_of_the_reviewed_version),
		cmocka_unit_test(openapi_describes_every_api_route),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
