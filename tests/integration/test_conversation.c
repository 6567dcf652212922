/* The conversation, the daily digest, the Atom feeds and the CSV export,
 * through nginx: threads one level deep, the edit window, hiding with a
 * reason in the audit log, exactly one digest a day, feeds that parse,
 * an export that spreadsheets open safely, and sheets that anonymous
 * visitors share from the page cache yet see fresh. Practices go through the
 * real workflow (API create, submit, publish). */
#include <mongoc/mongoc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

static const char PASSWORD[] = "phrase de passe des tests de conversation";
static const char THEME[] = "rgpd";

struct account {
	char *email, *id, *token;
};

/* Makes an active account (role NULL: agent) with an API token. */
static void account_new(struct account *a, const char *tag, const char *role)
{
	a->email = unique_email(tag);
	char name[64];
	snprintf(name, sizeof(name), "Conversation %s", tag);
	assert_int_equal(cli_user_add(a->email, name, role, PASSWORD), 0);
	a->token = cli_token_create(a->email, "itest conversation");
	assert_non_null(a->token);
	a->id = NULL;
}

static void account_free(struct account *a)
{
	free(a->email);
	free(a->id);
	free(a->token);
}

/* Sends method path with a's token (a NULL: anonymous) and a JSON body
 * (may be NULL). Returns the status; *out gets the body (heap) when out
 * is not NULL. */
static long api(const struct account *a, const char *method, const char *path, const json_t *body,
		char **out)
{
	struct http_reply r;
	long status = api_request(a ? a->token : NULL, method, path, body, &r);
	if (out) {
		*out = r.body;
		r.body = NULL;
	}
	http_reply_free(&r);
	return status;
}

/* Like api, and parses the JSON answer into *out. */
static long api_parsed(const struct account *a, const char *method, const char *path,
		       const json_t *body, json_t **out)
{
	char *text;
	long status = api(a, method, path, body, &text);
	*out = json_loads(text, 0, NULL);
	if (!*out)
		fprintf(stderr, "%s %s: %ld %s\n", method, path, status, text);
	free(text);
	return status;
}

/* Fills a->id from GET /api/v1/me. */
static void account_id(struct account *a)
{
	json_t *me;
	assert_int_equal(api_parsed(a, "GET", "/api/v1/me", NULL, &me), 200);
	a->id = strdup(json_string_value(json_object_get(me, "id")));
	json_decref(me);
}

struct practice {
	char *id, *slug;
};

/* Creates practice title with summary by author and publishes it. */
static void practice_publish(struct practice *p, const struct account *author,
			     const struct account *coordinator, const char *title,
			     const char *summary)
{
	json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:s, s:[s], s:[s], s:[s], s:s, s:s,"
			       " s:s}",
			       "title", title, "summary", summary, "problem",
			       "Les demandes d'accès aux données traînent.", "description",
			       "Un **registre** partagé.", "results", "", "organisation_ids",
			       "caf-31", "branches", "famille", "themes", THEME, "public",
			       "Délégués à la protection des données", "maturity", "deployee",
			       "contact", "");
	json_t *out;
	assert_int_equal(api_parsed(author, "POST", "/api/v1/practices", in, &out), 201);
	p->id = strdup(json_string_value(json_object_get(out, "id")));
	p->slug = strdup(json_string_value(json_object_get(out, "slug")));
	json_decref(out);
	json_decref(in);
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/practices/%s/submit", p->id);
	assert_int_equal(api_parsed(author, "POST", path, NULL, &out), 200);
	/* The coordinator publishes the version just submitted. */
	json_t *reviewed = json_pack("{s:O}", "version", json_object_get(out, "version"));
	json_decref(out);
	snprintf(path, sizeof(path), "/api/v1/practices/%s/publish", p->id);
	assert_int_equal(api(coordinator, "POST", path, reviewed, NULL), 200);
	json_decref(reviewed);
}

static void practice_free(struct practice *p)
{
	free(p->id);
	free(p->slug);
}

