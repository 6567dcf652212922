/* Schema and reference-data migrations: migrations/NNNN_name.json files,
 * each a JSON array of database commands, applied once and in order. */
#ifndef COUSILAB_MIGRATE_H
#define COUSILAB_MIGRATE_H

#include <stdbool.h>

struct db;

/* Returns true for names like "0001_init.json": four digits, '_', then
 * lowercase letters, digits and '_'. Pure. */
bool migration_name_valid(const char *name);

/* A step that database commands cannot express (building lookup
 * documents from a scan), named in a migration by the command
 * {"cousilabStep": "<name>"}. run returns 0 or -1 (its messages on
 * stderr). The table ends with a NULL name. */
struct migrate_step {
	const char *name;
	int (*run)(struct db *db);
};

/* Applies the migrations in dir that are not yet recorded in the
 * "migrations" collection, in name order, recording each with its
 * SHA-256; a command naming one of steps runs it. Refuses (returns -1,
 * before running anything) if a recorded file has changed since. Returns
 * 0 on success; messages go to stderr. */
int migrate_run(struct db *db, const char *dir, const struct migrate_step *steps);

#endif
