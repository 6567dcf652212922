/* iCalendar files (RFC 5545) of events in Europe/Paris: whole-day events
 * and instants, one writer for every feature that offers a calendar
 * (the Défi du Lab, the Grand Prix). */
#ifndef COUSILAB_VIEW_ICS_H
#define COUSILAB_VIEW_ICS_H

#include <stddef.h>
#include <stdint.h>

struct buf;

/* One VEVENT. Either days (first_day and last_day, "YYYY-MM-DD", both
 * inclusive: written as DATE values, DTEND exclusive) or, when first_day
 * is NULL, the instant at_ms (UTC ms, written in Paris wall time with
 * TZID, no DTEND: a deadline is an instant, RFC 5545 3.6.1). location,
 * description and url may be NULL. */
struct ics_event {
	const char *uid;
	int64_t stamp_ms; /* DTSTAMP: when the data last changed */
	const char *first_day, *last_day;
	int64_t at_ms;
	const char *summary, *location, *description, *url;
};

/* Writes the calendar's head: VCALENDAR with prodid ("-//Cousilab//Défi
 * du Lab//FR") and the Europe/Paris VTIMEZONE. Pure. */
void ics_begin(struct buf *out, const char *prodid);

/* Writes ev: CRLF line ends, lines folded at 75 octets without cutting a
 * UTF-8 character, text escaped. Pure. */
void ics_event(struct buf *out, const struct ics_event *ev);

/* Writes the calendar's end. Pure. */
void ics_end(struct buf *out);

/* Writes the host part of base_url ("127.0.0.1:8080" from
 * "http://127.0.0.1:8080/x") into out, for UIDs ("defi-2023@host").
 * Pure. */
void ics_host(const char *base_url, char *out, size_t outlen);

#endif
