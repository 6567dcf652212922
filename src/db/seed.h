/* Demo data for development sites: loaded once, never in production. */
#ifndef COUSILAB_SEED_H
#define COUSILAB_SEED_H

struct db;

/* Loads the demo data set unless a previous run already did (a marker
 * document in "meta" says so). Returns 0 or -1; messages on stderr. */
int seed_demo(struct db *db);

#endif
