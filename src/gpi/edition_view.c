#include "gpi/edition_view.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/paris_time.h"
#include "db/doc.h"
#include "gpi/edition.h"
#include "gpi/edition_rules.h"
#include "view/countdown.h"
#include "view/ics.h"
#include "view/markdown.h"
#include "view/time_view.h"

enum { MIB = 1024 * 1024 };

static int64_t instant(const json_t *e, const char *key)
{
	return json_integer_value(json_object_get(e, key));
}

const char *gpi_mo_fr(struct arena *a, int64_t bytes)
{
	if (bytes % MIB == 0)
		return arena_printf(a, "%lld Mo", (long long)(bytes / MIB));
	long long tenths = (bytes * 10 + MIB / 2) / MIB;
	if (tenths % 10 == 0)
		return arena_printf(a, "%lld Mo", tenths / 10);
	return arena_printf(a, "%lld,%lld Mo", tenths / 10, tenths % 10);
}

const char *gpi_duration_fr(struct arena *a, int64_t seconds)
{
	long long m = seconds / 60, s = seconds % 60;
	const char *min = arena_printf(a, "%lld minute%s", m, m > 1 ? "s" : "");
	const char *sec = arena_printf(a, "%lld seconde%s", s, s > 1 ? "s" : "");
	if (!m)
		return sec;
	return s ? arena_printf(a, "%s et %s", min, sec) : min;
}

/* Returns amount in euros with French digit groups ("5 000 €", narrow
 * no-break spaces), in the arena. */
static const char *euros_fr(struct arena *a, int64_t amount)
{
	char digits[24], out[64];
	int n = snprintf(digits, sizeof(digits), "%lld", (long long)amount);
	size_t o = 0;
	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			o += (size_t)snprintf(out + o, sizeof(out) - o, "\u202f");
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return arena_printf(a, "%s\u00a0€", out);
}

/* Returns the Paris day of ms, "YYYY-MM-DD", in the arena. */
static const char *paris_day(struct arena *a, int64_t ms)
{
	struct paris_time_fields t = paris_time_split(ms);
	return arena_printf(a, "%04d-%02d-%02d", t.year, t.month, t.day);
}

/* Returns whether a phase starting at ms starts at its first day's
 * midnight (Paris): a day, not an hour, as every phase but a ceremony's,
 * whose start is the laureates' publication. */
static bool starts_with_its_day(int64_t ms)
{
	struct paris_time_fields t = paris_time_split(ms);
	return t.hour == 0 && t.minute == 0 && t.second == 0;
}

/* Returns the French days of a phase: "le vendredi 1er juillet 2022",
 * "du lundi 4 avril 2022 au mercredi 25 mai 2022", or with the start's
 * hour when it has one ("le mardi 4 octobre 2022 à 14 h 00"), in the
 * arena. */
static const char *days_fr(struct arena *a, int64_t start, int64_t end)
{
	char first[PARIS_TIME_DATE_MAX], last[PARIS_TIME_DATE_MAX], at[PARIS_TIME_LONG_MAX];
	paris_time_format_date(start, first, sizeof(first));
	paris_time_format_date(end, last, sizeof(last));
	const char *from = starts_with_its_day(start)
				   ? first
				   : paris_time_format_long(start, at, sizeof(at));
	if (strcmp(first, last) == 0)
		return arena_printf(a, "le %s", from);
	return arena_printf(a, "du %s au %s", from, last);
}

/* Returns one step of the timeline, from start to end (the same instant
 * for the launch and the deadline). New reference. */
static json_t *step(const char *name, const char *when_fr, int64_t start, int64_t end, int64_t now)
{
	char iso[PARIS_TIME_RFC3339_MAX];
	bool past = now > end, current = !past && now >= start;
	return json_pack("{s:s, s:s, s:s, s:s, s:b, s:b}", "name", name, "when_fr", when_fr,
			 "start_iso", paris_time_format_rfc3339(start, iso), "state_fr",
			 past      ? "terminé"
			 : current ? "en cours"
				   : "à venir",
			 "is_past", past, "is_now", current);
}

