/* An account's list of session or token ids: bounded, oldest out first,
 * no id twice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "accounts/user_list.h"

/* Asserts that list holds exactly the strings of expected, in order. */
static void assert_ids(const json_t *list, const char *const *expected, size_t n)
{
	assert_int_equal(json_array_size(list), n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(json_string_value(json_array_get(list, i)), expected[i]);
}

static void appends_below_the_limit(void **state)
{
	(void)state;
	json_t *ids = json_pack("[s, s]", "a", "b"), *dropped;
	json_t *next = user_list_appended(ids, "c", 3, &dropped);
	assert_ids(next, (const char *[]){"a", "b", "c"}, 3);
	assert_int_equal(json_array_size(dropped), 0);
	assert_true(user_list_has(next, "c"));
	assert_false(user_list_has(ids, "c"));
	json_decref(dropped);
	json_decref(next);
	json_decref(ids);
}

/* The oldest go out first, so the newest login always gets in. */
static void takes_the_oldest_out_past_the_limit(void **state)
{
	(void)state;
	json_t *ids = json_pack("[s, s, s]", "a", "b", "c"), *dropped;
	json_t *next = user_list_appended(ids, "d", 2, &dropped);
	assert_ids(next, (const char *[]){"c", "d"}, 2);
	assert_ids(dropped, (const char *[]){"a", "b"}, 2);
	json_decref(dropped);
	json_decref(next);
	json_decref(ids);
}

/* Added again, an id moves to the end instead of appearing twice. */
static void never_holds_an_id_twice(void **state)
{
	(void)state;
	json_t *ids = json_pack("[s, s]", "a", "b"), *dropped;
	json_t *next = user_list_appended(ids, "a", 2, &dropped);
	assert_ids(next, (const char *[]){"b", "a"}, 2);
	assert_int_equal(json_array_size(dropped), 0);
	json_decref(dropped);
	json_decref(next);
	json_decref(ids);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(appends_below_the_limit),
		cmocka_unit_test(takes_the_oldest_out_past_the_limit),
		cmocka_unit_test(never_holds_an_id_twice),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
