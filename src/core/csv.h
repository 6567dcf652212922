/* CSV for French spreadsheets (UTF-8; the caller writes the byte order
 * mark): ";" between fields, CRLF between records, every field quoted. */
#ifndef COUSILAB_CSV_H
#define COUSILAB_CSV_H

#include <stddef.h>

struct buf;

/* Appends s as one CSV field: always quoted, quotes doubled (RFC 4180);
 * a field starting with = + - @, tab or CR gets a leading ' so that no
 * spreadsheet runs it as a formula. */
void csv_append_field(struct buf *b, const char *s);

/* Appends one record of the n fields, ";" between them, CRLF at the end. */
void csv_append_row(struct buf *b, const char *const *fields, size_t n);

#endif
