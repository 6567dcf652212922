/* The conversation's pages, API and sheet section: comments and replies
 * (/pratiques/{slug}/commentaires, /api/v1/practices/{id}/comments),
 * their edit and hide forms, and following a sheet. */
#include <mongoc/mongoc.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/user.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "db/doc.h"
#include "db/lookup.h"
#include "http/form.h"
#include "http/reply.h"
#include "practices/catalogue.h"
#include "practices/conversation.h"
#include "practices/lookups.h"
#include "practices/sheet.h"
#include "view/page.h"
#include "web/db_reply.h"

enum { DUPLICATE_KEY = 11000 };

/* The comment form page's modes, for its title and fields. */
enum comment_mode { MODE_NEW, MODE_EDIT, MODE_HIDE };

static const char *const MODE_TITLES[] = {
	[MODE_NEW] = "Publier un message",
	[MODE_EDIT] = "Modifier votre message",
	[MODE_HIDE] = "Masquer un message",
};

/* Returns the published practice the route names ({slug} on pages, {id}
 * under the API), or NULL after replying 404. New reference. */
static json_t *route_practice(struct request *req)
{
	const char *key = request_param(req, req->is_api ? "id" : "slug");
	json_t *p = key ? catalogue_get(req, key) : NULL;
	if (!p)
		reply_error(req, 404, "not_found",
			    "Cette pratique n'existe pas ou n'est pas publiée.", NULL);
	return p;
}

/* Returns the comment {comment} of practice p, from the database, or NULL
 * after replying 404 or 503. The caller destroys it. */
static bson_t *route_comment(struct request *req, const json_t *p)
{
	const char *id = request_param(req, "comment");
	bson_error_t error;
	bson_t *doc = id ? doc_find_id(req->db, "comments", id, &error) : NULL;
	const char *practice = doc ? doc_string(req->arena, doc, "practice_id") : NULL;
	if (doc && practice && strcmp(practice, json_str(p, "_id")) == 0)
		return doc;
	if (doc)
		bson_destroy(doc);
	else if (id && error.code) {
		db_fail(req, "reading a comment", &error);
		return NULL;
	}
	reply_error(req, 404, "not_found", "Ce message n'existe pas.", NULL);
	return NULL;
}

/* Returns the sheet's path, with an optional fragment (arena). */
static const char *sheet_path(struct request *req, const json_t *p, const char *fragment)
{
	return arena_printf(req->arena, "/pratiques/%s%s%s", json_str(p, "slug"),
			    fragment ? "#" : "", fragment ? fragment : "");
}

/* Returns stored comment doc as its viewer sees it. New reference. */
static json_t *doc_view(struct request *req, const bson_t *doc)
{
	json_t *c = doc_to_json(doc);
	json_object_set_new(c, "created_ms", json_integer(doc_int(doc, "created_at", 0)));
	json_t *view = comment_view(c, req->user, doc_now_ms(), comment_edit_window_s());
	json_decref(c);
	return view;
}

/* Returns the comment form page's data for practice p. New reference. */
static json_t *form_data(const json_t *p, enum comment_mode mode, const char *comment_id,
			 const char *parent_id)
{
	return json_pack("{s:{s:s, s:s}, s:b, s:b, s:b, s:s, s:s}", "practice", "title",
			 json_str(p, "title"), "slug", json_str(p, "slug"),
			 "is_new", mode == MODE_NEW, "is_edit", mode == MODE_EDIT,
			 "is_hide", mode == MODE_HIDE, "comment_id", comment_id ? comment_id : "",
			 "parent_id", parent_id ? parent_id : "");
}

/* Replies 422 with f's errors: JSON under the API, else the form page. */
static void reply_invalid(struct form *f, const json_t *p, enum comment_mode mode,
			  const char *comment_id, const char *parent_id)
{
	json_t *data = form_data(p, mode, comment_id, parent_id);
	json_object_set_new(data, "is_question",
			    json_boolean(strcmp(json_str(f->values, "kind"), "question") == 0));
	form_reply_invalid(f, "practices/comment_form", MODE_TITLES[mode], "store", data);
	json_decref(data);
}

