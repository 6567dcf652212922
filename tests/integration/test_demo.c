/* The demo catalogue of `cousilab seed --demo` in the test stack: loaded
 * once, its published practices on their sheets and the others hidden,
 * toolboxes whose files download as real PDF and OpenDocument files,
 * reuses and comments shown. What to expect is read from the data file
 * itself. The demo stays loaded: other tests use their own markers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "db/doc.h"
#include "files/sniff.h"
#include "practices/demo.h"
#include "practices/practice.h"
#include "support.h"

static const char ODT_MIME[] = "application/vnd.oasis.opendocument.text";

struct demo {
	json_t *practices; /* the data file's */
	struct arena *a;
};

static bool published(const json_t *p)
{
	return strcmp(json_str(p, "status"), "published") == 0;
}

static int setup(void **state)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", env_or("COUSILAB_SRC", "."), PRACTICES_DEMO_FILE);
	json_t *data = json_load_file(path, 0, NULL);
	char *out = NULL;
	int rc = data ? cli_run((const char *[]){"seed", "--demo", NULL}, NULL, &out) : -1;
	if (rc)
		print_error("seed --demo: %d %s\n", rc, out ? out : path);
	free(out);
	struct demo *d = calloc(1, sizeof(*d));
	d->practices = json_incref(json_object_get(data, "practices"));
	d->a = arena_new();
	json_decref(data);
	*state = d;
	if (rc)
		return -1;
	/* The seed ran in another process: the app takes in its changes on
	 * its background passes, a batch at a time, not at once. */
	size_t i;
	json_t *p;
	json_array_foreach(d->practices, i, p) {
		char sheet[256];
		snprintf(sheet, sizeof(sheet), "/pratiques/%s",
			 practice_slugify(d->a, json_str(p, "title")));
		if (published(p) && wait_for_status(sheet, 200, 10000) < 0)
			return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	struct demo *d = *state;
	json_decref(d->practices);
	arena_free(d->a);
	free(d);
	return 0;
}

/* Returns the API form of published demo practice p (new reference). */
static json_t *api_practice(struct demo *d, const json_t *p)
{
	char path[256];
	snprintf(path, sizeof(path), "/api/v1/practices/%s",
		 practice_slugify(d->a, json_str(p, "title")));
	struct http_reply r;
	assert_int_equal(http_get(path, &r), 0);
	assert_int_equal(r.status, 200);
	json_t *out = json_loads(r.body, 0, NULL);
	assert_non_null(out);
	http_reply_free(&r);
	return out;
}

static void loads_once(void **state)
{
	struct demo *d = *state;
	char *out = NULL;
	assert_int_equal(cli_run((const char *[]){"seed", "--demo", NULL}, NULL, &out), 0);
	assert_non_null(strstr(out, "already loaded"));
	free(out);
	json_t *filter = json_pack("{s:s}", "title",
				   json_str(json_array_get(d->practices, 0), "title"));
	char *text = json_dumps(filter, 0);
	assert_int_equal(mongo_count("practices", text), 1);
	free(text);
	json_decref(filter);
}

/* Published practices have public sheets; drafts and submitted ones do
 * not. */
static void sheets_published_and_hidden(void **state)
{
	struct demo *d = *state;
	size_t i, n_published = 0;
	json_t *p;
	json_array_foreach(d->practices, i, p) {
		char path[256];
		snprintf(path, sizeof(path), "/pratiques/%s",
			 practice_slugify(d->a, json_str(p, "title")));
		struct http_reply r;
		assert_int_equal(http_get(path, &r), 0);
		if (r.status != (published(p) ? 200 : 404))
			fail_msg("%s: %ld", path, r.status);
		n_published += published(p);
		http_reply_free(&r);
	}
	assert_true(n_published >= 34);
}

/* Downloads resource res and checks its content is what its type says. */
static void check_download(const json_t *res)
{
	char path[512];
	snprintf(path, sizeof(path), "/fichiers/%s/%s", json_str(res, "file_id"),
		 json_str(res, "file_name"));
	struct http_reply r;
	assert_int_equal(http_get(path, &r), 0);
	assert_int_equal(r.status, 200);
	bool pdf = strcmp(json_str(res, "mime"), "application/pdf") == 0;
	if (pdf) {
		assert_true(r.len > 5 && memcmp(r.body, "%PDF-", 5) == 0);
	} else {
		assert_string_equal(json_str(res, "mime"), ODT_MIME);
		/* A stored "mimetype" entry first, its bytes right after its name. */
		assert_true(r.len > 38 + sizeof(ODT_MIME));
		assert_memory_equal(r.body, "PK\3\4", 4);
		assert_memory_equal(r.body + 30, "mimetype", 8);
		assert_memory_equal(r.body + 38, ODT_MIME, sizeof(ODT_MIME) - 1);
	}
	char tmp[] = "/tmp/cousilab-demo-test-XXXXXX";
	int fd = mkstemp(tmp);
	assert_true(fd >= 0 && write(fd, r.body, r.len) == (ssize_t)r.len);
	close(fd);
	assert_int_equal(file_sniff(tmp, r.len), pdf ? FILE_PDF : FILE_ODT);
	unlink(tmp);
	http_reply_free(&r);
}

/* Most published practices have a toolbox; every file listed downloads
 * as a real PDF or ODT. */
