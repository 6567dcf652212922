#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/utf8.h"
#include "http/params.h"
#include "http/urlencoded.h"

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

/* Parses a string literal with lim (NULL for the defaults). */
static enum parse_status parse(struct arena *a, const char *s, const struct form_limits *lim,
			       struct param **out)
{
	return urlencoded_parse(a, s, strlen(s), lim, out);
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

	assert_int_equal(parse(*state, "a=1&b=x+y&c=%C3%A9", NULL, &p), PARSE_OK);
	assert_int_equal(param_count(p), 3);
	assert_param(p, "a", "1");
	assert_param(p->next, "b", "x y");
	assert_param(p->next->next, "c", "\xC3\xA9");
	assert_string_equal(param_get(p, "c"), "\xC3\xA9");
	assert_null(param_get(p, "d"));
	assert_null(param_get(p, NULL));
}

static void test_plus_and_percent_in_names(void **state)
{
	struct param *p;

	assert_int_equal(parse(*state, "first+name=Ren%C3%A9e&a%26b=%3D%2B", NULL, &p), PARSE_OK);
	assert_param(p, "first name",
		     "Ren\xC3\xA9"
		     "e");
	assert_param(p->next, "a&b", "=+");
	assert_null(p->next->next);
}

static void test_empty_pairs_and_missing_equals(void **state)
{
	struct param *p;

	assert_int_equal(parse(*state, "&a=1&&b&=x&c=&", NULL, &p), PARSE_OK);
	assert_int_equal(param_count(p), 3);
	assert_param(p, "a", "1");
	assert_param(p->next, "b", "");
	assert_param(p->next->next, "c", "");
}

static void test_value_with_equals(void **state)
{
	struct param *p;

	assert_int_equal(parse(*state, "t=a=b==", NULL, &p), PARSE_OK);
	assert_param(p, "t", "a=b==");
}

static void test_empty_input(void **state)
{
	struct param *p = (struct param *)1;

	assert_int_equal(urlencoded_parse(*state, NULL, 0, NULL, &p), PARSE_OK);
	assert_null(p);
	assert_int_equal(parse(*state, "&&&", NULL, &p), PARSE_OK);
	assert_null(p);
	assert_int_equal(param_count(NULL), 0);
}

static void test_duplicates_kept_in_order(void **state)
{
	struct param *p;

	assert_int_equal(parse(*state, "tag=b&x=0&tag=a&tag=c", NULL, &p), PARSE_OK);
	assert_int_equal(param_count(p), 4);
	assert_string_equal(param_get(p, "tag"), "b");
	assert_param(p->next->next, "tag", "a");
	assert_param(p->next->next->next, "tag", "c");
}

static void test_not_nul_terminated(void **state)
{
	struct param *p;
	const char s[] = {'a', '=', '1', '2', '%'}; /* '%' is past len */

	assert_int_equal(urlencoded_parse(*state, s, 4, NULL, &p), PARSE_OK);
	assert_param(p, "a", "12");
}

static void test_bad_percent(void **state)
{
	struct param *p = (struct param *)1;

	assert_int_equal(parse(*state, "a=%zz", NULL, &p), PARSE_BAD_ENCODING);
	assert_null(p);
	assert_int_equal(parse(*state, "a=%4", NULL, &p), PARSE_BAD_ENCODING);
	assert_int_equal(parse(*state, "a=%", NULL, &p), PARSE_BAD_ENCODING);
	assert_int_equal(parse(*state, "a=%4g&b=1", NULL, &p), PARSE_BAD_ENCODING);
	assert_int_equal(parse(*state, "%=1", NULL, &p), PARSE_BAD_ENCODING);
	/* The truncated escape at the end of a pair does not borrow '&'. */
	assert_int_equal(parse(*state, "a=%4&1", NULL, &p), PARSE_BAD_ENCODING);
}

static void test_bad_utf8(void **state)
{
	struct param *p = (struct param *)1;

	assert_int_equal(parse(*state, "a=%C0%AF", NULL, &p), PARSE_BAD_UTF8);
	assert_null(p);
	assert_int_equal(parse(*state, "a=%E0%80%80", NULL, &p), PARSE_BAD_UTF8);
	assert_int_equal(parse(*state, "a=%ED%A0%80", NULL, &p), PARSE_BAD_UTF8);
	assert_int_equal(parse(*state, "a=%FF", NULL, &p), PARSE_BAD_UTF8);
	assert_int_equal(parse(*state, "a=x%00y", NULL, &p), PARSE_BAD_UTF8);
	assert_int_equal(parse(*state, "%00=1", NULL, &p), PARSE_BAD_UTF8);
	assert_int_equal(parse(*state, "a=\xC3", NULL, &p), PARSE_BAD_UTF8);
	/* NUL in the raw input is rejected as well. */
	assert_int_equal(urlencoded_parse(*state, "a=\0b", 4, NULL, &p), PARSE_BAD_UTF8);
}

