/* An edition as an iCalendar file (RFC 5545): the event, on whole days,
 * and the close of sign-ups, in Europe/Paris time with its VTIMEZONE so
 * that any calendar shows it at 23:59 in Paris. */
#ifndef COUSILAB_DEFI_CALENDAR_H
#define COUSILAB_DEFI_CALENDAR_H

#include <jansson.h>

struct buf;

/* Writes the calendar of edition e (the cache's JSON) to out: CRLF line
 * ends, lines folded at 75 octets without cutting a UTF-8 character,
 * text escaped. base_url is the site's public address (links, and the
 * host part of the UIDs). Pure. */
void defi_calendar_write(struct buf *out, const json_t *e, const char *base_url);

#endif
