/* db_delete_batched's batches: each one is the caller's filter bounded by
 * the largest _id of the batch, whatever the id's type, and the caller's
 * filter is left as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "db/batch.h"

/* Returns the canonical extended JSON of doc (bson_free it). */
static char *json(const bson_t *doc)
{
	return bson_as_canonical_extended_json(doc, NULL);
}

static void assert_json(const bson_t *doc, const char *expected)
{
	char *text = json(doc);
	assert_string_equal(text, expected);
	bson_free(text);
}

static void batch_filter_bounds_the_callers_filter_by_a_string_id(void **state)
{
	(void)state;
	bson_t *filter = BCON_NEW("at", "{", "$lt", BCON_INT64(5), "}");
	bson_value_t last = {.value_type = BSON_TYPE_UTF8};
	last.value.v_utf8.str = "s-42";
	last.value.v_utf8.len = 4;
	bson_t *batch = db_batch_filter_upto(filter, &last);
	assert_json(batch, "{ \"$and\" : [ { \"at\" : { \"$lt\" : { \"$numberLong\" : \"5\" } } }, "
			   "{ \"_id\" : { \"$lte\" : \"s-42\" } } ] }");
	assert_json(filter, "{ \"at\" : { \"$lt\" : { \"$numberLong\" : \"5\" } } }");
	bson_destroy(batch);
	bson_destroy(filter);
}

static void batch_filter_keeps_an_object_id_and_takes_an_empty_filter(void **state)
{
	(void)state;
	bson_t *filter = bson_new();
	bson_value_t last = {.value_type = BSON_TYPE_OID};
	bson_oid_init_from_string(&last.value.v_oid, "65a1b2c3d4e5f60718293a4b");
	bson_t *batch = db_batch_filter_upto(filter, &last);
	assert_json(batch, "{ \"$and\" : [ {  }, { \"_id\" : { \"$lte\" : "
			   "{ \"$oid\" : \"65a1b2c3d4e5f60718293a4b\" } } } ] }");
	bson_destroy(batch);
	bson_destroy(filter);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(batch_filter_bounds_the_callers_filter_by_a_string_id),
		cmocka_unit_test(batch_filter_keeps_an_object_id_and_takes_an_empty_filter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
