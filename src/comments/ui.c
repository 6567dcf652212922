/* The comment thread's pages and API (see ui.h). */
#include "comments/ui.h"

#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "comments/store.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/clock.h"
#include "core/log.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/form.h"
#include "http/reply.h"
#include "http/request.h"
#include "web/error_reply.h"
#include "web/db_reply.h"
#include "web/form_reply.h"
#include "web/page.h"
#include "web/pager.h"

/* The comment form page's modes, for its title and fields. */
enum mode { MODE_NEW, MODE_EDIT, MODE_HIDE };

static const char *const MODE_TITLES[] = {
	[MODE_NEW] = "Publier un message",
	[MODE_EDIT] = "Modifier votre message",
	[MODE_HIDE] = "Masquer un message",
};

/* Returns the comment the route's {comment} names on h's subject, or NULL
 * after replying 404 or 503. The caller destroys it. */
static bson_t *route_comment_or_reply(struct request *req, const struct comments_host *h)
{
	bson_error_t error;
	bson_t *doc = comments_find(req->db, &h->subject, request_param(req, "comment"), &error);
	if (doc)
		return doc;
	if (error.code)
		db_fail(req, "reading a comment", &error);
	else
		reply_error(req, 404, "not_found", "Ce message n’existe pas.", NULL);
	return NULL;
}

/* Returns the path of comment id on h's page (arena). */
static const char *comment_path(struct request *req, const struct comments_host *h, const char *id)
{
	return arena_printf(req->arena, "%s#commentaire-%s", h->base, id);
}

/* Returns stored comment doc as h's viewer sees it, owned by the
 * request's arena. */
static json_t *doc_view(struct request *req, const struct comments_host *h, const bson_t *doc)
{
	json_t *c = arena_json(req->arena, doc_to_json(doc));
	json_object_set_new(c, "created_ms", json_integer(doc_int(doc, "created_at", 0)));
	return arena_json(req->arena,
			  comments_view(c, &h->viewer, clock_now_ms(), comments_edit_window_s()));
}

/* Returns the comment form page's data, owned by the request's arena. */
static json_t *form_data(struct request *req, const struct comments_host *h, enum mode mode,
			 const char *comment_id, const char *parent_id)
{
	return arena_json(req->arena,
			  json_pack("{s:{s:s, s:s, s:s}, s:b, s:b, s:b, s:s, s:s}", "subject",
				    "title", h->title, "base", h->base, "noun", h->noun, "is_new",
				    mode == MODE_NEW, "is_edit", mode == MODE_EDIT, "is_hide",
				    mode == MODE_HIDE, "comment_id", comment_id ? comment_id : "",
				    "parent_id", parent_id ? parent_id : ""));
}

/* Replies 422 with f's errors: JSON under the API, else the form page. */
static void reply_invalid(struct form *f, const struct comments_host *h, enum mode mode,
			  const char *comment_id, const char *parent_id)
{
	json_t *data = form_data(f->req, h, mode, comment_id, parent_id);
	json_object_set_new(data, "is_question",
			    json_boolean(strcmp(json_str(f->values, "kind"), "question") == 0));
	form_reply_invalid(f, "comments/form", MODE_TITLES[mode], h->nav_key, data);
}

/* Renders the form page for an existing comment doc. */
static void form_page(struct request *req, const struct comments_host *h, enum mode mode,
		      const bson_t *doc)
{
	const char *id = doc_string(req->arena, doc, "_id");
	json_t *data = form_data(req, h, mode, id, NULL);
	json_t *view = doc_view(req, h, doc);
	json_object_set_new(view, "can_edit", json_false());
	json_object_set_new(view, "can_hide", json_false());
	json_object_set(data, "comment", view);
	const char *body = doc_string(req->arena, doc, "body");
	json_object_set_new(data, "values", json_pack("{s:s}", "body", body ? body : ""));
	page_reply(req, 200, "comments/form", MODE_TITLES[mode], h->nav_key, data);
}

