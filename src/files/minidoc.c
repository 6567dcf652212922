#include "files/minidoc.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/zip.h"

void minidoc_add(struct minidoc *d, enum minidoc_kind kind, const char *text)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		struct minidoc_block *b = arena_alloc(d->arena, cap * sizeof(*b));
		if (d->n)
			memcpy(b, d->blocks, d->n * sizeof(*b));
		d->blocks = b;
		d->cap = cap;
	}
	d->blocks[d->n++] = (struct minidoc_block){kind, arena_strdup(d->arena, text)};
}

/* Appends s[0..n) to b without Markdown emphasis marks. */
static void put_plain(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != '*' && s[i] != '_' && s[i] != '`')
			buf_putc(b, s[i]);
}

static void flush(struct minidoc *d, enum minidoc_kind kind, struct buf *b)
{
	if (b->len)
		minidoc_add(d, kind, b->data);
	buf_reset(b);
}

void minidoc_add_markdown(struct minidoc *d, const char *md)
{
	struct buf para = BUF_INIT, line = BUF_INIT;
	for (const char *s = md; s && *s;) {
		const char *eol = strchr(s, '\n');
		size_t n = eol ? (size_t)(eol - s) : strlen(s);
		const char *t = s;
		while (t < s + n && isspace((unsigned char)*t))
			t++;
		size_t len = (size_t)(s + n - t), digits = strspn(t, "0123456789");
		while (len && isspace((unsigned char)t[len - 1]))
			len--;
		size_t mark = *t == '#'                                            ? strspn(t, "#")
			      : len > 2 && (*t == '-' || *t == '*') && t[1] == ' ' ? 1
			      : digits && t[digits] == '.' && t[digits + 1] == ' ' ? digits + 1
										   : 0;
		if (!len || mark) {
			flush(d, MINIDOC_PARAGRAPH, &para);
			size_t skip = mark + strspn(t + mark, " ");
			put_plain(&line, t + skip, len > skip ? len - skip : 0);
			flush(d, *t == '#' ? MINIDOC_HEADING : MINIDOC_ITEM, &line);
		} else {
			if (para.len)
				buf_putc(&para, ' ');
			put_plain(&para, t, len);
		}
		s += n + (eol != NULL);
	}
	flush(d, MINIDOC_PARAGRAPH, &para);
	buf_free(&para);
	buf_free(&line);
}

/* Returns the code point at *s and moves *s past it; a malformed
 * sequence gives U+FFFD. */
static uint32_t next_cp(const unsigned char **s)
{
	const unsigned char *p = *s;
	uint32_t c = p[0];
	int n = c < 0x80 ? 0 : c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : -1;
	*s = p + 1;
	if (n <= 0)
		return n < 0 ? 0xFFFD : c;
	c &= 0x3Fu >> n;
	for (int i = 1; i <= n; i++) {
		if ((p[i] & 0xC0) != 0x80) {
			*s = p + i;
			return 0xFFFD;
		}
		c = c << 6 | (p[i] & 0x3F);
	}
	*s = p + n + 1;
	return c;
}

/* ---- PDF --------------------------------------------------------- */

