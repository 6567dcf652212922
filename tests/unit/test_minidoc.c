/* minidoc: the PDF and ODT files it writes are what the sniffer expects,
 * the PDF's cross-reference table points at its objects, text is in
 * WinAnsi, and long documents stop at the page limit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/arena.h"
#include "files/minidoc.h"
#include "files/sniff.h"

/* Whether buf[0..n) contains the string s. */
#define HAS(buf, n, s) (memmem((buf), (n), (s), strlen(s)) != NULL)

/* Returns the bytes of path (heap) and their count in *n. */
static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	struct stat st;
	assert_int_equal(fstat(fileno(f), &st), 0);
	char *b = malloc((size_t)st.st_size + 1);
	*n = fread(b, 1, (size_t)st.st_size, f);
	b[*n] = '\0';
	fclose(f);
	return b;
}

static void sample(struct minidoc *d, int paragraphs)
{
	minidoc_add(d, MINIDOC_PARAGRAPH,
		    "Un guide « pratique » : l'œuvre de l'équipe, 0 € (ou presque).");
	minidoc_add_markdown(
		d, "### Étapes\n\n1. Préparer **l'arrivée**.\n- Accueillir.\n\nFin\nde ligne.");
	for (int i = 0; i < paragraphs; i++)
		minidoc_add(
			d, MINIDOC_PARAGRAPH,
			"Les agents d'accueil ont co-construit ce parcours "
			"pendant six mois avec les nouveaux arrivants des trois dernières promotions.");
}

static void markdown_blocks(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct minidoc d = {.arena = a, .title = "T"};
	sample(&d, 0);
	assert_int_equal(d.n, 5);
	assert_int_equal(d.blocks[1].kind, MINIDOC_HEADING);
	assert_string_equal(d.blocks[1].text, "Étapes");
	assert_int_equal(d.blocks[2].kind, MINIDOC_ITEM);
	assert_string_equal(d.blocks[2].text, "Préparer l'arrivée.");
	assert_int_equal(d.blocks[3].kind, MINIDOC_ITEM);
	assert_string_equal(d.blocks[4].text, "Fin de ligne.");
	arena_free(a);
}

static void pdf_is_sound(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct minidoc d = {.arena = a, .title = "Guide d’accueil", .subtitle = "Boîte à outils"};
	sample(&d, 3);
	char path[] = "/tmp/minidoc-test-XXXXXX";
	close(mkstemp(path));
	assert_int_equal(minidoc_write_pdf(&d, path), 0);
	size_t n;
	char *pdf = slurp(path, &n);
	assert_int_equal(file_sniff(path, n), FILE_PDF);
	/* WinAnsi: é is 0xE9, œ 0x9C, € 0x80, « 0xAB; parentheses escaped. */
	assert_true(HAS(pdf, n, "l'\x9cuvre de l'\xe9quipe, 0 \x80 \\(ou"));
	assert_true(HAS(pdf, n, "\xab pratique \xbb"));
	char *xref = strstr(pdf, "\nxref\n0 ");
	assert_non_null(xref);
	int objects = atoi(xref + 8);
	const char *entry = strchr(xref + 8, '\n') + 1 + 20; /* past object 0 */
	for (int i = 1; i < objects; i++, entry += 20) {
		char want[32];
		snprintf(want, sizeof(want), "%d 0 obj", i);
		assert_memory_equal(pdf + atol(entry), want, strlen(want));
	}
	assert_int_equal(atol(strstr(pdf, "startxref\n") + 10), xref + 1 - pdf);
	free(pdf);
	unlink(path);
	arena_free(a);
}

static void long_pdf_is_cut_at_the_page_limit(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct minidoc d = {.arena = a, .title = "Long"};
	sample(&d, 400);
	char path[] = "/tmp/minidoc-test-XXXXXX";
	close(mkstemp(path));
	assert_int_equal(minidoc_write_pdf(&d, path), 0);
	size_t n;
	char *pdf = slurp(path, &n);
	assert_int_equal(file_sniff(path, n), FILE_PDF);
	char count[32];
	snprintf(count, sizeof(count), "/Count %d ", MINIDOC_MAX_PAGES);
	assert_non_null(strstr(pdf, count));
	free(pdf);
	unlink(path);
	arena_free(a);
}

static void odt_is_sound(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct minidoc d = {.arena = a, .title = "Modèle <de> charte & co"};
	sample(&d, 1);
	char path[] = "/tmp/minidoc-test-XXXXXX";
	close(mkstemp(path));
	assert_int_equal(minidoc_write_odt(&d, path), 0);
	size_t n;
	char *zip = slurp(path, &n);
	assert_int_equal(file_sniff(path, n), FILE_ODT);
	assert_memory_equal(zip + 30, "mimetypeapplication/vnd.oasis.opendocument.text", 47);
	assert_true(HAS(zip, n, "Modèle &lt;de&gt; charte &amp; co"));
	assert_true(HAS(zip, n, "Préparer l'arrivée."));
	free(zip);
	unlink(path);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(markdown_blocks),
		cmocka_unit_test(pdf_is_sound),
		cmocka_unit_test(long_pdf_is_cut_at_the_page_limit),
		cmocka_unit_test(odt_is_sound),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
