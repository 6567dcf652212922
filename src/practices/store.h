/* Reading and writing practices in the database. Every write records a
 * version in "practice_versions" and tells every process that the
 * catalogue changed (catalogue_changed). Documents are returned in the
 * form of doc_to_json: one practice or version as a new reference (the
 * caller decrefs), a page of them owned by the context's arena. */
#ifndef COUSILAB_PRACTICE_STORE_H
#define COUSILAB_PRACTICE_STORE_H

#include <bson/bson.h>
#include <jansson.h>

#include "db/lookup.h"
#include "practices/practice.h"

struct db_ctx;
struct user;

/* Returns the practice with this id or slug, whatever its status, or NULL
 * (error->code 0: no such practice). Reads the database by _id (a slug
 * through its practice_slugs document): for drafts and for writes;
 * published practices are read from the catalogue. */
json_t *practice_load(struct db_ctx *db, const char *id_or_slug, bson_error_t *error);

/* Creates a draft from in, written by by, counted in their drafts quota
 * (practices/quota.h). Returns its id (db's arena), or NULL
 * with error set (quota_refused(error): the author has
 * PRACTICE_QUOTA_DRAFTS practices in progress). The slug comes from the
 * title, made unique with a numeric suffix. */
const char *practice_create(struct db_ctx *db, const struct user *by,
			    const struct practice_input *in, bson_error_t *error);

/* Saves in over current (a practice_load result): bumps the version and
 * records which fields changed, and by as who changed them (as every
 * write below that takes by). Returns 0 or -1. */
int practice_update(struct db_ctx *db, const struct user *by, const json_t *current,
		    const struct practice_input *in, bson_error_t *error);

/* Moves current to status to (the caller checked practice_transition and
 * practice_allowed), with comment for a return. Records a version; a
 * counted practice that is published or archived leaves its author's
 * drafts quota. Returns 0 or -1. */
int practice_set_status(struct db_ctx *db, const struct user *by, const json_t *current,
			enum practice_status to, const char *comment, bson_error_t *error);

/* Replaces current's toolbox by toolbox (a JSON array of resources) and
 * records a version. Returns 0 or -1. */
int practice_set_toolbox(struct db_ctx *db, const struct user *by, const json_t *current,
			 const json_t *toolbox, bson_error_t *error);

/* Sets a top-level counter field (e.g. "reuse_count") of practice id
 * without a new version: derived data, not an edit. Returns 0 or -1. */
int practice_set_counter(struct db_ctx *db, const char *id, const char *field, long long value,
			 bson_error_t *error);

/* Versions per page of a practice's history. */
enum { PRACTICE_HISTORY_PAGE = 50 };

/* Returns the practices of lookup list `list` (practices/lookups.h) on its
 * page `page` (0-based, oldest first), read by _id, as a JSON array
 * (owned by db's arena) in the list's order; info gets the list's size.
 * NULL with error set. */
json_t *practice_list_page(struct db_ctx *db, const char *list, int64_t page,
			   struct lookup_info *info, bson_error_t *error);

/* Returns version `version` of practice id with its snapshot (new
 * reference), or NULL (error->code 0: no such version). */
json_t *practice_version(struct db_ctx *db, const char *id, int version, bson_error_t *error);

/* Returns page `page` (1: the newest) of the versions of practice p,
 * newest first, without snapshots: at most PRACTICE_HISTORY_PAGE reads by
 * _id ("<id>:<%06d version>"), never a filter. Owned by db's arena, or
 * NULL with error set. */
json_t *practice_history(struct db_ctx *db, const json_t *p, int64_t page, bson_error_t *error);

#endif