/* WinAnsiEncoding 0x80..0x9F (0: unused). */
static const uint16_t WIN_HIGH[32] = {
	0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
	0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
	0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

/* Returns the WinAnsi byte for code point c ('?' when it has none). */
static unsigned char winansi(uint32_t c)
{
	if ((c >= 0x20 && c < 0x7F) || (c >= 0xA0 && c <= 0xFF))
		return (unsigned char)c;
	if (c == '\t' || c == '\n' || c == '\r')
		return ' ';
	if (c == 0x202F || c == 0x2009 || c == 0x2007)
		return 0xA0; /* the thin spaces of French typography */
	for (int i = 0; i < 32; i++)
		if (WIN_HIGH[i] == c)
			return (unsigned char)(0x80 + i);
	return '?';
}

/* Helvetica advance widths (1/1000 em) of ASCII 32..126. */
static const uint16_t HELVETICA[95] = {
	278,  278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
	556,  556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
	1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
	667,  778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
	333,  556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
	556,  556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
};
/* 0xC0..0xFF: the ASCII letter each is about as wide as. */
static const char LATIN1_BASE[] =
	"AAAAAAWCEEEEIIIIDNOOOOO+OUUUUYPsaaaaaamceeeeiiiidnooooo+ouuuuypy";

/* Returns the width of WinAnsi byte c in 1/1000 em (Helvetica). */
static unsigned width(unsigned char c)
{
	if (c >= 0xC0)
		c = (unsigned char)LATIN1_BASE[c - 0xC0];
	if (c >= 32 && c < 127)
		return HELVETICA[c - 32];
	switch (c) {
	case 0x85:
	case 0x8C:
	case 0x97: return 1000;
	case 0x9C: return 944;
	case 0x91:
	case 0x92: return 222;
	case 0x93:
	case 0x94: return 333;
	case 0x95: return 350;
	case 0xA0: return 278;
	default: return 556;
	}
}

enum {
	PAGE_W = 595,
	PAGE_H = 842,
	MARGIN = 64,
	TOP = 770,
	BOTTOM = 84,
	FOOTER_Y = 42,
	MAX_OBJECTS = 6 + 2 * MINIDOC_MAX_PAGES,
};

struct layout {
	struct buf page[MINIDOC_MAX_PAGES]; /* content streams */
	int n_pages;
	double y;
	bool full;
};

/* Appends s[0..n) as a PDF literal string. */
static void pdf_string(struct buf *b, const unsigned char *s, size_t n)
{
	buf_putc(b, '(');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '(' || s[i] == ')' || s[i] == '\\')
			buf_putc(b, '\\');
		buf_putc(b, (char)s[i]);
	}
	buf_putc(b, ')');
}

/* Moves down by lead, starting a page when the bottom is reached. Returns
 * false when the document is full. */
static bool advance(struct layout *l, double lead)
{
	if (l->n_pages && l->y - lead >= BOTTOM) {
		l->y -= lead;
		return true;
	}
	if (l->n_pages == MINIDOC_MAX_PAGES) {
		l->full = true;
		return false;
	}
	l->n_pages++;
	l->y = TOP - lead;
	return true;
}

static void show(struct layout *l, bool bold, double size, double x, const unsigned char *s,
		 size_t n)
{
	struct buf *b = &l->page[l->n_pages - 1];
	buf_printf(b, "BT /F%d %.1f Tf 1 0 0 1 %.1f %.1f Tm ", bold ? 2 : 1, size, x, l->y);
	pdf_string(b, s, n);
	buf_puts(b, " Tj ET\n");
}

/* Lays out text (UTF-8) as wrapped lines; items get a bullet. */
static void pdf_block(struct layout *l, enum minidoc_kind kind, bool bold, double size, double lead,
		      double gap_before, const char *text)
{
	struct buf win = BUF_INIT;
	for (const unsigned char *p = (const unsigned char *)text; *p;)
		buf_putc(&win, (char)winansi(next_cp(&p)));
	const unsigned char *s = (const unsigned char *)(win.data ? win.data : "");
	double indent = kind == MINIDOC_ITEM ? 18 : 0;
	double max = (PAGE_W - 2 * MARGIN - indent) * 1000 / size / (bold ? 1.1 : 1.0);
	if (l->n_pages && l->y < TOP)
		l->y -= gap_before;
	bool first = true;
	for (size_t start = 0, n = win.len; start < n && !l->full;) {
		while (start < n && s[start] == ' ')
			start++;
		if (start == n)
			break;
		size_t brk = n, space = start;
		double w = 0;
		for (size_t i = start; i < n; i++) {
			if (s[i] == ' ')
				space = i;
			w += width(s[i]);
			if (w > max) {
				brk = space > start ? space : i > start ? i : i + 1;
				break;
			}
		}
		if (!advance(l, lead))
			break;
		if (first && kind == MINIDOC_ITEM)
			show(l, false, size, MARGIN + 6, (const unsigned char *)"\x95", 1);
		show(l, bold, size, MARGIN + indent, s + start, brk - start);
		start = brk;
		first = false;
	}
	buf_free(&win);
}