/* Renders the form page for an existing comment doc. */
static void form_page(struct request *req, const json_t *p, enum comment_mode mode,
		      const bson_t *doc)
{
	const char *id = doc_string(req->arena, doc, "_id");
	json_t *data = form_data(p, mode, id, NULL);
	json_t *view = doc_view(req, doc);
	json_object_set_new(view, "can_edit", json_false());
	json_object_set_new(view, "can_hide", json_false());
	json_object_set_new(data, "comment", view);
	const char *body = doc_string(req->arena, doc, "body");
	json_object_set_new(data, "values", json_pack("{s:s}", "body", body ? body : ""));
	page_reply(req, 200, "practices/comment_form", MODE_TITLES[mode], "store", data);
	json_decref(data);
}

/* Returns the body field, line ends made LF, checked (error recorded). */
static const char *read_body(struct form *f)
{
	return form_paragraphs(f, "body", COMMENT_BODY_MAX_CHARS, true);
}

/* Returns the id of the top-level comment a reply to parent_id attaches
 * to within practice pid (arena): parent_id itself, or its own parent
 * when it is a reply. NULL with error->code 0 when pid has no such
 * comment, or NULL with error set. */
static const char *thread_top(struct request *req, const char *pid, const char *parent_id,
			      bson_error_t *error)
{
	bson_t *doc = doc_find_id(req->db, "comments", parent_id, error);
	if (!doc)
		return NULL;
	const char *practice = doc_string(req->arena, doc, "practice_id");
	const char *up = doc_string(req->arena, doc, "parent_id");
	const char *top = !practice || strcmp(practice, pid) != 0 ? NULL
			  : up ? up : doc_string(req->arena, doc, "_id");
	bson_destroy(doc);
	return top;
}

/* After a change to practice p's comments: moves its stamp (a failure
 * only delays the sheet's refresh: the write itself is done). */
static void changed(struct request *req, const json_t *p)
{
	bson_error_t error;
	if (comments_changed(req, json_str(p, "_id"), &error))
		log_error(req->request_id, "comments of %s not stamped: %s",
			  json_str(p, "_id"), error.message);
}

/* Answers a successful write: the comment's JSON under the API, else a
 * redirect to it on the sheet. */
static void reply_done(struct request *req, const json_t *p, int status, const char *id)
{
	if (!req->is_api) {
		reply_redirect(req, sheet_path(req, p, arena_printf(req->arena,
								    "commentaire-%s", id)));
		return;
	}
	bson_error_t error;
	bson_t *doc = doc_find_id(req->db, "comments", id, &error);
	if (!doc) {
		db_fail(req, "reading a comment", &error);
		return;
	}
	json_t *view = doc_view(req, doc);
	reply_json(req, status, view);
	json_decref(view);
	bson_destroy(doc);
}

void conversation_post(struct request *req)
{
	json_t *p = route_practice(req);
	if (!p)
		return;
	struct form f;
	form_begin(&f, req);
	const char *kind = form_text(&f, "kind", 20, false);
	const char *body = read_body(&f);
	const char *parent = form_text(&f, "parent_id", 24, false);
	kind = *kind ? kind : "comment";
	if (!comment_kind_label(kind))
		form_error(&f, "kind", "Choisissez « Commentaire » ou « Question ».");
	const char *pid = json_str(p, "_id");
	const char *top = NULL;
	bson_error_t error = {0};
	if (*parent && !(top = thread_top(req, pid, parent, &error)) && !error.code)
		form_error(&f, "parent_id", "Le message auquel vous répondez n'existe pas.");
	if (error.code) {
		db_fail(req, "reading a comment", &error);
	} else if (!form_valid(&f)) {
		reply_invalid(&f, p, MODE_NEW, NULL, parent);
	} else {
		const char *id = doc_new_id(req->arena);
		bson_t *doc = BCON_NEW("_id", BCON_UTF8(id), "practice_id", BCON_UTF8(pid),
			"author_id", BCON_UTF8(req->user->id),
			"author_name", BCON_UTF8(req->user->name ? req->user->name : ""),
			"kind", BCON_UTF8(kind), "body", BCON_UTF8(body),
			"created_at", BCON_DATE_TIME(doc_now_ms()), "edited_at", BCON_NULL,
			"hidden", BCON_BOOL(false), "hidden_reason", BCON_NULL,
			"hidden_by", BCON_NULL, "hidden_at", BCON_NULL);
		if (top)
			BSON_APPEND_UTF8(doc, "parent_id", top);
		else
			BSON_APPEND_NULL(doc, "parent_id");
		if (!mongoc_collection_insert_one(db_collection(req->db, "comments"), doc, NULL,
						  NULL, &error)) {
			db_fail(req, "saving a comment", &error);
		} else if (lookup_add_id(req->db, practice_lookup(req->arena, "comments_of", pid), id,
					 &error)) {
			/* Unlisted, it would never show: drop it, so that sending
			 * the form again does not make a second one. */
			db_fail(req, "listing a comment", &error);
			bson_t *filter = BCON_NEW("_id", BCON_UTF8(id));
			mongoc_collection_delete_one(db_collection(req->db, "comments"), filter, NULL,
						     NULL, NULL);
			bson_destroy(filter);
		} else {
			changed(req, p);
			reply_done(req, p, 201, id);
		}
		bson_destroy(doc);
	}
	form_end(&f);
	json_decref(p);
}

