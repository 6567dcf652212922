/* Atom 1.0 writing (atom.h). */
#include "core/atom.h"

#include <string.h>

#include "core/buf.h"
#include "core/utf8.h"

void atom_text(struct buf *b, const char *s)
{
	for (size_t n = strlen(s); n;) {
		size_t len = utf8_char_len(s, n);
		unsigned char c = (unsigned char)*s;
		if (!len) {
			buf_puts(b, "\xEF\xBF\xBD");
			len = 1;
		} else if (c == '&') {
			buf_puts(b, "&amp;");
		} else if (c == '<') {
			buf_puts(b, "&lt;");
		} else if (c == '>') {
			buf_puts(b, "&gt;");
		} else if (c == '"') {
			buf_puts(b, "&quot;");
		} else if (c == '\'') {
			buf_puts(b, "&apos;");
		} else if (len == 1 ? c >= 0x20 || c == '\t' || c == '\n' || c == '\r'
				    : !(len == 3 && c == 0xEF && (unsigned char)s[1] == 0xBF &&
					(unsigned char)s[2] >= 0xBE)) {
			buf_append(b, s, len);
		}
		s += len;
		n -= len;
	}
}

void atom_element(struct buf *b, const char *indent, const char *tag, const char *text)
{
	buf_printf(b, "%s<%s>", indent, tag);
	atom_text(b, text);
	buf_printf(b, "</%s>\n", tag);
}

void atom_link(struct buf *b, const char *indent, const char *rel, const char *type,
	       const char *base, const char *path)
{
	buf_printf(b, "%s<link rel=\"%s\" type=\"%s\" href=\"", indent, rel, type);
	atom_text(b, base);
	atom_text(b, path);
	buf_puts(b, "\"/>\n");
}

void atom_feed_open(struct buf *b, const char *base, const char *title, const char *self,
		    const char *alternate, const char *updated)
{
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fr\">\n");
	atom_element(b, "  ", "title", title);
	buf_puts(b, "  <id>");
	atom_text(b, base);
	atom_text(b, self);
	buf_puts(b, "</id>\n");
	atom_link(b, "  ", "self", "application/atom+xml", base, self);
	atom_link(b, "  ", "alternate", "text/html", base, alternate);
	atom_element(b, "  ", "updated", updated);
	buf_puts(b, "  <author>\n    <name>Lab de la Sécurité sociale</name>\n  </author>\n"
		    "  <generator>Cousilab</generator>\n");
}

void atom_feed_close(struct buf *b)
{
	buf_puts(b, "</feed>\n");
}
