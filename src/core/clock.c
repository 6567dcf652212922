#include "core/clock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#if defined(COUSILAB_TEST_CLOCK) && defined(NDEBUG)
#error "the test clock exists in test builds only"
#endif

static int64_t real_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

bool clock_parse_utc(const char *text, int64_t *ms)
{
	int y, mo, d, h, mi, s, frac = 0;
	if (strlen(text) < 20 || !digits(text, 4, &y) || text[4] != '-' ||
	    !digits(text + 5, 2, &mo) || text[7] != '-' || !digits(text + 8, 2, &d) ||
	    text[10] != 'T' || !digits(text + 11, 2, &h) || text[13] != ':' ||
	    !digits(text + 14, 2, &mi) || text[16] != ':' || !digits(text + 17, 2, &s))
		return false;
	const char *rest = text + 19;
	if (*rest == '.') {
		if (!digits(rest + 1, 3, &frac))
			return false;
		rest += 4;
	}
	if (strcmp(rest, "Z") != 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    s > 59)
		return false;
	struct tm tm = {.tm_year = y - 1900,
			.tm_mon = mo - 1,
			.tm_mday = d,
			.tm_hour = h,
			.tm_min = mi,
			.tm_sec = s};
	time_t t = timegm(&tm);
	struct tm back;
	gmtime_r(&t, &back);
	if (back.tm_mday != d) /* 31 April and the like */
		return false;
	*ms = (int64_t)t * 1000 + frac;
	return true;
}

#ifdef COUSILAB_TEST_CLOCK
#include <stdlib.h>

/* Returns true with the frozen instant when the test clock file holds
 * one. Read at every call: tests move the clock between two requests and
 * several app processes must agree at once. */
static bool frozen_now_ms(int64_t *ms)
{
	const char *path = getenv("COUSILAB_TEST_CLOCK_FILE");
	if (!path || !*path)
		return false;
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	char text[40] = "";
	bool ok = fgets(text, sizeof(text), f) != NULL;
	fclose(f);
	if (!ok)
		return false;
	text[strcspn(text, "\r\n")] = '\0';
	return clock_parse_utc(text, ms);
}
#endif

int64_t clock_now_ms(void)
{
#ifdef COUSILAB_TEST_CLOCK
	int64_t ms;
	if (frozen_now_ms(&ms))
		return ms;
#endif
	return real_now_ms();
}
