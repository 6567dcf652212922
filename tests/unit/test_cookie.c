#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "http/cookie.h"
#include "http/params.h"

static int setup(void **state)
{
	*state = arena_new();
	return 0;
}

static int teardown(void **state)
{
	arena_free(*state);
	return 0;
}

static void assert_param(const struct param *p, const char *name, const char *value)
{
	assert_non_null(p);
	assert_string_equal(p->name, name);
	assert_string_equal(p->value, value);
	assert_int_equal(p->value_len, strlen(value));
}

static void test_basic(void **state)
{
	struct param *p;

	assert_int_equal(cookie_parse(*state, "a=1; b=2", &p), PARSE_OK);
	assert_int_equal(param_count(p), 2);
	assert_param(p, "a", "1");
	assert_param(p->next, "b", "2");
}

static void test_spaces_trimmed(void **state)
{
	struct param *p;

	assert_int_equal(cookie_parse(*state, "  sid = abc \t;\tlang=fr  ;", &p), PARSE_OK);
	assert_int_equal(param_count(p), 2);
	assert_param(p, "sid", "abc");
	assert_param(p->next, "lang", "fr");
}

static void test_quoted_values(void **state)
{
	struct param *p;

	assert_int_equal(cookie_parse(*state, "a=\"x y\"; b=\"\"; c=\"; d=\"half; e= \"t\" ", &p),
			 PARSE_OK);
	assert_int_equal(param_count(p), 5);
	assert_param(p, "a", "x y");
	assert_param(p->next, "b", "");
	assert_param(p->next->next, "c", "\"");
	assert_param(p->next->next->next, "d", "\"half");
	assert_param(p->next->next->next->next, "e", "t");
}

static void test_skipped_pairs(void **state)
{
	struct param *p;

	assert_int_equal(cookie_parse(*state, "flag; =orphan;  = x; ;;a=1;b=", &p), PARSE_OK);
	assert_int_equal(param_count(p), 2);
	assert_param(p, "a", "1");
	assert_param(p->next, "b", "");
}

static void test_value_with_equals_not_decoded(void **state)
{
	struct param *p;

	assert_int_equal(cookie_parse(*state, "t=YWJj==; u=a%20b+c", &p), PARSE_OK);
	assert_param(p, "t", "YWJj==");
	assert_param(p->next, "u", "a%20b+c");
}

static void test_duplicates_in_order(void **state)
{
	struct param *p;

	assert_int_equal(cookie_parse(*state, "sid=new; x=1; sid=old", &p), PARSE_OK);
	assert_string_equal(param_get(p, "sid"), "new");
	assert_param(p->next->next, "sid", "old");
}

static void test_empty(void **state)
{
	struct param *p = (struct param *)1;

	assert_int_equal(cookie_parse(*state, NULL, &p), PARSE_OK);
	assert_null(p);
	p = (struct param *)1;
	assert_int_equal(cookie_parse(*state, "", &p), PARSE_OK);
	assert_null(p);
	assert_int_equal(cookie_parse(*state, " ; ;", &p), PARSE_OK);
	assert_null(p);
}

static void test_utf8(void **state)
{
	struct param *p = (struct param *)1;

	assert_int_equal(cookie_parse(*state, "n=caf\xC3\xA9", &p), PARSE_OK);
	assert_param(p, "n", "caf\xC3\xA9");
	assert_int_equal(cookie_parse(*state, "a=1; n=\xC0\xAF", &p), PARSE_BAD_UTF8);
	assert_null(p);
	assert_int_equal(cookie_parse(*state, "\xFF=1", &p), PARSE_BAD_UTF8);
	assert_int_equal(cookie_parse(*state, "a=\xED\xA0\x80", &p), PARSE_BAD_UTF8);
}

static void test_too_many(void **state)
{
	char h[64 * 12 + 16] = "";
	size_t n = 0;
	struct param *p = (struct param *)1;

	for (int i = 0; i < 64; i++)
		n += (size_t)snprintf(h + n, sizeof(h) - n, "c%d=%d; ", i, i);
	assert_int_equal(cookie_parse(*state, h, &p), PARSE_OK);
	assert_int_equal(param_count(p), 64);
	assert_string_equal(param_get(p, "c63"), "63");

	/* Skipped pairs do not count. */
	snprintf(h + n, sizeof(h) - n, "junk; =x");
	assert_int_equal(cookie_parse(*state, h, &p), PARSE_OK);

	snprintf(h + n, sizeof(h) - n, "c64=64");
	assert_int_equal(cookie_parse(*state, h, &p), PARSE_TOO_MANY);
	assert_null(p);
}

static void test_too_large(void **state)
{
	char *h = malloc(10 + 10000);
	struct param *p;

	memcpy(h, "big=", 4);
	memset(h + 4, 'v', 4096);
	h[4 + 4096] = '\0';
	assert_int_equal(cookie_parse(*state, h, &p), PARSE_OK);
	assert_int_equal(p->value_len, 4096);

	/* Quotes do not count towards the limit. */
	h[4] = '"';
	h[4 + 4095] = '"';
	assert_int_equal(cookie_parse(*state, h, &p), PARSE_OK);
	assert_int_equal(p->value_len, 4094);

	memset(h + 4, 'v', 10000);
	h[4 + 10000] = '\0';
	assert_int_equal(cookie_parse(*state, h, &p), PARSE_TOO_LARGE);
	assert_null(p);

	h[4 + 4097] = '\0';
	assert_int_equal(cookie_parse(*state, h, &p), PARSE_TOO_LARGE);

	/* Names are held to the same bound. */
	memset(h, 'n', 4097);
	memcpy(h + 4097, "=1", 3);
	assert_int_equal(cookie_parse(*state, h, &p), PARSE_TOO_LARGE);
	free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_basic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spaces_trimmed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quoted_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skipped_pairs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_value_with_equals_not_decoded, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_duplicates_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_large, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
