#include "defi/edition_view.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/paris_time.h"
#include "db/doc.h"
#include "defi/edition.h"
#include "view/countdown.h"
#include "view/markdown.h"
#include "view/time_view.h"

static const char *event_dates_fr(struct arena *a, const json_t *e)
{
	const char *start = json_str(e, "event_start"), *end = json_str(e, "event_end");
	if (strcmp(start, end) == 0)
		return arena_printf(a, "le %s", time_view_day_fr(a, start));
	return arena_printf(a, "du %s au %s", time_view_day_fr(a, start), time_view_day_fr(a, end));
}

static int64_t instant(const json_t *e, const char *key)
{
	return json_integer_value(json_object_get(e, key));
}

static const char *sizes_fr(struct arena *a, const json_t *e)
{
	int min = defi_edition_min(e), max = defi_edition_max(e);
	if (max)
		return arena_printf(a,
				    "Équipes de %d à %d collègues d’un même organisme, "
				    "capitaine compris.",
				    min, max);
	return arena_printf(a,
			    "Équipes d’au moins %d collègues d’un même organisme, "
			    "capitaine compris.",
			    min);
}

json_t *defi_edition_view(struct arena *a, const json_t *e, int64_t now_ms)
{
	json_t *v = json_deep_copy(e);
	int year = (int)json_integer_value(json_object_get(e, "year"));
	bool open = defi_edition_is_open(e, now_ms);
	const char *window = open                                     ? "ouvert"
			     : now_ms < instant(e, "signup_opens_at") ? "avant"
								      : "clos";
	time_view_put(a, v, e, "signup_opens_at");
	time_view_put(a, v, e, "signup_closes_at");
	json_object_set_new(v, "event_dates_fr", json_string(event_dates_fr(a, e)));
	json_object_set_new(v, "window", json_string(window));
	json_object_set_new(v, "is_open", json_boolean(open));
	json_object_set_new(v, "is_before", json_boolean(window[0] == 'a'));
	json_object_set_new(v, "is_closed", json_boolean(window[0] == 'c'));
	if (open)
		json_object_set_new(
			v, "countdown_fr",
			json_string(countdown_fr(a, now_ms, instant(e, "signup_closes_at"))));
	else if (window[0] == 'a')
		json_object_set_new(
			v, "countdown_fr",
			json_string(countdown_fr(a, now_ms, instant(e, "signup_opens_at"))));
	json_object_set_new(v, "sizes_fr", json_string(sizes_fr(a, e)));
	json_object_set_new(v, "description_html",
			    json_string(markdown_to_html(a, json_str(e, "description"), 1)));
	json_object_set_new(v, "url", json_string(arena_printf(a, "/defi/%d", year)));
	return v;
}

json_t *defi_edition_api(const json_t *e, int64_t now_ms)
{
	char opens[PARIS_TIME_RFC3339_MAX], closes[PARIS_TIME_RFC3339_MAX];
	int max = defi_edition_max(e);
	json_t *questions = json_array(), *q;
	size_t i;
	json_array_foreach(json_object_get(e, "questions"), i, q)
		json_array_append_new(questions,
				      json_pack("{s:s, s:s, s:b}", "code", json_str(q, "code"),
						"label", json_str(q, "label"), "required",
						json_is_true(json_object_get(q, "required"))));
	json_t *out = json_pack(
		"{s:O, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:o, s:b, s:o}", "year",
		json_object_get(e, "year"), "title", json_str(e, "title"), "theme",
		json_str(e, "theme"), "description", json_str(e, "description"), "event_start",
		json_str(e, "event_start"), "event_end", json_str(e, "event_end"), "location",
		json_str(e, "location"), "signup_opens_at",
		paris_time_format_rfc3339(instant(e, "signup_opens_at"), opens), "signup_closes_at",
		paris_time_format_rfc3339(instant(e, "signup_closes_at"), closes), "min_team_size",
		defi_edition_min(e), "max_team_size", max ? json_integer(max) : json_null(),
		"is_open", defi_edition_is_open(e, now_ms), "questions", questions);
	/* The revision a PUT may name to refuse overwriting another's save. */
	json_object_set(out, "rev", json_object_get(e, "rev"));
	return out;
}
