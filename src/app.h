/* Process-wide state shared read-only by every worker thread once the
 * server has started. */
#ifndef COUSILAB_APP_H
#define COUSILAB_APP_H

struct db;
struct mustache_set;

struct app {
	struct mustache_set *views; /* compiled once at startup */
	struct db *db;              /* client pool */
};

#endif