/* Posts a comment on p as a. Returns the status; *out the answer. */
static long comment(const struct account *a, const struct practice *p, const char *kind,
		    const char *body, const char *parent, json_t **out)
{
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/practices/%s/comments", p->id);
	json_t *in = json_pack("{s:s?, s:s, s:s?}", "kind", kind, "body", body, "parent_id",
			       parent);
	long status = api_parsed(a, "POST", path, in, out);
	json_decref(in);
	return status;
}

/* Returns the id of a new comment of a on p (heap). */
static char *comment_id(const struct account *a, const struct practice *p, const char *body,
			const char *parent)
{
	json_t *out;
	assert_int_equal(comment(a, p, "comment", body, parent, &out), 201);
	char *id = strdup(json_string_value(json_object_get(out, "id")));
	json_decref(out);
	return id;
}

/* Returns the text of field's error in a 422 answer, or "". Borrowed. */
static const char *field_error(const json_t *answer, const char *field)
{
	const json_t *e = json_object_get(
		json_object_get(json_object_get(answer, "error"), "fields"), field);
	return json_is_string(e) ? json_string_value(e) : "";
}

static struct account author, reader, coordinator, admin;
static struct practice practice;

static int setup(void **state)
{
	(void)state;
	account_new(&author, "conv-author", NULL);
	account_new(&reader, "conv-reader", NULL);
	account_new(&coordinator, "conv-coord", "coordinator");
	account_new(&admin, "conv-admin", "admin");
	account_id(&author);
	account_id(&reader);
	char title[96];
	snprintf(title, sizeof(title), "Registre RGPD partagé %ld", (long)getpid());
	practice_publish(&practice, &author, &coordinator, title, "Un registre commun.");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	practice_free(&practice);
	account_free(&author);
	account_free(&reader);
	account_free(&coordinator);
	account_free(&admin);
	return 0;
}

static void replies_attach_one_level_deep(void **state)
{
	(void)state;
	char *top = comment_id(&reader, &practice, "Quel outil utilisez-vous ?", NULL);
	char *reply = comment_id(&author, &practice, "Un tableur partagé.", top);
	json_t *out;
	/* A reply to a reply joins the top-level comment's thread. */
	assert_int_equal(comment(&reader, &practice, NULL, "Merci !", reply, &out), 201);
	assert_string_equal(json_string_value(json_object_get(out, "parent_id")), top);
	json_decref(out);

	char path[160];
	snprintf(path, sizeof(path), "/api/v1/practices/%s/comments", practice.id);
	assert_int_equal(api_parsed(NULL, "GET", path, NULL, &out), 200);
	json_t *thread = NULL, *item;
	size_t i;
	json_array_foreach(json_object_get(out, "items"), i, item)
		if (strcmp(json_string_value(json_object_get(item, "id")), top) == 0)
			thread = item;
	assert_non_null(thread);
	json_t *replies = json_object_get(thread, "replies");
	assert_int_equal(json_array_size(replies), 2);
	json_array_foreach(replies, i, item)
		assert_int_equal(json_array_size(json_object_get(item, "replies")), 0);
	json_decref(out);

	/* The sheet shows them, escaped, with their line breaks. */
	char *html;
	assert_int_equal(
		comment(&reader, &practice, "question", "<b>gras</b>\r\nligne 2", NULL, &out), 201);
	json_decref(out);
	snprintf(path, sizeof(path), "/pratiques/%s", practice.slug);
	assert_int_equal(api(NULL, "GET", path, NULL, &html), 200);
	assert_non_null(strstr(html, "&lt;b&gt;gras&lt;/b&gt;\nligne 2"));
	assert_non_null(strstr(html, "Quel outil utilisez-vous ?"));
	free(html);
	free(reply);
	free(top);
}

