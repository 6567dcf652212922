/* The catalogue for other tools: Atom 1.0 feeds of the newest published
 * practices, whole (/pratiques/flux.atom) and per theme
 * (/clubs/{theme}/flux.atom), read from the catalogue; and the CSV export
 * of every practice, whatever its status, for coordinators
 * (/pratiques/export.csv). */
#ifndef COUSILAB_FEEDS_H
#define COUSILAB_FEEDS_H

#include <stdbool.h>

#include "core/csv.h" /* feeds_csv_append_field, for the export */

struct request;

enum { FEED_ENTRIES = 50 };

/* Writes the RFC 3339 form ("2026-03-01T08:30:00Z") of iso, a UTC date
 * as doc_to_json gives it, to out. Returns false (out empty) when iso is
 * no such date. Pure. */
bool feeds_rfc3339_from_iso(const char *iso, char out[21]);

#endif
