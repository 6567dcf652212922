/* Schema and reference-data migrations: migrations/NNNN_name.json files,
 * each a JSON array of database commands, applied once and in order. */
#ifndef COUSILAB_MIGRATE_H
#define COUSILAB_MIGRATE_H

#include <stdbool.h>

struct db;
typedef struct _mongoc_database_t mongoc_database_t;

/* A migration step written in code, for what database commands cannot
 * express (building lookup documents from existing ones). A migration
 * file runs it with the command {"cousilab_step": "<name>"}. run returns
 * 0, or -1 after printing why to stderr; it must be safe to run again. */
struct migrate_step {
	const char *name;
	int (*run)(mongoc_database_t *database);
};

/* Returns true for names like "0001_init.json": four digits, '_', then
 * lowercase letters, digits and '_'. Pure. */
bool migration_name_valid(const char *name);

/* Applies the migrations in dir that are not yet recorded in the
 * "migrations" collection, in name order, recording each with its
 * SHA-256; steps (ended by a NULL name; may be NULL) are the code steps
 * they may name. Refuses (returns -1, before running anything) if a
 * recorded file has changed since. Returns 0 on success; messages go to
 * stderr. */
int migrate_run(struct db *db, const char *dir, const struct migrate_step *steps);

#endif
