/* The database is stopped while visitors keep browsing, then started
 * again; the app is never restarted. While it is down: /healthz says so at
 * once, catalogue pages keep answering from the last copy, pages that need
 * the database answer the French 503 page quickly, a form refused by the
 * 503 shows what was typed; no request takes over a second. Once it is
 * back, everything works again within 5 s. The teardown starts the
 * database whatever happened, so later tests find it running. */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

static const char PASSWORD[] = "phrase de passe des tests de panne";

/* No request may take longer than this, database down or not. */
enum { REQUEST_LIMIT_MS = 1000 };
/* /healthz answers from memory: 50 ms is the goal, this the assertion
 * (sanitizers and a busy machine slow everything). */
enum { HEALTHZ_LIMIT_MS = 200 };
/* Load: a few visitors browsing the catalogue, with a pause between pages. */
enum { VISITORS = 3, VISITOR_PAUSE_MS = 20 };

/* ---- Accounts and practices ---- */

/* Sends an API request as a; returns the status, *out the answer. */
static long api_as(const struct test_account *a, const char *method, const char *path,
		   const json_t *body, json_t **out)
{
	return api_json(a->token, method, path, body, out);
}

/* Publishes a practice titled title (author writes, coordinator
 * publishes), with one comment when commented; returns its slug (heap). */
static char *publish(const struct test_account *author, const struct test_account *coordinator,
		     const char *title, bool commented)
{
	json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:s, s:[s], s:[s], s:[s], s:s, s:s, s:s}",
			       "title", title, "summary", "Un registre partagé des incidents.",
			       "problem", "Les incidents se répètent.", "description",
			       "Un **registre** commun.", "results", "", "organisation_ids",
			       "caf-31", "branches", "famille", "themes", "rgpd", "public",
			       "Équipes", "maturity", "deployee", "contact", "");
	json_t *out;
	assert_int_equal(api_as(author, "POST", "/api/v1/practices", in, &out), 201);
	json_decref(in);
	char *id = strdup(json_string_value(json_object_get(out, "id")));
	char *slug = strdup(json_string_value(json_object_get(out, "slug")));
	json_decref(out);
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/practices/%s/submit", id);
	assert_int_equal(api_as(author, "POST", path, NULL, &out), 200);
	/* The coordinator publishes the version just submitted. */
	json_t *reviewed = json_pack("{s:O}", "version", json_object_get(out, "version"));
	json_decref(out);
	snprintf(path, sizeof(path), "/api/v1/practices/%s/publish", id);
	assert_int_equal(api_as(coordinator, "POST", path, reviewed, NULL), 200);
	json_decref(reviewed);
	if (commented) {
		snprintf(path, sizeof(path), "/api/v1/practices/%s/comments", id);
		json_t *c = json_pack("{s:s}", "body", "Nous l’avons essayé : très utile.");
		assert_int_equal(api_as(author, "POST", path, c, NULL), 201);
		json_decref(c);
	}
	free(id);
	return slug;
}

/* ---- Visitors: threads that browse and time every answer ---- */

struct visitors {
	pthread_t threads[VISITORS];
	int started;
	atomic_bool stop;
	const char *paths[6];
	pthread_mutex_t lock; /* guards what follows */
	long long slowest_ms;
	char slowest_path[200];
	long requests, not_ok; /* not_ok: a catalogue page not 200 */
	char not_ok_example[240];
};

static struct visitors visitors = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* Records one answer: its time, and whether a catalogue page failed. */
static void record(const char *path, long status, long long ms)
{
	pthread_mutex_lock(&visitors.lock);
	visitors.requests++;
	if (ms > visitors.slowest_ms) {
		visitors.slowest_ms = ms;
		snprintf(visitors.slowest_path, sizeof(visitors.slowest_path), "%s", path);
	}
	bool healthz = strcmp(path, "/healthz") == 0;
	if (healthz ? status != 200 && status != 503 : status != 200) {
		visitors.not_ok++;
		snprintf(visitors.not_ok_example, sizeof(visitors.not_ok_example),
			 "%s answered %ld", path, status);
	}
	pthread_mutex_unlock(&visitors.lock);
}

static void *visit(void *arg)
{
	size_t next = (size_t)(intptr_t)arg;
	size_t n = sizeof(visitors.paths) / sizeof(*visitors.paths);
	while (!atomic_load(&visitors.stop)) {
		const char *path = visitors.paths[next++ % n];
		struct http_reply r;
		long long started = now_ms();
		long status = http_get(path, &r) == 0 ? r.status : 0;
		record(path, status, now_ms() - started);
		http_reply_free(&r);
		usleep(VISITOR_PAUSE_MS * 1000);
	}
	return NULL;
}

