/* The time left before an instant, in French words, for pages that count
 * down to a deadline without JavaScript (the Défi du Lab's sign-ups, the
 * Grand Prix's filing). */
#ifndef COUSILAB_VIEW_COUNTDOWN_H
#define COUSILAB_VIEW_COUNTDOWN_H

#include <stdint.h>

struct arena;

/* Returns the French countdown from now_ms to until_ms ("3 jours, 4
 * heures et 12 minutes", "moins d’une minute"), written into the arena;
 * minutes are left out from two days on. Pure. */
const char *countdown_fr(struct arena *a, int64_t now_ms, int64_t until_ms);

#endif
