#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
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
	VALID("\xC2\x80");         /* U+0080 */
	VALID("\xDF\xBF");         /* U+07FF */
	VALID("\xE0\xA0\x80");     /* U+0800 */
	VALID("\xED\x9F\xBF");     /* U+D7FF */
	VALID("\xEE\x80\x80");     /* U+E000 */
	VALID("\xEF\xBF\xBF");     /* U+FFFF */
	VALID("\xF0\x90\x80\x80"); /* U+10000 */
	VALID("\xF4\x8F\xBF\xBF"); /* U+10FFFF */
	VALID("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
}

static void test_overlongs(void **state)
{
	(void)state;
	INVALID("\xC0\x80"); /* NUL */
	INVALID("\xC0\xAF"); /* '/' */
	INVALID("\xC1\xBF");
	INVALID("\xE0\x80\xAF");
	INVALID("\xE0\x9F\xBF");
	INVALID("\xF0\x80\x80\xAF");
	INVALID("\xF0\x8F\xBF\xBF");
}

static void test_surrogates_and_range(void **state)
{
	(void)state;
	INVALID("\xED\xA0\x80");     /* U+D800 */
	INVALID("\xED\xBF\xBF");     /* U+DFFF */
	INVALID("\xF4\x90\x80\x80"); /* U+110000 */
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

#define REFUSED(lit, lines) utf8_refused_char(lit, sizeof(lit) - 1, lines)

static void test_one_line_refusals(void **state)
{
	(void)state;
	assert_int_equal(REFUSED("Café « crème » ’ 😀", UTF8_ONE_LINE), -1);
	assert_int_equal(REFUSED("", UTF8_ONE_LINE), -1);
	assert_int_equal(REFUSED("a\tb", UTF8_ONE_LINE), '\t');
	assert_int_equal(REFUSED("a\nb", UTF8_ONE_LINE), '\n');
	assert_int_equal(REFUSED("a\rb", UTF8_ONE_LINE), '\r');
	assert_int_equal(REFUSED("\x1b[31mrouge", UTF8_ONE_LINE), 0x1B);
	assert_int_equal(REFUSED("x\x7f", UTF8_ONE_LINE), 0x7F);
	assert_int_equal(REFUSED("x\xC2\x80", UTF8_ONE_LINE), 0x80); /* C1 first */
	assert_int_equal(REFUSED("x\xC2\x9B", UTF8_ONE_LINE), 0x9B); /* CSI */
	assert_int_equal(REFUSED("x\xC2\x9F", UTF8_ONE_LINE), 0x9F); /* C1 last */
	assert_int_equal(REFUSED("\xC2\xA0", UTF8_ONE_LINE), -1);    /* NBSP is text */
	assert_int_equal(REFUSED("a\0b", UTF8_ONE_LINE), 0);
	/* The bidi embeddings, overrides and isolates, at both range ends. */
	assert_int_equal(REFUSED("facture\xE2\x80\xAE"
				 "fdp.exe",
				 UTF8_ONE_LINE),
			 0x202E);
	assert_int_equal(REFUSED("\xE2\x80\xAA", UTF8_ONE_LINE), 0x202A);
	assert_int_equal(REFUSED("\xE2\x81\xA6", UTF8_ONE_LINE), 0x2066);
	assert_int_equal(REFUSED("\xE2\x81\xA9", UTF8_ONE_LINE), 0x2069);
	/* Their neighbours are ordinary: U+2029, U+202F, U+2065, U+206A. */
	assert_int_equal(REFUSED("\xE2\x80\xA9\xE2\x80\xAF\xE2\x81\xA5\xE2\x81\xAA", UTF8_ONE_LINE),
			 -1);
	/* The first refused character is the one named. */
	assert_int_equal(REFUSED("ok\xE2\x80\xAE\x01", UTF8_ONE_LINE), 0x202E);
}

static void test_multi_line_refusals(void **state)
{
	(void)state;
	assert_int_equal(REFUSED("un\n\tdeux\n", UTF8_MULTI_LINE), -1);
	assert_int_equal(REFUSED("un\r\ndeux", UTF8_MULTI_LINE), '\r');
	assert_int_equal(REFUSED("a\x1b[2Jb", UTF8_MULTI_LINE), 0x1B);
	assert_int_equal(REFUSED("a\x0b", UTF8_MULTI_LINE), 0x0B);
	assert_int_equal(REFUSED("a\xC2\x85", UTF8_MULTI_LINE), 0x85); /* NEL */
	/* A paragraph may quote right-to-left text with its isolates. */
	assert_int_equal(REFUSED("\xE2\x81\xA7\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D\xE2\x81\xA9",
				 UTF8_MULTI_LINE),
			 -1);
	/* Bytes that are not UTF-8 are refused too. */
	assert_int_equal(REFUSED("a\xFF", UTF8_MULTI_LINE), 0xFF);
}

static void test_refusal_messages(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	assert_string_equal(
		utf8_refusal_message(a, "Ce champ", '\n'),
		"Ce champ tient sur une seule ligne\u202f: retirez le retour à la ligne.");
	assert_string_equal(utf8_refusal_message(a, "Ce champ", '\t'),
			    "Ce champ ne peut pas contenir de tabulation\u202f: remplacez-la par "
			    "une espace.");
	assert_string_equal(
		utf8_refusal_message(a, "Le nom de ce fichier", 0x202E),
		"Le nom de ce fichier contient un caractère invisible qui inverse le "
		"sens d’écriture (U+202E) et peut déguiser le texte\u202f: retirez-le.");
	assert_string_equal(utf8_refusal_message(a, "Ce champ", 0x1B),
			    "Ce champ contient un caractère de contrôle invisible (U+001B)\u202f: "
			    "retirez-le.");
	arena_free(a);
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
		cmocka_unit_test(test_one_line_refusals),
		cmocka_unit_test(test_multi_line_refusals),
		cmocka_unit_test(test_refusal_messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