/* Appends text as a PDF text string in UTF-16BE (for the Info title). */
static void pdf_utf16(struct buf *b, const char *text)
{
	buf_puts(b, "<FEFF");
	for (const unsigned char *p = (const unsigned char *)text; *p;) {
		uint32_t c = next_cp(&p);
		if (c >= 0x10000) {
			c -= 0x10000;
			buf_printf(b, "%04X%04X", 0xD800 + (c >> 10), 0xDC00 + (c & 0x3FF));
		} else {
			buf_printf(b, "%04X", c);
		}
	}
	buf_putc(b, '>');
}

static void obj_begin(struct buf *b, size_t *off, int n)
{
	off[n] = b->len;
	buf_printf(b, "%d 0 obj\n", n);
}

/* Writes b to path; returns 0 or -1 with errno set. */
static int write_file(const char *path, const struct buf *b)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	bool ok = fwrite(b->data, 1, b->len, f) == b->len;
	return fclose(f) == 0 && ok ? 0 : -1;
}

int minidoc_write_pdf(const struct minidoc *d, const char *path)
{
	struct layout l = {0};
	advance(&l, 0);
	pdf_block(&l, MINIDOC_HEADING, true, 20, 26, 0, d->title);
	if (d->subtitle)
		pdf_block(&l, MINIDOC_PARAGRAPH, false, 12, 17, 2, d->subtitle);
	buf_printf(&l.page[0], "0.6 w %d %.1f m %d %.1f l S\n", MARGIN, l.y - 10, PAGE_W - MARGIN,
		   l.y - 10);
	l.y -= 14;
	for (size_t i = 0; i < d->n && !l.full; i++) {
		const struct minidoc_block *b = &d->blocks[i];
		if (b->kind == MINIDOC_HEADING)
			pdf_block(&l, b->kind, true, 14, 19, 12, b->text);
		else
			pdf_block(&l, b->kind, false, 11, 15,
				  b->kind == MINIDOC_ITEM && i && d->blocks[i - 1].kind == b->kind
					  ? 2
					  : 7,
				  b->text);
	}

	struct buf out = BUF_INIT;
	size_t off[MAX_OBJECTS + 1] = {0};
	int n_obj = 6 + 2 * l.n_pages; /* object 0 included */
	buf_puts(&out, "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");
	obj_begin(&out, off, 1);
	buf_puts(&out, "<< /Type /Catalog /Pages 2 0 R /Lang (fr-FR) >>\nendobj\n");
	obj_begin(&out, off, 2);
	buf_puts(&out, "<< /Type /Pages /Kids [");
	for (int p = 0; p < l.n_pages; p++)
		buf_printf(&out, " %d 0 R", 6 + 2 * p);
	buf_printf(&out, " ] /Count %d >>\nendobj\n", l.n_pages);
	for (int f = 1; f <= 2; f++) {
		obj_begin(&out, off, 2 + f);
		buf_printf(&out,
			   "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica%s "
			   "/Encoding /WinAnsiEncoding >>\nendobj\n",
			   f == 2 ? "-Bold" : "");
	}
	obj_begin(&out, off, 5);
	buf_puts(&out, "<< /Title ");
	pdf_utf16(&out, d->title);
	buf_puts(&out, " /Producer (Cousilab) >>\nendobj\n");
	for (int p = 0; p < l.n_pages; p++) {
		struct buf *c = &l.page[p];
		buf_printf(
			c,
			"0.4 g BT /F1 9 Tf 1 0 0 1 %d %d Tm (cousiSTORE \x97 page %d/%d) Tj ET\n",
			MARGIN, FOOTER_Y, p + 1, l.n_pages);
		obj_begin(&out, off, 6 + 2 * p);
		buf_printf(&out,
			   "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
			   "/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> "
			   "/Contents %d 0 R >>\nendobj\n",
			   PAGE_W, PAGE_H, 7 + 2 * p);
		obj_begin(&out, off, 7 + 2 * p);
		buf_printf(&out, "<< /Length %zu >>\nstream\n", c->len);
		buf_append(&out, c->data, c->len);
		buf_puts(&out, "\nendstream\nendobj\n");
		buf_free(c);
	}
	size_t xref = out.len;
	buf_printf(&out, "xref\n0 %d\n0000000000 65535 f \n", n_obj);
	for (int i = 1; i < n_obj; i++)
		buf_printf(&out, "%010zu 00000 n \n", off[i]);
	buf_printf(&out,
		   "trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
		   n_obj, xref);
	int rc = write_file(path, &out);
	buf_free(&out);
	return rc;
}

