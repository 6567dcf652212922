/* Where comments and follows are kept, by subject (see rules.h).
 *
 * Collection "comments": _id (24 hex), subject ("<kind>:<id>"), parent_id
 * (null, or the id of a top-level comment: a reply to a reply attaches to
 * its top-level comment), author_id, author_name, kind ("comment" or
 * "question"), body (plain text, LF line breaks), created_at, edited_at
 * (null or date), hidden (bool), hidden_reason, hidden_by (user id),
 * hidden_at.
 * Collection "follows": _id "<subject>:<user id>", subject, user_id,
 * created_at.
 * Lookup list "comments_of:<subject>": the ids of its comments in posting
 * order, so they are read by _id (db/lookup.h).
 *
 * Pages must stay fast: the owning feature keeps a stamp per subject (a
 * random positive number, comments_stamp_new, carried to every process by
 * its own in-process copy, as the catalogue does for practices) and moves
 * it after every change. A subject without a stamp has no comments and
 * nothing is read; otherwise its newest page comes from a small
 * per-process cache, reloaded when the stamp moved. */
#ifndef COUSILAB_COMMENTS_STORE_H
#define COUSILAB_COMMENTS_STORE_H

#include <bson/bson.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "comments/rules.h"

struct db_ctx;

#define COMMENTS_COLLECTION "comments"
#define COMMENTS_FOLLOWS "follows"
#define COMMENTS_LIST_FAMILY "comments_of"

/* Returns a new stamp for the subject a change was just written to:
 * random rather than counted, so two hosts writing at once still make
 * distinct stamps; 53 bits, exact in any JSON reader; never 0. */
int64_t comments_stamp_new(void);

/* Returns page `page` (1: the newest COMMENTS_PAGE_SIZE; 2: the ones
 * before them...) of the stored comments of subject s under stamp (0:
 * none), oldest first, each as doc_to_json gives it plus "created_ms";
 * *total gets how many s has. An empty array without reading anything
 * when stamp is 0 (or s is invalid). Owned by db's arena (shared with
 * the cache: read only), or NULL with error set. */
json_t *comments_page(struct db_ctx *db, const struct comments_subject *s, int64_t stamp,
		      size_t page, size_t *total, bson_error_t *error);

/* Returns the stored comment id if it belongs to s, or NULL: then
 * error->code is 0 when there is no such comment on s. The caller
 * destroys it. */
bson_t *comments_find(struct db_ctx *db, const struct comments_subject *s, const char *id,
		      bson_error_t *error);

/* Returns the id of the top-level comment a reply to parent_id attaches
 * to on s (arena): parent_id itself, or its own parent when it is a
 * reply. NULL with error->code 0 when s has no such comment, or NULL
 * with error set. */
const char *comments_thread_top(struct db_ctx *db, const struct comments_subject *s,
				const char *parent_id, bson_error_t *error);

/* What a new comment says; strings borrowed, checked by the caller. */
struct comments_new {
	const char *author_id, *author_name;
	const char *kind; /* "comment" or "question" */
	const char *body;
	const char *parent_id; /* a top-level comment's id (comments_thread_top), or NULL */
};

/* Stores c on s and lists it. Returns its id (arena), or NULL with error
 * set, leaving nothing behind that would show (an invalid subject is an
 * error too). */
const char *comments_insert(struct db_ctx *db, const struct comments_subject *s,
			    const struct comments_new *c, bson_error_t *error);

/* Replaces the body of comment id, marking it edited at now_ms. By _id
 * alone: the caller checked author, mask and window on the document it
 * read (in the filter, they would make FerretDB scan every comment, to
 * check them the same way: a read, then a write). Returns 0, or -1 with
 * error set. */
int comments_set_body(struct db_ctx *db, const char *id, const char *body, int64_t now_ms,
		      bson_error_t *error);

/* Hides comment id for everyone but moderators, with reason, by user
 * by_id. Returns 0, or -1 with error set. */
int comments_set_hidden(struct db_ctx *db, const char *id, const char *reason, const char *by_id,
			int64_t now_ms, bson_error_t *error);

/* Returns whether user_id follows s: 1, 0, or -1 with error set. Answers
 * are kept a second in process (a reader's page asks on every view), so
 * another process's change may take that long; this process's own shows
 * at once. */
int comments_following(struct db_ctx *db, const struct comments_subject *s, const char *user_id,
		       bson_error_t *error);

/* Makes user_id follow s (or stop). Returns 0, or -1 with error set (an
 * invalid subject too). */
int comments_set_following(struct db_ctx *db, const struct comments_subject *s, const char *user_id,
			   bool follow, bson_error_t *error);

#endif
