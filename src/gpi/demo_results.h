/* Issue 13's demo, for development sites only: 2022 as a past edition
 * whose laureates are published, and the open edition mid-way through
 * its juries' work. */
#ifndef COUSILAB_GPI_DEMO_RESULTS_H
#define COUSILAB_GPI_DEMO_RESULTS_H

struct app;

/* On top of the demo candidatures (gpi/demo_candidatures.h):
 *   - 2022: the finalists of "relation-usagers" and "environnementale"
 *     recorded by the demo secretariat, Or, Argent and Bronze in both
 *     (one Gold without a stated endowment use, whose laureate also has a
 *     person withdrawn from publication), a coup de cœur and a special
 *     prize by the demo grand juror; the laureates' mails recorded as
 *     sent, so none goes to the fictional contacts;
 *   - the open edition: Nadia Lefèvre (cpam-31, so recused from that
 *     organisation's candidature) and Julien Moreau appointed to the "rh"
 *     jury, Thomas Petit to the grand jury, grids submitted (one left a
 *     draft) and the category's scoring closed, so its ranking shows.
 * Returns 0 or -1 (messages on stderr). */
int gpi_demo_results_load(const struct app *app);

#endif
