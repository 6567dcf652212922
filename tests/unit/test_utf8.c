#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/utf8.h"

#define VALID(lit) assert_true(utf8_valid(lit, sizeof(lit) - 1))
#define INVALID(lit) assert_false(utf8_valid(lit, sizeof(lit) - 1))

static void test_ascii_and_empty(void **state)
{
	(void)state;
	assert_true(utf8_valid(NULL, 0));
	assert_true(utf8_valid("", 0));
	VALID("hello, world ~\x7F");
}

static void test_multibyte_bounds(void **state)
{
	(void)state;
	VALID("\xC2\x80");             /* U+0080 */
	VALID("\xDF\xBF");             /* U+07FF */
	VALID("\xE0\xA0\x80");         /* U+0800 */
	VALID("\xED\x9F\xBF");         /* U+D7FF */
	VALID("\xEE\x80\x80");         /* U+E000 */
	VALID("\xEF\xBF\xBF");         /* U+FFFF */
	VALID("\xF0\x90\x80\x80");     /* U+10000 */
	VALID("\xF4\x8F\xBF\xBF");     /* U+10FFFF */
	VALID("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
}

static void test_overlongs(void **state)
{
	(void)state;
	INVALID("\xC0\x80");           /* NUL */
	INVALID("\xC0\xAF");           /* '/' */
	INVALID("\xC1\xBF");
	INVALID("\xE0\x80\xAF");
	INVALID("\xE0\x9F\xBF");
	INVALID("\xF0\x80\x80\xAF");
	INVALID("\xF0\x8F\xBF\xBF");
}

static void test_surrogates_and_range(void **state)
{
	(void)state;
	INVALID("\xED\xA0\x80");       /* U+D800 */
	INVALID("\xED\xBF\xBF");       /* U+DFFF */
	INVALID("\xF4\x90\x80\x80");   /* U+110000 */
	INVALID("\xF5\x80\x80\x80");
	INVALID("\xFE");
	INVALID("\xFF");
}

static void test_truncated_and_stray(void **state)
{
	(void)state;
	INVALID("\x80");
	INVALID("a\xBF");
	INVALID("\xC3");
	INVALID("\xE2\x82");
	INVALID("\xF0\x9F\x98");
	INVALID("\xE2\x82 ");
	INVALID("\xC3\xC3\xA9");
	INVALID("\xF0\x9F\x98\x28");
}

static void test_nul_rejected(void **state)
{
	(void)state;
	assert_false(utf8_valid("a\0b", 3));
	assert_false(utf8_valid("\0", 1));
	/* Length is honoured: bytes past n are never read. */
	assert_true(utf8_valid("ab\xFF", 2));
	assert_false(utf8_valid("\xC3\xA9", 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ascii_and_empty),
		cmocka_unit_test(test_multibyte_bounds),
		cmocka_unit_test(test_overlongs),
		cmocka_unit_test(test_surrogates_and_range),
		cmocka_unit_test(test_truncated_and_stray),
		cmocka_unit_test(test_nul_rejected),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
