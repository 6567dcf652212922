/* Escaping for the Atom feeds and the CSV export: XML text that stays
 * well-formed whatever was stored, RFC 3339 dates, RFC 4180 fields that
 * no spreadsheet runs as a formula. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/atom.h"
#include "core/buf.h"
#include "practices/feeds.h"

/* Asserts that atom_text(in) gives want. */
static void check_xml(const char *in, const char *want)
{
	struct buf b = BUF_INIT;
	atom_text(&b, in);
	assert_string_equal(b.data ? b.data : "", want);
	buf_free(&b);
}

/* Asserts that feeds_csv_append_field(in) gives want. */
static void check_csv(const char *in, const char *want)
{
	struct buf b = BUF_INIT;
	feeds_csv_append_field(&b, in);
	assert_string_equal(b.data, want);
	buf_free(&b);
}

static void xml_text_is_escaped_and_valid(void **state)
{
	(void)state;
	check_xml("", "");
	check_xml("Télétravail & <RGPD> \"oui\" l'été",
		  "Télétravail &amp; &lt;RGPD&gt; &quot;oui&quot; l&apos;été");
	check_xml("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;");
	/* Forbidden in XML 1.0: dropped; tab, LF, CR kept. */
	check_xml("a\x01\x08\x0b\x0c\x1f"
		  "b\t\n\r",
		  "ab\t\n\r");
	check_xml("x\xEF\xBF\xBEy\xEF\xBF\xBFz\xEF\xBF\xBD", "xyz\xEF\xBF\xBD");
	/* Not UTF-8: replaced, never copied. */
	check_xml("a\xff"
		  "b\xc3",
		  "a\xEF\xBF\xBD"
		  "b\xEF\xBF\xBD");
	check_xml("\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80");
}

static void dates_are_rfc3339(void **state)
{
	(void)state;
	char out[21];
	assert_true(feeds_rfc3339_from_iso("2026-03-01T08:30:00Z", out));
	assert_string_equal(out, "2026-03-01T08:30:00Z");
	assert_false(feeds_rfc3339_from_iso("2026-03-01 08:30", out));
	assert_string_equal(out, "");
	assert_false(feeds_rfc3339_from_iso("2026-03-01T08:30:00Zjunk", out));
	assert_false(feeds_rfc3339_from_iso("", out));
	assert_false(feeds_rfc3339_from_iso(NULL, out));
}

static void csv_fields_are_quoted_and_defused(void **state)
{
	(void)state;
	check_csv("", "\"\"");
	check_csv("simple", "\"simple\"");
	check_csv("a;b", "\"a;b\"");
	check_csv("il a dit \"oui\"", "\"il a dit \"\"oui\"\"\"");
	check_csv("ligne 1\r\nligne 2\n", "\"ligne 1\r\nligne 2\n\"");
	check_csv("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"");
	check_csv("+33 1 23", "\"'+33 1 23\"");
	check_csv("-2+3", "\"'-2+3\"");
	check_csv("@SUM(A1)", "\"'@SUM(A1)\"");
	check_csv("\tcmd", "\"'\tcmd\"");
	check_csv("a=b", "\"a=b\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(xml_text_is_escaped_and_valid),
		cmocka_unit_test(dates_are_rfc3339),
		cmocka_unit_test(csv_fields_are_quoted_and_defused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
