/* The database server as the app uses it: a lookup by _id reads the _id
 * index (FerretDB on SQLite needs deploy/ferretdb's patch for that), and a
 * delete matching more documents than SQLite has variables goes through. */
#include <mongoc/mongoc.h>
#include <stdio.h>
#include <string.h>

#include "db/batch.h"
#include "support.h"

/* Returns a collection of the test database emptied for this test; the
 * caller destroys it. */
static mongoc_collection_t *fresh_collection(const char *name)
{
	mongoc_collection_t *c = mongo_collection(name);
	assert_non_null(c);
	bson_error_t error;
	if (!mongoc_collection_drop(c, &error) &&
	    error.code != MONGOC_ERROR_COLLECTION_DOES_NOT_EXIST)
		fail_msg("dropping %s: %s", name, error.message);
	return c;
}

/* Inserts n documents {_id: <24 hex digits of i>, kind: kind_of(i)}. */
static void insert_numbered(mongoc_collection_t *c, int n, const char *(*kind_of)(int))
{
	mongoc_bulk_operation_t *bulk = mongoc_collection_create_bulk_operation_with_opts(c, NULL);
	for (int i = 0; i < n; i++) {
		char id[25];
		snprintf(id, sizeof(id), "%024x", i);
		bson_t *doc = BCON_NEW("_id", BCON_UTF8(id), "kind", BCON_UTF8(kind_of(i)));
		mongoc_bulk_operation_insert(bulk, doc);
		bson_destroy(doc);
	}
	bson_t reply;
	bson_error_t error;
	bool ok = mongoc_bulk_operation_execute(bulk, &reply, &error);
	if (!ok)
		fail_msg("inserting %d documents: %s", n, error.message);
	bson_destroy(&reply);
	mongoc_bulk_operation_destroy(bulk);
}

/* Returns whether one line of FerretDB's SQLite query plan (its explain
 * gives queryPlanner.Plan, an array of "id=N parent=N notused=N
 * detail=..." strings) searches the collection's _id_ index, as in
 * "detail=SEARCH t_1a2b3c4d USING INDEX t_1a2b3c4d__id_ (<expr>=?)".
 * Without the patch it reads "detail=SCAN t_1a2b3c4d". */
static bool sqlite_plan_uses_id_index(bson_iter_t *plan)
{
	bson_iter_t line;
	if (!BSON_ITER_HOLDS_ARRAY(plan) || !bson_iter_recurse(plan, &line))
		return false;
	while (bson_iter_next(&line)) {
		const char *text = BSON_ITER_HOLDS_UTF8(&line) ? bson_iter_utf8(&line, NULL) : "";
		if (strstr(text, "detail=SEARCH ") && strstr(text, " USING INDEX ") &&
		    strstr(text, "__id_ (<expr>=?)"))
			return true;
	}
	return false;
}

/* Returns whether a MongoDB plan (queryPlanner.winningPlan, any depth:
 * inputStage, inputStages, the queryPlan of slot-based plans) has a stage
 * that reads the _id index: IDHACK (6.x, 7.x), EXPRESS_IXSCAN (8.x) or an
 * IXSCAN of _id_. */
static bool mongodb_plan_uses_id_index(bson_iter_t *node)
{
	bson_iter_t child;
	if (!(BSON_ITER_HOLDS_DOCUMENT(node) || BSON_ITER_HOLDS_ARRAY(node)) ||
	    !bson_iter_recurse(node, &child))
		return false;
	const char *stage = NULL, *index = "";
	bool below = false;
	while (bson_iter_next(&child)) {
		if (strcmp(bson_iter_key(&child), "stage") == 0 && BSON_ITER_HOLDS_UTF8(&child))
			stage = bson_iter_utf8(&child, NULL);
		else if (strcmp(bson_iter_key(&child), "indexName") == 0 &&
			 BSON_ITER_HOLDS_UTF8(&child))
			index = bson_iter_utf8(&child, NULL);
		else
			below = below || mongodb_plan_uses_id_index(&child);
	}
	return below || (stage && (strcmp(stage, "IDHACK") == 0 ||
				   (strstr(stage, "IXSCAN") && strcmp(index, "_id_") == 0)));
}

