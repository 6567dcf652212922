/* The conversation on a published practice sheet: comments and questions
 * threaded one level, edited by their author for a short while, hidden by
 * coordinators with a reason; and following a sheet (see digest.h).
 *
 * Collection "comments": _id (24 hex), practice_id, parent_id (null, or
 * the id of a top-level comment: a reply to a reply attaches to its
 * top-level comment), author_id, author_name, kind ("comment" or
 * "question"), body (plain text, LF line breaks), created_at, edited_at
 * (null or date), hidden (bool), hidden_reason, hidden_by (user id),
 * hidden_at.
 * Collection "follows": _id "<practice id>:<user id>", practice_id,
 * user_id, created_at.
 *
 * Lookup list "comments_of:<practice id>" (practices/lookups.h): the ids
 * of its comments in posting order, so they are read by _id.
 *
 * The sheet must stay fast: every change to a practice's comments sets
 * the practice's "comments_stamp" (a random positive number, through
 * practice_set_counter, so the catalogue carries it to every process). A
 * practice without a stamp has no comments and the sheet reads nothing;
 * otherwise its comments come from a small per-process cache, reloaded
 * when the stamp moved. */
#ifndef COUSILAB_CONVERSATION_H
#define COUSILAB_CONVERSATION_H

#include <bson/bson.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct arena;
struct request;
struct user;

enum {
	COMMENT_BODY_MAX_CHARS = 4000,
	COMMENT_REASON_MAX_CHARS = 500,
	COMMENT_EDIT_WINDOW_S = 15 * 60, /* default of $COUSILAB_COMMENT_EDIT_S */
	COMMENTS_SHOWN = 100,            /* per page, on a sheet and in the API */
};

/* ---- Rules: pure functions ---- */

/* Returns the French label of kind ("question" → "Question"), or NULL
 * when kind is not "comment" or "question". Static. */
const char *comment_kind_label(const char *kind);

/* Returns true while a comment created at created_ms may still be edited
 * at now_ms, window_s seconds after its creation. */
bool comment_editable(int64_t created_ms, int64_t now_ms, long window_s);

/* Returns "15 minutes" or "30 secondes" for window_s, in the arena. */
const char *comment_window_text(struct arena *a, long window_s);

/* Returns true when viewer (may be NULL) may still edit comment c (a
 * stored comment as comments_of returns it) at now_ms: theirs, not
 * hidden, less than window_s old. */
bool comment_can_edit(const json_t *c, const struct user *viewer, int64_t now_ms,
		      long window_s);

/* Returns what viewer (may be NULL) sees of comment c (a stored comment
 * as comments_of returns it): id, parent_id, kind, kind_label,
 * is_question, is_reply, author_name, created_at(_fr), edited,
 * edited_at_fr, body ("" when masked), hidden, masked (hidden and the
 * viewer is no coordinator), hidden_reason (coordinators only, else ""),
 * can_edit, can_hide, replies (empty), has_replies (false). Every key is always set, so a
 * template never falls back to an enclosing comment's value. New
 * reference. */
json_t *comment_view(const json_t *c, const struct user *viewer, int64_t now_ms,
		     long window_s);

/* Returns the views of comments (oldest first) as threads: top-level
 * comments, oldest first, each with its replies, oldest first, under
 * "replies". A reply whose parent is missing shows as top-level. New
 * reference. */
json_t *comment_threads(const json_t *comments, const struct user *viewer,
			int64_t now_ms, long window_s);

/* ---- Storage ---- */

/* Returns the edit window in seconds: $COUSILAB_COMMENT_EDIT_S, else
 * COMMENT_EDIT_WINDOW_S. */
long comment_edit_window_s(void);

/* Returns page `page` (1: the newest COMMENTS_SHOWN; 2: the ones before
 * them...) of the stored comments of practice (a catalogue document),
 * oldest first, each as doc_to_json gives it plus "created_ms"; *total
 * gets how many it has. An empty array without reading anything when the
 * practice has no comments_stamp. New reference, or NULL with error set. */
json_t *comments_of(struct request *req, const json_t *practice, size_t page,
		    size_t *total, bson_error_t *error);

/* Tells every process that the comments of practice id changed. Returns
 * 0 or -1. */
int comments_changed(struct request *req, const char *practice_id, bson_error_t *error);

/* Returns whether the request's user follows practice id: 1, 0, or -1
 * with error set. Answers are kept a second in process (a reader's sheet
 * asks on every view), so another process's change may take that long. */
int follow_state(struct request *req, const char *practice_id, bson_error_t *error);

/* Records that the request's user now follows practice id (or not), after
 * writing it, so this process answers it at once. */
void follow_state_remember(struct request *req, const char *practice_id, bool following);

/* ---- Handlers (src/routes.c) ---- */

void conversation_post(struct request *req);        /* new comment or reply */
void conversation_edit_form(struct request *req);
void conversation_edit(struct request *req);
void conversation_hide_form(struct request *req);
void conversation_hide(struct request *req);
void conversation_follow(struct request *req);
void conversation_unfollow(struct request *req);
void conversation_api_list(struct request *req);

#endif
