/* An edition as pages, mail and the API show it: French dates in Paris
 * time, RFC 3339 instants in UTC, the sign-up window's state and the
 * countdown to its close. */
#ifndef COUSILAB_DEFI_EDITION_VIEW_H
#define COUSILAB_DEFI_EDITION_VIEW_H

#include <jansson.h>
#include <stdint.h>

struct arena;

/* Returns what templates show of edition e (the cache's JSON) at now_ms:
 * its fields, "event_dates_fr" ("du lundi 26 juin au mardi 27 juin
 * 2023"), "opens_fr" and "closes_fr" ("lundi 17 avril 2023 à 23 h 59"),
 * ISO copies for <time datetime>, "window" ("avant", "ouvert" or "clos")
 * with "is_open", "countdown_fr" while open, "sizes_fr", the description
 * as safe HTML and "url". New reference; texts copied. */
json_t *defi_edition_view(struct arena *a, const json_t *e, int64_t now_ms);

/* Returns the edition's API JSON at now_ms (the fields, instants
 * RFC 3339 UTC, max_team_size null when none, is_open, questions). New
 * reference. */
json_t *defi_edition_api(const json_t *e, int64_t now_ms);

#endif
