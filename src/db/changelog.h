/* A change log read by _id only, for in-process indexes kept coherent
 * across processes without reloading everything on each write (FerretDB
 * scans a collection for any filter but an exact _id).
 *
 * Each write appends a record "<scope>:<seq>" naming the document it
 * changed; seq is the first free number, and the insert of that unique
 * _id is the claim, so a scope's log has no holes. A reader keeps the
 * last seq it applied and asks for the next record by _id (one read when
 * nothing changed), then re-reads only the documents named. A hint in
 * "meta" ("<hint_prefix>:<scope>", set after each append, possibly lower
 * than the head when writers race) spares walking the log from 1. */
#ifndef COUSILAB_DB_CHANGELOG_H
#define COUSILAB_DB_CHANGELOG_H

#include <bson/bson.h>
#include <stdint.h>

struct db_ctx;

struct changelog {
	const char *collection;  /* "defi_team_changes" */
	const char *hint_prefix; /* meta _id prefix: "defi-changes" */
	const char *field;       /* the record's field naming the document: "team_id" */
};

/* Appends the change of document id to scope's log. Returns its seq, or
 * -1 with err set (a conflict when 64 numbers in a
 * row were taken by other writers). */
int64_t changelog_append(struct db_ctx *db, const struct changelog *log, const char *scope,
			 const char *id, bson_error_t *err);

/* Returns the id of the document record seq of scope's log names (db's
 * arena), or NULL: err->code 0 when there is no such record yet. */
const char *changelog_at(struct db_ctx *db, const struct changelog *log, const char *scope,
			 int64_t seq, bson_error_t *err);

/* Returns the seq of scope's last record (0 when none), or -1 with err
 * set. A reader takes it BEFORE loading everything, so a change made
 * during the load is applied after it. */
int64_t changelog_head(struct db_ctx *db, const struct changelog *log, const char *scope,
		       bson_error_t *err);

#endif
