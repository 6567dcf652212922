#include "view/ics.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/paris_time.h"

enum { ICS_LINE_OCTETS = 75 };

/* The Paris rule since 1996, as RFC 5545 spells it. */
static const char VTIMEZONE[] =
	"BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n"
	"BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\n"
	"DTSTART:19960331T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
	"END:DAYLIGHT\r\n"
	"BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\n"
	"DTSTART:19961027T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
	"END:STANDARD\r\nEND:VTIMEZONE\r\n";

/* Writes one content line, folded: a line longer than 75 octets goes on
 * after CRLF and a space, cut before a UTF-8 continuation byte never. */
static void line(struct buf *out, const char *text)
{
	size_t n = strlen(text), used = 0;
	for (size_t i = 0; i < n;) {
		size_t len = 1;
		while (i + len < n && ((unsigned char)text[i + len] & 0xC0) == 0x80)
			len++;
		if (used + len > ICS_LINE_OCTETS) {
			buf_puts(out, "\r\n ");
			used = 1;
		}
		buf_append(out, text + i, len);
		used += len;
		i += len;
	}
	buf_puts(out, "\r\n");
}

/* Writes "NAME:<text escaped as RFC 5545 TEXT>" as one folded line. */
static void text_line(struct buf *out, const char *name, const char *text)
{
	struct buf b = {0};
	buf_printf(&b, "%s:", name);
	for (const char *p = text; *p; p++) {
		if (*p == '\\' || *p == ';' || *p == ',')
			buf_putc(&b, '\\'), buf_putc(&b, *p);
		else if (*p == '\n')
			buf_puts(&b, "\\n");
		else if (*p != '\r')
			buf_putc(&b, *p);
	}
	line(out, b.data);
	buf_free(&b);
}

/* Writes "NAME:value" as one folded line, value not escaped (a URI or
 * a UID). */
static void raw_line(struct buf *out, const char *name, const char *value)
{
	struct buf b = {0};
	buf_printf(&b, "%s:%s", name, value);
	line(out, b.data);
	buf_free(&b);
}

/* Writes day "YYYY-MM-DD" plus add days as "YYYYMMDD" into out. */
static void ics_day(const char *day, int add, char out[9])
{
	struct tm tm = {0};
	if (sscanf(day, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3) {
		out[0] = '\0';
		return;
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_mday += add;
	time_t t = timegm(&tm);
	gmtime_r(&t, &tm);
	strftime(out, 9, "%Y%m%d", &tm);
}

/* Writes ms as a UTC date-time, "20230417T215959Z". */
static void ics_utc(int64_t ms, char out[17])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}

/* Writes ms as Paris wall time, "20230417T235959", for TZID=Europe/Paris. */
static void ics_paris(int64_t ms, char out[16])
{
	struct paris_time_fields t = paris_time_split(ms);
	snprintf(out, 16, "%04d%02d%02dT%02d%02d%02d", t.year, t.month, t.day, t.hour, t.minute,
		 t.second);
}

void ics_host(const char *base_url, char *out, size_t outlen)
{
	const char *h = strstr(base_url, "://");
	h = h ? h + 3 : base_url;
	snprintf(out, outlen, "%.*s", (int)strcspn(h, "/"), h);
}

void ics_begin(struct buf *out, const char *prodid)
{
	buf_puts(out, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n");
	raw_line(out, "PRODID", prodid);
	buf_puts(out, "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n");
	buf_puts(out, VTIMEZONE);
}

void ics_event(struct buf *out, const struct ics_event *ev)
{
	char stamp[17];
	ics_utc(ev->stamp_ms, stamp);
	buf_puts(out, "BEGIN:VEVENT\r\n");
	raw_line(out, "UID", ev->uid);
	buf_printf(out, "DTSTAMP:%s\r\n", stamp);
	if (ev->first_day) {
		char start[9], end[9];
		ics_day(ev->first_day, 0, start);
		ics_day(ev->last_day, 1, end); /* DTEND of a DATE is exclusive */
		buf_printf(out, "DTSTART;VALUE=DATE:%s\r\nDTEND;VALUE=DATE:%s\r\n", start, end);
	} else {
		char at[16];
		ics_paris(ev->at_ms, at);
		buf_printf(out, "DTSTART;TZID=Europe/Paris:%s\r\n", at);
	}
	text_line(out, "SUMMARY", ev->summary);
	if (ev->location)
		text_line(out, "LOCATION", ev->location);
	if (ev->description)
		text_line(out, "DESCRIPTION", ev->description);
	if (ev->url)
		raw_line(out, "URL", ev->url);
	buf_puts(out, "END:VEVENT\r\n");
}

void ics_end(struct buf *out)
{
	buf_puts(out, "END:VCALENDAR\r\n");
}
