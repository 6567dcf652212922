/* The administration pages through nginx: who may use them, roles,
 * deactivation, the journal, the organisations directory and the outbox.
 * Each test makes its own accounts with the command line. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mongoc/mongoc.h>

#include "support.h"

static const char PASSWORD[] = "phrase de passe des tests d'administration";

/* An account made for a test, signed in. */
struct account {
	char *email;
	char *id;
	struct sess *s;
};

/* Makes an account (role NULL: a plain agent), signs it in and reads its
 * id from /api/v1/me. */
static void account_new(struct account *a, const char *tag, const char *role)
{
	a->email = unique_email(tag);
	assert_int_equal(cli_user_add(a->email, "Compte de test", role, PASSWORD), 0);
	a->s = sess_new();
	assert_int_equal(sess_login(a->s, a->email, PASSWORD), 303);
	a->id = sess_user_id(a->s);
}

static void account_free(struct account *a)
{
	sess_free(a->s);
	free(a->email);
	free(a->id);
}

/* GETs path in s and returns its status. */
static long status_of(struct sess *s, const char *path)
{
	struct http_reply r;
	assert_int_equal(sess_get(s, path, &r), 0);
	long status = r.status;
	http_reply_free(&r);
	return status;
}

static void only_admins_get_in(void **state)
{
	(void)state;
	struct account agent;
	account_new(&agent, "adm-agent", NULL);
	assert_int_equal(status_of(agent.s, "/admin/utilisateurs"), 403);
	assert_int_equal(status_of(agent.s, "/admin"), 403);
	struct http_reply r;
	assert_int_equal(http_get("/admin/utilisateurs", &r), 0);
	assert_int_equal(r.status, 302);
	http_reply_free(&r);

	struct account admin;
	account_new(&admin, "adm-admin", "admin");
	const char *pages[] = {"/admin",
			       "/admin/utilisateurs",
			       "/admin/organisations",
			       "/admin/organisations/nouvelle",
			       "/admin/journal",
			       "/admin/courriels",
			       "/organisations/caf-31"};
	for (size_t i = 0; i < sizeof(pages) / sizeof(*pages); i++)
		assert_int_equal(status_of(admin.s, pages[i]), 200);
	account_free(&admin);
	account_free(&agent);
}

static void granted_role_shows_in_me_and_journal(void **state)
{
	(void)state;
	struct account admin, agent;
	account_new(&admin, "adm-admin", "admin");
	account_new(&agent, "adm-agent", NULL);
	char path[256];
	snprintf(path, sizeof(path), "/admin/utilisateurs/%s/roles", agent.id);
	struct http_reply r;
	sess_post_form(admin.s, "/admin", path, &r, "role", "coordinator", "action", "add", NULL);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);

	assert_int_equal(sess_get(agent.s, "/api/v1/me", &r), 0);
	assert_non_null(strstr(r.body, "\"coordinator\""));
	http_reply_free(&r);

	snprintf(path, sizeof(path), "/admin/journal?action=role.add&cible=%s", agent.id);
	assert_int_equal(sess_get(admin.s, path, &r), 0);
	assert_int_equal(r.status, 200);
	char row[256];
	snprintf(row, sizeof(row), "<a href=\"/admin/utilisateurs/%s\">%s</a>", agent.id, agent.id);
	assert_non_null(strstr(r.body, row));
	assert_non_null(strstr(r.body, "<span class=\"code\">role.add</span>"));
	http_reply_free(&r);

	/* The search finds the agent by address, whatever the case. */
	char *upper = strdup(agent.email);
	for (char *p = upper; *p; p++)
		*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
	char *q = url_escape(upper);
	snprintf(path, sizeof(path), "/admin/utilisateurs?q=%s&role=coordinator", q);
	assert_int_equal(sess_get(admin.s, path, &r), 0);
	assert_non_null(strstr(r.body, agent.email));
	assert_non_null(strstr(r.body, "Comptes trouvés\u202f: 1<"));
	http_reply_free(&r);
	free(q);
	free(upper);
	account_free(&agent);
	account_free(&admin);
}

static void an_admin_cannot_lock_themselves_out(void **state)
{
	(void)state;
	struct account admin;
	account_new(&admin, "adm-admin", "admin");
	char path[256];
	struct http_reply r;
	snprintf(path, sizeof(path), "/admin/utilisateurs/%s/desactiver", admin.id);
	sess_post_form(admin.s, "/admin", path, &r, NULL);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "Vous ne pouvez pas désactiver votre propre compte"));
	http_reply_free(&r);
	snprintf(path, sizeof(path), "/admin/utilisateurs/%s/roles", admin.id);
	sess_post_form(admin.s, "/admin", path, &r, "role", "admin", "action", "remove", NULL);
	assert_int_equal(r.status, 422);
	http_reply_free(&r);
	assert_int_equal(status_of(admin.s, "/admin"), 200);
	assert_int_equal(status_of(admin.s, "/admin/utilisateurs/000000000000000000000000"), 404);
	account_free(&admin);
}

