#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "accounts/role_scope.h"
#include "core/arena.h"
#include "web/router.h"

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

/* Returns true when r's scope template builds a scope from r's own
 * parameters, each given the value "x". */
static bool scope_names_route_params(const struct route *r)
{
	struct arena *a = arena_new();
	char path[512];
	size_t used = 0;
	for (const char *p = r->pattern; *p && used + 1 < sizeof(path); p++) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		path[used++] = close ? 'x' : *p;
		p = close ? close : p;
	}
	path[used] = '\0';
	struct param *params = NULL;
	bool ok = route_match(a, r->pattern, path, &params) &&
		  role_scope_from_params(a, r->scope, params) != NULL;
	arena_free(a);
	return ok;
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
		/* Only GETs are shared from the page cache: public pages by
		 * anyone, a role's pages (the coordinators' board) by the
		 * signed-in holders of that role alone, once it is checked: with
		 * a personal hook and no scope, which a set of roles does not
		 * say. */
		if (ROUTES[i].cache)
			assert_true(strcmp(ROUTES[i].method, "GET") == 0 &&
				    (ROUTES[i].role == ROLE_PUBLIC ||
				     (ROUTES[i].personal && !ROUTES[i].scope)));
		/* A scope needs a role beyond agent, named from the route's own
		 * parameters. */
		if (ROUTES[i].scope) {
			assert_true(ROUTES[i].role > ROLE_AGENT);
			assert_true(scope_names_route_params(&ROUTES[i]));
		}
		/* No two routes claim the same method and pattern. */
		for (size_t j = i + 1; j < ROUTES_COUNT; j++)
			assert_false(strcmp(ROUTES[i].method, ROUTES[j].method) == 0 &&
				     strcmp(ROUTES[i].pattern, ROUTES[j].pattern) == 0);
	}
}

static void literal_segments_take_precedence(void **state)
{
	(void)state;
	assert_true(route_precedence("/pratiques/nouvelle", "/pratiques/{slug}") > 0);
	assert_true(route_precedence("/pratiques/{slug}", "/pratiques/nouvelle") < 0);
	/* Left to right: the first segment that differs in kind decides. */
	assert_true(route_precedence("/a/b/{c}", "/a/{b}/c") > 0);
	assert_true(route_precedence("/a/{b}/c", "/a/b/{c}") < 0);
	/* Same shape: neither wins. */
	assert_int_equal(route_precedence("/a/{x}", "/a/{y}"), 0);
	assert_int_equal(route_precedence("/a/b", "/a/c"), 0);
	/* A segment mixing text and a parameter counts as a parameter. */
	assert_true(route_precedence("/f/export.csv", "/f/{id}.csv") > 0);
}

static void literal_wins_wherever_it_sits_in_the_table(void **state)
{
	(void)state;
	size_t param = ROUTES_COUNT, literal = ROUTES_COUNT;
	for (size_t i = 0; i < ROUTES_COUNT; i++)
		if (strcmp(ROUTES[i].method, "GET") == 0) {
			if (strcmp(ROUTES[i].pattern, "/pratiques/{slug}") == 0)
				param = i;
			else if (strcmp(ROUTES[i].pattern, "/pratiques/nouvelle") == 0)
				literal = i;
		}
	/* The table lists the sheet first: the lookup must not stop there. */
	assert_true(param < literal && literal < ROUTES_COUNT);
	struct arena *a = arena_new();
	struct param *p = NULL;
	bool path_known;
	const struct route *r = route_lookup(a, "GET", "/pratiques/nouvelle", &p, &path_known);
	assert_non_null(r);
	assert_string_equal(r->pattern, "/pratiques/nouvelle");
	assert_null(p);
	r = route_lookup(a, "GET", "/pratiques/teletravail", &p, &path_known);
	assert_string_equal(r->pattern, "/pratiques/{slug}");
	assert_string_equal(param_get(p, "slug"), "teletravail");
	p = NULL;
	/* Another method on a known path: 405, not 404. */
	assert_null(route_lookup(a, "DELETE", "/pratiques/nouvelle", &p, &path_known));
	assert_true(path_known);
	assert_null(route_lookup(a, "GET", "/nulle-part", &p, &path_known));
	assert_false(path_known);
	arena_free(a);
}

/* Returns the number of segments of pattern. */
static size_t segment_count(const char *pattern)
{
	size_t n = 0;
	for (const char *s = pattern; *s; s++)
		n += *s == '/';
	return n;
}

/* Returns true when the segment at s (up to '/') holds a {param}. */
static bool is_param(const char *s)
{
	size_t n = strcspn(s, "/");
	return memchr(s, '{', n) != NULL;
}

/* Returns true when some path matches both a and b; on true, writes one
 * such path to path (literal segments, "x" for parameters). */
static bool overlap(const char *a, const char *b, char *path, size_t size)
{
	if (segment_count(a) != segment_count(b))
		return false;
	size_t used = 0;
	while (*a && *b) {
		a += *a == '/';
		b += *b == '/';
		size_t na = strcspn(a, "/"), nb = strcspn(b, "/");
		bool pa = is_param(a), pb = is_param(b);
		if (!pa && !pb && (na != nb || memcmp(a, b, na) != 0))
			return false;
		const char *seg = !pa ? a : !pb ? b : "x";
		size_t n = !pa ? na : !pb ? nb : 1;
		used += (size_t)snprintf(path + used, size - used, "/%.*s", (int)n, seg);
		a += na;
		b += nb;
	}
	return used < size;
}

/* Returns true when every segment of a is at least as specific as b's
 * (literal where b is literal) and one is strictly more. */
static bool dominates(const char *a, const char *b)
{
	bool strict = false;
	while (*a && *b) {
		a += *a == '/';
		b += *b == '/';
		if (is_param(a) && !is_param(b))
			return false;
		strict |= !is_param(a) && is_param(b);
		a += strcspn(a, "/");
		b += strcspn(b, "/");
	}
	return strict;
}

static void no_route_shadows_another(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	size_t overlaps = 0;
	for (size_t i = 0; i < ROUTES_COUNT; i++)
		for (size_t j = i + 1; j < ROUTES_COUNT; j++) {
			const struct route *ri = &ROUTES[i], *rj = &ROUTES[j];
			char path[512];
			if (strcmp(ri->method, rj->method) != 0 ||
			    !overlap(ri->pattern, rj->pattern, path, sizeof(path)))
				continue;
			/* Both match path: one must be more specific in every
			 * segment, so that the choice reads off the patterns. */
			const struct route *winner = dominates(ri->pattern, rj->pattern)   ? ri
						     : dominates(rj->pattern, ri->pattern) ? rj
											   : NULL;
			if (!winner)
				fail_msg("%s %s and %s both match %s with no winner", ri->method,
					 ri->pattern, rj->pattern, path);
			struct param *p = NULL;
			bool path_known;
			const struct route *found = route_lookup(a, ri->method, path, &p,
								 &path_known);
			assert_ptr_equal(found, winner);
			overlaps++;
		}
	/* The table has such pairs (/pratiques/nouvelle, /pratiques/{slug}...). */
	assert_true(overlaps > 0);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(literal_paths_match_exactly),
		cmocka_unit_test(parameters_take_one_segment),
		cmocka_unit_test(every_route_is_well_formed),
		cmocka_unit_test(literal_segments_take_precedence),
		cmocka_unit_test(literal_wins_wherever_it_sits_in_the_table),
		cmocka_unit_test(no_route_shadows_another),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
