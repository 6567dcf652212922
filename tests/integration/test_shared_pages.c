/* Signed-in visitors share the cached catalogue pages, each with only
 * their own parts filled in: two agents of different organisations, a
 * coordinator and anonymous visitors hammer the same pages at once, and
 * every page must carry its own visitor's name, CSRF token, follow button,
 * reuse declaration and comment links, and nobody else's. Practices go
 * through the real workflow (API create, submit, publish). */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

static const char PASSWORD[] = "phrase de passe des pages partagées";

enum { ROUNDS = 30, THREADS_PER_VISITOR = 2 };

/* A visitor: signed in (email set) or anonymous. */
struct visitor {
	const char *tag, *role, *org, *org_name;
	char *email, *name, *token, *sid, *csrf;
};

/* Two agents of different organisations, a coordinator, and nobody. */
static struct visitor agent1 = {
	.tag = "shared-a1", .org = "caf-31", .org_name = "Caf de la Haute-Garonne"};
static struct visitor agent2 = {.tag = "shared-a2",
				.org = "cnaf",
				.org_name = "Caisse nationale des allocations familiales (Cnaf)"};
static struct visitor coord = {.tag = "shared-co",
			       .role = "coordinator",
			       .org = "cnam",
			       .org_name = "Caisse nationale de l&#39;Assurance Maladie (Cnam)"};
static struct visitor anon = {.tag = "anonymous"};
static struct visitor *const SIGNED[] = {&agent1, &agent2, &coord};

/* Practices: by agent1 (their own sheet), by a third agent with a comment
 * of the coordinator's still editable, and one nobody of them touched. */
static char *own_slug, *commented_slug, *plain_slug, *plain_id, *comment_edit_link;

/* Makes v's account in its organisation, an API token, and a browser
 * session (its sid and csrf cookies). */
static void visitor_sign_in(struct visitor *v)
{
	v->email = unique_email(v->tag);
	char name[96];
	snprintf(name, sizeof(name), "Visiteur %s %ld", v->tag, (long)getpid());
	v->name = strdup(name);
	const char *add[] = {"user",           "add",    "--email",
			     v->email,         "--name", v->name,
			     "--organisation", v->org,   v->role ? "--role" : NULL,
			     v->role,          NULL};
	char input[128];
	snprintf(input, sizeof(input), "%s\n", PASSWORD);
	assert_int_equal(cli_run(add, input, NULL), 0);
	v->token = cli_token_create(v->email, "itest shared pages");
	assert_non_null(v->token);
	struct sess *s = sess_new();
	assert_int_equal(sess_login(s, v->email, PASSWORD), 303);
	v->sid = sess_cookie(s, "sid");
	v->csrf = sess_cookie(s, "csrf");
	assert_non_null(v->sid);
	assert_non_null(v->csrf);
	sess_free(s);
}

/* Sends method path as v (API token) with a JSON body; returns the
 * status, *out the parsed answer when out is not NULL. */
static long api_as(const struct visitor *v, const char *method, const char *path, json_t *body,
		   json_t **out)
{
	struct http_reply r;
	long status = api_request(v->token, method, path, body, &r);
	if (out)
		*out = json_loads(r.body, 0, NULL);
	http_reply_free(&r);
	json_decref(body);
	return status;
}

/* Publishes a new practice by author; returns its slug (heap), *id its id
 * (heap) when id is not NULL. */
static char *practice_new(const struct visitor *author, const char *title, char **id)
{
	json_t *out;
	assert_int_equal(
		api_as(author, "POST", "/api/v1/practices",
		       json_pack("{s:s, s:s, s:s, s:s, s:[s], s:[s], s:s}", "title", title,
				 "summary", "Un guichet commun.", "problem",
				 "Les usagers attendent.", "description", "Un **guichet** partagé.",
				 "organisation_ids", "urssaf-caisse-nationale", "themes", "rgpd",
				 "maturity", "deployee"),
		       &out),
		201);
	assert_non_null(out);
	char *slug = strdup(json_string_value(json_object_get(out, "slug")));
	const char *pid = json_string_value(json_object_get(out, "id"));
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/practices/%s/submit", pid);
	json_t *submitted;
	assert_int_equal(api_as(author, "POST", path, NULL, &submitted), 200);
	/* The coordinator publishes the version just submitted. */
	snprintf(path, sizeof(path), "/api/v1/practices/%s/publish", pid);
	assert_int_equal(
		api_as(&coord, "POST", path,
		       json_pack("{s:O}", "version", json_object_get(submitted, "version")), NULL),
		200);
	json_decref(submitted);
	if (id)
		*id = strdup(pid);
	json_decref(out);
	return slug;
}

static void visitor_free(struct visitor *v)
{
	free(v->email);
	free(v->name);
	free(v->token);
	free(v->sid);
	free(v->csrf);
}

