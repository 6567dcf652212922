/* The one pager (web/pager.h): how many pages a list fills, and which
 * links a page shows. */
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "web/pager.h"

static void an_empty_list_is_one_page(void **state)
{
	(void)state;
	assert_int_equal(pager_pages(0, 20), 1);
	assert_int_equal(pager_pages(1, 20), 1);
	assert_int_equal(pager_pages(20, 20), 1);
	assert_int_equal(pager_pages(21, 20), 2);
	assert_int_equal(pager_pages(1000, 50), 20);
}

/* Alone on its page, a list shows no pager at all. */
static void a_single_page_has_nowhere_to_go(void **state)
{
	(void)state;
	json_t *p = pager_new(1, 1, NULL, NULL);
	assert_int_equal(json_integer_value(json_object_get(p, "page")), 1);
	assert_int_equal(json_integer_value(json_object_get(p, "pages")), 1);
	assert_true(json_is_false(json_object_get(p, "several")));
	assert_null(json_object_get(p, "prev"));
	assert_null(json_object_get(p, "next"));
	json_decref(p);
}

/* The links given are the links shown, and only those. */
static void links_lead_where_there_is_a_page(void **state)
{
	(void)state;
	json_t *first = pager_new(1, 3, NULL, "/pratiques?page=2");
	assert_true(json_is_true(json_object_get(first, "several")));
	assert_null(json_object_get(first, "prev"));
	assert_string_equal(json_string_value(json_object_get(first, "next")), "/pratiques?page=2");
	json_decref(first);

	json_t *middle = pager_new(2, 3, "/pratiques", "/pratiques?page=3");
	assert_string_equal(json_string_value(json_object_get(middle, "prev")), "/pratiques");
	assert_string_equal(json_string_value(json_object_get(middle, "next")),
			    "/pratiques?page=3");
	json_decref(middle);

	/* Past the end, the way back is all there is. */
	json_t *beyond = pager_new(9, 3, "/pratiques?page=3", NULL);
	assert_true(json_is_true(json_object_get(beyond, "several")));
	assert_null(json_object_get(beyond, "next"));
	json_decref(beyond);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_empty_list_is_one_page),
		cmocka_unit_test(a_single_page_has_nowhere_to_go),
		cmocka_unit_test(links_lead_where_there_is_a_page),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
