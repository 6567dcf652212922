/* File type sniffing on samples built at test time, the toolbox rules and
 * Content-Disposition. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "files/rules.h"
#include "files/sniff.h"
#include "files/store.h"

static char dir[] = "/tmp/cousilab-sniff-XXXXXX";
static int nfiles;

/* A sample being built. */
struct bytes {
	uint8_t d[16384];
	size_t n;
};

static void put(struct bytes *b, const void *p, size_t n)
{
	assert_true(b->n + n <= sizeof(b->d));
	memcpy(b->d + b->n, p, n);
	b->n += n;
}

#define PUT_LIT(b, lit) put((b), (lit), sizeof(lit) - 1)

static void put_le(struct bytes *b, uint32_t v, int width)
{
	for (int i = 0; i < width; i++)
		b->d[b->n++] = (uint8_t)(v >> (8 * i));
}

static void put_be32(struct bytes *b, uint32_t v)
{
	for (int i = 3; i >= 0; i--)
		b->d[b->n++] = (uint8_t)(v >> (8 * i));
}

/* Writes data to a new file of the temp dir, named .pdf whatever it
 * holds, into path (96 bytes). */
static void write_sample(char *path, const void *data, size_t len)
{
	snprintf(path, 96, "%s/sample-%d.pdf", dir, nfiles++);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

/* Writes data to a new file of the temp dir and sniffs it as size bytes. */
static enum file_type sniff_as(const void *data, size_t len, size_t size)
{
	char path[96];
	write_sample(path, data, len);
	enum file_type t = file_sniff(path, size);
	unlink(path);
	return t;
}

/* The same, checked as the dossier's PDF of size bytes. */
static enum file_pdf_check pdf_check_as(const void *data, size_t len, size_t size)
{
	char path[96];
	write_sample(path, data, len);
	enum file_pdf_check c = file_pdf_check(path, size);
	unlink(path);
	return c;
}

static enum file_type sniff(const struct bytes *b)
{
	return sniff_as(b->d, b->n, b->n);
}

/* The first n bytes of b, as an interrupted upload leaves them. */
static enum file_type sniff_cut(const struct bytes *b, size_t n)
{
	return sniff_as(b->d, n, n);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return rmdir(dir);
}

/* ---- samples ----------------------------------------------------- */

static void pdf(struct bytes *b)
{
	PUT_LIT(b, "%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
		   "2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
		   "trailer <</Root 1 0 R>>\n%%EOF\n");
}

static void png(struct bytes *b)
{
	static const uint8_t one_pixel[] = {
		0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
		0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
		0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78,
		0x9c, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00,
		0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
	};
	put(b, one_pixel, sizeof(one_pixel));
}

static void jpeg(struct bytes *b)
{
	PUT_LIT(b, "\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
		   "\xff\xdb\x00\x03\x00\xff\xda\x00\x02scan data");
	PUT_LIT(b, "\xff\xd9");
}

static void box(struct bytes *b, const char *type, size_t payload)
{
	put_be32(b, (uint32_t)(8 + payload));
	put(b, type, 4);
	for (size_t i = 0; i < payload; i++)
		b->d[b->n++] = (uint8_t)i;
}

static void mp4(struct bytes *b, const char *major, const char *compat)
{
	put_be32(b, 24);
	PUT_LIT(b, "ftyp");
	put(b, major, 4);
	put_be32(b, 0x200);
	put(b, compat, 4);
	put(b, compat, 4);
	box(b, "moov", 40);
	box(b, "mdat", 200);
}

static uint32_t crc32(const char *p, size_t n)
{
	uint32_t c = 0xffffffff;
	for (size_t i = 0; i < n; i++) {
		c ^= (uint8_t)p[i];
		for (int k = 0; k < 8; k++)
			c = c >> 1 ^ (0xedb88320 & -(c & 1));
	}
	return ~c;
}

struct zent {
	const char *name;
	const char *data;
};

/* Builds a ZIP archive of stored entries, with a comment. Returns the
 * offset of its central directory. */
static size_t zip(struct bytes *b, const struct zent *e, size_t n, const char *comment)
{
	uint32_t offs[16];
	for (size_t i = 0; i < n; i++) {
		size_t nl = strlen(e[i].name), dl = strlen(e[i].data);
		offs[i] = (uint32_t)b->n;
		put_le(b, 0x04034b50, 4);
		put_le(b, 20, 2);
		put_le(b, 0, 2); /* flags */
		put_le(b, 0, 2); /* stored */
		put_le(b, 0, 4); /* time, date */
		put_le(b, crc32(e[i].data, dl), 4);
		put_le(b, (uint32_t)dl, 4);
		put_le(b, (uint32_t)dl, 4);
		put_le(b, (uint32_t)nl, 2);
		put_le(b, 0, 2);
		put(b, e[i].name, nl);
		put(b, e[i].data, dl);
	}
	size_t cd = b->n;
	for (size_t i = 0; i < n; i++) {
		size_t nl = strlen(e[i].name), dl = strlen(e[i].data);
		put_le(b, 0x02014b50, 4);
		put_le(b, 20, 2);
		put_le(b, 20, 2);
		put_le(b, 0, 2);
		put_le(b, 0, 2);
		put_le(b, 0, 4);
		put_le(b, crc32(e[i].data, dl), 4);
		put_le(b, (uint32_t)dl, 4);
		put_le(b, (uint32_t)dl, 4);
		put_le(b, (uint32_t)nl, 2);
		put_le(b, 0, 2); /* extra */
		put_le(b, 0, 2); /* comment */
		put_le(b, 0, 2); /* disk */
		put_le(b, 0, 2); /* internal attributes */
		put_le(b, 0, 4); /* external attributes */
		put_le(b, offs[i], 4);
		put(b, e[i].name, nl);
	}
	put_le(b, 0x06054b50, 4);
	put_le(b, 0, 4);
	put_le(b, (uint32_t)n, 2);
	put_le(b, (uint32_t)n, 2);
	put_le(b, (uint32_t)(b->n - 12 - cd), 4); /* 12: EOCD bytes so far */
	put_le(b, (uint32_t)cd, 4);
	put_le(b, (uint32_t)strlen(comment), 2);
	put(b, comment, strlen(comment));
	return cd;
}

#define ZIP(b, ...)                                  \
	zip((b), (const struct zent[]){__VA_ARGS__}, \
	    sizeof((const struct zent[]){__VA_ARGS__}) / sizeof(struct zent), "")

#define ODF_MIME "application/vnd.oasis.opendocument."
#define CONTENT_TYPES                             \
	{                                         \
		"[Content_Types].xml", "<Types/>" \
	}
#define RELS                                      \
	{                                         \
		"_rels/.rels", "<Relationships/>" \
	}

static void odf(struct bytes *b, const char *mime)
{
	ZIP(b, {"mimetype", mime}, {"content.xml", "<office:document-content/>"},
	    {"META-INF/manifest.xml", "<manifest:manifest/>"});
}

static void docx(struct bytes *b)
{
	ZIP(b, CONTENT_TYPES, RELS, {"word/document.xml", "<w:document/>"});
}

/* ---- tests ------------------------------------------------------- */

static void documents_are_known_by_content(void **state)
{
	(void)state;
	struct bytes b = {0};
	pdf(&b);
	assert_int_equal(sniff(&b), FILE_PDF);

	b.n = 0;
	odf(&b, ODF_MIME "text");
	assert_int_equal(sniff(&b), FILE_ODT);
	b.n = 0;
	odf(&b, ODF_MIME "spreadsheet");
	assert_int_equal(sniff(&b), FILE_ODS);
	b.n = 0;
	odf(&b, ODF_MIME "presentation");
	assert_int_equal(sniff(&b), FILE_ODP);

	b.n = 0;
	docx(&b);
	assert_int_equal(sniff(&b), FILE_DOCX);
	b.n = 0;
	ZIP(&b, {"_rels/.rels", ""}, {"xl/workbook.xml", "<workbook/>"},
	    {"xl/worksheets/sheet1.xml", "<worksheet/>"}, CONTENT_TYPES);
	assert_int_equal(sniff(&b), FILE_XLSX);
	b.n = 0;
	ZIP(&b, CONTENT_TYPES, {"ppt/presentation.xml", "<p:presentation/>"});
	assert_int_equal(sniff(&b), FILE_PPTX);

	/* an archive comment holding a stray EOCD record */
	b.n = 0;
	docx(&b);
	b.n -= 2;
	put_le(&b, 22, 2);
	put_le(&b, 0x06054b50, 4);
	for (int i = 0; i < 18; i++)
		put_le(&b, 0, 1);
	assert_int_equal(sniff(&b), FILE_DOCX);
}

static void media_are_known_by_content(void **state)
{
	(void)state;
	struct bytes b = {0};
	png(&b);
	assert_int_equal(sniff(&b), FILE_PNG);
	b.n = 0;
	jpeg(&b);
	assert_int_equal(sniff(&b), FILE_JPEG);
	const char *brands[] = {"isom", "mp42", "avc1", "M4V ", "dash"};
	for (size_t i = 0; i < sizeof(brands) / sizeof(*brands); i++) {
		b.n = 0;
		mp4(&b, brands[i], "zzzz");
		assert_int_equal(sniff(&b), FILE_MP4);
	}
	b.n = 0;
	mp4(&b, "mmp4", "isom"); /* a compatible brand is enough */
	assert_int_equal(sniff(&b), FILE_MP4);

	/* a 64-bit box size, and a last box that runs to the end */
	b.n = 0;
	mp4(&b, "isom", "isom");
	put_be32(&b, 1);
	PUT_LIT(&b, "free");
	put_be32(&b, 0);
	put_be32(&b, 24);
	put_be32(&b, 0);
	put_be32(&b, 0);
	put_be32(&b, 0);
	PUT_LIT(&b, "mdat");
	PUT_LIT(&b, "tail");
	assert_int_equal(sniff(&b), FILE_MP4);
}

static void names_do_not_matter(void **state)
{
	(void)state;
	/* sniff_as names every sample .pdf */
	static const char *const exe[] = {
		"MZ\x90\x00\x03\x00\x00\x00\x04\x00%PDF-1.4 %%EOF",
		"\177ELF\x02\x01\x01",
		"#!/bin/sh\nrm -rf ~\n",
		"\xcf\xfa\xed\xfe\x07\x00\x00\x01",
		"\xca\xfe\xba\xbe\x00\x00\x00\x02",
	};
	for (size_t i = 0; i < sizeof(exe) / sizeof(*exe); i++)
		assert_int_equal(sniff_as(exe[i], strlen(exe[i]), strlen(exe[i])), FILE_EXECUTABLE);
	assert_int_equal(sniff_as("", 0, 0), FILE_EMPTY);
	assert_int_equal(sniff_as("x", 1, 1), FILE_UNKNOWN);
	const char *text = "Bonjour,\nvoici le guide.\n";
	assert_int_equal(sniff_as(text, strlen(text), strlen(text)), FILE_UNKNOWN);

	struct bytes b = {0};
	uint32_t x = 12345;
	for (size_t i = 0; i < 10000; i++) {
		x = x * 1103515245 + 12345;
		b.d[b.n++] = (uint8_t)(x >> 16);
	}
	b.d[0] = 0; /* no magic by chance */
	assert_int_equal(sniff(&b), FILE_UNKNOWN);
}

static void other_containers_are_unknown(void **state)
{
	(void)state;
	struct bytes b = {0};
	ZIP(&b, {"photo.jpg", "\xff\xd8\xff"}, {"notes.txt", "hello"});
	assert_int_equal(sniff(&b), FILE_UNKNOWN);
	b.n = 0;
	odf(&b, "application/epub+zip");
	assert_int_equal(sniff(&b), FILE_UNKNOWN);
	b.n = 0;
	odf(&b, ODF_MIME "graphics");
	assert_int_equal(sniff(&b), FILE_UNKNOWN);
	/* mimetype must come first */
	b.n = 0;
	ZIP(&b, {"content.xml", ""}, {"mimetype", ODF_MIME "text"});
	assert_int_equal(sniff(&b), FILE_UNKNOWN);
	/* macros, or two main parts */
	b.n = 0;
	ZIP(&b, CONTENT_TYPES, {"word/document.xml", ""}, {"word/vbaProject.bin", "x"});
	assert_int_equal(sniff(&b), FILE_UNKNOWN);
	b.n = 0;
	ZIP(&b, CONTENT_TYPES, {"word/document.xml", ""}, {"xl/workbook.xml", ""});
	assert_int_equal(sniff(&b), FILE_UNKNOWN);
	b.n = 0;
	ZIP(&b, {"word/document.xml", ""});
	assert_int_equal(sniff(&b), FILE_UNKNOWN);
	b.n = 0;
	mp4(&b, "qt  ", "qt  ");
	assert_int_equal(sniff(&b), FILE_UNKNOWN);
	b.n = 0;
	mp4(&b, "heic", "mif1");
	assert_int_equal(sniff(&b), FILE_UNKNOWN);
}

/* Every strict prefix of a sample is damaged. */
static void assert_prefixes_corrupt(const struct bytes *b, size_t from)
{
	for (size_t n = from; n < b->n; n++)
		if (sniff_cut(b, n) != FILE_CORRUPT)
			fail_msg("prefix of %zu/%zu bytes not seen as damaged", n, b->n);
}

static void truncated_files_are_corrupt(void **state)
{
	(void)state;
	struct bytes b = {0};
	pdf(&b);
	assert_int_equal(sniff_cut(&b, b.n - 3), FILE_CORRUPT);
	assert_int_equal(sniff_cut(&b, 5), FILE_CORRUPT);
	b.n = 0;
	png(&b);
	assert_prefixes_corrupt(&b, 8);
	b.n = 0;
	jpeg(&b);
	assert_prefixes_corrupt(&b, 3);
	b.n = 0;
	mp4(&b, "isom", "isom");
	assert_prefixes_corrupt(&b, 8);
	b.n = 0;
	odf(&b, ODF_MIME "text");
	assert_prefixes_corrupt(&b, 4);
	b.n = 0;
	docx(&b);
	assert_prefixes_corrupt(&b, 4);

	/* an upload shorter than announced */
	b.n = 0;
	pdf(&b);
	assert_int_equal(sniff_as(b.d, b.n, b.n + 100), FILE_CORRUPT);
}

static void inconsistent_files_are_corrupt(void **state)
{
	(void)state;
	struct bytes b = {0};
	png(&b);
	b.d[12] = 'X'; /* IHDR not first */
	assert_int_equal(sniff(&b), FILE_CORRUPT);

	b.n = 0;
	mp4(&b, "isom", "isom");
	box(&b, "free", 10);
	assert_int_equal(sniff(&b), FILE_MP4);
	memmove(b.d + b.n - 218, b.d + b.n - 18, 18); /* drop mdat */
	b.n -= 200;
	assert_int_equal(sniff(&b), FILE_CORRUPT);
	b.n = 0;
	put_be32(&b, 16);
	PUT_LIT(&b, "ftypisom\0\0\0\0");
	box(&b, "mdat", 10);
	assert_int_equal(sniff(&b), FILE_CORRUPT); /* no moov */

	/* central directory offset, entry count, entry signature, local
	 * header offset, local header name: each one off */
	static const struct {
		size_t at; /* from the EOCD, or the first CD entry when >= 100 */
		uint8_t value;
	} breaks[] = {{16, 1}, {10, 5}, {8, 2}, {4, 1}, {100, 'X'}, {142, 9}};
	for (size_t i = 0; i < sizeof(breaks) / sizeof(*breaks); i++) {
		b.n = 0;
		size_t cd = ZIP(&b, CONTENT_TYPES, {"word/document.xml", ""});
		size_t eocd = b.n - 22;
		if (breaks[i].at >= 100)
			b.d[cd + breaks[i].at - 100] += breaks[i].value;
		else
			b.d[eocd + breaks[i].at] += breaks[i].value;
		if (sniff(&b) != FILE_CORRUPT)
			fail_msg("break %zu not seen", i);
	}
	/* a key entry whose local header names another file */
	b.n = 0;
	ZIP(&b, CONTENT_TYPES, {"word/document.xml", ""});
	memcpy(memmem(b.d, b.n, "word/document.xml", 17), "word/documenx.xml", 17);
	assert_int_equal(sniff(&b), FILE_CORRUPT);
}

static void types_have_descriptions(void **state)
{
	(void)state;
	for (int t = FILE_UNKNOWN; t <= FILE_CORRUPT; t++) {
		const struct file_kind_info *k = file_type_info((enum file_type)t);
		assert_non_null(k->mime);
		assert_non_null(k->ext);
		assert_non_null(k->label_fr);
	}
	assert_string_equal(file_type_info(FILE_PDF)->mime, "application/pdf");
	assert_string_equal(file_type_info(FILE_DOCX)->ext, "docx");
	assert_string_equal(file_type_info((enum file_type)99)->ext, "bin");
}

static void toolbox_rules(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	const size_t MB = 1024 * 1024;
	assert_null(file_refusal(a, "guide", FILE_PDF, 20 * MB));
	assert_null(file_refusal(a, "modele", FILE_DOCX, 1));
	assert_null(file_refusal(a, "checklist", FILE_ODT, 1));
	assert_null(file_refusal(a, "checklist", FILE_PNG, 10 * MB));
	assert_null(file_refusal(a, "presentation", FILE_PDF, 50 * MB));
	assert_null(file_refusal(a, "presentation", FILE_PPTX, 1));
	assert_null(file_refusal(a, "tableur", FILE_XLSX, 1));
	assert_null(file_refusal(a, "tableur", FILE_ODS, 1));
	assert_null(file_refusal(a, "video", FILE_MP4, 500 * MB));

	assert_string_equal(file_refusal(a, "video", FILE_PDF, 10),
			    "Ce fichier n’est pas d’un type accepté pour une vidéo "
			    "(reçu\u202f: document PDF).");
	assert_string_equal(file_refusal(a, "tableur", FILE_JPEG, 10),
			    "Ce fichier n’est pas d’un type accepté pour un tableur "
			    "(reçu\u202f: image JPEG).");
	assert_string_equal(file_refusal(a, "guide", FILE_UNKNOWN, 10),
			    "Ce fichier n’est pas d’un type accepté pour un guide "
			    "(reçu\u202f: fichier de type inconnu).");
	assert_string_equal(file_refusal(a, "guide", FILE_PDF, 20 * MB + 1),
			    "Ce fichier dépasse la taille autorisée (20 Mo pour un guide).");
	assert_string_equal(file_refusal(a, "presentation", FILE_JPEG, 10 * MB + 1),
			    "Ce fichier dépasse la taille autorisée (10 Mo pour une image).");
	assert_string_equal(file_refusal(a, "video", FILE_MP4, 500 * MB + 1),
			    "Ce fichier dépasse la taille autorisée (500 Mo pour une vidéo).");
	assert_string_equal(file_refusal(a, "guide", FILE_EMPTY, 0), "Ce fichier est vide.");
	assert_string_equal(file_refusal(a, "guide", FILE_CORRUPT, 9),
			    "Ce fichier semble endommagé.");
	assert_string_equal(file_refusal(a, "guide", FILE_EXECUTABLE, 9),
			    "Les programmes exécutables ne sont pas acceptés.");
	assert_non_null(file_refusal(a, "lien", FILE_PDF, 9));
	assert_non_null(file_refusal(a, NULL, FILE_PDF, 9));

	assert_int_equal(file_kind_limit("slides", FILE_PDF), 0);
	assert_int_equal(file_kind_limit("video", FILE_PNG), 0);
	assert_int_equal(file_kind_limit("guide", FILE_PNG), 10 * MB);
	assert_int_equal(file_kind_max_size("video"), 500 * MB);
	assert_int_equal(file_kind_max_size("guide"), 20 * MB);
	assert_int_equal(file_kind_max_size("lien"), 0);
	arena_free(a);
}

static void content_disposition_encodes_names(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	assert_string_equal(file_content_disposition(a, "Guide télétravail.pdf", false),
			    "attachment; filename=\"Guide teletravail.pdf\"; "
			    "filename*=UTF-8''Guide%20t%C3%A9l%C3%A9travail.pdf");
	assert_string_equal(file_content_disposition(a, "École – Œuvres.odt", true),
			    "inline; filename=\"Ecole _ Oeuvres.odt\"; "
			    "filename*=UTF-8''%C3%89cole%20%E2%80%93%20%C5%92uvres.odt");
	assert_string_equal(file_content_disposition(a, "a\"b\\c%d\r\nX: y;.pdf", false),
			    "attachment; filename=\"a_b_c_d__X: y;.pdf\"; "
			    "filename*=UTF-8''a%22b%5Cc%25d%0D%0AX%3A%20y%3B.pdf");
	assert_string_equal(file_content_disposition(a, "报告.pdf", false),
			    "attachment; filename=\"__.pdf\"; "
			    "filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf");
	assert_string_equal(file_content_disposition(a, "", false),
			    "attachment; filename=\"fichier\"; filename*=UTF-8''fichier");
	assert_string_equal(file_content_disposition(a, NULL, false),
			    "attachment; filename=\"fichier\"; filename*=UTF-8''fichier");
	assert_string_equal(file_content_disposition(a, "bad\xc3(.pdf", false),
			    "attachment; filename=\"bad_(.pdf\"");
	arena_free(a);
}

static void file_ids_are_checked(void **state)
{
	(void)state;
	assert_true(file_id_valid("0123456789abcdef01234567"));
	assert_false(file_id_valid("0123456789abcdef0123456"));
	assert_false(file_id_valid("0123456789abcdef012345678"));
	assert_false(file_id_valid("0123456789ABCDEF01234567"));
	assert_false(file_id_valid("../../../../etc/passwd000"));
	assert_false(file_id_valid("0123456789abcdef0123456/"));
	assert_false(file_id_valid(""));
	assert_false(file_id_valid(NULL));
}

/* The Grand Prix dossier: a PDF by its header AND its trailer, whatever
 * its name (every sample is named .pdf). */
static void dossier_pdf_check(void **state)
{
	(void)state;
	struct bytes b = {0};
	pdf(&b);
	assert_int_equal(pdf_check_as(b.d, b.n, b.n), FILE_PDF_OK);
	assert_null(file_pdf_refusal(FILE_PDF_OK));

	/* an HTML page named .pdf */
	const char *html = "<!DOCTYPE html><html><body>%PDF-1.4 %%EOF</body></html>\n";
	assert_int_equal(pdf_check_as(html, strlen(html), strlen(html)), FILE_PDF_NOT_PDF);
	assert_string_equal(
		file_pdf_refusal(FILE_PDF_NOT_PDF),
		"Ce fichier n’est pas un document PDF (son contenu compte, pas son nom).");
	/* the header must open the file, not follow a few bytes */
	const char *late = "\n%PDF-1.4\n%%EOF\n";
	assert_int_equal(pdf_check_as(late, strlen(late), strlen(late)), FILE_PDF_NOT_PDF);
	assert_int_equal(pdf_check_as("%PDF", 4, 4), FILE_PDF_NOT_PDF);

	/* cut before its end: no trailer */
	assert_int_equal(pdf_check_as(b.d, b.n - 3, b.n - 3), FILE_PDF_NO_TRAILER);
	assert_non_null(strstr(file_pdf_refusal(FILE_PDF_NO_TRAILER), "incomplet"));
	/* a trailer further than 1 KiB from the end does not count */
	struct bytes far = {0};
	pdf(&far);
	for (size_t i = 0; i < 1024 - 6; i++) /* after "%%EOF\n" */
		far.d[far.n++] = ' ';
	assert_int_equal(pdf_check_as(far.d, far.n, far.n), FILE_PDF_OK);
	far.d[far.n++] = ' ';
	assert_int_equal(pdf_check_as(far.d, far.n, far.n), FILE_PDF_NO_TRAILER);

	assert_int_equal(pdf_check_as("", 0, 0), FILE_PDF_EMPTY);
	/* shorter than announced */
	assert_int_equal(pdf_check_as(b.d, b.n, b.n + 10), FILE_PDF_UNREADABLE);
	assert_int_equal(file_pdf_check("/nonexistent/dossier.pdf", 10), FILE_PDF_UNREADABLE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(documents_are_known_by_content),
		cmocka_unit_test(media_are_known_by_content),
		cmocka_unit_test(names_do_not_matter),
		cmocka_unit_test(other_containers_are_unknown),
		cmocka_unit_test(truncated_files_are_corrupt),
		cmocka_unit_test(inconsistent_files_are_corrupt),
		cmocka_unit_test(types_have_descriptions),
		cmocka_unit_test(toolbox_rules),
		cmocka_unit_test(content_disposition_encodes_names),
		cmocka_unit_test(file_ids_are_checked),
		cmocka_unit_test(dossier_pdf_check),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
