/* Instants and days as templates show them: the long French form in
 * Paris time beside an RFC 3339 copy for <time datetime>, and a day
 * "YYYY-MM-DD" in French words. */
#ifndef COUSILAB_VIEW_TIME_VIEW_H
#define COUSILAB_VIEW_TIME_VIEW_H

#include <jansson.h>

struct arena;

/* Adds to view "<key>_fr" ("vendredi 1er avril 2022 à 23 h 30", Paris
 * time) and "<key>_iso" (RFC 3339 UTC) of the instant key of e (an
 * integer, UTC ms). Allocates in the arena and in view only. */
void time_view_put(struct arena *a, json_t *view, const json_t *e, const char *key);

/* Returns day "YYYY-MM-DD" in French ("lundi 26 juin 2023"), in the
 * arena; day itself when it is not one. */
const char *time_view_day_fr(struct arena *a, const char *day);

#endif