/* Explains find({_id: id}) on c and fails the test unless the plan reads
 * the _id index, printing the explain output. */
static void assert_find_by_id_uses_index(mongoc_collection_t *c, const bson_value_t *id)
{
	bson_t filter = BSON_INITIALIZER;
	BSON_APPEND_VALUE(&filter, "_id", id);
	bson_t *cmd = BCON_NEW("explain", "{", "find", BCON_UTF8(mongoc_collection_get_name(c)),
			       "filter", BCON_DOCUMENT(&filter), "}", "verbosity",
			       BCON_UTF8("queryPlanner"));

	bson_t reply;
	bson_error_t error;
	if (!mongoc_collection_command_simple(c, cmd, NULL, &reply, &error))
		fail_msg("explain: %s", error.message);
	bson_iter_t plan;
	bool indexed = (bson_iter_init(&plan, &reply) &&
			bson_iter_find_descendant(&plan, "queryPlanner.Plan", &plan) &&
			sqlite_plan_uses_id_index(&plan)) ||
		       (bson_iter_init(&plan, &reply) &&
			bson_iter_find_descendant(&plan, "queryPlanner.winningPlan", &plan) &&
			mongodb_plan_uses_id_index(&plan));
	char *text = bson_as_relaxed_extended_json(&reply, NULL);
	if (!indexed)
		fail_msg("find by _id does not use the _id index: %s", text);
	bson_free(text);
	bson_destroy(&reply);
	bson_destroy(&filter);
	bson_destroy(cmd);
}

static const char *plain(int i)
{
	(void)i;
	return "plain";
}

static void find_by_id_uses_the_id_index(void **state)
{
	(void)state;
	mongoc_collection_t *c = fresh_collection("itest_id_index");
	insert_numbered(c, 500, plain);
	/* FerretDB pushes strings and ObjectIds down to SQLite; both are ids
	 * the app uses. */
	bson_oid_t oid;
	bson_oid_init(&oid, NULL);
	bson_t *doc = BCON_NEW("_id", BCON_OID(&oid), "kind", BCON_UTF8("plain"));
	bson_error_t error;
	if (!mongoc_collection_insert_one(c, doc, NULL, NULL, &error))
		fail_msg("insert: %s", error.message);
	bson_destroy(doc);

	bson_value_t id = {.value_type = BSON_TYPE_UTF8};
	id.value.v_utf8.str = "0000000000000000000000fa";
	id.value.v_utf8.len = (uint32_t)strlen(id.value.v_utf8.str);
	assert_find_by_id_uses_index(c, &id);
	bson_value_t object_id = {.value_type = BSON_TYPE_OID, .value.v_oid = oid};
	assert_find_by_id_uses_index(c, &object_id);
	mongoc_collection_destroy(c);
}

/* One document in 801 is kept: they sit inside every batch's _id range. */
static const char *mostly_purged(int i)
{
	return i % 801 ? "purge" : "keep";
}

static void delete_of_40000_documents_goes_through(void **state)
{
	(void)state;
	mongoc_collection_t *c = fresh_collection("itest_bulk_delete");
	insert_numbered(c, 40050, mostly_purged);

	bson_t *filter = BCON_NEW("kind", BCON_UTF8("purge"));
	bson_error_t error;
	int64_t deleted = db_delete_batched(c, filter, &error);
	if (deleted < 0)
		fail_msg("db_delete_batched: %s", error.message);
	assert_int_equal(deleted, 40000);
	assert_int_equal(mongo_count("itest_bulk_delete", "{\"kind\": \"purge\"}"), 0);
	assert_int_equal(mongo_count("itest_bulk_delete", "{\"kind\": \"keep\"}"), 50);
	/* Nothing left to match: nothing deleted, no error. */
	assert_int_equal(db_delete_batched(c, filter, &error), 0);
	bson_destroy(filter);
	mongoc_collection_drop(c, NULL);
	mongoc_collection_destroy(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(find_by_id_uses_the_id_index),
		cmocka_unit_test(delete_of_40000_documents_goes_through),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
