/* Every process's index of each edition's teams, for the coordinators'
 * list, figures and exports and the edition page: the teams' summaries in
 * memory, so those pages never read the teams one by one.
 *
 * Kept coherent across processes by a change log read by _id only:
 * every team write records "<year>:<seq>" in "defi_team_changes" (seq the
 * first free number: the insert of a unique _id is the claim, so the log
 * has no holes), and each process reads the records after the last one it
 * applied (one read by _id when nothing changed), then the teams they
 * name. The background refresher does this every 250 ms for the editions
 * a process has loaded; a write applies its own change at once. The first
 * use of an edition reads its lookup list and every team once. */
#ifndef COUSILAB_DEFI_TEAM_INDEX_H
#define COUSILAB_DEFI_TEAM_INDEX_H

#include <bson/bson.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db_ctx;

/* Returns the summaries of edition year's teams, by name in French
 * order: [{id, name, organisation_id, captain_id, status, incomplete,
 * confirmed_count, invited_count, members [{user_id, state}], pending
 * [{user_id or email, invited_at (ms)}] (invitations not answered yet),
 * submitted_at (ms or absent), example}]. A new reference to the
 * index's shared array (do not modify), or NULL with err set when the
 * first load fails. */
json_t *defi_index_teams(struct db_ctx *db, int year, bson_error_t *err);

/* Returns the summary of team id of edition year (the form above), as the
 * index last saw it: a new reference to the shared object (do not
 * modify), or NULL when the index has no such team (err->code 0) or its
 * first load fails (err set). */
json_t *defi_index_team(struct db_ctx *db, int year, const char *id, bson_error_t *err);

/* What the coordinators' filters and counts read of a team, so that a
 * pass over thousands of them compares C strings instead of looking
 * fields up in JSON objects. Strings borrowed from summary. */
struct defi_brief {
	const json_t *summary;
	const char *status, *organisation_id;
	bool incomplete;
	int confirmed;
};

/* Gives *teams (defi_index_teams' array: it keeps the briefs' strings
 * alive) and *briefs, a copy of its *n teams' briefs in the same order,
 * both the context's arena's (the caller never decrefs *teams). Returns
 * 0, or -1 with err set as defi_index_teams (*teams then untouched). */
int defi_index_briefs(struct db_ctx *db, int year, json_t **teams, const struct defi_brief **briefs,
		      size_t *n, bson_error_t *err);

/* Records that team_id of edition year changed (created, edited, joined,
 * decided...) so every process re-reads it, and applies it to this
 * process's index at once. Returns 0, or -1 with err set. */
int defi_index_changed(struct db_ctx *db, int year, const char *team_id, bson_error_t *err);

/* The refresher's task: applies the changes logged since each loaded
 * edition's last pass (reloading an edition behind the log's purge), and
 * every few minutes purges the records older than an hour of the
 * editions this process has seen. Returns 0, or -1 after logging a
 * failure (the index keeps its copy). */
int defi_index_refresh(struct db_ctx *db);

#endif
