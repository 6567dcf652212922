/* The comment thread's pages and API, for any feature that shows a
 * subject (see rules.h): the handlers' bodies, the thread's data for the
 * subject's page, and the reader's own part of a shared page.
 *
 * A feature routes, under its subject's page <base> ("/pratiques/<slug>"):
 *   POST <base>/commentaires                       comments_post
 *   GET|POST <base>/commentaires/{comment}/modifier  comments_edit_form / comments_edit
 *   GET|POST <base>/commentaires/{comment}/masquer   comments_hide_form / comments_hide (moderators)
 *   POST <base>/suivre, <base>/ne-plus-suivre       comments_follow / comments_unfollow
 * and the same under its API, with JSON; each of its handlers finds the
 * subject (replying 404 when there is none), fills a comments_host and
 * calls the function here, which replies. Its page renders the partial
 * views/comments/thread.mustache with comments_fill_or_reply's data. */
#ifndef COUSILAB_COMMENTS_UI_H
#define COUSILAB_COMMENTS_UI_H

#include <bson/bson.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "comments/rules.h"

struct request;

/* A subject as the feature that owns it shows it, for one request. */
struct comments_host {
	struct comments_subject subject;
	int64_t stamp;                 /* its comments' stamp (store.h); 0: none yet */
	struct comments_viewer viewer; /* the request's user */
	const char *user_name;         /* their display name, kept on a new comment */
	const char *base;              /* its page's path: "/pratiques/<slug>" */
	const char *title;             /* its title, on the form pages */
	const char *noun;              /* with its article: "la fiche" */
	const char *this_noun;         /* "cette fiche" */
	const char *news;              /* what its daily digest tells: "ses nouveaux messages..." */
	const char *nav_key;           /* the layout's navigation section: "store" */
	/* After a change to its comments: stores stamp as the subject's new
	 * stamp, so every process reloads them. Returns 0, or -1 with error
	 * set (logged: the write itself is done, only the refresh waits). */
	int (*set_stamp)(struct request *req, const struct comments_host *h, int64_t stamp,
			 bson_error_t *error);
	void *ctx; /* the feature's, for its callbacks */
};

/* Posts a comment, or a reply with parent_id, from the form or the JSON
 * body. Replies: 201 with the comment's JSON under the API, else a
 * redirect to it on the page; 422 with the typed values kept; 503. */
void comments_post(struct request *req, const struct comments_host *h);

/* The edit form of the route's {comment}: 403 unless the author may still
 * edit it, 404 when it is not the subject's. */
void comments_edit_form(struct request *req, const struct comments_host *h);

/* Saves an edit of the route's {comment}, as comments_post
 * replies (200). */
void comments_edit(struct request *req, const struct comments_host *h);

/* The form that hides the route's {comment}; the route allows moderators
 * only. */
void comments_hide_form(struct request *req, const struct comments_host *h);

/* Hides the route's {comment} with the reason given, as
 * comments_post replies (200); a moderator's act, so it goes to
 * the audit log ("comment.hide", the comment's path, the reason). */
void comments_hide(struct request *req, const struct comments_host *h);

/* Makes the request's user follow the subject (comments_unfollow: stop).
 * Replies {"following": bool} under the API, else a redirect to the
 * thread. */
void comments_follow(struct request *req, const struct comments_host *h);
void comments_unfollow(struct request *req, const struct comments_host *h);

/* Fills data with the thread's page of the request's choice ("comments"),
 * whether the user follows the subject ("following") and the thread's own
 * fields ("conversation": open, base, this, count, shown, signed_in,
 * window, and "pager", web/pager.h's, newer messages as "prev") for views/comments/thread.mustache. While the
 * database is down, "conversation" says {unavailable: true} and this
 * returns 0. Returns 0, or -1 after replying 503 or 500. */
int comments_fill_or_reply(struct request *req, const struct comments_host *h, json_t *data);

/* Lists the thread under the API: {items, total, following}. */
void comments_api_list(struct request *req, const struct comments_host *h);

/* What only the signed-in reader sees of the thread on a shared page:
 * data "following" and "conversation" for views/comments/follow.mustache.
 * Returns 0, or 1 when their page differs from other members' (a comment
 * they may still edit) or on a database error; never replies. */
int comments_personal(struct request *req, const struct comments_host *h, json_t *data);

#endif