static json_t *timeline(struct arena *a, const json_t *e, int64_t now)
{
	char fr[PARIS_TIME_LONG_MAX];
	int64_t launch = instant(e, "launch_at"), deadline = gpi_edition_deadline_ms(e);
	json_t *steps = json_array();
	json_array_append_new(steps,
			      step("Lancement et ouverture des dépôts",
				   arena_strdup(a, paris_time_format_long(launch, fr, sizeof(fr))),
				   launch, launch, now));
	json_array_append_new(
		steps, step("Date limite de dépôt des candidatures",
			    arena_strdup(a, paris_time_format_long(deadline, fr, sizeof(fr))),
			    deadline, deadline + 999, now));
	for (int p = 0; p < GPI_PHASE_COUNT; p++) {
		int64_t start, end;
		if (gpi_edition_phase(e, p, &start, &end) == 0)
			json_array_append_new(steps, step(gpi_phase_name_fr(p),
							  days_fr(a, start, end), start, end, now));
	}
	return steps;
}

json_t *gpi_edition_view(struct arena *a, const json_t *e, int64_t now_ms)
{
	json_t *v = json_deep_copy(e);
	bool open = gpi_edition_is_open(e, now_ms);
	bool before = !open && now_ms < instant(e, "launch_at");
	time_view_put(a, v, e, "launch_at");
	time_view_put(a, v, e, "deadline_at");
	json_object_set_new(v, "is_open", json_boolean(open));
	json_object_set_new(v, "is_before", json_boolean(before));
	json_object_set_new(v, "is_closed", json_boolean(!open && !before));
	if (open || before)
		json_object_set_new(v, "countdown_fr",
				    json_string(countdown_fr(a, now_ms,
							     open ? gpi_edition_deadline_ms(e)
								  : instant(e, "launch_at"))));
	json_object_set_new(
		v, "window_fr",
		json_string(arena_printf(a, "du %s au %s",
					 time_view_day_fr(a, json_str(e, "window_start")),
					 time_view_day_fr(a, json_str(e, "window_end")))));
	json_object_set_new(v, "timeline", timeline(a, e, now_ms));
	json_object_set_new(
		v, "dossier_fr",
		json_string(gpi_mo_fr(a, gpi_edition_limit(e, GPI_LIMIT_DOSSIER_BYTES))));
	json_object_set_new(
		v, "video_fr",
		json_string(arena_printf(
			a, "%s et %s",
			gpi_duration_fr(a, gpi_edition_limit(e, GPI_LIMIT_VIDEO_SECONDS)),
			gpi_mo_fr(a, gpi_edition_limit(e, GPI_LIMIT_VIDEO_BYTES)))));
	json_object_set_new(v, "gold_fr",
			    json_string(euros_fr(a, json_integer_value(json_object_get(
							    e, "gold_endowment_eur")))));
	json_object_set_new(v, "rules_html",
			    json_string(markdown_to_html(a, json_str(e, "rules"), 1)));
	json_object_set_new(v, "url",
			    json_string(arena_printf(a, "/grand-prix/%d", gpi_edition_year(e))));
	return v;
}

/* Returns {start, end} of every phase, RFC 3339. New reference. */
static json_t *api_phases(const json_t *e)
{
	json_t *out = json_object();
	for (int p = 0; p < GPI_PHASE_COUNT; p++) {
		char start[PARIS_TIME_RFC3339_MAX], end[PARIS_TIME_RFC3339_MAX];
		int64_t s, t;
		if (gpi_edition_phase(e, p, &s, &t) == 0)
			json_object_set_new(out, gpi_phase_key(p),
					    json_pack("{s:s, s:s}", "start",
						      paris_time_format_rfc3339(s, start), "end",
						      paris_time_format_rfc3339(t, end)));
	}
	return out;
}

