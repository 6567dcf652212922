/* CSV for French spreadsheets, as every export of the site writes it:
 * UTF-8 with a byte order mark, ";" between fields, CRLF after each
 * record, every field quoted, and a field a spreadsheet would take for a
 * formula defused. */
#ifndef COUSILAB_CSV_H
#define COUSILAB_CSV_H

#include <stddef.h>

struct buf;

/* The byte order mark that makes Excel read the file as UTF-8. */
#define CSV_BOM "\xEF\xBB\xBF"

/* Appends s as one CSV field: always quoted, quotes doubled (RFC 4180); a
 * field starting with = + - @, tab or CR gets a leading ' so that no
 * spreadsheet runs it as a formula. Allocates only through b. */
void feeds_csv_append_field(struct buf *b, const char *s);

/* Appends one record of the n fields (NULL counts as ""), ";" between
 * them and CRLF at the end. Allocates only through b. */
void csv_append_row(struct buf *b, const char *const *fields, size_t n);

#endif
