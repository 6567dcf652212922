#include "view/time_view.h"

#include "core/arena.h"
#include "core/paris_time.h"

void time_view_put(struct arena *a, json_t *view, const json_t *e, const char *key)
{
	char fr[PARIS_TIME_LONG_MAX], iso[PARIS_TIME_RFC3339_MAX];
	int64_t ms = json_integer_value(json_object_get(e, key));
	json_object_set_new(view, arena_printf(a, "%s_fr", key),
			    json_string(paris_time_format_long(ms, fr, sizeof(fr))));
	json_object_set_new(view, arena_printf(a, "%s_iso", key),
			    json_string(paris_time_format_rfc3339(ms, iso)));
}

const char *time_view_day_fr(struct arena *a, const char *day)
{
	int64_t ms;
	char out[PARIS_TIME_DATE_MAX];
	if (paris_time_parse_local(day, "12:00", &ms) != PARIS_TIME_OK)
		return day;
	return arena_strdup(a, paris_time_format_date(ms, out, sizeof(out)));
}
