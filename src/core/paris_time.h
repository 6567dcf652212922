/* Instants as the site shows and reads them: stored as UTC milliseconds,
 * shown in Paris wall time in French ("jeudi 4 décembre 2026 à 17 h 46"),
 * exchanged as RFC 3339 UTC ("2026-12-04T16:46:00Z"), typed in forms as a
 * Paris local date and time ("2026-12-04" + "17:46").
 *
 * Paris is UTC+1, and UTC+2 from the last Sunday of March 01:00 UTC to
 * the last Sunday of October 01:00 UTC (the EU rule since 1996). The rule
 * is computed here rather than read from tzdata or the process's TZ: the
 * app's containers need neither, a request never calls setenv/localtime,
 * and the rule is the same on every machine. Dates before 1996 are shown
 * by today's rule too; the site has none. */
#ifndef COUSILAB_PARIS_TIME_H
#define COUSILAB_PARIS_TIME_H

#include <stddef.h>
#include <stdint.h>

/* A wall-clock time's fields, Paris or UTC as the function says. */
struct paris_time_fields {
	int year;    /* 1..9999 */
	int month;   /* 1..12 */
	int day;     /* 1..31 */
	int hour;    /* 0..23 */
	int minute;  /* 0..59 */
	int second;  /* 0..59 */
	int weekday; /* 0 = Sunday .. 6 = Saturday (filled by paris_time_split) */
};

/* What parsing a typed or exchanged instant found. */
enum paris_time_parse {
	PARIS_TIME_OK = 0,
	/* Not the expected form, or a field out of range (2026-02-30, 25:00). */
	PARIS_TIME_INVALID = -1,
	/* A Paris local time that does not exist: the hour skipped when the
	 * clocks go forward (02:00 to 02:59 on the last Sunday of March). It
	 * is refused rather than shifted, because a deadline typed as 02:30
	 * that silently became 03:30 would not be the one meant. */
	PARIS_TIME_GAP = -2,
};

/* The longest outputs, terminating NUL included. */
enum {
	PARIS_TIME_LONG_MAX = 48,   /* "mercredi 31 décembre 2026 à 23 h 59" */
	PARIS_TIME_DATE_MAX = 40,   /* "mercredi 31 décembre 2026" */
	PARIS_TIME_SHORT_MAX = 11,  /* "31/12/2026" */
	PARIS_TIME_RFC3339_MAX = 21 /* "2026-12-31T22:59:00Z" */
};

/* Returns Paris's offset from UTC at the instant utc_ms, in seconds:
 * 3600 in winter, 7200 in summer. Allocates nothing. */
int paris_time_offset_s(int64_t utc_ms);

/* Returns the Paris wall-clock fields of the instant utc_ms (weekday
 * filled). Allocates nothing. */
struct paris_time_fields paris_time_split(int64_t utc_ms);

/* Converts Paris wall-clock fields (weekday ignored) to UTC milliseconds
 * in *utc_ms. In the autumn overlap (02:00 to 02:59 happen twice) the
 * first occurrence, still in summer time, is taken. Returns PARIS_TIME_OK,
 * PARIS_TIME_INVALID for an impossible date or time, or PARIS_TIME_GAP
 * for a skipped spring time; *utc_ms is set only on success. Allocates
 * nothing. */
enum paris_time_parse paris_time_from_local(const struct paris_time_fields *local, int64_t *utc_ms);

/* Writes the instant utc_ms in Paris time as "jeudi 4 décembre 2026 à
 * 17 h 46" ("1er" for the first of the month, minutes on two digits)
 * into out (PARIS_TIME_LONG_MAX bytes suffice). Returns out. Allocates
 * nothing. */
char *paris_time_format_long(int64_t utc_ms, char *out, size_t outlen);

/* Writes the Paris date of utc_ms as "jeudi 4 décembre 2026" into out
 * (PARIS_TIME_DATE_MAX bytes suffice). Returns out. Allocates nothing. */
char *paris_time_format_date(int64_t utc_ms, char *out, size_t outlen);

/* Writes the Paris date of utc_ms as "04/12/2026" into out, for tables
 * where the long form does not fit. Returns out. Allocates nothing. */
char *paris_time_format_short(int64_t utc_ms, char out[PARIS_TIME_SHORT_MAX]);

/* Writes the instant utc_ms as RFC 3339 UTC to the second,
 * "2026-12-04T16:46:00Z" (milliseconds dropped, towards the past).
 * Returns out. Allocates nothing. */
char *paris_time_format_rfc3339(int64_t utc_ms, char out[PARIS_TIME_RFC3339_MAX]);

/* Parses an RFC 3339 date-time, "2026-12-04T16:46:00Z", with an optional
 * fraction of a second (kept to the millisecond) and either Z or a
 * "+01:00"-style offset; 'T' and 'Z' may be lower case. Leap seconds
 * (:60) are refused. Sets *utc_ms and returns PARIS_TIME_OK, or returns
 * PARIS_TIME_INVALID. Allocates nothing. */
enum paris_time_parse paris_time_parse_rfc3339(const char *text, int64_t *utc_ms);

/* Parses a form's Paris local date "YYYY-MM-DD" and time "HH:MM" or
 * "HH:MM:SS" (what <input type="date"> and <input type="time"> send) to
 * UTC milliseconds in *utc_ms. time may be NULL or "" for midnight.
 * Returns as paris_time_from_local. Allocates nothing. */
enum paris_time_parse paris_time_parse_local(const char *date, const char *time, int64_t *utc_ms);

/* Parses a <input type="datetime-local"> value, "YYYY-MM-DDTHH:MM" or
 * "YYYY-MM-DDTHH:MM:SS", as Paris local time. Returns as
 * paris_time_parse_local. Allocates nothing. */
enum paris_time_parse paris_time_parse_datetime_local(const char *value, int64_t *utc_ms);

/* Returns the French message a form shows next to a date field that
 * parsing refused with code (static, not owned): a skipped spring hour
 * gets its own explanation. Allocates nothing. */
const char *paris_time_error_fr(enum paris_time_parse code);

#endif