/* Starts the visitors on the anonymous pages that must survive an outage. */
static void visitors_start(const char *sheet, const char *search, const char *api)
{
	const char *paths[] = {"/healthz", "/pratiques", sheet, search, api, "/"};
	memcpy(visitors.paths, paths, sizeof(paths));
	atomic_store(&visitors.stop, false);
	for (; visitors.started < VISITORS; visitors.started++)
		assert_int_equal(pthread_create(&visitors.threads[visitors.started], NULL, visit,
						(void *)(intptr_t)visitors.started),
				 0);
}

static void visitors_stop(void)
{
	atomic_store(&visitors.stop, true);
	for (; visitors.started > 0; visitors.started--)
		pthread_join(visitors.threads[visitors.started - 1], NULL);
}

/* ---- Checks made while the database is down ---- */

/* GETs path in session s (NULL: anonymous); returns the reply, its time in
 * *ms. Fails the test when no answer comes or it took over the limit. */
static void timed_get(struct sess *s, const char *path, struct http_reply *r, long long *ms)
{
	long long started = now_ms();
	assert_int_equal(s ? sess_get(s, path, r) : http_get(path, r), 0);
	*ms = now_ms() - started;
	if (*ms > REQUEST_LIMIT_MS)
		fail_msg("%s took %lld ms", path, *ms);
}

/* Asserts that r is the French 503 page. */
static void assert_unavailable_page(const struct http_reply *r)
{
	assert_int_equal(r->status, 503);
	assert_non_null(strstr(r->body, "Service momentanément indisponible"));
}

static void healthz_says_down_at_once(void)
{
	long long elapsed = wait_for_status("/healthz", 503, 4000);
	assert_true(elapsed >= 0);
	struct http_reply r;
	long long ms;
	timed_get(NULL, "/healthz", &r, &ms);
	print_message("/healthz: 503 %lld ms after the stop, answered in %lld ms\n", elapsed, ms);
	assert_int_equal(r.status, 503);
	assert_non_null(strstr(r.body, "\"db\":\"down\""));
	assert_true(ms < HEALTHZ_LIMIT_MS);
	http_reply_free(&r);
}

/* The catalogue's pages answer 200 from the last copy, with content, to
 * anyone: a signed-in visitor, whose session cannot be read, gets the page
 * every anonymous visitor gets. */
static void catalogue_pages_still_answer(struct sess *signed_in, const char *search,
					 const char *title, const char *silent_sheet,
					 const char *silent_title)
{
	struct http_reply r;
	long long ms;
	timed_get(NULL, search, &r, &ms);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, title));
	http_reply_free(&r);
	timed_get(signed_in, search, &r, &ms);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, title));
	assert_null(strstr(r.body, "name=\"csrf\""));
	print_message("%s signed in: 200 in %lld ms\n", search, ms);
	http_reply_free(&r);
	/* A sheet whose comments this process never read: shown, with its
	 * conversation said to be unavailable. */
	timed_get(NULL, silent_sheet, &r, &ms);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, silent_title));
	assert_non_null(strstr(r.body, "momentanément indisponibles"));
	http_reply_free(&r);
}

/* Pages that need the database: the signed-in account page, the API as a
 * signed-in client, and a form whose typed text comes back on the 503. */
static void database_pages_answer_503(const struct test_account *a, const char *typed)
{
	struct http_reply r;
	long long ms;
	timed_get(a->s, "/compte", &r, &ms);
	assert_unavailable_page(&r);
	print_message("/compte signed in: 503 in %lld ms\n", ms);
	http_reply_free(&r);

	assert_int_equal(api_request(a->token, "GET", "/api/v1/me", NULL, &r), 503);
	assert_non_null(strstr(r.body, "\"code\":\"unavailable\""));
	http_reply_free(&r);

	char *csrf = sess_cookie(a->s, "csrf"), *title = url_escape(typed);
	char body[600];
	snprintf(body, sizeof(body), "csrf=%s&title=%s&summary=R%%C3%%A9sum%%C3%%A9", csrf, title);
	long long started = now_ms();
	assert_int_equal(sess_post(a->s, "/pratiques/nouvelle", body, &r), 0);
	ms = now_ms() - started;
	assert_unavailable_page(&r);
	assert_true(ms <= REQUEST_LIMIT_MS);
	assert_non_null(strstr(r.body, typed));
	/* ...in a form that sends it again to the same address. */
	assert_non_null(strstr(r.body, "action=\"/pratiques/nouvelle\""));
	print_message("a form POST: 503 in %lld ms, with what was typed\n", ms);
	http_reply_free(&r);
	free(title);
	free(csrf);
}

