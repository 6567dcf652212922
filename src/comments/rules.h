/* Comments, follows and digests on any subject a feature shows: a
 * practice sheet today, a Défi team or a project tomorrow. A subject is a
 * kind ("practice", "team", "project") and the id of the thing; its
 * comments are threaded one level, edited by their author for a short
 * while, hidden by a moderator with a reason. This file holds the rules,
 * pure functions without a database; store.h keeps the data, ui.h the
 * pages and API, digest.h the daily mail.
 *
 * comments/ is a service below the features: it knows users only as the
 * ids and names its callers pass, and who moderates only as a flag. */
#ifndef COUSILAB_COMMENTS_RULES_H
#define COUSILAB_COMMENTS_RULES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct arena;

enum {
	COMMENTS_BODY_MAX_CHARS = 4000,
	COMMENTS_REASON_MAX_CHARS = 500,
	COMMENTS_EDIT_WINDOW_S = 15 * 60, /* default of $COUSILAB_COMMENT_EDIT_S */
	COMMENTS_PAGE_SIZE = 100,         /* per page, on a page and in the API */
	COMMENTS_SUBJECT_ID_MAX = 24,     /* an ObjectId's hex digits */
};

/* What is commented: kind is a constant of the owning feature ("practice");
 * id names the thing within it. */
struct comments_subject {
	const char *kind;
	const char *id;
};

/* Who reads a thread: what they may do depends on it. */
struct comments_viewer {
	const char *user_id; /* NULL: anonymous, or a page built for every member */
	bool signed_in;      /* a member, though maybe nameless (a shared page) */
	bool moderator;      /* sees hidden comments and hides them */
};

/* Returns true when s can name stored data: kind lowercase ASCII letters
 * and '_' (1 to 20), id 1 to COMMENTS_SUBJECT_ID_MAX lowercase hex digits
 * or letters, digits and '-' (no ':', which separates them in keys). Pure. */
bool comments_subject_valid(const struct comments_subject *s);

/* Returns "<kind>:<id>", the key every stored piece of s is found under
 * (a comment's "subject", "comments_of:<key>", "<key>:<user id>"), in
 * arena a. s must be valid. */
const char *comments_subject_key(struct arena *a, const struct comments_subject *s);

/* Returns the French label of kind ("question" → "Question"), or NULL
 * when kind is not "comment" or "question". Static. */
const char *comments_kind_label(const char *kind);

/* Returns true while a comment created at created_ms may still be edited
 * at now_ms, window_s seconds after its creation. */
bool comments_editable(int64_t created_ms, int64_t now_ms, long window_s);

/* Returns "15 minutes" or "30 secondes" for window_s, in the arena. */
const char *comments_window_text(struct arena *a, long window_s);

/* Returns the edit window in seconds: $COUSILAB_COMMENT_EDIT_S, else
 * COMMENTS_EDIT_WINDOW_S. */
long comments_edit_window_s(void);

/* Returns true when viewer may still edit comment c (a stored comment as
 * comments_page returns it) at now_ms: theirs, not hidden, less than
 * window_s old. */
bool comments_can_edit(const json_t *c, const struct comments_viewer *viewer, int64_t now_ms,
		       long window_s);

/* Returns what viewer sees of comment c (a stored comment as comments_page
 * returns it): id, parent_id, kind, kind_label, is_question, is_reply,
 * author_name, created_at(_fr), edited, edited_at_fr, body ("" when
 * masked), hidden, masked (hidden and the viewer no moderator),
 * hidden_reason (moderators only, else ""), can_edit, can_hide, replies
 * (empty), has_replies (false). Every key is always set, so a template
 * never falls back to an enclosing comment's value. New reference. */
json_t *comments_view(const json_t *c, const struct comments_viewer *viewer, int64_t now_ms,
		      long window_s);

/* Returns the views of comments (oldest first) as threads: top-level
 * comments, oldest first, each with its replies, oldest first, under
 * "replies". A reply whose parent is missing shows as top-level. New
 * reference. */
json_t *comments_threads(const json_t *comments, const struct comments_viewer *viewer,
			 int64_t now_ms, long window_s);

/* Returns the first max_chars characters of UTF-8 s, "…" added when cut:
 * what a mail quotes of a comment. New reference. */
json_t *comments_excerpt(const char *s, size_t max_chars);

#endif