static void deactivation_ends_sessions_and_tokens(void **state)
{
	(void)state;
	struct account admin, agent;
	account_new(&admin, "adm-admin", "admin");
	account_new(&agent, "adm-agent", NULL);
	char *token = cli_token_create(agent.email, "essai");
	assert_non_null(token);
	char path[256], filter[128];
	snprintf(path, sizeof(path), "/admin/utilisateurs/%s/desactiver", agent.id);
	struct http_reply r;
	sess_post_form(admin.s, "/admin", path, &r, NULL);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);

	assert_int_equal(sess_get(agent.s, "/organisations/caf-31", &r), 0);
	assert_int_equal(r.status, 302);
	char *location = http_header(&r, "Location");
	assert_non_null(location);
	assert_non_null(strstr(location, "/connexion"));
	free(location);
	http_reply_free(&r);
	snprintf(filter, sizeof(filter), "{\"user_id\": \"%s\"}", agent.id);
	assert_int_equal(mongo_count("sessions", filter), 0);
	assert_int_equal(mongo_count("api_tokens", filter), 0);
	char auth[128];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	const char *headers[] = {auth, NULL};
	struct sess *api = sess_new();
	assert_int_equal(sess_request(api, "GET", "/api/v1/me", headers, NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 401);
	http_reply_free(&r);
	sess_free(api);
	assert_int_equal(sess_login(agent.s, agent.email, PASSWORD), 422);

	snprintf(path, sizeof(path), "/admin/utilisateurs/%s/reactiver", agent.id);
	sess_post_form(admin.s, "/admin", path, &r, NULL);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	assert_int_equal(sess_login(agent.s, agent.email, PASSWORD), 303);
	free(token);
	account_free(&agent);
	account_free(&admin);
}

static void organisation_with_a_bad_code_is_refused(void **state)
{
	(void)state;
	struct account admin;
	account_new(&admin, "adm-admin", "admin");
	struct http_reply r;
	sess_post_form(admin.s, "/admin", "/admin/organisations", &r, "code", "Pas Bon!", "name",
		       "Organisme d'essai", "type", "caf", "branch", "famille", "region",
		       "Occitanie", NULL);
	assert_int_equal(r.status, 422);
	char *error = html_field_error(r.body, "code");
	assert_non_null(error);
	free(error);
	assert_null(html_field_error(r.body, "name"));
	char *kept = html_input_value(r.body, "name");
	assert_string_equal(kept, "Organisme d&#39;essai");
	free(kept);
	http_reply_free(&r);
	account_free(&admin);
}

static void created_organisation_is_listed_within_a_second(void **state)
{
	(void)state;
	struct account admin;
	account_new(&admin, "adm-admin", "admin");
	char code[64], query[128];
	snprintf(code, sizeof(code), "essai-%d-%lld", (int)getpid(), now_ms() % 100000);
	struct http_reply r;
	sess_post_form(admin.s, "/admin", "/admin/organisations", &r, "code", code, "name",
		       "Organisme d'essai", "type", "autre", "branch", "interbranche", "region",
		       "National", "domains", "essai.example.org", NULL);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	long long start = now_ms();
	snprintf(query, sizeof(query), "/api/v1/organisations?q=%s", code);
	bool listed = false;
	while (!listed && now_ms() - start <= 1000) {
		assert_int_equal(http_get(query, &r), 0);
		listed = strstr(r.body, code) != NULL;
		http_reply_free(&r);
		if (!listed)
			usleep(100 * 1000);
	}
	assert_true(listed);

	char path[128];
	snprintf(path, sizeof(path), "/admin/organisations/%s/desactiver", code);
	sess_post_form(admin.s, "/admin", path, &r, NULL);
	assert_int_equal(r.status, 303);
	http_reply_free(&r);
	snprintf(path, sizeof(path), "/admin/journal?action=org.deactivate&cible=%s", code);
	assert_int_equal(sess_get(admin.s, path, &r), 0);
	assert_non_null(strstr(r.body, "Événements trouvés\u202f: 1<"));
	http_reply_free(&r);
	account_free(&admin);
}

static void only_failed_mail_is_retried(void **state)
{
	(void)state;
	struct account admin;
	account_new(&admin, "adm-admin", "admin");
	struct http_reply r;
	sess_post_form(admin.s, "/admin", "/admin/courriels/000000000000000000000000/relancer", &r,
		       NULL);
	assert_int_equal(r.status, 404);
	http_reply_free(&r);
	assert_int_equal(sess_get(admin.s, "/admin/courriels?statut=failed", &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "Courriels par statut"));
	http_reply_free(&r);
	account_free(&admin);
}

/* Inserts n audit entries of action naming target, marked "ligne-NNN" in their
 * detail, three to a millisecond (so that pages must break ties), the
 * highest number the newest. */
