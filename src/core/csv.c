/* CSV records for French spreadsheets (see csv.h). */
#include <string.h>

#include "core/buf.h"
#include "core/csv.h"

void feeds_csv_append_field(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	if (*s && strchr("=+-@\t\r", *s))
		buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

void csv_append_row(struct buf *b, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ';');
		feeds_csv_append_field(b, fields[i] ? fields[i] : "");
	}
	buf_puts(b, "\r\n");
}