/* Returns the body field, line ends made LF, checked (error recorded). */
static const char *read_body(struct form *f)
{
	return form_paragraphs(f, "body", COMMENTS_BODY_MAX_CHARS, true);
}

/* After a change to h's comments: moves its stamp (a failure only delays
 * the page's refresh: the write itself is done). */
static void changed(struct request *req, const struct comments_host *h)
{
	bson_error_t error;
	if (h->set_stamp(req, h, comments_stamp_new(), &error))
		log_error(req->request_id, "comments of %s:%s not stamped: %s", h->subject.kind,
			  h->subject.id, error.message);
}

/* Answers a successful write: the comment's JSON under the API, else a
 * redirect to it on the page. */
static void reply_done(struct request *req, const struct comments_host *h, int status,
		       const char *id)
{
	if (!req->is_api) {
		reply_redirect(req, comment_path(req, h, id));
		return;
	}
	bson_error_t error;
	bson_t *doc = doc_find_id(req->db, COMMENTS_COLLECTION, id, &error);
	if (!doc) {
		db_fail(req, "reading a comment", &error);
		return;
	}
	reply_json(req, status, doc_view(req, h, doc));
	bson_destroy(doc);
}

void comments_post(struct request *req, const struct comments_host *h)
{
	struct form f;
	form_begin(&f, req);
	const char *kind = form_text(&f, "kind", 20, false);
	const char *body = read_body(&f);
	const char *parent = form_text(&f, "parent_id", 24, false);
	kind = *kind ? kind : "comment";
	if (!comments_kind_label(kind))
		form_error(&f, "kind",
			   "Choisissez «\u202fCommentaire\u202f» ou «\u202fQuestion\u202f».");
	const char *top = NULL;
	bson_error_t error = {0};
	if (*parent && !(top = comments_thread_top(req->db, &h->subject, parent, &error)) &&
	    !error.code)
		form_error(&f, "parent_id", "Le message auquel vous répondez n’existe pas.");
	if (error.code) {
		db_fail(req, "reading a comment", &error);
	} else if (!form_valid(&f)) {
		reply_invalid(&f, h, MODE_NEW, NULL, parent);
	} else {
		struct comments_new c = {
			.author_id = h->viewer.user_id,
			.author_name = h->user_name ? h->user_name : "",
			.kind = kind,
			.body = body,
			.parent_id = top,
		};
		const char *id = comments_insert(req->db, &h->subject, &c, &error);
		if (!id) {
			db_fail(req, "saving a comment", &error);
		} else {
			changed(req, h);
			reply_done(req, h, 201, id);
		}
	}
	form_end(&f);
}

/* Returns NULL when h's viewer may edit doc now, else why not (French,
 * static or in the arena). */
static const char *edit_refusal(struct request *req, const struct comments_host *h,
				const bson_t *doc)
{
	const char *author = doc_string(req->arena, doc, "author_id");
	bson_iter_t it;
	if (!author || !h->viewer.user_id || strcmp(author, h->viewer.user_id) != 0)
		return "Seul l’auteur d’un message peut le modifier.";
	if (bson_iter_init_find(&it, doc, "hidden") && bson_iter_as_bool(&it))
		return "Ce message a été masqué par la coordination\u202f: il ne peut plus être modifié.";
	return NULL;
}

/* Returns the French message of an edit after the window (arena). */
static const char *window_passed(struct request *req)
{
	return arena_printf(req->arena,
			    "Le délai de modification (%s après la publication) "
			    "est dépassé\u202f: ce message ne peut plus être modifié.",
			    comments_window_text(req->arena, comments_edit_window_s()));
}