static void insert_entries(const char *action, const char *target, int n)
{
	mongoc_client_t *client = mongoc_client_new(test_db_uri());
	assert_non_null(client);
	mongoc_collection_t *audit = mongoc_client_get_collection(client, "cousilab", "audit");
	int64_t base = (int64_t)time(NULL) * 1000 - 3600 * 1000;
	for (int i = 0; i < n; i++) {
		char id[32], detail[32];
		snprintf(id, sizeof(id), "%s-%03d", target, i);
		snprintf(detail, sizeof(detail), "ligne-%03d", i);
		bson_t *doc = BCON_NEW("_id", BCON_UTF8(id), "at", BCON_DATE_TIME(base + i / 3),
				       "action", BCON_UTF8(action), "target", BCON_UTF8(target),
				       "detail", BCON_UTF8(detail), "actor_id", BCON_UTF8(""),
				       "actor_email", BCON_UTF8(""), "ip", BCON_UTF8("-"),
				       "request_id", BCON_UTF8("-"));
		bson_error_t error;
		assert_true(mongoc_collection_insert_one(audit, doc, NULL, NULL, &error));
		bson_destroy(doc);
	}
	mongoc_collection_destroy(audit);
	mongoc_client_destroy(client);
}

/* Returns the href of the pager's link rel (heap, &amp; decoded), or NULL. */
static char *pager_link(const char *html, const char *rel)
{
	char marker[32];
	snprintf(marker, sizeof(marker), "rel=\"%s\"", rel);
	const char *at = strstr(html, marker);
	if (!at)
		return NULL;
	const char *href = at;
	while (href > html && strncmp(href, "href=\"", 6) != 0)
		href--;
	href += 6;
	char *out = strndup(href, (size_t)(strchr(href, '"') - href)), *o = out;
	for (const char *p = out; *p; p++) {
		*o++ = *p;
		if (strncmp(p, "&amp;", 5) == 0)
			p += 4;
	}
	*o = '\0';
	return out;
}

/* Reads the "ligne-NNN" numbers of page html into seen (in order) from
 * *n on. */
static void lines_of(const char *html, int *seen, int *n)
{
	for (const char *p = strstr(html, "ligne-"); p; p = strstr(p + 1, "ligne-"))
		seen[(*n)++] = atoi(p + 6);
}

/* Walks the journal from path through its "Page suivante" links and back
 * one page: every entry once, newest first, through ranges (apres=), and
 * "Page précédente" shows the page before again. */
static void walk_journal(struct sess *s, const char *path, int n)
{
	int seen[200], count = 0, pages = 0, before_last = 0;
	char *next = strdup(path), *prev = NULL;
	struct http_reply r;
	while (next) {
		assert_true(pages < 10);
		assert_int_equal(sess_get(s, next, &r), 0);
		assert_int_equal(r.status, 200);
		free(next);
		free(prev);
		before_last = count;
		lines_of(r.body, seen, &count);
		pages++;
		next = pager_link(r.body, "next");
		prev = pager_link(r.body, "prev");
		assert_true(pages == 1 ? prev == NULL : prev != NULL);
		if (next)
			assert_non_null(strstr(next, "apres="));
		char where[64];
		snprintf(where, sizeof(where), "Page %d sur 3", pages);
		assert_non_null(strstr(r.body, where));
		http_reply_free(&r);
	}
	assert_int_equal(pages, 3);
	assert_int_equal(count, n);
	for (int i = 0; i < n; i++)
		assert_int_equal(seen[i], n - 1 - i);
	/* Back from the last page: the second page again. */
	assert_non_null(strstr(prev, "avant="));
	assert_int_equal(sess_get(s, prev, &r), 0);
	int again[200], m = 0;
	lines_of(r.body, again, &m);
	assert_int_equal(m, 50);
	for (int i = 0; i < m; i++)
		assert_int_equal(again[i], seen[before_last - 50 + i]);
	assert_non_null(strstr(r.body, "Page 2 sur 3"));
	http_reply_free(&r);
	free(prev);
}

static void journal_pages_by_ranges(void **state)
{
	(void)state;
	struct account admin;
	account_new(&admin, "adm-pages", "admin");
	char *target = unique_email("pages");
	char action[128];
	snprintf(action, sizeof(action), "test.%s", target);
	insert_entries(action, target, 120);
	char *a = url_escape(action), *q = url_escape(target), path[512];
	/* Filtered by the database alone (action, dates), which stops after
	 * a page; then by the page itself too (the target's text). */
	snprintf(path, sizeof(path), "/admin/journal?action=%s&du=2000-01-01", a);
	walk_journal(admin.s, path, 120);
	snprintf(path, sizeof(path), "/admin/journal?action=%s&cible=%s", a, q);
	walk_journal(admin.s, path, 120);
	free(q);
	free(a);
	free(target);
	account_free(&admin);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(only_admins_get_in),
		cmocka_unit_test(granted_role_shows_in_me_and_journal),
		cmocka_unit_test(an_admin_cannot_lock_themselves_out),
		cmocka_unit_test(deactivation_ends_sessions_and_tokens),
		cmocka_unit_test(organisation_with_a_bad_code_is_refused),
		cmocka_unit_test(created_organisation_is_listed_within_a_second),
		cmocka_unit_test(only_failed_mail_is_retried),
		cmocka_unit_test(journal_pages_by_ranges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
