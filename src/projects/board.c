/* The coordinators' views' pure rules (see board.h). */
#include "projects/board.h"

#include <stdio.h>
#include <string.h>

enum { DAY_MS = 86400000 };

/* Returns the days since 1970-01-01 of the civil date y-m-d (proleptic
 * Gregorian; H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Returns the civil year of day z (days since 1970-01-01). */
static int64_t year_of_day(int64_t z)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	return yoe + era * 400 + (mp >= 10);
}

void project_iso_week(int64_t ms, char out[PROJECT_WEEK_MAX])
{
	int64_t day = ms >= 0 ? ms / DAY_MS : -((-ms + DAY_MS - 1) / DAY_MS);
	int64_t weekday = ((day + 3) % 7 + 7) % 7; /* 0 = Monday; 1970-01-01 was a Thursday */
	/* The week belongs to the year of its Thursday. */
	int64_t thursday = day - weekday + 3;
	int64_t year = year_of_day(thursday);
	int64_t week = (thursday - days_from_civil(year, 1, 1)) / 7 + 1;
	snprintf(out, PROJECT_WEEK_MAX, "%04d-W%02d", (int)(year % 10000), (int)week);
}

void project_funnel_count(struct project_funnel *f, enum project_stage stage)
{
	f->projects++;
	for (int s = 0; s <= (int)stage && s < PROJECT_STAGE_COUNT; s++)
		f->reached[s]++;
}

void project_format_number(double v, char out[PROJECT_NUMBER_MAX])
{
	snprintf(out, PROJECT_NUMBER_MAX, "%.6f", v);
	char *dot = strchr(out, '.');
	if (!dot)
		return;
	char *end = out + strlen(out);
	while (end > dot + 1 && end[-1] == '0')
		*--end = '\0';
	if (end == dot + 1)
		*dot = '\0';
	else
		*dot = ',';
	if (!strcmp(out, "-0"))
		strcpy(out, "0");
}