void comments_edit_form(struct request *req, const struct comments_host *h)
{
	bson_t *doc = route_comment_or_reply(req, h);
	if (!doc)
		return;
	const char *refusal = edit_refusal(req, h, doc);
	if (!refusal && !comments_editable(doc_int(doc, "created_at", 0), clock_now_ms(),
					   comments_edit_window_s()))
		refusal = window_passed(req);
	if (refusal)
		reply_error(req, 403, "forbidden", refusal, NULL);
	else
		form_page(req, h, MODE_EDIT, doc);
	bson_destroy(doc);
}

void comments_edit(struct request *req, const struct comments_host *h)
{
	bson_t *doc = route_comment_or_reply(req, h);
	if (!doc)
		return;
	const char *id = doc_string(req->arena, doc, "_id");
	const char *refusal = edit_refusal(req, h, doc);
	struct form f;
	form_begin(&f, req);
	const char *body = read_body(&f);
	int64_t now = clock_now_ms();
	if (!refusal &&
	    !comments_editable(doc_int(doc, "created_at", 0), now, comments_edit_window_s()))
		form_error(&f, "body", window_passed(req));
	bson_error_t error;
	if (refusal) {
		reply_error(req, 403, "forbidden", refusal, NULL);
	} else if (!form_valid(&f)) {
		reply_invalid(&f, h, MODE_EDIT, id, NULL);
	} else if (comments_set_body(req->db, id, body, now, &error)) {
		db_fail(req, "editing a comment", &error);
	} else {
		changed(req, h);
		reply_done(req, h, 200, id);
	}
	form_end(&f);
	bson_destroy(doc);
}

void comments_hide_form(struct request *req, const struct comments_host *h)
{
	bson_t *doc = route_comment_or_reply(req, h);
	if (doc) {
		form_page(req, h, MODE_HIDE, doc);
		bson_destroy(doc);
	}
}

void comments_hide(struct request *req, const struct comments_host *h)
{
	bson_t *doc = route_comment_or_reply(req, h);
	if (!doc)
		return;
	const char *id = doc_string(req->arena, doc, "_id");
	struct form f;
	form_begin(&f, req);
	const char *reason = form_paragraphs(&f, "reason", COMMENTS_REASON_MAX_CHARS, true);
	bson_error_t error;
	if (!form_valid(&f)) {
		reply_invalid(&f, h, MODE_HIDE, id, NULL);
	} else if (comments_set_hidden(req->db, id, reason, h->viewer.user_id, clock_now_ms(),
				       &error)) {
		db_fail(req, "hiding a comment", &error);
	} else {
		audit_record(req, "comment.hide", comment_path(req, h, id), reason, NULL);
		changed(req, h);
		reply_done(req, h, 200, id);
	}
	form_end(&f);
	bson_destroy(doc);
}

/* Makes the request's user follow h's subject, or stop, and replies. */
static void set_following(struct request *req, const struct comments_host *h, bool follow)
{
	bson_error_t error;
	if (comments_set_following(req->db, &h->subject, h->viewer.user_id, follow, &error)) {
		db_fail(req, "following a subject", &error);
	} else if (req->is_api) {
		reply_json(req, 200,
			   arena_json(req->arena, json_pack("{s:b}", "following", follow)));
	} else {
		reply_redirect(req, arena_printf(req->arena, "%s#conversation", h->base));
	}
}

void comments_follow(struct request *req, const struct comments_host *h)
{
	set_following(req, h, true);
}

void comments_unfollow(struct request *req, const struct comments_host *h)
{
	set_following(req, h, false);
}

/* Returns the page of comments the request asks for: newest first by
 * pages, ?messages=2 on a page, ?page=2 in the API; 1 when absent or out
 * of range. */
static long page_asked(struct request *req)
{
	const char *text = request_param(req, req->is_api ? "page" : "messages");
	long page = text ? strtol(text, NULL, 10) : 1;
	return page >= 1 && page <= 100000 ? page : 1;
}

/* Returns the fields every rendering of the thread's partials uses: base,
 * this, news. New reference. */
