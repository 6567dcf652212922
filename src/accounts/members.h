/* The members of each organisation, for its page, kept as a lookup list
 * (db/lookup.h) "members_of:<organisation code>" of user ids: the page
 * reads it and each account by _id instead of filtering "users", which
 * scans on FerretDB. An id stays listed after its account leaves the
 * organisation only if a crash came between the two writes of a move:
 * readers check each account's organisation and status. */
#ifndef COUSILAB_MEMBERS_H
#define COUSILAB_MEMBERS_H

#include <bson/bson.h>
#include <jansson.h>
#include <stddef.h>

struct db_ctx;

/* Members shown on an organisation's page: the newest. */
enum { MEMBERS_SHOWN = 100 };

/* Lists account user_id under organisation org (when it is created, or
 * moves there). Returns 0 or -1 with error set. */
int members_add(struct db_ctx *db, const char *org, const char *user_id, bson_error_t *error);

/* Moves account user_id from organisation from to to (either may be NULL
 * or equal: nothing to do for that side). Returns 0 or -1. */
int members_move(struct db_ctx *db, const char *from, const char *to, const char *user_id,
		 bson_error_t *error);

/* Returns the newest MEMBERS_SHOWN active accounts of organisation code
 * as [{id, name, job}] sorted by name whatever the accents; *total gets how
 * many are listed in all. New reference, or NULL with error set. */
json_t *members_of(struct db_ctx *db, const char *code, size_t *total, bson_error_t *error);

#endif
