/* The Grand Prix's demo candidatures, for development sites only: in the
 * edition open for filing, one candidature of each status (a draft filed
 * from a demo project and left incomplete, one submitted, one admissible,
 * one inadmissible with its article 5 reason), and three of 2022; all by
 * Camille Martin of caf-31 with fictional example.org contacts, marked as
 * examples. Issue 13 adds 2022's finalists of two categories (other
 * organisations' too, one person withdrawn from publication) and three
 * admissible "rh" candidatures of the open edition for its jurors.
 * Loaded by src/demo.c after the editions and the projects. */
#ifndef COUSILAB_GPI_DEMO_CANDIDATURES_H
#define COUSILAB_GPI_DEMO_CANDIDATURES_H

struct app;

/* Inserts the demo candidatures. Returns 0 or -1 (messages on stderr). */
int gpi_demo_candidatures_load(const struct app *app);

#endif
