/* A Grand Prix edition as pages, the API and the calendar show it:
 * French dates in Paris time, RFC 3339 instants in UTC, the filing
 * period's state and the countdown to its deadline. */
#ifndef COUSILAB_GPI_EDITION_VIEW_H
#define COUSILAB_GPI_EDITION_VIEW_H

#include <jansson.h>
#include <stdint.h>

struct arena;
struct buf;

/* Returns what templates show of edition e (the cache's JSON) at now_ms:
 * its fields, "launch_at_fr"/"deadline_at_fr" ("vendredi 1er avril 2022 à
 * 23 h 30") with ISO copies for <time datetime>, "is_before", "is_open"
 * or "is_closed" with "countdown_fr" while before or open, "window_fr",
 * "timeline" (the launch, the deadline and each phase: name, dates in
 * French, "state_fr" and is_past/is_now), "dossier_fr", "video_fr",
 * "gold_fr" ("5 000 €"), the rules as safe HTML and "url". New
 * reference; texts copied or in the arena. */
json_t *gpi_edition_view(struct arena *a, const json_t *e, int64_t now_ms);

/* Returns the edition's API JSON at now_ms: the field names,
 * instants RFC 3339 UTC, phases {start, end}, limits, contact, rules,
 * criteria, is_open and rev. New reference. */
json_t *gpi_edition_api(const json_t *e, int64_t now_ms);

/* Writes "N Mo" of bytes (1 Mo = 1024 × 1024 bytes), rounded to one
 * decimal shown when not zero ("0,5 Mo"), into the arena. Pure. */
const char *gpi_mo_fr(struct arena *a, int64_t bytes);

/* Writes a duration in French ("3 minutes", "2 minutes et 30 secondes",
 * "45 secondes") into the arena. Pure. */
const char *gpi_duration_fr(struct arena *a, int64_t seconds);

/* Writes the calendar of edition e (the cache's JSON) to out: the
 * deadline as an instant and each phase on whole Paris days (view/ics.h).
 * base_url is the site's public address (links, and the host part of the
 * UIDs). Pure. */
void gpi_calendar_write(struct buf *out, const json_t *e, const char *base_url);

#endif
