#include "core/scan_watch.h"

#include <stdio.h>

/* Per thread: a worker serves one request at a time. */
static _Thread_local unsigned scans;
static _Thread_local char first_collection[64];

void scan_watch_note(const char *collection)
{
	if (scans++ == 0)
		snprintf(first_collection, sizeof(first_collection), "%s", collection);
}

unsigned scan_watch_take(char *first, size_t len)
{
	unsigned n = scans;
	snprintf(first, len, "%s", n ? first_collection : "");
	scans = 0;
	return n;
}
