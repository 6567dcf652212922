/* The synthetic projects of `cousilab seed --projects N`, for benchmarks
 * only: the board and the project page at size. */
#ifndef COUSILAB_PROJECT_SYNTHETIC_H
#define COUSILAB_PROJECT_SYNTHETIC_H

struct app;

/* Inserts n deterministic public projects as the store writes them (slug
 * claims included), in batches, spread over the active organisations, the
 * themes and the first three stages (the later ones need measured
 * indicators), marked "synthetic", with ids of their own: a second run
 * skips those already there. Returns 0, or -1 after printing why on stderr. */
int projects_synthetic_load(const struct app *app, long n);

#endif
