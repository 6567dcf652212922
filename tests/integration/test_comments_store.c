/* The comments store under any subject, as the features to come will use
 * it (a Défi team, a project), on the test database: each subject sees
 * its own comments and follows only, whatever the ids, and its newest
 * page follows the stamp its feature keeps. */
#include <mongoc/mongoc.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "comments/store.h"
#include "core/app.h"
#include "db/db.h"
#include "db/doc.h"
#include "core/arena.h"
#include "support.h"

/* Returns the bodies of comments (a comments_page array) as "a|b|c" in
 * buf. */
static const char *bodies(const json_t *comments, char *buf, size_t cap)
{
	size_t i, len = 0;
	json_t *c;
	buf[0] = '\0';
	json_array_foreach(comments, i, c)
		len += (size_t)snprintf(buf + len, cap - len, "%s%s", i ? "|" : "",
					json_str(c, "body"));
	return buf;
}

/* Posts body on s as a top-level comment by user; returns its id. */
static const char *post(struct db_ctx *db, const struct comments_subject *s, const char *user,
			const char *body)
{
	bson_error_t error;
	struct comments_new c = {.author_id = user,
				 .author_name = "Camille Martin",
				 .kind = "comment",
				 .body = body};
	const char *id = comments_insert(db, s, &c, &error);
	assert_non_null(id);
	return id;
}

static void subjects_keep_to_themselves(void **state)
{
	(void)state;
	char err[256];
	struct app app = {.db = db_open(test_db_uri(), 2, err, sizeof(err))};
	assert_non_null(app.db);
	struct arena *arena = arena_new();
	struct db_ctx *db = db_ctx_new(app.db, arena, "test_comments_store");
	/* The same id under two kinds: two subjects. */
	char id[25], buf[256];
	snprintf(id, sizeof(id), "%012lx%012llx", (unsigned long)getpid(),
		 (unsigned long long)now_ms() & 0xffffffffffULL);
	struct comments_subject team = {"team", id}, project = {"project", id};
	const char *user = "aaaaaaaaaaaaaaaaaaaaaaaa";
	bson_error_t error;
	size_t total;

	json_t *none = comments_page(db, &team, 0, 1, &total, &error);
	assert_int_equal(json_array_size(none), 0);

	const char *first = post(db, &team, user, "Premier message de l’équipe");
	post(db, &project, user, "Sur le projet");
	int64_t stamp = comments_stamp_new();
	json_t *page = comments_page(db, &team, stamp, 1, &total, &error);
	assert_non_null(page);
	assert_int_equal(total, 1);
	assert_string_equal(bodies(page, buf, sizeof(buf)), "Premier message de l’équipe");

	/* A reply attaches under its subject only. */
	assert_string_equal(comments_thread_top(db, &team, first, &error), first);
	assert_null(comments_thread_top(db, &project, first, &error));
	assert_int_equal(error.code, 0);
	bson_t *doc = comments_find(db, &project, first, &error);
	assert_null(doc);

	/* The newest page is kept until the stamp moves. */
	post(db, &team, user, "Deuxième");
	page = comments_page(db, &team, stamp, 1, &total, &error);
	assert_int_equal(json_array_size(page), 1);
	page = comments_page(db, &team, comments_stamp_new(), 1, &total, &error);
	assert_string_equal(bodies(page, buf, sizeof(buf)), "Premier message de l’équipe|Deuxième");

	/* Following one subject is not following the other. */
	assert_int_equal(comments_set_following(db, &team, user, true, &error), 0);
	assert_int_equal(comments_following(db, &team, user, &error), 1);
	assert_int_equal(comments_following(db, &project, user, &error), 0);
	assert_int_equal(comments_set_following(db, &team, user, false, &error), 0);
	assert_int_equal(comments_following(db, &team, user, &error), 0);

	/* A subject that could split keys or act as an operator stores nothing. */
	struct comments_subject bad = {"team", "x:y"};
	struct comments_new c = {
		.author_id = user, .author_name = "", .kind = "comment", .body = "refusé"};
	assert_null(comments_insert(db, &bad, &c, &error));
	assert_int_equal(comments_set_following(db, &bad, user, true, &error), -1);
	assert_int_equal(mongo_count("comments", "{\"body\": \"refusé\"}"), 0);

	arena_free(arena);
	db_close(app.db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(subjects_keep_to_themselves),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