static json_t *conversation_fields(const struct comments_host *h)
{
	return json_pack("{s:s, s:s, s:s}", "base", h->base, "this", h->this_noun, "news", h->news);
}

/* Fills data as comments_fill_or_reply says. Returns 0, or -1 with error set. */
static int fill(struct request *req, const struct comments_host *h, json_t *data,
		bson_error_t *error)
{
	long page = page_asked(req);
	size_t total;
	json_t *stored = comments_page(req->db, &h->subject, h->stamp, (size_t)page, &total, error);
	/* A shared page is built for a nameless member: the follow button is
	 * the reader's own part (comments_personal). */
	int following = stored && h->viewer.user_id
				? comments_following(req->db, &h->subject, h->viewer.user_id, error)
				: 0;
	if (!stored || following < 0)
		return -1;
	long window = comments_edit_window_s();
	json_object_set_new(data, "comments",
			    comments_threads(stored, &h->viewer, clock_now_ms(), window));
	json_object_set_new(data, "following", json_boolean(following));
	/* Newest first: the previous page holds newer messages. */
	const char *newer = page > 1 ? arena_printf(req->arena, "?messages=%ld#conversation",
						    page - 1)
				     : NULL;
	const char *older = (size_t)page * COMMENTS_PAGE_SIZE < total
				    ? arena_printf(req->arena, "?messages=%ld#conversation",
						   page + 1)
				    : NULL;
	json_t *conv = conversation_fields(h);
	json_object_update_missing_new(
		conv, json_pack("{s:b, s:I, s:I, s:b, s:s, s:o}", "open", 1, "shown",
				(json_int_t)json_array_size(stored), "count", (json_int_t)total,
				"signed_in", h->viewer.signed_in, "window",
				comments_window_text(req->arena, window), "pager",
				pager_new(page, pager_pages((int64_t)total, COMMENTS_PAGE_SIZE),
					  newer, older)));
	json_object_set_new(data, "conversation", conv);
	return 0;
}

int comments_fill_or_reply(struct request *req, const struct comments_host *h, json_t *data)
{
	bson_error_t error;
	if (fill(req, h, data, &error) == 0)
		return 0;
	/* The subject's page may come from an in-process copy: while the
	 * database is down it still shows, its thread said to be unavailable. */
	if (db_error_is_outage(&error)) {
		json_object_set_new(data, "conversation", json_pack("{s:b}", "unavailable", 1));
		return 0;
	}
	db_fail(req, "reading the conversation", &error);
	return -1;
}

void comments_api_list(struct request *req, const struct comments_host *h)
{
	json_t *data = arena_json(req->arena, json_object());
	bson_error_t error;
	if (fill(req, h, data, &error)) {
		db_fail(req, "reading the conversation", &error);
		return;
	}
	json_t *conv = json_object_get(data, "conversation");
	reply_json(req, 200,
		   arena_json(req->arena, json_pack("{s:O, s:O, s:O}", "items",
						    json_object_get(data, "comments"), "total",
						    json_object_get(conv, "count"), "following",
						    json_object_get(data, "following"))));
}

int comments_personal(struct request *req, const struct comments_host *h, json_t *data)
{
	bson_error_t error;
	size_t total;
	json_t *stored = comments_page(req->db, &h->subject, h->stamp, (size_t)page_asked(req),
				       &total, &error);
	int following = stored ? comments_following(req->db, &h->subject, h->viewer.user_id, &error)
			       : -1;
	/* While a reader may still edit a comment of theirs on this page of
	 * the thread, it shows them a link nobody else has. */
	bool editing = false;
	int64_t now = clock_now_ms();
	long window = comments_edit_window_s();
	size_t i;
	json_t *c;
	json_array_foreach(stored, i, c)
		editing |= comments_can_edit(c, &h->viewer, now, window);
	if (following < 0 || editing)
		return 1;
	json_object_set_new(data, "following", json_boolean(following));
	json_object_set_new(data, "conversation", conversation_fields(h));
	return 0;
}