static void toolbox_files_are_real_documents(void **state)
{
	struct demo *d = *state;
	size_t i, n_published = 0, with_toolbox = 0, files = 0, expected = 0;
	json_t *p;
	json_array_foreach(d->practices, i, p) {
		if (!published(p))
			continue;
		size_t j;
		json_t *res;
		json_array_foreach(json_object_get(p, "toolbox"), j, res)
			expected += json_object_get(res, "file") != NULL;
		json_t *got = api_practice(d, p);
		json_t *toolbox = json_object_get(got, "toolbox");
		assert_int_equal(json_array_size(toolbox),
				 json_array_size(json_object_get(p, "toolbox")));
		json_array_foreach(toolbox, j, res) {
			if (*json_str(res, "file_id")) {
				check_download(res);
				files++;
			}
		}
		n_published++;
		with_toolbox += json_array_size(toolbox) > 0;
		json_decref(got);
	}
	assert_int_equal(files, expected);
	assert_true(with_toolbox * 4 >= n_published * 3);
}

/* Declared reuses show as adopters, comments and replies as threads. */
static void reuses_and_comments(void **state)
{
	struct demo *d = *state;
	size_t i, reuses = 0, comments = 0;
	json_t *p;
	json_array_foreach(d->practices, i, p) {
		size_t want_reuses = json_array_size(json_object_get(p, "reuses"));
		json_t *want_comments = json_object_get(p, "comments");
		if (!published(p) || (!want_reuses && !json_array_size(want_comments)))
			continue;
		json_t *got = api_practice(d, p);
		assert_int_equal(json_integer_value(json_object_get(got, "reuse_count")),
				 want_reuses);
		reuses += want_reuses;
		char path[256];
		snprintf(path, sizeof(path), "/api/v1/practices/%s/comments", json_str(got, "id"));
		struct http_reply r;
		assert_int_equal(http_get(path, &r), 0);
		assert_int_equal(r.status, 200);
		json_t *list = json_loads(r.body, 0, NULL);
		json_t *threads = json_object_get(list, "items");
		assert_int_equal(json_array_size(threads), json_array_size(want_comments));
		size_t j;
		json_t *c;
		json_array_foreach(want_comments, j, c) {
			json_t *thread = json_array_get(threads, j);
			assert_string_equal(json_str(thread, "body"), json_str(c, "body"));
			assert_int_equal(json_array_size(json_object_get(thread, "replies")),
					 json_array_size(json_object_get(c, "replies")));
		}
		comments += json_array_size(want_comments);
		json_decref(list);
		http_reply_free(&r);
		json_decref(got);
	}
	assert_true(reuses >= 3 && comments >= 3);
}

/* Returns seconds since the epoch for an ISO 8601 UTC date. */
static time_t iso_time(const char *s)
{
	struct tm tm = {0};
	assert_non_null(strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm));
	return timegm(&tm);
}

/* The catalogue has a history: publications spread over more than a
 * year, none in the future. */
static void publications_spread_over_time(void **state)
{
	struct demo *d = *state;
	time_t oldest = time(NULL), newest = 0;
	size_t i;
	json_t *p;
	json_array_foreach(d->practices, i, p) {
		if (!published(p))
			continue;
		json_t *got = api_practice(d, p);
		time_t t = iso_time(json_str(got, "published_at"));
		oldest = t < oldest ? t : oldest;
		newest = t > newest ? t : newest;
		json_decref(got);
	}
	assert_true(newest <= time(NULL));
	assert_true(newest - oldest > 365 * 86400);
}

/* The Grand Prix's demo of issue 13: 2022's published laureates, a Gold
 * without a stated use, a withdrawn person never named; the open
 * edition's "rh" jury at work, its scoring closed. */
static void grand_prix_laureates_and_juries(void **state)
{
	(void)state;
	char *page = NULL;
	for (int tries = 0; tries < 30 && !page; tries++) {
		struct http_reply r;
		assert_int_equal(http_get("/grand-prix/2022/palmares", &r), 0);
		if (r.status == 200 && strstr(r.body, "Accueil des assurés en langue des signes"))
			page = strdup(r.body);
		http_reply_free(&r);
		if (!page)
			usleep(100 * 1000);
	}
	assert_non_null(page);
	assert_non_null(strstr(page, "Prix de l’engagement auprès des aidants"));
	assert_non_null(strstr(page, "Dotation non attribuable"));
	/* Lucie Fabre withdrew from the Gold's publication only. */
	const char *gold = strstr(page, "Accueil des assurés en langue des signes");
	const char *next = strstr(gold, "Simulateur de retraite en agence");
	assert_non_null(next);
	const char *lucie = strstr(gold, "Lucie Fabre");
	assert_true(lucie && lucie > next);
	free(page);
	assert_true(mongo_count("gpi_grids", "{\"status\": \"submitted\"}") >= 4);
	assert_true(mongo_count("gpi_grids", "{\"status\": \"draft\"}") >= 1);
	assert_int_equal(mongo_count("gpi_category_states",
				     "{\"category\": \"rh\", \"scoring_closed_at\": {\"$gt\": 0}}"),
			 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(loads_once),
		cmocka_unit_test(sheets_published_and_hidden),
		cmocka_unit_test(toolbox_files_are_real_documents),
		cmocka_unit_test(reuses_and_comments),
		cmocka_unit_test(publications_spread_over_time),
		cmocka_unit_test(grand_prix_laureates_and_juries),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
