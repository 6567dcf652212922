/* A debug-build check of the data-access rule (README, "Data access"):
 * the database layer notes, per thread, each command whose filter is not
 * an exact _id (a scan of the whole collection on FerretDB/SQLite), and
 * the server writes the count of each request in its log line as
 * "scans=N(<first collection>)". Release builds note nothing. */
#ifndef COUSILAB_SCAN_WATCH_H
#define COUSILAB_SCAN_WATCH_H

#include <stddef.h>

/* Notes one scan of collection on this thread. */
void scan_watch_note(const char *collection);

/* Returns how many scans this thread noted since the last call, and
 * copies the first one's collection into first (len bytes); resets. */
unsigned scan_watch_take(char *first, size_t len);

#endif
