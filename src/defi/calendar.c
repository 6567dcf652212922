#include "defi/calendar.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/app.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/paris_time.h"
#include "db/doc.h"
#include "defi/ui.h"
#include "http/reply.h"

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

/* The host of base_url, for UIDs ("127.0.0.1:8080" from "http://..."). */
static void host_of(const char *base_url, char *out, size_t outlen)
{
	const char *h = strstr(base_url, "://");
	h = h ? h + 3 : base_url;
	snprintf(out, outlen, "%.*s", (int)strcspn(h, "/"), h);
}

void defi_calendar_write(struct buf *out, const json_t *e, const char *base_url)
{
	int year = (int)json_integer_value(json_object_get(e, "year"));
	char host[128], stamp[17], start[9], end[9], closes[16], l[256];
	host_of(base_url, host, sizeof(host));
	ics_utc(json_integer_value(json_object_get(e, "updated_at")), stamp);
	ics_day(json_str(e, "event_start"), 0, start);
	ics_day(json_str(e, "event_end"), 1, end); /* DTEND of a DATE is exclusive */
	ics_paris(json_integer_value(json_object_get(e, "signup_closes_at")), closes);
	buf_puts(out, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
		      "PRODID:-//Cousilab//Défi du Lab//FR\r\nCALSCALE:GREGORIAN\r\n"
		      "METHOD:PUBLISH\r\n");
	buf_puts(out, VTIMEZONE);

	buf_puts(out, "BEGIN:VEVENT\r\n");
	snprintf(l, sizeof(l), "UID:defi-%d-evenement@%s", year, host);
	line(out, l);
	buf_printf(out, "DTSTAMP:%s\r\nDTSTART;VALUE=DATE:%s\r\nDTEND;VALUE=DATE:%s\r\n", stamp,
		   start, end);
	text_line(out, "SUMMARY", json_str(e, "title"));
	text_line(out, "LOCATION", json_str(e, "location"));
	text_line(out, "DESCRIPTION", json_str(e, "theme"));
	snprintf(l, sizeof(l), "URL:%s/defi/%d", base_url, year);
	line(out, l);
	buf_puts(out, "END:VEVENT\r\n");

	buf_puts(out, "BEGIN:VEVENT\r\n");
	snprintf(l, sizeof(l), "UID:defi-%d-cloture@%s", year, host);
	line(out, l);
	/* No DTEND: the deadline is an instant (RFC 5545 3.6.1). */
	buf_printf(out, "DTSTAMP:%s\r\nDTSTART;TZID=Europe/Paris:%s\r\n", stamp, closes);
	snprintf(l, sizeof(l), "%s\u202f: clôture des candidatures", json_str(e, "title"));
	text_line(out, "SUMMARY", l);
	snprintf(l, sizeof(l), "URL:%s/defi/%d", base_url, year);
	line(out, l);
	buf_puts(out, "END:VEVENT\r\nEND:VCALENDAR\r\n");
}

void defi_calendar(struct request *req)
{
	const json_t *e = defi_edition_of_route_or_reply(req);
	if (!e)
		return;
	buf_reset(&req->res.body);
	defi_calendar_write(&req->res.body, e, req->app->config.base_url);
	req->res.status = 200;
	req->res.content_type = "text/calendar; charset=utf-8";
	const char *file = arena_printf(req->arena, "defi-du-lab-%d.ics",
					(int)json_integer_value(json_object_get(e, "year")));
	reply_header(req, "Content-Disposition",
		     arena_printf(req->arena, "attachment; filename=\"%s\"", file));
}
