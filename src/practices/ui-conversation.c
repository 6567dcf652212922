/* The conversation's pages, API and sheet section (/pratiques/{slug}/
 * commentaires, /api/v1/practices/{id}/comments, following a sheet): the
 * comments service (comments/ui.h) with a published practice as its
 * subject. */
#include <string.h>

#include "accounts/roles.h"
#include "accounts/user.h"
#include "comments/ui.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "db/doc.h"
#include "http/reply.h"
#include "http/request.h"
#include "practices/catalogue.h"
#include "practices/conversation.h"
#include "practices/sheet.h"
#include "practices/store.h"
#include "practices/ui.h"
#include "web/error_reply.h"

int conversation_stamp(struct db_ctx *db, const char *practice_id, int64_t stamp,
		       bson_error_t *error)
{
	return practice_set_counter(db, practice_id, "comments_stamp", (long long)stamp, error);
}

static int set_stamp(struct request *req, const struct comments_host *h, int64_t stamp,
		     bson_error_t *error)
{
	return conversation_stamp(req->db, h->subject.id, stamp, error);
}

/* Fills h for practice p (a catalogue document, which must outlive h) and
 * the request's user. */
static void host_of(struct request *req, const json_t *p, struct comments_host *h)
{
	*h = (struct comments_host){
		.subject = {PRACTICE_SUBJECT, json_str(p, "_id")},
		.stamp = json_integer_value(json_object_get(p, "comments_stamp")),
		.viewer =
			{
				.user_id = req->user ? req->user->id : NULL,
				.signed_in = req->user != NULL,
				.moderator = user_has_role(req->user, ROLE_COORDINATOR),
			},
		.user_name = req->user ? req->user->name : NULL,
		.base = arena_printf(req->arena, "/pratiques/%s", json_str(p, "slug")),
		.title = json_str(p, "title"),
		.noun = "la fiche",
		.this_noun = "cette fiche",
		.news = "ses nouveaux messages et ses nouvelles versions",
		.nav_key = "store",
		.set_stamp = set_stamp,
	};
}

/* Returns the published practice the route names ({slug} on pages, {id}
 * under the API), owned by the request's arena, or NULL after replying
 * 404. */
static json_t *route_practice_or_reply(struct request *req)
{
	const char *key = request_param(req, req->is_api ? "id" : "slug");
	json_t *p = key ? arena_json(req->arena, catalogue_get(req, key)) : NULL;
	if (!p)
		reply_error(req, 404, "not_found",
			    "Cette pratique n’existe pas ou n’est pas publiée.", NULL);
	return p;
}

/* Runs fn for the route's practice, or replies 404. */
static void with_practice(struct request *req,
			  void (*fn)(struct request *req, const struct comments_host *h))
{
	json_t *p = route_practice_or_reply(req);
	if (!p)
		return;
	struct comments_host h;
	host_of(req, p, &h);
	fn(req, &h);
}

void conversation_post(struct request *req)
{
	with_practice(req, comments_post);
}

void conversation_edit_form(struct request *req)
{
	with_practice(req, comments_edit_form);
}

void conversation_edit(struct request *req)
{
	with_practice(req, comments_edit);
}

void conversation_hide_form(struct request *req)
{
	with_practice(req, comments_hide_form);
}

void conversation_hide(struct request *req)
{
	with_practice(req, comments_hide);
}

void conversation_follow(struct request *req)
{
	with_practice(req, comments_follow);
}

void conversation_unfollow(struct request *req)
{
	with_practice(req, comments_unfollow);
}

void conversation_api_list(struct request *req)
{
	with_practice(req, comments_api_list);
}

int conversation_sheet_personal(struct request *req, const json_t *practice, json_t *data)
{
	struct comments_host h;
	host_of(req, practice, &h);
	return comments_personal(req, &h, data);
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
	struct comments_host h;
	host_of(req, practice, &h);
	return comments_fill_or_reply(req, &h, data);
}