/* Returns NULL when the request's user may edit doc now, else why not. */
static const char *edit_refusal(struct request *req, const bson_t *doc)
{
	const char *author = doc_string(req->arena, doc, "author_id");
	bson_iter_t it;
	if (!author || strcmp(author, req->user->id) != 0)
		return "Seul l'auteur d'un message peut le modifier.";
	if (bson_iter_init_find(&it, doc, "hidden") && bson_iter_as_bool(&it))
		return "Ce message a été masqué par la coordination : il ne peut plus être modifié.";
	return NULL;
}

/* Returns the French message of an edit after the window (arena). */
static const char *window_passed(struct request *req)
{
	return arena_printf(req->arena, "Le délai de modification (%s après la publication) "
			    "est dépassé : ce message ne peut plus être modifié.",
			    comment_window_text(req->arena, comment_edit_window_s()));
}

void conversation_edit_form(struct request *req)
{
	json_t *p = route_practice(req);
	bson_t *doc = p ? route_comment(req, p) : NULL;
	if (!doc) {
		json_decref(p);
		return;
	}
	const char *refusal = edit_refusal(req, doc);
	if (!refusal && !comment_editable(doc_int(doc, "created_at", 0), doc_now_ms(),
					  comment_edit_window_s()))
		refusal = window_passed(req);
	if (refusal)
		reply_error(req, 403, "forbidden", refusal, NULL);
	else
		form_page(req, p, MODE_EDIT, doc);
	bson_destroy(doc);
	json_decref(p);
}

void conversation_edit(struct request *req)
{
	json_t *p = route_practice(req);
	bson_t *doc = p ? route_comment(req, p) : NULL;
	if (!doc) {
		json_decref(p);
		return;
	}
	const char *id = doc_string(req->arena, doc, "_id");
	const char *refusal = edit_refusal(req, doc);
	struct form f;
	form_begin(&f, req);
	const char *body = read_body(&f);
	int64_t now = doc_now_ms();
	long window = comment_edit_window_s();
	if (!refusal && !comment_editable(doc_int(doc, "created_at", 0), now, window))
		form_error(&f, "body", window_passed(req));
	if (refusal) {
		reply_error(req, 403, "forbidden", refusal, NULL);
	} else if (!form_valid(&f)) {
		reply_invalid(&f, p, MODE_EDIT, id, NULL);
	} else {
		/* By _id alone: the author, the mask and the window were checked
		 * on the document just read. Repeating them in the filter would
		 * make FerretDB scan every comment, to check them the same way
		 * (a read, then a write). */
		bson_t *filter = BCON_NEW("_id", BCON_UTF8(id));
		bson_t *update = BCON_NEW("$set", "{", "body", BCON_UTF8(body), "edited_at",
					  BCON_DATE_TIME(now), "}");
		bson_error_t error;
		if (!mongoc_collection_update_one(db_collection(req->db, "comments"), filter,
						  update, NULL, NULL, &error)) {
			db_fail(req, "editing a comment", &error);
		} else {
			changed(req, p);
			reply_done(req, p, 200, id);
		}
		bson_destroy(update);
		bson_destroy(filter);
	}
	form_end(&f);
	bson_destroy(doc);
	json_decref(p);
}