static void comments_follow_the_rules(void **state)
{
	(void)state;
	json_t *out;
	assert_int_equal(comment(&reader, &practice, "avis", "Texte", NULL, &out), 422);
	assert_non_null(strstr(field_error(out, "kind"), "Question"));
	json_decref(out);
	assert_int_equal(comment(&reader, &practice, NULL, "   ", NULL, &out), 422);
	assert_string_equal(field_error(out, "body"), "Ce champ est obligatoire.");
	json_decref(out);
	char *long_body = malloc(4002);
	memset(long_body, 'a', 4001);
	long_body[4001] = '\0';
	assert_int_equal(comment(&reader, &practice, NULL, long_body, NULL, &out), 422);
	assert_non_null(strstr(field_error(out, "body"), "4000"));
	json_decref(out);
	long_body[4000] = '\0';
	assert_int_equal(comment(&reader, &practice, NULL, long_body, NULL, &out), 201);
	json_decref(out);
	free(long_body);
	assert_int_equal(
		comment(&reader, &practice, NULL, "Réponse", "ffffffffffffffffffffffff", &out),
		422);
	assert_non_null(strstr(field_error(out, "parent_id"), "n’existe pas"));
	json_decref(out);
	/* Anonymous: refused; a draft: no conversation. */
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/practices/%s/comments", practice.id);
	json_t *in = json_pack("{s:s}", "body", "Bonjour");
	assert_int_equal(api(NULL, "POST", path, in, NULL), 401);
	json_t *draft_in = json_pack("{s:s, s:s, s:s, s:s, s:[s], s:[s], s:s}", "title",
				     "Brouillon de conversation", "summary", "Résumé", "problem",
				     "Problème", "description", "Description", "organisation_ids",
				     "caf-31", "themes", THEME, "maturity", "idee");
	assert_int_equal(api_parsed(&author, "POST", "/api/v1/practices", draft_in, &out), 201);
	snprintf(path, sizeof(path), "/api/v1/practices/%s/comments",
		 json_string_value(json_object_get(out, "id")));
	assert_int_equal(api(&author, "POST", path, in, NULL), 404);
	json_decref(out);
	json_decref(draft_in);
	json_decref(in);
}

/* Sets comment id's creation date to minutes ago, straight in the
 * database. */
static void age_comment(const char *id, int minutes)
{
	mongoc_client_t *c = mongoc_client_new(test_db_uri());
	mongoc_collection_t *comments = mongoc_client_get_collection(c, "cousilab", "comments");
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(id));
	int64_t at = ((int64_t)time(NULL) - minutes * 60) * 1000;
	bson_t *update = BCON_NEW("$set", "{", "created_at", BCON_DATE_TIME(at), "}");
	bson_error_t error;
	assert_true(mongoc_collection_update_one(comments, filter, update, NULL, NULL, &error));
	bson_destroy(update);
	bson_destroy(filter);
	mongoc_collection_destroy(comments);
	mongoc_client_destroy(c);
}

static void authors_edit_within_the_window(void **state)
{
	(void)state;
	char *id = comment_id(&reader, &practice, "Premier jet", NULL);
	char path[200];
	snprintf(path, sizeof(path), "/api/v1/practices/%s/comments/%s", practice.id, id);
	json_t *in = json_pack("{s:s}", "body", "Version corrigée"), *out;
	assert_int_equal(api(&author, "PUT", path, in, NULL), 403);
	assert_int_equal(api_parsed(&reader, "PUT", path, in, &out), 200);
	assert_true(json_is_true(json_object_get(out, "edited")));
	assert_string_equal(json_string_value(json_object_get(out, "body")), "Version corrigée");
	json_decref(out);
	char *html;
	char sheet[160];
	snprintf(sheet, sizeof(sheet), "/pratiques/%s", practice.slug);
	assert_int_equal(api(NULL, "GET", sheet, NULL, &html), 200);
	assert_non_null(strstr(html, "(modifié)"));
	free(html);

	age_comment(id, 16);
	assert_int_equal(api_parsed(&reader, "PUT", path, in, &out), 422);
	assert_non_null(strstr(field_error(out, "body"), "délai de modification"));
	json_decref(out);
	json_decref(in);
	free(id);
}

