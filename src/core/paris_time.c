#include "core/paris_time.h"

#include <stdbool.h>
#include <stdio.h>

static const char *const weekday_names[] = {"dimanche", "lundi",    "mardi", "mercredi",
					    "jeudi",    "vendredi", "samedi"};
static const char *const month_names[] = {"janvier",   "février", "mars",     "avril",
					  "mai",       "juin",    "juillet",  "août",
					  "septembre", "octobre", "novembre", "décembre"};

/* Division and remainder rounding towards minus infinity, so that an
 * instant before 1970 still lands in the right day. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
	return a - floor_div(a, b) * b;
}

/* Days from 1970-01-01 to the proleptic Gregorian date y-m-d (Howard
 * Hinnant's days_from_civil): exact for every year, no libc time
 * function, so no dependence on TZ. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = floor_div(y, 400);
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The inverse of days_from_civil. */
static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* 0 = Sunday: 1970-01-01 was a Thursday. */
static int weekday_of_days(int64_t z)
{
	return (int)floor_mod(z + 4, 7);
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Seconds since the epoch of the last Sunday of month m (31 days long:
 * March or October) of year y, 01:00 UTC: when Paris changes time. */
static int64_t change_instant_s(int y, int m)
{
	int64_t last = days_from_civil(y, m, 31);
	return (last - weekday_of_days(last)) * 86400 + 3600;
}

static int offset_at_s(int64_t utc_s)
{
	int y, m, d;
	civil_from_days(floor_div(utc_s, 86400), &y, &m, &d);
	bool summer = utc_s >= change_instant_s(y, 3) && utc_s < change_instant_s(y, 10);
	return summer ? 7200 : 3600;
}

int paris_time_offset_s(int64_t utc_ms)
{
	return offset_at_s(floor_div(utc_ms, 1000));
}

/* The fields of the wall clock that reads local_s seconds since a
 * 1970-01-01 00:00 of its own. */
static struct paris_time_fields fields_of(int64_t local_s)
{
	struct paris_time_fields f;
	int64_t days = floor_div(local_s, 86400);
	int64_t rest = local_s - days * 86400;
	civil_from_days(days, &f.year, &f.month, &f.day);
	f.hour = (int)(rest / 3600);
	f.minute = (int)(rest / 60 % 60);
	f.second = (int)(rest % 60);
	f.weekday = weekday_of_days(days);
	return f;
}

struct paris_time_fields paris_time_split(int64_t utc_ms)
{
	int64_t utc_s = floor_div(utc_ms, 1000);
	return fields_of(utc_s + offset_at_s(utc_s));
}

static bool fields_valid(const struct paris_time_fields *f)
{
	return f->year >= 1 && f->year <= 9999 && f->month >= 1 && f->month <= 12 && f->day >= 1 &&
	       f->day <= days_in_month(f->year, f->month) && f->hour >= 0 && f->hour <= 23 &&
	       f->minute >= 0 && f->minute <= 59 && f->second >= 0 && f->second <= 59;
}

/* Seconds since the epoch that the fields would be if they were UTC. */
static int64_t fields_seconds(const struct paris_time_fields *f)
{
	return days_from_civil(f->year, f->month, f->day) * 86400 + f->hour * 3600 +
	       f->minute * 60 + f->second;
}

enum paris_time_parse paris_time_from_local(const struct paris_time_fields *local, int64_t *utc_ms)
{
	if (!fields_valid(local))
		return PARIS_TIME_INVALID;
	int64_t wall = fields_seconds(local);
	/* Summer time first: in the autumn overlap both readings are right,
	 * and the summer one is the earlier instant. */
	static const int offsets[] = {7200, 3600};
	for (size_t i = 0; i < 2; i++) {
		int64_t utc_s = wall - offsets[i];
		if (offset_at_s(utc_s) == offsets[i]) {
			*utc_ms = utc_s * 1000;
			return PARIS_TIME_OK;
		}
	}
	return PARIS_TIME_GAP;
}

static const char *day_suffix(int day)
{
	return day == 1 ? "er" : "";
}

char *paris_time_format_date(int64_t utc_ms, char *out, size_t outlen)
{
	struct paris_time_fields f = paris_time_split(utc_ms);
	snprintf(out, outlen, "%s %d%s %s %d", weekday_names[f.weekday], f.day, day_suffix(f.day),
		 month_names[f.month - 1], f.year);
	return out;
}

char *paris_time_format_long(int64_t utc_ms, char *out, size_t outlen)
{
	struct paris_time_fields f = paris_time_split(utc_ms);
	snprintf(out, outlen, "%s %d%s %s %d à %d h %02d", weekday_names[f.weekday], f.day,
		 day_suffix(f.day), month_names[f.month - 1], f.year, f.hour, f.minute);
	return out;
}

char *paris_time_format_short(int64_t utc_ms, char out[PARIS_TIME_SHORT_MAX])
{
	struct paris_time_fields f = paris_time_split(utc_ms);
	snprintf(out, PARIS_TIME_SHORT_MAX, "%02d/%02d/%04d", f.day, f.month, f.year);
	return out;
}

char *paris_time_format_rfc3339(int64_t utc_ms, char out[PARIS_TIME_RFC3339_MAX])
{
	struct paris_time_fields f = fields_of(floor_div(utc_ms, 1000));
	snprintf(out, PARIS_TIME_RFC3339_MAX, "%04d-%02d-%02dT%02d:%02d:%02dZ", f.year, f.month,
		 f.day, f.hour, f.minute, f.second);
	return out;
}

/* Reads exactly n ASCII digits at *p into *value and moves *p past them.
 * Returns false, leaving *p, when fewer than n digits are there. */
static bool digits(const char **p, int n, int *value)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*value = v;
	return true;
}