void conversation_hide_form(struct request *req)
{
	json_t *p = route_practice(req);
	bson_t *doc = p ? route_comment(req, p) : NULL;
	if (doc) {
		form_page(req, p, MODE_HIDE, doc);
		bson_destroy(doc);
	}
	json_decref(p);
}

void conversation_hide(struct request *req)
{
	json_t *p = route_practice(req);
	bson_t *doc = p ? route_comment(req, p) : NULL;
	if (!doc) {
		json_decref(p);
		return;
	}
	const char *id = doc_string(req->arena, doc, "_id");
	struct form f;
	form_begin(&f, req);
	const char *reason = form_paragraphs(&f, "reason", COMMENT_REASON_MAX_CHARS, true);
	if (!form_valid(&f)) {
		reply_invalid(&f, p, MODE_HIDE, id, NULL);
	} else {
		bson_t *filter = BCON_NEW("_id", BCON_UTF8(id));
		bson_t *update = BCON_NEW("$set", "{", "hidden", BCON_BOOL(true),
					  "hidden_reason", BCON_UTF8(reason), "hidden_by",
					  BCON_UTF8(req->user->id), "hidden_at",
					  BCON_DATE_TIME(doc_now_ms()), "}");
		bson_error_t error;
		if (!mongoc_collection_update_one(db_collection(req->db, "comments"), filter,
						  update, NULL, NULL, &error)) {
			db_fail(req, "hiding a comment", &error);
		} else {
			audit_record(req, "comment.hide",
				     sheet_path(req, p, arena_printf(req->arena,
								     "commentaire-%s", id)),
				     reason, NULL);
			changed(req, p);
			reply_done(req, p, 200, id);
		}
		bson_destroy(update);
		bson_destroy(filter);
	}
	form_end(&f);
	bson_destroy(doc);
	json_decref(p);
}

/* Follows or stops following the route's practice. */
static void set_following(struct request *req, bool follow)
{
	json_t *p = route_practice(req);
	if (!p)
		return;
	const char *pid = json_str(p, "_id");
	const char *id = arena_printf(req->arena, "%s:%s", pid, req->user->id);
	mongoc_collection_t *c = db_collection(req->db, "follows");
	bson_t *doc = BCON_NEW("_id", BCON_UTF8(id));
	bson_error_t error;
	bool ok;
	if (follow) {
		BCON_APPEND(doc, "practice_id", BCON_UTF8(pid), "user_id",
			    BCON_UTF8(req->user->id), "created_at", BCON_DATE_TIME(doc_now_ms()));
		ok = mongoc_collection_insert_one(c, doc, NULL, NULL, &error) ||
		     error.code == DUPLICATE_KEY;
	} else {
		ok = mongoc_collection_delete_one(c, doc, NULL, NULL, &error);
	}
	if (ok)
		follow_state_remember(req, pid, follow);
	if (!ok) {
		db_fail(req, "following a practice", &error);
	} else if (req->is_api) {
		json_t *body = json_pack("{s:b}", "following", follow);
		reply_json(req, 200, body);
		json_decref(body);
	} else {
		reply_redirect(req, sheet_path(req, p, "conversation"));
	}
	bson_destroy(doc);
	json_decref(p);
}

void conversation_follow(struct request *req)
{
	set_following(req, true);
}

void conversation_unfollow(struct request *req)
{
	set_following(req, false);
}

/* Returns the page of comments the request asks for: newest first by
 * pages, ?messages=2 on the sheet, ?page=2 in the API; 1 when absent or
 * out of range. */
static long comments_page(struct request *req)
{
	const char *text = request_param(req, req->is_api ? "page" : "messages");
	long page = text ? strtol(text, NULL, 10) : 1;
	return page >= 1 && page <= 100000 ? page : 1;
}

/* Fills data with practice p's threads ("comments"), whether the user
 * follows it ("following") and the section's own fields
 * ("conversation"). Returns 0, or -1 with error set. */