/* Returns the ms until the signed-in account page answers 200 again, or
 * -1 after limit_ms. */
static long long wait_account_page(const struct test_account *a, long limit_ms)
{
	long long started = now_ms();
	while (now_ms() - started < limit_ms) {
		struct http_reply r;
		long status = sess_get(a->s, "/compte", &r) == 0 ? r.status : 0;
		http_reply_free(&r);
		if (status == 200)
			return now_ms() - started;
		usleep(50 * 1000);
	}
	return -1;
}

static void database_outage_under_load(void **state)
{
	(void)state;
	pid_t app = read_pid("app");
	assert_true(app > 0);
	assert_true(wait_for_status("/healthz", 200, 5000) >= 0);
	struct test_account author, coordinator;
	test_account_new(&author, "outage-author", "Dominique Panne", NULL, PASSWORD);
	test_account_new(&coordinator, "outage-coordinator", "Dominique Panne", "coordinator",
			 PASSWORD);
	char marker[40], title[120], silent_title[120], typed[160];
	snprintf(marker, sizeof(marker), "panne%d", (int)getpid());
	snprintf(title, sizeof(title), "Registre des incidents %s", marker);
	snprintf(silent_title, sizeof(silent_title), "Fiche commentée %s", marker);
	snprintf(typed, sizeof(typed), "Titre tapé pendant la panne %s", marker);
	char *slug = publish(&author, &coordinator, title, false);
	char *silent = publish(&author, &coordinator, silent_title, true);
	char sheet[200], silent_sheet[200], search[200], api[200];
	snprintf(sheet, sizeof(sheet), "/pratiques/%s", slug);
	snprintf(silent_sheet, sizeof(silent_sheet), "/pratiques/%s", silent);
	snprintf(search, sizeof(search), "/recherche?q=%s", marker);
	snprintf(api, sizeof(api), "/api/v1/practices?q=%s", marker);

	visitors_start(sheet, search, api);
	usleep(500 * 1000);
	assert_int_equal(run_dev("db-stop"), 0);
	healthz_says_down_at_once();
	catalogue_pages_still_answer(author.s, search, title, silent_sheet, silent_title);
	database_pages_answer_503(&author, typed);
	usleep(1000 * 1000); /* more browsing while it is down */

	assert_int_equal(run_dev("db-start"), 0);
	long long restarted = now_ms();
	long long account_back = wait_account_page(&author, 5000);
	long long healthz_back = wait_for_status("/healthz", 200, 5000);
	long long back = now_ms() - restarted;
	print_message("after the restart: /compte 200 after %lld ms, /healthz after %lld ms\n",
		      account_back, healthz_back);
	assert_true(account_back >= 0 && healthz_back >= 0 && back <= 5000);
	/* The form works again: the same post now reaches its handler. */
	struct http_reply r;
	char *csrf = sess_cookie(author.s, "csrf");
	char body[300];
	snprintf(body, sizeof(body), "csrf=%s&title=&summary=", csrf);
	assert_int_equal(sess_post(author.s, "/pratiques/nouvelle", body, &r), 0);
	assert_int_equal(r.status, 422);
	http_reply_free(&r);
	free(csrf);
	usleep(300 * 1000);
	visitors_stop();

	print_message("%ld requests by %d visitors; the slowest took %lld ms (%s)\n",
		      visitors.requests, VISITORS, visitors.slowest_ms, visitors.slowest_path);
	if (visitors.not_ok)
		fail_msg("%ld catalogue answers were not 200, e.g. %s", visitors.not_ok,
			 visitors.not_ok_example);
	assert_true(visitors.slowest_ms <= REQUEST_LIMIT_MS);
	/* Same process throughout: recovery needed no restart. */
	assert_int_equal(read_pid("app"), app);
	assert_int_equal(kill(app, 0), 0);
	free(slug);
	free(silent);
	test_account_free(&coordinator);
	test_account_free(&author);
}

/* Whatever the test did: no visitor left, the database running. */
static int restore(void **state)
{
	(void)state;
	visitors_stop();
	int rc = run_dev("db-start");
	return rc == 0 && wait_for_status("/healthz", 200, 10000) >= 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(database_outage_under_load, restore),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
