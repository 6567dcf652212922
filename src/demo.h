/* Demo data for development sites: loaded once, never in production.
 * At the top (src/LAYERS): it seeds every feature in turn. */
#ifndef COUSILAB_DEMO_H
#define COUSILAB_DEMO_H

struct app;

/* Loads every feature's demo data unless a previous run already did (a
 * marker document in "meta" says so). Returns 0 or -1; messages on
 * stderr. */
int demo_load(const struct app *app);

#endif
