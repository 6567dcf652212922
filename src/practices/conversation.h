/* The conversation on a published practice sheet: comments and questions,
 * and following a sheet, through the shared comments service
 * (comments/ui.h) with the practice as subject "practice:<id>"; the
 * coordinators moderate. The practice's "comments_stamp" (carried to every
 * process by the catalogue) is the subject's stamp (comments/store.h):
 * a sheet without one reads nothing. */
#ifndef COUSILAB_CONVERSATION_H
#define COUSILAB_CONVERSATION_H

#include <bson/bson.h>
#include <stdint.h>

struct db_ctx;
struct request;

/* The subject kind of a practice's conversation. */
#define PRACTICE_SUBJECT "practice"

/* Stores stamp as the comments stamp of practice id, telling every
 * process that its comments changed. Returns 0 or -1. */
int conversation_stamp(struct db_ctx *db, const char *practice_id, int64_t stamp,
		       bson_error_t *error);

typedef struct _mongoc_database_t mongoc_database_t;

/* Migration step "comment_subjects": rewrites the comments, follows and
 * comment lists stored before the comments service keyed them by subject.
 * Offline; running it again changes nothing. Returns 0, or -1 after
 * printing why on stderr. */
int conversation_migrate_subjects(mongoc_database_t *database);

#endif
