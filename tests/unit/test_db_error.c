/* What a failed database call means for the answer: the driver's own
 * errors for a server nobody listens on are outages (503), a stale write
 * is a conflict (409), anything else a bug (500). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <mongoc/mongoc.h>

#include "db/db.h"

/* Returns the error of a ping to a port where nothing listens. */
static bson_error_t unreachable_ping(void)
{
	mongoc_client_t *c = mongoc_client_new(
		"mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=100&connectTimeoutMS=100");
	mongoc_client_set_error_api(c, MONGOC_ERROR_API_VERSION_2);
	bson_error_t error;
	assert_false(db_ping(c, &error));
	mongoc_client_destroy(c);
	return error;
}

static void an_unreachable_server_is_an_outage(void **state)
{
	(void)state;
	bson_error_t error = unreachable_ping();
	assert_int_equal(db_error_kind(&error), DB_KIND_OUTAGE);
	assert_true(db_error_is_outage(&error));
}

static void a_stale_write_is_a_conflict(void **state)
{
	(void)state;
	bson_error_t error;
	bson_set_error(&error, DB_ERROR_DOMAIN_COUSILAB, DB_ERROR_CONFLICT, "changed");
	assert_int_equal(db_error_kind(&error), DB_KIND_CONFLICT);
	assert_false(db_error_is_outage(&error));
}

static void anything_else_is_a_bug(void **state)
{
	(void)state;
	bson_error_t error;
	bson_set_error(&error, MONGOC_ERROR_SERVER, 11000, "E11000 duplicate key");
	assert_int_equal(db_error_kind(&error), DB_KIND_BUG);
	bson_set_error(&error, DB_ERROR_DOMAIN_COUSILAB, DB_ERROR_LOCAL, "disk full");
	assert_int_equal(db_error_kind(&error), DB_KIND_BUG);
	bson_set_error(&error, MONGOC_ERROR_BSON, MONGOC_ERROR_BSON_INVALID, "bad document");
	assert_int_equal(db_error_kind(&error), DB_KIND_BUG);
}

int main(void)
{
	mongoc_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_unreachable_server_is_an_outage),
		cmocka_unit_test(a_stale_write_is_a_conflict),
		cmocka_unit_test(anything_else_is_a_bug),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	mongoc_cleanup();
	return rc;
}