static void coordinators_hide_with_a_logged_reason(void **state)
{
	(void)state;
	char *id = comment_id(&reader, &practice, "Mon numéro : 06 12 34 56 78", NULL);
	char path[200];
	snprintf(path, sizeof(path), "/api/v1/practices/%s/comments/%s/hide", practice.id, id);
	json_t *in = json_pack("{s:s}", "reason", ""), *out;
	assert_int_equal(api(&reader, "POST", path, in, NULL), 403);
	assert_int_equal(api_parsed(&coordinator, "POST", path, in, &out), 422);
	assert_string_equal(field_error(out, "reason"), "Ce champ est obligatoire.");
	json_decref(out);
	json_decref(in);
	in = json_pack("{s:s}", "reason", "Données personnelles publiées");
	assert_int_equal(api(&coordinator, "POST", path, in, NULL), 200);
	json_decref(in);

	char sheet[160], *html;
	snprintf(sheet, sizeof(sheet), "/pratiques/%s", practice.slug);
	assert_int_equal(api(NULL, "GET", sheet, NULL, &html), 200);
	assert_non_null(strstr(html, "Commentaire masqué par la coordination"));
	assert_null(strstr(html, "06 12 34 56 78"));
	free(html);
	assert_int_equal(api(&coordinator, "GET", sheet, NULL, &html), 200);
	assert_non_null(strstr(html, "06 12 34 56 78"));
	assert_non_null(strstr(html, "Données personnelles publiées"));
	free(html);

	struct sess *s = sess_new();
	assert_int_equal(sess_login(s, admin.email, PASSWORD), 303);
	char journal[200];
	snprintf(journal, sizeof(journal), "/admin/journal?cible=%s", id);
	struct http_reply r;
	assert_int_equal(sess_get(s, journal, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "comment.hide"));
	assert_non_null(strstr(r.body, "Données personnelles publiées"));
	http_reply_free(&r);
	sess_free(s);
	free(id);
}

/* Returns how many digest mails the sink holds for email, once the
 * first arrived (or 0 after 10 s) and a little more time passed. */
static int digests_received(const char *email)
{
	long long start = now_ms();
	while (maildir_count(email) == 0 && now_ms() - start < 10000)
		usleep(100 * 1000);
	usleep(1500 * 1000);
	return maildir_count(email);
}

static void followers_get_one_digest_a_day(void **state)
{
	(void)state;
	struct account follower;
	account_new(&follower, "conv-follower", NULL);
	account_id(&follower);
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/practices/%s/follow", practice.id);
	assert_int_equal(api(&follower, "PUT", path, NULL, NULL), 200);
	assert_int_equal(api(&follower, "PUT", path, NULL, NULL), 200);
	char *id = comment_id(&reader, &practice, "Nouvelle question pour les abonnés", NULL);
	const char *args[] = {"digest", "--now", NULL};
	assert_int_equal(cli_run(args, NULL, NULL), 0);
	assert_int_equal(cli_run(args, NULL, NULL), 0);
	assert_int_equal(digests_received(follower.email), 1);
	char filter[128];
	snprintf(filter, sizeof(filter), "{\"user_id\": \"%s\"}", follower.id);
	assert_int_equal(mongo_count("digests", filter), 1);
	/* Unfollowing works; the reader, who wrote the comment and follows
	 * nothing, got none. */
	assert_int_equal(api(&follower, "DELETE", path, NULL, NULL), 200);
	assert_int_equal(maildir_count(reader.email), 0);
	free(id);
	account_free(&follower);
}

/* Returns true when xml is well-formed as far as a feed needs: one root,
 * balanced tags, quoted attributes, only predefined or numeric entities,
 * no stray '<' or '&'. */
