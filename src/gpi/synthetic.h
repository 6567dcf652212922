/* The synthetic candidatures of `cousilab seed --gpi-candidatures N`, for
 * benchmarks only: the secretariat's desk and a candidature's page at
 * the size of a busy edition. */
#ifndef COUSILAB_GPI_SYNTHETIC_H
#define COUSILAB_GPI_SYNTHETIC_H

struct app;

/* Inserts n deterministic candidatures into the current edition
 * (gpi_edition_current: the one open for filing, else the next, else the
 * latest), in batches, with ids of their own ("5eed" + number: a second
 * run skips those already there), marked as examples: spread over the
 * categories, the four statuses (drafts, filed, admissible, not with an
 * article 5 reason) and the active organisations, one in fifty filed by
 * caf-31 (the demo agent's and the bench account's organisation), so
 * that a filer's page can be measured. Without files: the desk's links
 * show none. Then tells every process's index. Returns 0, or -1 after
 * printing why on stderr. */
int gpi_synthetic_load(const struct app *app, long n);

/* `cousilab seed --gpi-grids N J`, for the juries' bench (issue 13):
 * inserts N candidatures, all recevable, into the first category of the
 * current edition (ids "5eed9" + number: apart from the desk's, and a
 * second run skips them), appoints J jurors to that category (the demo
 * juror first when the demo is loaded, then accounts
 * "jure-synthetique-K@example.invalid" made on the first run) and has
 * each juror submit a grid of every candidature, scores spread
 * deterministically. Then tells every process's indexes. Returns 0, or
 * -1 after printing why on stderr. */
int gpi_synthetic_grids_load(const struct app *app, long n, long jurors);

#endif
