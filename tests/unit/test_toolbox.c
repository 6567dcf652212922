/* The toolbox rules: URLs, resource checks, stored file names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "core/arena.h"
#include "practices/toolbox.h"

static void urls(void **state)
{
	(void)state;
	static const char *const good[] = {
		"https://www.service-public.fr/particuliers/vosdroits/F1234",
		"HTTP://intranet:8080/guide?x=1#haut",
		"https://[2001:db8::1]/a",
		"https://fr.wikipedia.org/wiki/T\xc3\xa9l\xc3\xa9travail",
	};
	static const char *const bad[] = {
		"javascript:alert(1)",
		"data:text/html,x",
		"ftp://example.org/",
		"//example.org/",
		"https://",
		"https:///x",
		"https://user@evil.example/",
		"https://a b.fr/",
		"https://exemple.fr/a b",
		"https://exemple.fr/\x01",
		"https://.exemple.fr/",
		"https://exemple.fr:0/",
		"https://exemple.fr:65536/",
		"https://exemple.fr:/",
		"https://exemple.fr\\@evil.example/",
		"https://[zz]/",
		" https://exemple.fr/",
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++)
		if (!toolbox_resource_url_valid(good[i]))
			fail_msg("refused: %s", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (toolbox_resource_url_valid(bad[i]))
			fail_msg("accepted: %s", bad[i]);
	char longest[TOOLBOX_RESOURCE_URL_MAX_CHARS + 2] = "https://exemple.fr/";
	memset(longest + strlen(longest), 'a', TOOLBOX_RESOURCE_URL_MAX_CHARS - strlen(longest));
	assert_true(toolbox_resource_url_valid(longest));
	strcat(longest, "a");
	assert_false(toolbox_resource_url_valid(longest));
}

/* Returns the field of the only error of in, or "" when none. */
static const char *error_field(const struct toolbox_resource_input *in, size_t size)
{
	struct field_error e[TOOLBOX_RESOURCE_MAX_ERRORS];
	size_t n = toolbox_resource_check(in, size, e);
	assert_true(n <= 1);
	return n ? e[0].field : "";
}

static void checks(void **state)
{
	(void)state;
	struct toolbox_resource_input in = {"guide", "Guide", "", NULL, true};
	assert_string_equal(error_field(&in, 0), "");
	in.has_file = false;
	assert_string_equal(error_field(&in, 0), "file");
	in.url = ""; /* the link form: its address is missing */
	assert_string_equal(error_field(&in, 0), "url");
	in.url = "https://exemple.fr/guide";
	assert_string_equal(error_field(&in, 0), "");
	in.has_file = true;
	assert_string_equal(error_field(&in, 0), "url");
	in = (struct toolbox_resource_input){"lien", "Lien", "", NULL, true};
	assert_string_equal(error_field(&in, 0), "file");
	in = (struct toolbox_resource_input){"lien", "Lien", "", "javascript:x", false};
	assert_string_equal(error_field(&in, 0), "url");
	in = (struct toolbox_resource_input){"affiche", "A", "", "https://a.fr", false};
	assert_string_equal(error_field(&in, 0), "kind");
	in = (struct toolbox_resource_input){NULL, "A", "", "https://a.fr", false};
	assert_string_equal(error_field(&in, 0), "kind");
	in = (struct toolbox_resource_input){"lien", "", "", "https://a.fr", false};
	assert_string_equal(error_field(&in, 0), "title");
	in.title = "A";
	assert_string_equal(error_field(&in, TOOLBOX_MAX_RESOURCES - 1), "");
	assert_string_equal(error_field(&in, TOOLBOX_MAX_RESOURCES), "title");
}

static void file_names(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	assert_string_equal(toolbox_resource_file_name(a, "Guide été.pdf", FILE_PDF),
			    "Guide été.pdf");
	assert_string_equal(toolbox_resource_file_name(a, "GUIDE.PDF", FILE_PDF), "GUIDE.PDF");
	assert_string_equal(toolbox_resource_file_name(a, "rapport.exe", FILE_PDF),
			    "rapport.exe.pdf");
	assert_string_equal(toolbox_resource_file_name(a, "photo.jpeg", FILE_JPEG), "photo.jpeg");
	assert_string_equal(toolbox_resource_file_name(a, "photo", FILE_JPEG), "photo.jpg");
	assert_string_equal(toolbox_resource_file_name(a, "", FILE_ODT), "fichier.odt");
	assert_string_equal(toolbox_resource_file_name(a, NULL, FILE_MP4), "fichier.mp4");
	assert_string_equal(toolbox_resource_file_name(a, ".pdf", FILE_PDF), "fichier.pdf");
	/* Cut on a character boundary, the extension kept. */
	char name[300] = "";
	for (int i = 0; i < 100; i++)
		strcat(name, "é");
	strcat(name, ".docx");
	const char *cut = toolbox_resource_file_name(a, name, FILE_DOCX);
	assert_true(strlen(cut) <= TOOLBOX_RESOURCE_FILE_NAME_MAX);
	assert_int_equal(strlen(cut), 114 + strlen(".docx"));
	assert_string_equal(cut + strlen(cut) - 5, ".docx");
	arena_free(a);
}

static void finding(void **state)
{
	(void)state;
	json_t *toolbox = json_pack("[{s:s}, {s:s}]", "id", "a", "id", "b");
	assert_int_equal(toolbox_find(toolbox, "b"), 1);
	assert_int_equal(toolbox_find(toolbox, "c"), -1);
	assert_int_equal(toolbox_find(toolbox, NULL), -1);
	assert_int_equal(toolbox_find(NULL, "a"), -1);
	json_decref(toolbox);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(urls),
		cmocka_unit_test(checks),
		cmocka_unit_test(file_names),
		cmocka_unit_test(finding),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