static bool well_formed(const char *xml)
{
	const char *stack[32];
	size_t depth = 0, roots = 0;
	const char *p = strncmp(xml, "<?xml", 5) == 0 ? strstr(xml, "?>") + 2 : xml;
	while (*p) {
		if (*p == '&') {
			size_t n = strspn(p + 1, "#xabcdefghijklmnopqrstuvwyzABCDEF0123456789");
			if (p[1 + n] != ';' || !n)
				return false;
			if (p[1] != '#' && strncmp(p, "&amp;", 5) && strncmp(p, "&lt;", 4) &&
			    strncmp(p, "&gt;", 4) && strncmp(p, "&quot;", 6) &&
			    strncmp(p, "&apos;", 6))
				return false;
			p += n + 2;
		} else if (*p == '<') {
			bool closing = p[1] == '/';
			const char *name = p + 1 + closing;
			size_t len = strcspn(name, " \t\n/>");
			const char *end = name + len;
			char quote = 0;
			for (; *end && (quote || *end != '>'); end++) {
				if (quote && *end == '<')
					return false;
				if (*end == '"' || *end == '\'')
					quote = quote == *end ? 0 : quote ? quote : *end;
			}
			if (!*end || !len)
				return false;
			bool empty = end[-1] == '/';
			if (closing) {
				if (!depth || strncmp(stack[depth - 1], name, len) ||
				    strcspn(stack[depth - 1], " \t\n/>") != len)
					return false;
				depth--;
			} else if (!empty) {
				if (depth == 32)
					return false;
				roots += depth == 0;
				stack[depth++] = name;
			} else {
				roots += depth == 0;
			}
			p = end + 1;
		} else {
			if (!depth && !strchr(" \t\r\n", *p))
				return false;
			p++;
		}
	}
	return depth == 0 && roots == 1;
}

static void feeds_are_atom_and_parse(void **state)
{
	(void)state;
	assert_true(well_formed("<?xml version=\"1.0\"?>\n<a x=\"1\"><b/>&amp;&#233;</a>\n"));
	assert_false(well_formed("<a><b></a></b>"));
	assert_false(well_formed("<a>&nbsp;</a>"));
	assert_false(well_formed("<a>x < y</a>"));

	struct practice tricky;
	char title[128];
	snprintf(title, sizeof(title), "Flux & <outils> \"RH\" %ld", (long)getpid());
	practice_publish(&tricky, &author, &coordinator, title, "Résumé avec contrôle");
	char *xml;
	struct sess *s = sess_new();
	struct http_reply r;
	assert_int_equal(sess_get(s, "/pratiques/flux.atom", &r), 0);
	assert_int_equal(r.status, 200);
	char *ctype = http_header(&r, "Content-Type");
	assert_non_null(strstr(ctype, "application/atom+xml"));
	free(ctype);
	xml = r.body;
	assert_true(well_formed(xml));
	assert_non_null(strstr(xml, "<feed xmlns=\"http://www.w3.org/2005/Atom\""));
	char want[160];
	snprintf(want, sizeof(want), "Flux &amp; &lt;outils&gt; &quot;RH&quot; %ld",
		 (long)getpid());
	assert_non_null(strstr(xml, want));
	snprintf(want, sizeof(want), "/pratiques/%s\"/>", tricky.slug);
	assert_non_null(strstr(xml, want));
	assert_non_null(strstr(xml, "Résumé avec contrôle"));
	assert_non_null(strstr(xml, "<updated>20"));
	http_reply_free(&r);

	char path[128];
	snprintf(path, sizeof(path), "/clubs/%s/flux.atom", THEME);
	assert_int_equal(sess_get(s, path, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(well_formed(r.body));
	assert_non_null(strstr(r.body, tricky.slug));
	http_reply_free(&r);
	assert_int_equal(sess_get(s, "/clubs/formation/flux.atom", &r), 0);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, tricky.slug));
	http_reply_free(&r);
	assert_int_equal(sess_get(s, "/clubs/pas-un-theme/flux.atom", &r), 0);
	assert_int_equal(r.status, 404);
	http_reply_free(&r);
	sess_free(s);
	practice_free(&tricky);
}

static void csv_export_opens_safely_in_a_spreadsheet(void **state)
{
	(void)state;
	struct practice p;
	char title[128];
	snprintf(title, sizeof(title), "Export %ld ; \"guillemets\"", (long)getpid());
	practice_publish(&p, &author, &coordinator, title,
			 "=HYPERLINK(\"http://exemple.invalid\")\nsur deux lignes");
	assert_int_equal(api(NULL, "GET", "/pratiques/export.csv", NULL, NULL), 302);
	assert_int_equal(api(&reader, "GET", "/pratiques/export.csv", NULL, NULL), 403);
	char *csv;
	assert_int_equal(api(&coordinator, "GET", "/pratiques/export.csv", NULL, &csv), 200);
	assert_memory_equal(csv, "\xEF\xBB\xBF\"Identifiant\";", 17);
	char want[256];
	snprintf(want, sizeof(want), "\"Export %ld ; \"\"guillemets\"\"\"", (long)getpid());
	assert_non_null(strstr(csv, want));
	assert_non_null(strstr(csv, "\"'=HYPERLINK(\"\"http://exemple.invalid\"\")\n"
				    "sur deux lignes\""));
	assert_non_null(strstr(csv, "\"Publiée\""));
	assert_non_null(strstr(csv, "\r\n"));
	free(csv);
	practice_free(&p);
}

