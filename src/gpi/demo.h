/* The Grand Prix's demo editions, for development sites only. */
#ifndef COUSILAB_GPI_DEMO_H
#define COUSILAB_GPI_DEMO_H

struct app;

/* Creates, as the demo secretariat (sophie.bernard@example.org) would,
 * three editions: 2019 (the facts the Ucanss announced: filing until 3 May
 * 2019, realisations of 2016 to 2018, the pre-jury in early September,
 * the finalists on 3 October and the results the next day; what was not
 * said is invented and the edition marked as an example), 2022 exactly as
 * its rules say, and a current edition, marked as an example, open for
 * filing on the day this runs: 2022's calendar shifted to a later year.
 * An edition already there is kept. Returns 0 or -1 (messages on
 * stderr). */
int gpi_demo_load(const struct app *app);

#endif
