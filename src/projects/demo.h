/* Demo projects for development sites: about 25 fictional projects of
 * real organisations, marked as examples, over every stage and state;
 * some from the Défi du Lab's editions, some stalled, a few with a year of
 * measurements, one at déploiement institution linked to a published demo
 * practice. Loaded by src/demo.c after the practices. */
#ifndef COUSILAB_PROJECTS_DEMO_H
#define COUSILAB_PROJECTS_DEMO_H

struct app;

/* Inserts the demo projects that are not there yet (fixed ids: running
 * it again adds nothing). Returns 0 or -1 (messages on stderr). */
int projects_demo_load(const struct app *app);

#endif