/* Returns the status of an anonymous GET of the practice's sheet through
 * peer (NULL: nginx); *html gets the body (heap). */
static long anonymous_sheet(const struct fcgi_app *peer, char **html)
{
	char path[160];
	snprintf(path, sizeof(path), "/pratiques/%s", practice.slug);
	if (!peer)
		return api(NULL, "GET", path, NULL, html);
	struct http_reply r;
	assert_int_equal(fcgi_request(peer, "GET", path, NULL, NULL, NULL, 0, &r), 0);
	*html = r.body;
	r.body = NULL;
	long status = r.status;
	http_reply_free(&r);
	return status;
}

/* The sheet anonymous visitors share carries nobody's cookie or token; a
 * signed-in reader still gets their own page; a comment shows at once on
 * the app that took it, and within the cache's second on another. */
static void anonymous_sheets_are_shared_yet_fresh(void **state)
{
	(void)state;
	char path[160], *html;
	snprintf(path, sizeof(path), "/pratiques/%s", practice.slug);
	for (int i = 0; i < 2; i++) {
		struct http_reply r;
		assert_int_equal(http_get(path, &r), 0);
		assert_int_equal(r.status, 200);
		char *cookie = http_header(&r, "Set-Cookie");
		assert_null(cookie);
		assert_null(strstr(r.body, "name=\"csrf\""));
		assert_non_null(strstr(r.body, "Se connecter"));
		http_reply_free(&r);
	}
	struct sess *signed_in = sess_signed_in("conv-cache", "Lectrice Cache", NULL, PASSWORD);
	struct http_reply r;
	assert_int_equal(sess_get(signed_in, path, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "Lectrice Cache"));
	assert_non_null(strstr(r.body, "name=\"csrf\""));
	http_reply_free(&r);
	sess_free(signed_in);

	struct fcgi_app peer;
	assert_int_equal(fcgi_start(&peer, "conversation-peer", NULL), 0);
	char first[64], second[64];
	snprintf(first, sizeof(first), "Premier passage %ld", (long)getpid());
	snprintf(second, sizeof(second), "Second passage %ld", (long)getpid());
	free(comment_id(&reader, &practice, first, NULL));
	assert_int_equal(anonymous_sheet(NULL, &html), 200);
	assert_non_null(strstr(html, first));
	free(html);
	assert_int_equal(anonymous_sheet(&peer, &html), 200);
	assert_non_null(strstr(html, first));
	free(html);

	free(comment_id(&reader, &practice, second, NULL));
	assert_int_equal(anonymous_sheet(NULL, &html), 200);
	assert_non_null(strstr(html, second));
	free(html);
	long long posted = now_ms(), seen = -1;
	while (seen < 0 && now_ms() - posted < 3000) {
		assert_int_equal(anonymous_sheet(&peer, &html), 200);
		if (strstr(html, second))
			seen = now_ms() - posted;
		free(html);
		usleep(20 * 1000);
	}
	print_message("the other app showed the comment after %lld ms\n", seen);
	assert_true(seen >= 0 && seen <= 1200);
	assert_int_equal(fcgi_stop(&peer), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(replies_attach_one_level_deep),
		cmocka_unit_test(comments_follow_the_rules),
		cmocka_unit_test(authors_edit_within_the_window),
		cmocka_unit_test(coordinators_hide_with_a_logged_reason),
		cmocka_unit_test(followers_get_one_digest_a_day),
		cmocka_unit_test(feeds_are_atom_and_parse),
		cmocka_unit_test(csv_export_opens_safely_in_a_spreadsheet),
		cmocka_unit_test(anonymous_sheets_are_shared_yet_fresh),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