/* ---- ODT: a ZIP of stored entries -------------------------------- */

static void le16(struct buf *b, unsigned v)
{
	buf_putc(b, (char)(v & 0xFF));
	buf_putc(b, (char)(v >> 8 & 0xFF));
}

static void le32(struct buf *b, uint32_t v)
{
	le16(b, v & 0xFFFF);
	le16(b, v >> 16);
}

struct zip_entry {
	const char *name;
	struct buf data;
	uint32_t crc;
	uint32_t offset;
};

/* 2026-01-01 12:00, in MS-DOS form: the files are the same at each seed. */
enum { DOS_TIME = 12 << 11, DOS_DATE = (2026 - 1980) << 9 | 1 << 5 | 1 };

/* Writes the header fields that local and central headers share. */
static void zip_common(struct buf *b, const struct zip_entry *e)
{
	le16(b, 10); /* version needed: 1.0, stored */
	le16(b, 0);  /* flags */
	le16(b, 0);  /* method: stored */
	le16(b, DOS_TIME);
	le16(b, DOS_DATE);
	le32(b, e->crc);
	le32(b, (uint32_t)e->data.len);
	le32(b, (uint32_t)e->data.len);
	le16(b, (unsigned)strlen(e->name));
	le16(b, 0); /* extra field */
}

/* Writes entries as a ZIP archive into zip. */
static void zip_write(struct buf *zip, struct zip_entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		e[i].crc = zip_crc32(0, e[i].data.data, e[i].data.len);
		e[i].offset = (uint32_t)zip->len;
		le32(zip, 0x04034b50);
		zip_common(zip, &e[i]);
		buf_puts(zip, e[i].name);
		buf_append(zip, e[i].data.data, e[i].data.len);
	}
	uint32_t cd = (uint32_t)zip->len;
	for (size_t i = 0; i < n; i++) {
		le32(zip, 0x02014b50);
		le16(zip, 20); /* made by: MS-DOS, 2.0 */
		zip_common(zip, &e[i]);
		le16(zip, 0); /* comment */
		le16(zip, 0); /* disk */
		le16(zip, 0); /* internal attributes */
		le32(zip, 0); /* external attributes */
		le32(zip, e[i].offset);
		buf_puts(zip, e[i].name);
	}
	uint32_t cd_size = (uint32_t)zip->len - cd;
	le32(zip, 0x06054b50);
	le16(zip, 0);
	le16(zip, 0);
	le16(zip, (unsigned)n);
	le16(zip, (unsigned)n);
	le32(zip, cd_size);
	le32(zip, cd);
	le16(zip, 0);
}

/* Appends text escaped for XML character data. */
static void xml_text(struct buf *b, const char *text)
{
	for (const char *p = text; *p; p++) {
		switch (*p) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		default:
			if ((unsigned char)*p >= 0x20)
				buf_putc(b, *p);
		}
	}
}

#define ODT_MIME "application/vnd.oasis.opendocument.text"
#define NS_OFFICE "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\""