static int fill_conversation(struct request *req, const json_t *p, json_t *data,
			     bson_error_t *error)
{
	long page = comments_page(req);
	size_t total;
	json_t *stored = comments_of(req, p, (size_t)page, &total, error);
	/* A shared sheet is built for a nameless member: the follow button
	 * is the reader's own part (conversation_sheet_personal). */
	int following = stored && req->user && req->user->id
		? follow_state(req, json_str(p, "_id"), error) : 0;
	if (!stored || following < 0) {
		json_decref(stored);
		return -1;
	}
	long window = comment_edit_window_s();
	json_object_set_new(data, "comments",
			    comment_threads(stored, req->user, doc_now_ms(), window));
	json_object_set_new(data, "following", json_boolean(following));
	json_object_set_new(data, "conversation", json_pack("{s:b, s:s, s:I, s:b, s:I, s:b, s:s}",
		"open", 1, "slug", json_str(p, "slug"),
		"shown", (json_int_t)json_array_size(stored),
		"more", total > json_array_size(stored),
		"count", (json_int_t)total, "signed_in", req->user != NULL,
		"window", comment_window_text(req->arena, window)));
	json_t *conv = json_object_get(data, "conversation");
	if ((size_t)page * COMMENTS_SHOWN < total)
		json_object_set_new(conv, "older", json_sprintf("?messages=%ld#conversation",
								page + 1));
	if (page > 1)
		json_object_set_new(conv, "newer", json_sprintf("?messages=%ld#conversation",
								page - 1));
	json_decref(stored);
	return 0;
}

int conversation_sheet_personal(struct request *req, const json_t *practice, json_t *data)
{
	bson_error_t error;
	size_t total;
	json_t *stored = comments_of(req, practice, (size_t)comments_page(req), &total, &error);
	int following = stored ? follow_state(req, json_str(practice, "_id"), &error) : -1;
	/* While a reader may still edit a comment of theirs on this page of
	 * the conversation, it shows them a link nobody else has. */
	bool editing = false;
	int64_t now = doc_now_ms();
	long window = comment_edit_window_s();
	size_t i;
	json_t *c;
	json_array_foreach(stored, i, c)
		editing |= comment_can_edit(c, req->user, now, window);
	json_decref(stored);
	if (following < 0 || editing)
		return 1;
	json_object_set_new(data, "following", json_boolean(following));
	json_object_set_new(data, "conversation", json_pack("{s:s}", "slug",
							    json_str(practice, "slug")));
	return 0;
}

int conversation_sheet_data(struct request *req, const json_t *practice, json_t *data)
{
	/* Only published sheets have a conversation; catalogue documents may
	 * omit the status. */
	const char *status = json_str(practice, "status");
	if (*status && strcmp(status, "published") != 0) {
		json_object_set_new(data, "comments", json_array());
		json_object_set_new(data, "following", json_false());
		json_object_set_new(data, "conversation", json_pack("{s:b}", "open", 0));
		return 0;
	}
	bson_error_t error;
	if (fill_conversation(req, practice, data, &error) == 0)
		return 0;
	/* The sheet comes from the catalogue: while the database is down it
	 * still shows, with its conversation said to be unavailable. */
	if (db_error_is_outage(&error)) {
		json_object_set_new(data, "conversation", json_pack("{s:b}", "unavailable", 1));
		return 0;
	}
	db_fail(req, "reading the conversation", &error);
	return -1;
}

void conversation_api_list(struct request *req)
{
	json_t *p = route_practice(req);
	if (!p)
		return;
	json_t *data = json_object();
	bson_error_t error;
	if (fill_conversation(req, p, data, &error)) {
		db_fail(req, "reading the conversation", &error);
	} else {
		json_t *conv = json_object_get(data, "conversation");
		json_t *body = json_pack("{s:O, s:O, s:O}", "items", json_object_get(data, "comments"),
					 "total", json_object_get(conv, "count"),
					 "following", json_object_get(data, "following"));
		reply_json(req, 200, body);
		json_decref(body);
	}
	json_decref(data);
	json_decref(p);
}