/* Reads the character c at *p and moves past it. */
static bool literal(const char **p, char c)
{
	if (**p != c)
		return false;
	(*p)++;
	return true;
}

/* Reads "YYYY-MM-DD" at *p into f. */
static bool scan_date(const char **p, struct paris_time_fields *f)
{
	return digits(p, 4, &f->year) && literal(p, '-') && digits(p, 2, &f->month) &&
	       literal(p, '-') && digits(p, 2, &f->day);
}

/* Reads "HH:MM", then ":SS" when seconds_required or when a ':' follows,
 * at *p into f. */
static bool scan_time(const char **p, struct paris_time_fields *f, bool seconds_required)
{
	f->second = 0;
	if (!digits(p, 2, &f->hour) || !literal(p, ':') || !digits(p, 2, &f->minute))
		return false;
	if (**p != ':')
		return !seconds_required;
	(*p)++;
	return digits(p, 2, &f->second);
}

/* Reads an optional ".fff…" at *p: the first three digits as
 * milliseconds, the rest dropped. */
static bool scan_fraction(const char **p, int *ms)
{
	*ms = 0;
	if (!literal(p, '.'))
		return true;
	if (**p < '0' || **p > '9')
		return false;
	for (int scale = 100; **p >= '0' && **p <= '9'; (*p)++, scale /= 10)
		*ms += (**p - '0') * scale;
	return true;
}

/* Reads "Z", "z" or "+HH:MM"/"-HH:MM" at *p into *offset_s. */
static bool scan_offset(const char **p, int *offset_s)
{
	if (literal(p, 'Z') || literal(p, 'z')) {
		*offset_s = 0;
		return true;
	}
	int sign = **p == '+' ? 1 : **p == '-' ? -1 : 0;
	int hours, minutes;
	if (!sign)
		return false;
	(*p)++;
	if (!digits(p, 2, &hours) || !literal(p, ':') || !digits(p, 2, &minutes) || hours > 23 ||
	    minutes > 59)
		return false;
	*offset_s = sign * (hours * 3600 + minutes * 60);
	return true;
}

enum paris_time_parse paris_time_parse_rfc3339(const char *text, int64_t *utc_ms)
{
	struct paris_time_fields f;
	const char *p = text ? text : "";
	int ms, offset_s;
	if (!scan_date(&p, &f) || !(literal(&p, 'T') || literal(&p, 't')) ||
	    !scan_time(&p, &f, true) || !scan_fraction(&p, &ms) || !scan_offset(&p, &offset_s) ||
	    *p != '\0' || !fields_valid(&f))
		return PARIS_TIME_INVALID;
	*utc_ms = (fields_seconds(&f) - offset_s) * 1000 + ms;
	return PARIS_TIME_OK;
}

enum paris_time_parse paris_time_parse_local(const char *date, const char *time, int64_t *utc_ms)
{
	struct paris_time_fields f = {0};
	const char *p = date ? date : "";
	if (!scan_date(&p, &f) || *p != '\0')
		return PARIS_TIME_INVALID;
	if (time && *time) {
		p = time;
		if (!scan_time(&p, &f, false) || *p != '\0')
			return PARIS_TIME_INVALID;
	}
	return paris_time_from_local(&f, utc_ms);
}

enum paris_time_parse paris_time_parse_datetime_local(const char *value, int64_t *utc_ms)
{
	struct paris_time_fields f = {0};
	const char *p = value ? value : "";
	if (!scan_date(&p, &f) || !literal(&p, 'T') || !scan_time(&p, &f, false) || *p != '\0')
		return PARIS_TIME_INVALID;
	return paris_time_from_local(&f, utc_ms);
}

const char *paris_time_error_fr(enum paris_time_parse code)
{
	if (code == PARIS_TIME_GAP)
		return "Cette heure n’existe pas à Paris ce jour-là\u202f: les horloges passent de 2 h "
		       "à 3 h. Choisissez 3 h ou plus tard.";
	return "Saisissez une date valide (jour, mois, année) et une heure valide (heures et "
	       "minutes).";
}