static void test_value_limit(void **state)
{
	struct form_limits lim = {.max_fields = 4, .max_name = 8, .max_value = 10000};
	char *s = malloc(10002 + 3 * 10000 + 1);
	struct param *p;

	memcpy(s, "v=", 2);
	memset(s + 2, 'x', 10000);
	s[10002] = '\0';
	assert_int_equal(parse(*state, s, &lim, &p), PARSE_OK);
	assert_int_equal(p->value_len, 10000);

	s[10002] = 'x';
	s[10003] = '\0';
	assert_int_equal(parse(*state, s, &lim, &p), PARSE_TOO_LARGE);
	assert_null(p);

	/* The limit applies to the decoded length: 10,000 escapes fit. */
	for (size_t i = 0; i < 10000; i++)
		memcpy(s + 2 + 3 * i, "%41", 3);
	s[2 + 3 * 10000] = '\0';
	assert_int_equal(parse(*state, s, &lim, &p), PARSE_OK);
	assert_int_equal(p->value_len, 10000);
	assert_int_equal(p->value[9999], 'A');
	free(s);
}

static void test_default_limits(void **state)
{
	char *s = malloc(2 + 1024 * 1024 + 2);
	struct param *p;

	assert_int_equal(FORM_LIMITS_DEFAULT.max_fields, 256);
	assert_int_equal(FORM_LIMITS_DEFAULT.max_name, 128);
	assert_int_equal(FORM_LIMITS_DEFAULT.max_value, 1024 * 1024);
	memcpy(s, "v=", 2);
	memset(s + 2, 'y', 1024 * 1024 + 1);
	assert_int_equal(urlencoded_parse(*state, s, 2 + 1024 * 1024, NULL, &p), PARSE_OK);
	assert_int_equal(urlencoded_parse(*state, s, 3 + 1024 * 1024, NULL, &p), PARSE_TOO_LARGE);
	free(s);
}

static void test_name_limit(void **state)
{
	struct form_limits lim = {.max_fields = 4, .max_name = 3, .max_value = 10};
	struct param *p;

	assert_int_equal(parse(*state, "abc=1", &lim, &p), PARSE_OK);
	assert_int_equal(parse(*state, "abcd=1", &lim, &p), PARSE_TOO_LARGE);
	assert_int_equal(parse(*state, "%41%42%43=1", &lim, &p), PARSE_OK);
	assert_string_equal(p->name, "ABC");
}

static void test_too_many(void **state)
{
	struct form_limits lim = {.max_fields = 3, .max_name = 8, .max_value = 8};
	struct param *p = (struct param *)1;

	assert_int_equal(parse(*state, "a=1&b=2&c=3&&", &lim, &p), PARSE_OK);
	assert_int_equal(param_count(p), 3);
	assert_int_equal(parse(*state, "a=1&b=2&c=3&d", &lim, &p), PARSE_TOO_MANY);
	assert_null(p);
}

static void test_url_decode(void **state)
{
	size_t n = 99;
	char *s;

	s = url_decode(*state, "a+b%2Bc%20", 10, true, &n);
	assert_string_equal(s, "a b+c ");
	assert_int_equal(n, 6);
	s = url_decode(*state, "a+b%2Bc", 7, false, &n);
	assert_string_equal(s, "a+b+c");
	s = url_decode(*state, "x%00y", 5, false, &n);
	assert_non_null(s);
	assert_int_equal(n, 3);
	assert_memory_equal(s, "x\0y", 4);
	s = url_decode(*state, NULL, 0, true, &n);
	assert_string_equal(s, "");
	assert_int_equal(n, 0);
	assert_non_null(url_decode(*state, "%aF%Af", 6, true, NULL));
	n = 99;
	assert_null(url_decode(*state, "ab%2", 4, true, &n));
	assert_int_equal(n, 0);
	assert_null(url_decode(*state, "%G0", 3, true, &n));
	assert_null(url_decode(*state, "%%41", 4, true, &n));
}

static void test_status_messages(void **state)
{
	enum parse_status all[] = {
		PARSE_BAD_ENCODING, PARSE_BAD_UTF8,         PARSE_TOO_LARGE,
		PARSE_TOO_MANY,     PARSE_TRUNCATED,        PARSE_MALFORMED,
		PARSE_IO,           PARSE_HEADER_TOO_LARGE, PARSE_REFUSED,
	};
	const size_t n = sizeof(all) / sizeof(all[0]);

	(void)state;
	assert_string_equal(parse_status_message(PARSE_OK), "");
	assert_string_equal(parse_status_message(PARSE_BAD_UTF8),
			    "Le texte envoyé n’est pas encodé en UTF-8 valide.");
	assert_string_equal(parse_status_message(PARSE_TOO_LARGE),
			    "Un champ ou un fichier dépasse la taille autorisée.");
	assert_non_null(strstr(parse_status_message(PARSE_HEADER_TOO_LARGE), "En-tête"));
	for (size_t i = 0; i < n; i++) {
		const char *m = parse_status_message(all[i]);

		assert_true(strlen(m) > 10);
		assert_true(utf8_valid(m, strlen(m)));
		assert_int_equal(m[strlen(m) - 1], '.');
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(m, parse_status_message(all[j]));
	}
	assert_non_null(parse_status_message((enum parse_status)99));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_basic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plus_and_percent_in_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_pairs_and_missing_equals, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_value_with_equals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicates_kept_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_nul_terminated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_percent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_value_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_name_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_url_decode, setup, teardown),
		cmocka_unit_test(test_status_messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
