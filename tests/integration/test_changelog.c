/* The change log's purge (db/changelog.h) on the test database: it takes
 * the oldest records only, a bounded batch at a time, and a reader whose
 * next record went with it is told so (changelog_gone) instead of waiting
 * for it forever. Each test has a scope of its own in "test_changes". */
#include <mongoc/mongoc.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "db/changelog.h"
#include "db/db.h"
#include "db/doc.h"
#include "support.h"

static const struct changelog LOG = {"test_changes", "test-changes", "doc_id"};

static struct db *pools;
static struct db_ctx *db;

static int open_db(void **state)
{
	(void)state;
	char err[256];
	pools = db_open(test_db_uri(), 2, err, sizeof(err));
	if (!pools)
		return -1;
	db = db_ctx_open(pools, "test");
	return 0;
}

static int close_db(void **state)
{
	(void)state;
	db_ctx_close(db);
	db_close(pools);
	return 0;
}

/* Returns a scope no other run used (db's arena). */
static const char *fresh_scope(const char *what)
{
	return arena_printf(db->arena, "%s-%d-%lld", what, (int)getpid(), (long long)now_ms());
}

static void append(const char *scope, const char *id, int64_t expected_seq)
{
	bson_error_t err;
	assert_int_equal(changelog_append(db, &LOG, scope, id, &err), expected_seq);
}

/* Records written before the bound go, the later ones stay and are still
 * read; the reader of a purged number learns it is gone, the reader at the
 * head still waits for the next one; appends go on after the head. */
static void a_purge_takes_the_old_records_only(void **state)
{
	(void)state;
	const char *scope = fresh_scope("old");
	append(scope, "a", 1);
	append(scope, "b", 2);
	append(scope, "c", 3);
	usleep(20 * 1000);
	int64_t bound = doc_now_ms();
	usleep(20 * 1000);
	append(scope, "d", 4);
	append(scope, "e", 5);

	bson_error_t err;
	assert_int_equal(changelog_purge(db, &LOG, scope, bound, &err), 3);
	assert_int_equal(changelog_purge(db, &LOG, scope, bound, &err), 0);
	for (int64_t seq = 1; seq <= 3; seq++) {
		assert_null(changelog_at(db, &LOG, scope, seq, &err));
		assert_true(changelog_gone(&err));
	}
	const char *d = changelog_at(db, &LOG, scope, 4, &err);
	assert_non_null(d);
	assert_string_equal(d, "d");
	assert_null(changelog_at(db, &LOG, scope, 6, &err));
	assert_int_equal(err.code, 0);
	assert_false(changelog_gone(&err));
	assert_int_equal(changelog_head(db, &LOG, scope, &err), 5);
	append(scope, "f", 6);
}

/* A log longer than a batch is purged a batch per call, the oldest
 * first, down to its last record; the next append follows it. */
static void a_long_log_goes_a_batch_at_a_time(void **state)
{
	(void)state;
	const char *scope = fresh_scope("long");
	enum { N = CHANGELOG_PURGE_BATCH + 500 };
	mongoc_collection_t *c = mongo_collection(LOG.collection);
	mongoc_bulk_operation_t *bulk = mongoc_collection_create_bulk_operation_with_opts(c, NULL);
	int64_t at = doc_now_ms() - CHANGELOG_KEEP_MS;
	for (int i = 1; i <= N; i++) {
		char id[160];
		snprintf(id, sizeof(id), "%s:%d", scope, i);
		bson_t *doc = BCON_NEW("_id", BCON_UTF8(id), "doc_id", BCON_UTF8("x"), "at",
				       BCON_DATE_TIME(at + i));
		mongoc_bulk_operation_insert(bulk, doc);
		bson_destroy(doc);
	}
	bson_t reply;
	bson_error_t err;
	assert_true(mongoc_bulk_operation_execute(bulk, &reply, &err));
	bson_destroy(&reply);
	mongoc_bulk_operation_destroy(bulk);
	mongoc_collection_destroy(c);
	bson_t *hint = BCON_NEW("$set", "{", "seq", BCON_INT64(N), "}");
	assert_int_equal(doc_upsert_id(db, "meta",
				       arena_printf(db->arena, "test-changes:%s", scope), hint,
				       &err),
			 0);

	int64_t now = doc_now_ms();
	assert_int_equal(changelog_purge(db, &LOG, scope, now, &err), CHANGELOG_PURGE_BATCH);
	assert_null(changelog_at(db, &LOG, scope, CHANGELOG_PURGE_BATCH, &err));
	assert_true(changelog_gone(&err));
	assert_non_null(changelog_at(db, &LOG, scope, CHANGELOG_PURGE_BATCH + 1, &err));
	assert_int_equal(changelog_purge(db, &LOG, scope, now, &err), 500);
	assert_int_equal(changelog_purge(db, &LOG, scope, now, &err), 0);
	assert_int_equal(changelog_head(db, &LOG, scope, &err), N);
	append(scope, "y", N + 1);
}

/* One process purges at most every few minutes, however often its
 * refresher passes. */
static void a_process_purges_every_few_minutes(void **state)
{
	(void)state;
	_Atomic int64_t last = 0;
	int64_t t = 1000 * 1000 * 1000LL;
	assert_true(changelog_purge_due(&last, t));
	assert_false(changelog_purge_due(&last, t + 1000));
	assert_false(changelog_purge_due(&last, t + CHANGELOG_PURGE_EVERY_MS - 1));
	assert_true(changelog_purge_due(&last, t + CHANGELOG_PURGE_EVERY_MS));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_purge_takes_the_old_records_only),
		cmocka_unit_test(a_long_log_goes_a_batch_at_a_time),
		cmocka_unit_test(a_process_purges_every_few_minutes),
	};
	return cmocka_run_group_tests(tests, open_db, close_db);
}