static int setup(void **state)
{
	(void)state;
	for (size_t i = 0; i < 3; i++)
		visitor_sign_in(SIGNED[i]);
	struct visitor other = {.tag = "shared-au", .org = "caf-31"};
	visitor_sign_in(&other);
	char title[96];
	snprintf(title, sizeof(title), "Guichet de %s %ld", agent1.tag, (long)getpid());
	own_slug = practice_new(&agent1, title, NULL);
	snprintf(title, sizeof(title), "Guichet commenté %ld", (long)getpid());
	char *commented_id;
	commented_slug = practice_new(&other, title, &commented_id);
	snprintf(title, sizeof(title), "Guichet partagé %ld", (long)getpid());
	plain_slug = practice_new(&other, title, &plain_id);
	/* The coordinator's comment, editable for 15 minutes: by them only. */
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/practices/%s/comments", commented_id);
	json_t *out;
	assert_int_equal(api_as(&coord, "POST", path,
				json_pack("{s:s}", "body", "Une question de la coordination."),
				&out),
			 201);
	char link[200];
	snprintf(link, sizeof(link), "/pratiques/%s/commentaires/%s/modifier", commented_slug,
		 json_string_value(json_object_get(out, "id")));
	comment_edit_link = strdup(link);
	json_decref(out);
	free(commented_id);
	visitor_free(&other);
	/* agent1 follows the plain sheet; agent2 does not. */
	snprintf(path, sizeof(path), "/api/v1/practices/%s/follow", plain_id);
	assert_int_equal(api_as(&agent1, "PUT", path, NULL, NULL), 200);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < 3; i++)
		visitor_free(SIGNED[i]);
	free(own_slug);
	free(commented_slug);
	free(plain_slug);
	free(plain_id);
	free(comment_edit_link);
	return 0;
}

