#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "http/router.h"

static void literal_paths_match_exactly(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct param *p = NULL;
	assert_true(route_match(a, "/", "/", &p));
	assert_true(route_match(a, "/ping", "/ping", &p));
	assert_false(route_match(a, "/ping", "/ping/", &p));
	assert_false(route_match(a, "/ping", "/pin", &p));
	assert_false(route_match(a, "/ping", "/pingpong", &p));
	assert_false(route_match(a, "/", "", &p));
	assert_null(p);
	arena_free(a);
}

static void parameters_take_one_segment(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct param *p = NULL;
	assert_true(route_match(a, "/pratiques/{slug}", "/pratiques/teletravail", &p));
	assert_string_equal(param_get(p, "slug"), "teletravail");
	p = NULL;
	assert_false(route_match(a, "/pratiques/{slug}", "/pratiques/", &p));
	assert_false(route_match(a, "/pratiques/{slug}", "/pratiques/a/b", &p));
	assert_null(p);
	assert_true(route_match(a, "/api/v1/practices/{id}/reuses/{org}",
				"/api/v1/practices/42/reuses/caf31", &p));
	assert_string_equal(param_get(p, "id"), "42");
	assert_string_equal(param_get(p, "org"), "caf31");
	assert_int_equal(param_count(p), 2);
	arena_free(a);
}

static void every_route_is_well_formed(void **state)
{
	(void)state;
	for (size_t i = 0; i < ROUTES_COUNT; i++) {
		assert_non_null(ROUTES[i].handler);
		assert_int_equal(ROUTES[i].pattern[0], '/');
		assert_true(strcmp(ROUTES[i].method, "GET") == 0 ||
			    strcmp(ROUTES[i].method, "POST") == 0 ||
			    strcmp(ROUTES[i].method, "PUT") == 0 ||
			    strcmp(ROUTES[i].method, "DELETE") == 0);
		/* Only what any anonymous visitor may GET is shared from the page
		 * cache. */
		if (ROUTES[i].cache)
			assert_true(strcmp(ROUTES[i].method, "GET") == 0 &&
				    ROUTES[i].role == ROLE_PUBLIC);
		/* No two routes claim the same method and pattern. */
		for (size_t j = i + 1; j < ROUTES_COUNT; j++)
			assert_false(strcmp(ROUTES[i].method, ROUTES[j].method) == 0 &&
				     strcmp(ROUTES[i].pattern, ROUTES[j].pattern) == 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(literal_paths_match_exactly),
		cmocka_unit_test(parameters_take_one_segment),
		cmocka_unit_test(every_route_is_well_formed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
