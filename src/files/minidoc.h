/* Small real documents for demo toolboxes, written from scratch: a PDF
 * (Helvetica in WinAnsiEncoding, so French accents render, one to a few
 * A4 pages) and an OpenDocument text (a ZIP of stored entries, the
 * "mimetype" first). Both open in any reader and pass files/sniff.h. */
#ifndef COUSILAB_MINIDOC_H
#define COUSILAB_MINIDOC_H

#include <stddef.h>

struct arena;

enum minidoc_kind { MINIDOC_HEADING, MINIDOC_PARAGRAPH, MINIDOC_ITEM };

struct minidoc_block {
	enum minidoc_kind kind;
	const char *text; /* UTF-8, one paragraph */
};

/* A document being built; blocks live in the arena. */
struct minidoc {
	struct arena *arena;
	const char *title, *subtitle; /* UTF-8; subtitle may be NULL */
	struct minidoc_block *blocks;
	size_t n, cap;
};

/* Appends a block (text copied into the arena). */
void minidoc_add(struct minidoc *d, enum minidoc_kind kind, const char *text);

/* Appends the blocks of a little Markdown: "#" lines become headings,
 * "- ", "* " and "1. " lines items, other runs of lines paragraphs;
 * emphasis marks (* _ `) are dropped. */
void minidoc_add_markdown(struct minidoc *d, const char *md);

/* Write d to path (created or truncated). The PDF keeps to
 * MINIDOC_MAX_PAGES pages, cutting what does not fit. Return 0, or -1
 * with errno set. Allocate only transient heap. */
enum { MINIDOC_MAX_PAGES = 4 };
int minidoc_write_pdf(const struct minidoc *d, const char *path);
int minidoc_write_odt(const struct minidoc *d, const char *path);

#endif