/* Returns how many times needle occurs in hay. */
static size_t occurrences(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* Returns the value of hex digit c. */
static int hex_value(char c)
{
	return c >= 'a' ? c - 'a' + 10 : c - '0';
}

/* Returns true when value (up to its closing quote) is token: as it is, or
 * masked as the pages write it (a random 16-byte mask, then the token
 * XOR the mask, in hex). */
static bool holds_token(const char *value, const char *token)
{
	size_t n = strcspn(value, "\""), len = strlen(token);
	if (n == len)
		return strncmp(value, token, len) == 0;
	if (n != 2 * len || strspn(value, "0123456789abcdef") < n)
		return false;
	for (size_t i = 0; i < len; i += 2) {
		int mask = hex_value(value[i]) << 4 | hex_value(value[i + 1]);
		int masked = hex_value(value[len + i]) << 4 | hex_value(value[len + i + 1]);
		int want = hex_value(token[i]) << 4 | hex_value(token[i + 1]);
		if ((mask ^ masked) != want)
			return false;
	}
	return true;
}

/* Returns NULL when every CSRF field of body holds token ("": nobody's,
 * the field is empty) and, signed in, there is one at least (the sign-out
 * form); else what is wrong (static). */
static const char *token_problem(const char *body, const char *token)
{
	static const char FIELD[] = "name=\"csrf\" value=\"";
	size_t n = 0;
	for (const char *p = body; (p = strstr(p, FIELD)); p += sizeof(FIELD) - 1, n++) {
		const char *v = p + sizeof(FIELD) - 1;
		if (*token ? !holds_token(v, token) : *v != '"')
			return "a CSRF field holds another token";
	}
	return *token && n == 0 ? "no CSRF field" : NULL;
}

/* Returns NULL when r is what v must see on path, else what is wrong
 * (static). Thread-safe: cmocka's assertions are not. */
static const char *page_problem(const struct visitor *v, const char *path,
				const struct http_reply *r)
{
	if (r->status != 200)
		return "not a 200";
	const char *body = r->body;
	char *cookie = http_header(r, "Set-Cookie");
	const char *problem = NULL;
	for (size_t i = 0; i < 3 && !problem; i++) {
		const struct visitor *o = SIGNED[i];
		char bar[160];
		snprintf(bar, sizeof(bar), "<a href=\"/compte\">%s</a>", o->name);
		if (o == v)
			continue;
		if (strstr(body, o->csrf) || strstr(body, o->sid))
			problem = "another visitor's token";
		else if (strstr(body, bar))
			problem = "another visitor's name in the account bar";
		else if (cookie && (strstr(cookie, o->csrf) || strstr(cookie, o->sid)))
			problem = "another visitor's cookie";
	}
	bool anonymous = v == &anon;
	if (!problem && anonymous && cookie)
		problem = "a cookie for an anonymous visitor";
	free(cookie);
	if (problem)
		return problem;
	bool list = strcmp(path, "/pratiques") == 0;
	bool plain = !list && strcmp(path + 11, plain_slug) == 0;
	bool commented = !list && strcmp(path + 11, commented_slug) == 0;
	char bar[160], reuse[200];
	snprintf(bar, sizeof(bar), "<a href=\"/compte\">%s</a>", anonymous ? "" : v->name);
	snprintf(reuse, sizeof(reuse), "Où en est %s\u202f?", anonymous ? "" : v->org_name);
	if ((problem = token_problem(body, anonymous ? "" : v->csrf)))
		return problem;
	if (anonymous)
		return occurrences(body, "href=\"/compte\"") ? "an account bar"
		       : !strstr(body, "Se connecter")       ? "no sign-in link"
		       : strstr(body, "Suivre cette fiche")  ? "a follow button"
		       : strstr(body, "Où en est")           ? "a reuse declaration form"
		       : strstr(body, "/modifier\"")         ? "an edit link"
							     : NULL;
	if (occurrences(body, "href=\"/compte\"") != 1 || !strstr(body, bar))
		return "not their account bar";
	if (list && !strstr(body, "/pratiques/a-valider") != (v != &coord))
		return "the coordinators' link wrong";
	bool follows = v == &agent1;
	if (plain && (!strstr(body, "Ne plus suivre cette fiche") == follows ||
		      !strstr(body, ">Suivre cette fiche<") == !follows))
		return "another follow state";
	if (plain && (!strstr(body, reuse) || occurrences(body, "Où en est ") != 1))
		return "another organisation's reuse form";
	if (commented && !strstr(body, comment_edit_link) != (v != &coord))
		return "the comment's edit link wrong";
	return NULL;
}

/* One thread's visitor, and the first problem it met. */
struct hammer {
	const struct visitor *v;
	pthread_t thread;
	const char *problem;
	char path[200];
};

static void *hammer_run(void *arg)
{
	struct hammer *h = arg;
	struct sess *s = sess_new();
	if (h->v != &anon) {
		sess_set_cookie(s, "sid", h->v->sid);
		sess_set_cookie(s, "csrf", h->v->csrf);
	}
	char paths[4][200];
	snprintf(paths[0], sizeof(paths[0]), "/pratiques");
	snprintf(paths[1], sizeof(paths[1]), "/pratiques/%s", plain_slug);
	snprintf(paths[2], sizeof(paths[2]), "/pratiques/%s", commented_slug);
	snprintf(paths[3], sizeof(paths[3]), "/pratiques/%s", own_slug);
	for (int i = 0; i < ROUNDS && !h->problem; i++) {
		const char *path = paths[i % 4];
		struct http_reply r;
		h->problem = sess_get(s, path, &r) ? "no answer" : page_problem(h->v, path, &r);
		snprintf(h->path, sizeof(h->path), "%s", path);
		http_reply_free(&r);
	}
	sess_free(s);
	return NULL;
}

/* Returns true when a line of the app log after byte from mentions both
 * a and b. */
static bool logged(long from, const char *a, const char *b)
{
	char *lines = app_log_since(from, a, b);
	bool found = *lines != '\0';
	free(lines);
	return found;
}

static void each_visitor_sees_only_their_own_parts(void **state)
{
	(void)state;
	long from = app_log_size();
	const struct visitor *all[] = {&agent1, &agent2, &coord, &anon};
	struct hammer h[4 * THREADS_PER_VISITOR] = {0};
	for (size_t i = 0; i < 4 * THREADS_PER_VISITOR; i++) {
		h[i].v = all[i % 4];
		assert_int_equal(pthread_create(&h[i].thread, NULL, hammer_run, &h[i]), 0);
	}
	for (size_t i = 0; i < 4 * THREADS_PER_VISITOR; i++) {
		pthread_join(h[i].thread, NULL);
		if (h[i].problem)
			fprintf(stderr, "%s on %s: %s\n", h[i].v->tag, h[i].path, h[i].problem);
	}
	for (size_t i = 0; i < 4 * THREADS_PER_VISITOR; i++)
		assert_null(h[i].problem);
	/* They did share: signed-in pages came from the cache. */
	char sheet[200];
	snprintf(sheet, sizeof(sheet), "GET /pratiques/%s ", plain_slug);
	assert_true(logged(from, sheet, "cache=member"));
	assert_true(logged(from, "GET /pratiques ", "cache=member"));
}

static void a_follow_shows_at_once_on_the_shared_sheet(void **state)
{
	(void)state;
	struct sess *s = sess_new();
	sess_set_cookie(s, "sid", agent2.sid);
	sess_set_cookie(s, "csrf", agent2.csrf);
	char path[200];
	snprintf(path, sizeof(path), "/pratiques/%s", plain_slug);
	struct http_reply r;
	assert_int_equal(sess_get(s, path, &r), 0);
	assert_non_null(strstr(r.body, ">Suivre cette fiche<"));
	http_reply_free(&r);
	char action[220];
	snprintf(action, sizeof(action), "/pratiques/%s/suivre", plain_slug);
	sess_post_form(s, path, action, &r, NULL);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	assert_int_equal(sess_get(s, path, &r), 0);
	assert_non_null(strstr(r.body, "Ne plus suivre cette fiche"));
	assert_null(token_problem(r.body, agent2.csrf));
	http_reply_free(&r);
	sess_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_visitor_sees_only_their_own_parts),
		cmocka_unit_test(a_follow_shows_at_once_on_the_shared_sheet),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