static const char ODT_MANIFEST[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\""
	" manifest:version=\"1.2\">\n"
	" <manifest:file-entry manifest:full-path=\"/\" manifest:version=\"1.2\""
	" manifest:media-type=\"" ODT_MIME "\"/>\n"
	" <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\n"
	" <manifest:file-entry manifest:full-path=\"meta.xml\" manifest:media-type=\"text/xml\"/>\n"
	"</manifest:manifest>\n";

/* Automatic paragraph styles: T title, S subtitle, H heading, P body, L item. */
static const char ODT_STYLES[] =
	"<office:automatic-styles>"
	"<style:style style:name=\"T\" style:family=\"paragraph\"><style:paragraph-properties"
	" fo:margin-bottom=\"0.15cm\"/><style:text-properties fo:font-size=\"20pt\""
	" fo:font-weight=\"bold\"/></style:style>"
	"<style:style style:name=\"S\" style:family=\"paragraph\"><style:paragraph-properties"
	" fo:margin-bottom=\"0.5cm\"/><style:text-properties fo:font-size=\"12pt\""
	" fo:font-style=\"italic\" fo:color=\"#555555\"/></style:style>"
	"<style:style style:name=\"H\" style:family=\"paragraph\"><style:paragraph-properties"
	" fo:margin-top=\"0.4cm\" fo:margin-bottom=\"0.15cm\"/><style:text-properties"
	" fo:font-size=\"14pt\" fo:font-weight=\"bold\"/></style:style>"
	"<style:style style:name=\"P\" style:family=\"paragraph\"><style:paragraph-properties"
	" fo:margin-bottom=\"0.2cm\"/></style:style>"
	"<style:style style:name=\"L\" style:family=\"paragraph\"><style:paragraph-properties"
	" fo:margin-left=\"0.8cm\" fo:text-indent=\"-0.4cm\" fo:margin-bottom=\"0.1cm\"/>"
	"</style:style>"
	"</office:automatic-styles>";

static void odt_para(struct buf *b, const char *style, int level, const char *text)
{
	const char *tag = level ? "text:h" : "text:p";
	buf_printf(b, "<%s text:style-name=\"%s\"", tag, style);
	if (level)
		buf_printf(b, " text:outline-level=\"%d\"", level);
	buf_putc(b, '>');
	if (*style == 'L')
		buf_puts(b, "\xe2\x80\xa2 ");
	xml_text(b, text);
	buf_printf(b, "</%s>\n", tag);
}

int minidoc_write_odt(const struct minidoc *d, const char *path)
{
	struct zip_entry e[] = {
		{.name = "mimetype"},
		{.name = "META-INF/manifest.xml"},
		{.name = "meta.xml"},
		{.name = "content.xml"},
	};
	buf_puts(&e[0].data, ODT_MIME);
	buf_puts(&e[1].data, ODT_MANIFEST);
	buf_puts(&e[2].data,
		 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		 "<office:document-meta " NS_OFFICE
		 " xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\""
		 " xmlns:dc=\"http://purl.org/dc/elements/1.1/\" office:version=\"1.2\">"
		 "<office:meta><meta:generator>Cousilab</meta:generator><dc:title>");
	xml_text(&e[2].data, d->title);
	buf_puts(&e[2].data, "</dc:title><dc:language>fr-FR</dc:language></office:meta>"
			     "</office:document-meta>\n");
	struct buf *c = &e[3].data;
	buf_puts(c, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<office:document-content " NS_OFFICE
		    " xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\""
		    " xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\""
		    " xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\""
		    " office:version=\"1.2\">");
	buf_puts(c, ODT_STYLES);
	buf_puts(c, "<office:body><office:text>\n");
	odt_para(c, "T", 1, d->title);
	if (d->subtitle)
		odt_para(c, "S", 0, d->subtitle);
	for (size_t i = 0; i < d->n; i++) {
		const struct minidoc_block *b = &d->blocks[i];
		odt_para(c,
			 b->kind == MINIDOC_HEADING ? "H"
			 : b->kind == MINIDOC_ITEM  ? "L"
						    : "P",
			 b->kind == MINIDOC_HEADING ? 2 : 0, b->text);
	}
	buf_puts(c, "</office:text></office:body></office:document-content>\n");

	struct buf zip = BUF_INIT;
	size_t n = sizeof(e) / sizeof(*e);
	zip_write(&zip, e, n);
	int rc = write_file(path, &zip);
	int saved = errno;
	buf_free(&zip);
	for (size_t i = 0; i < n; i++)
		buf_free(&e[i].data);
	errno = saved;
	return rc;
}
