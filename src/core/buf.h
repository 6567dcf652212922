/* Growable byte buffer, the output side of every reply and template.
 * Owned by whoever embeds it; heap-allocated, freed with buf_free. */
#ifndef COUSILAB_BUF_H
#define COUSILAB_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data; /* always NUL-terminated when cap > 0 */
	size_t len;
	size_t cap;
};

#define BUF_INIT  \
	{         \
		0 \
	}

/* Releases the storage and resets b to empty. */
void buf_free(struct buf *b);

/* Empties b, keeping its storage for reuse. */
void buf_reset(struct buf *b);

/* Appends; grows with realloc (aborts on out-of-memory). */
void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);

/* Appends s[0..n) escaped for HTML text and attribute values
 * (& < > " ' and backtick). */
void buf_append_html(struct buf *b, const char *s, size_t n);

#endif
