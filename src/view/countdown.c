#include "view/countdown.h"

#include "core/arena.h"

/* Returns "N unit" or "N units" (arena); unit is singular. */
static const char *count_of(struct arena *a, long n, const char *unit)
{
	return arena_printf(a, "%ld %s%s", n, unit, n > 1 ? "s" : "");
}

const char *countdown_fr(struct arena *a, int64_t now_ms, int64_t until_ms)
{
	int64_t minutes = (until_ms - now_ms) / 60000;
	if (minutes < 1)
		return "moins d’une minute";
	long days = (long)(minutes / 1440), hours = (long)(minutes % 1440 / 60),
	     mins = (long)(minutes % 60);
	const char *parts[3];
	int n = 0;
	if (days)
		parts[n++] = count_of(a, days, "jour");
	if (hours)
		parts[n++] = count_of(a, hours, "heure");
	if (mins && days < 2) /* minutes matter only on the last days */
		parts[n++] = count_of(a, mins, "minute");
	if (n == 1)
		return parts[0];
	if (n == 2)
		return arena_printf(a, "%s et %s", parts[0], parts[1]);
	return arena_printf(a, "%s, %s et %s", parts[0], parts[1], parts[2]);
}