static json_t *api_limits(const json_t *e)
{
	json_t *out = json_object();
	for (int l = 0; l < GPI_LIMIT_COUNT; l++)
		json_object_set_new(out, gpi_limit_key(l), json_integer(gpi_edition_limit(e, l)));
	return out;
}

/* Returns a copy of e's list key keeping only fields (NULL-ended), so
 * the API never shows what a later version stores beside them. */
static json_t *api_list(const json_t *e, const char *key, const char *const *fields)
{
	json_t *out = json_array(), *item;
	size_t i;
	json_array_foreach(json_object_get(e, key), i, item) {
		json_t *copy = json_object();
		for (const char *const *f = fields; *f; f++)
			json_object_set(copy, *f, json_object_get(item, *f));
		json_array_append_new(out, copy);
	}
	return out;
}

json_t *gpi_edition_api(const json_t *e, int64_t now_ms)
{
	static const char *const CATEGORY[] = {"code", "name", "description", NULL};
	static const char *const CRITERION[] = {"code", "label", "weight", NULL};
	char launch[PARIS_TIME_RFC3339_MAX], deadline[PARIS_TIME_RFC3339_MAX];
	const json_t *contact = json_object_get(e, "contact");
	return json_pack(
		"{s:i, s:s, s:o, s:s, s:s, s:s, s:s, s:o, s:o, s:I, s:{s:s, s:s}, s:s, s:o, s:b, "
		"s:b, s:I}",
		"year", gpi_edition_year(e), "title", json_str(e, "title"), "categories",
		api_list(e, "categories", CATEGORY), "launch_at",
		paris_time_format_rfc3339(instant(e, "launch_at"), launch), "deadline_at",
		paris_time_format_rfc3339(gpi_edition_deadline_ms(e), deadline), "window_start",
		json_str(e, "window_start"), "window_end", json_str(e, "window_end"), "phases",
		api_phases(e), "limits", api_limits(e), "gold_endowment_eur",
		(json_int_t)json_integer_value(json_object_get(e, "gold_endowment_eur")), "contact",
		"name", json_str(contact, "name"), "email", json_str(contact, "email"), "rules",
		json_str(e, "rules"), "criteria", api_list(e, "criteria", CRITERION), "example",
		json_is_true(json_object_get(e, "example")), "is_open",
		gpi_edition_is_open(e, now_ms), "rev", (json_int_t)instant(e, "rev"));
}

void gpi_calendar_write(struct buf *out, const json_t *e, const char *base_url)
{
	int year = gpi_edition_year(e);
	struct arena *a = arena_new();
	char host[128];
	ics_host(base_url, host, sizeof(host));
	const char *url = arena_printf(a, "%s/grand-prix/%d", base_url, year);
	const char *title = json_str(e, "title");
	int64_t stamp = instant(e, "updated_at");
	ics_begin(out, "-//Cousilab//Grand Prix de l’innovation//FR");
	ics_event(out, &(struct ics_event){
			       .uid = arena_printf(a, "gpi-%d-depot@%s", year, host),
			       .stamp_ms = stamp,
			       .at_ms = gpi_edition_deadline_ms(e),
			       .summary = arena_printf(a,
						       "%s\u202f: date limite de dépôt des "
						       "candidatures",
						       title),
			       .url = url,
		       });
	for (int p = 0; p < GPI_PHASE_COUNT; p++) {
		int64_t start, end;
		if (gpi_edition_phase(e, p, &start, &end))
			continue;
		ics_event(out, &(struct ics_event){
				       .uid = arena_printf(a, "gpi-%d-%s@%s", year,
							   gpi_phase_key(p), host),
				       .stamp_ms = stamp,
				       /* A ceremony with its hour is an event at that hour. */
				       .first_day = starts_with_its_day(start) ? paris_day(a, start)
									       : NULL,
				       .last_day = paris_day(a, end),
				       .at_ms = start,
				       .summary = arena_printf(a, "%s\u202f: %s", title,
							       gpi_phase_name_fr(p)),
				       .url = url,
			       });
	}
	ics_end(out);
	arena_free(a);
}
