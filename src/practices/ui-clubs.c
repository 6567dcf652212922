/* The club pages: /clubs (every theme) and /clubs/{theme} (its practices,
 * latest activity and members), joining and leaving, and their API
 * twins. */
#include <mongoc/mongoc.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/organisation.h"
#include "accounts/user.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/fold.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/reply.h"
#include "practices/catalogue.h"
#include "db/lookup.h"
#include "practices/clubs.h"
#include "practices/lookups.h"
#include "practices/reuse.h"
#include "practices/search.h"
#include "practices/themes.h"
#include "practices/ui.h"
#include "web/confirm.h"
#include "web/db_reply.h"
#include "web/error_reply.h"
#include "web/page.h"

enum { PRACTICES_SHOWN = 10 };

/* Returns the route's theme, owned by the request's arena, or NULL after
 * replying 404 or 503. */
static json_t *route_theme_or_reply(struct request *req)
{
	bson_error_t error;
	json_t *themes = arena_json(req->arena, themes_all(req->db, &error));
	if (!themes) {
		db_fail(req, "listing themes", &error);
		return NULL;
	}
	json_t *t = theme_in(themes, param_get(req->route_params, "theme"));
	if (!t)
		reply_error(req, 404, "not_found", "Ce club n’existe pas.", NULL);
	return t;
}

/* Returns the lookup name of the members of club theme. Arena-owned. */
static const char *members_list(struct request *req, const char *theme)
{
	return practice_lookup(req->arena, "club_members", theme);
}

static int is_member(struct request *req, const char *theme, bson_error_t *error);

void clubs_index(struct request *req)
{
	bson_error_t error;
	json_t *themes = arena_json(req->arena, themes_all(req->db, &error));
	if (!themes) {
		db_fail(req, "listing clubs", &error);
		return;
	}
	if (catalogue_sync(req, &error)) {
		db_fail(req, "loading the catalogue", &error);
		return;
	}
	/* One empty query: its theme facet counts every club's practices. */
	struct practice_query q = {.has_toolbox = -1, .page = 1, .page_size = 1};
	struct search_result r;
	catalogue_search(req, &q, &r);
	const struct search_facet *by_theme = &r.facets[PRACTICE_FACET_THEME];
	json_t *clubs = arena_json(req->arena, json_array()), *t;
	size_t i;
	json_array_foreach(themes, i, t) {
		const char *code = json_str(t, "_id");
		json_int_t practices = 0;
		for (size_t k = 0; k < by_theme->n; k++)
			if (strcmp(by_theme->counts[k].value, code) == 0)
				practices = (json_int_t)by_theme->counts[k].count;
		/* Two reads by _id per club: its list's head, and the
		 * visitor's membership. */
		struct lookup_info info;
		int mine = lookup_stat(req->db, members_list(req, code), &info, &error)
				   ? -1
				   : is_member(req, code, &error);
		if (mine < 0) {
			db_fail(req, "listing clubs", &error);
			return;
		}
		long long count = info.count;
		json_array_append_new(
			clubs,
			json_pack("{s:s, s:s, s:s, s:s, s:b}", "code", code, "name",
				  json_str(t, "name"), "description", json_str(t, "description"),
				  "figures",
				  arena_printf(req->arena, "%lld %s, %lld %s", (long long)practices,
					       practices > 1 ? "pratiques publiées"
							     : "pratique publiée",
					       (long long)count, count > 1 ? "membres" : "membre"),
				  "member", mine == 1));
	}
	page_reply(req, 200, "clubs/index", "Clubs thématiques", "store",
		   arena_json(req->arena, json_pack("{s:O}", "clubs", clubs)));
}

struct member {
	const char *key; /* folded name, for sorting */
	json_t *json;
};

static int member_cmp(const void *a, const void *b)
{
	return strcmp(((const struct member *)a)->key, ((const struct member *)b)->key);
}

/* Returns the newest CLUB_MEMBERS_SHOWN members of club theme as [{name,
 * organisation, organisation_name}] by name, owned by the request's
 * arena, or NULL with error set; *total gets how many it has. Reads its
 * lookup list alone: names are kept there when joining, so the page
 * never reads "users". */
static json_t *club_members(struct request *req, const char *theme, size_t *total,
			    bson_error_t *error)
{
	struct lookup_info info;
	json_t *list = arena_json(req->arena, lookup_tail(req->db, members_list(req, theme),
							  CLUB_MEMBERS_SHOWN, &info, error));
	*total = list ? (size_t)info.count : 0;
	json_t *orgs = list ? arena_json(req->arena, organisations_all(req->db, error)) : NULL;
	if (!orgs)
		return NULL;
	size_t n = json_array_size(list);
	struct member *found = arena_alloc(req->arena, (n + 1) * sizeof(*found));
	for (size_t i = 0; i < n; i++) {
		json_t *m = json_array_get(list, i);
		const char *org = json_str(m, "organisation");
		found[i].key = text_fold(req->arena, json_str(m, "name"));
		found[i].json = json_pack("{s:s, s:s, s:s}", "name", json_str(m, "name"),
					  "organisation", org, "organisation_name",
					  json_str(organisation_in(orgs, org), "name"));
	}
	qsort(found, n, sizeof(*found), member_cmp);
	json_t *out = arena_json(req->arena, json_array());
	for (size_t i = 0; i < n; i++)
		json_array_append_new(out, found[i].json);
	return out;
}

/* Returns the latest activity of club theme: the newest practices of
 * briefs and the reuses recorded in its activity document, newest first.
 * Owned by the request's arena, or NULL with error set. */
static json_t *club_activity(struct request *req, const char *theme, const json_t *briefs,
			     bson_error_t *error)
{
	bson_t *doc = doc_find_id(req->db, "club_activity", theme, error);
	if (!doc && error->code)
		return NULL;
	json_t *activity = doc ? arena_json(req->arena, doc_to_json(doc)) : NULL;
	if (doc)
		bson_destroy(doc);
	json_t *published = arena_json(req->arena, json_array()), *p;
	size_t i;
	json_array_foreach(briefs, i, p)
		json_array_append_new(published,
				      json_pack("{s:s, s:s, s:s, s:s, s:b}", "slug",
						json_str(p, "slug"), "title", json_str(p, "title"),
						"at", json_str(p, "published_at"), "at_fr",
						json_str(p, "published_at_fr"), "published", 1));
	return arena_json(req->arena,
			  club_activity_merge(published, json_object_get(activity, "events"),
					      CLUB_ACTIVITY_SHOWN));
}

/* Returns whether the signed-in user is in club theme: 1, 0, or -1 with
 * error set. Reads by _id. */
static int is_member(struct request *req, const char *theme, bson_error_t *error)
{
	if (!req->user)
		return 0;
	bson_t *doc = doc_find_id(req->db, "club_members",
				  arena_printf(req->arena, "%s:%s", theme, req->user->id), error);
	if (doc)
		bson_destroy(doc);
	return doc ? 1 : error->code ? -1 : 0;
}

void club_page(struct request *req)
{
	json_t *theme = route_theme_or_reply(req);
	if (!theme)
		return;
	const char *code = json_str(theme, "_id");
	struct practice_query q = {.theme = code,
				   .has_toolbox = -1,
				   .sort = SEARCH_SORT_NEWEST,
				   .page = 1,
				   .page_size = PRACTICES_SHOWN};
	size_t total;
	json_t *briefs = arena_json(req->arena, practice_briefs_or_reply(req, &q, &total));
	if (!briefs)
		return;
	bson_error_t error;
	size_t member_total;
	json_t *members = club_members(req, code, &member_total, &error);
	json_t *activity = members ? club_activity(req, code, briefs, &error) : NULL;
	int member = activity ? is_member(req, code, &error) : -1;
	if (member < 0) {
		db_fail(req, "reading a club", &error);
		return;
	}
	json_t *data = arena_json(
		req->arena,
		json_pack("{s:{s:s, s:s, s:s}, s:O, s:I, s:b, s:O, s:I, s:O, s:b, s:b}", "club",
			  "code", code, "name", json_str(theme, "name"), "description",
			  json_str(theme, "description"), "practices", briefs, "practice_total",
			  (json_int_t)total, "practices_more", total > PRACTICES_SHOWN, "members",
			  members, "member_count", (json_int_t)member_total, "activity", activity,
			  "has_activity", json_array_size(activity) > 0, "member", member == 1));
	page_reply(req, 200, "clubs/show",
		   arena_printf(req->arena, "Club %s", json_str(theme, "name")), "store", data);
}

/* Answers a join or leave: JSON for the API, else back to the club. */
static void reply_membership(struct request *req, const char *theme, bool member, int status)
{
	if (!req->is_api) {
		reply_redirect(req, arena_printf(req->arena, "/clubs/%s", theme));
		return;
	}
	reply_json(
		req, status,
		arena_json(req->arena, json_pack("{s:s, s:b}", "theme", theme, "member", member)));
}

void club_join(struct request *req)
{
	json_t *theme = route_theme_or_reply(req);
	if (!theme)
		return;
	const char *code = json_str(theme, "_id");
	const char *org = req->user->organisation ? req->user->organisation : "";
	bson_t *doc = BCON_NEW(
		"_id", BCON_UTF8(arena_printf(req->arena, "%s:%s", code, req->user->id)), "theme",
		BCON_UTF8(code), "user_id", BCON_UTF8(req->user->id), "name",
		BCON_UTF8(req->user->name ? req->user->name : ""), "organisation", BCON_UTF8(org),
		"joined_at", BCON_DATE_TIME(doc_now_ms()));
	bson_error_t error;
	bool ok = mongoc_collection_insert_one(db_collection(req->db, "club_members"), doc, NULL,
					       NULL, &error);
	bson_t *item = ok ? BCON_NEW("id", BCON_UTF8(req->user->id), "name",
				     BCON_UTF8(req->user->name ? req->user->name : ""),
				     "organisation", BCON_UTF8(org))
			  : NULL;
	if (item && lookup_add(req->db, members_list(req, code), item, &error)) {
		/* Listed nowhere, the membership would never show: undone, so
		 * that joining again works. */
		bson_t *filter = BCON_NEW(
			"_id", BCON_UTF8(arena_printf(req->arena, "%s:%s", code, req->user->id)));
		mongoc_collection_delete_one(db_collection(req->db, "club_members"), filter, NULL,
					     NULL, NULL);
		bson_destroy(filter);
		ok = false;
	}
	if (item)
		bson_destroy(item);
	bson_destroy(doc);
	if (!ok && error.code != 11000) {
		db_fail(req, "joining a club", &error);
		return;
	}
	reply_membership(req, code, true, ok ? 201 : 200);
}

int clubs_forget_member(struct request *req, const char *user_id, bson_error_t *error)
{
	json_t *themes = arena_json(req->arena, themes_all(req->db, error));
	if (!themes)
		return -1;
	size_t i;
	json_t *t;
	/* By _id, theme by theme: a handful of reads, however many members. */
	json_array_foreach(themes, i, t) {
		const char *code = json_str(t, "_id");
		bson_t *filter = BCON_NEW(
			"_id", BCON_UTF8(arena_printf(req->arena, "%s:%s", code, user_id)));
		bool ok = mongoc_collection_delete_one(db_collection(req->db, "club_members"),
						       filter, NULL, NULL, error);
		bson_destroy(filter);
		if (!ok || lookup_remove(req->db, members_list(req, code), user_id, error) < 0)
			return -1;
	}
	return 0;
}

void club_leave(struct request *req)
{
	json_t *theme = route_theme_or_reply(req);
	if (!theme)
		return;
	const char *code = json_str(theme, "_id");
	bson_t *filter = BCON_NEW(
		"_id", BCON_UTF8(arena_printf(req->arena, "%s:%s", code, req->user->id)));
	bson_error_t error;
	bool ok = mongoc_collection_delete_one(db_collection(req->db, "club_members"), filter, NULL,
					       NULL, &error);
	bson_destroy(filter);
	/* Even when it was gone already: leaving again mends a list whose
	 * removal failed the first time. */
	if (ok)
		ok = lookup_remove(req->db, members_list(req, code), req->user->id, &error) >= 0;
	if (!ok) {
		db_fail(req, "leaving a club", &error);
		return;
	}
	reply_membership(req, code, false, 200);
}

void club_leave_confirm(struct request *req)
{
	json_t *theme = route_theme_or_reply(req);
	if (!theme)
		return;
	const char *code = json_str(theme, "_id");
	const char *name = json_str(theme, "name");
	bson_error_t error = {0};
	int member = is_member(req, code, &error);
	if (member < 0) {
		db_fail(req, "reading a club membership", &error);
	} else if (!member) {
		reply_not_found(req);
	} else {
		const char *club = arena_printf(req->arena, "/clubs/%s", code);
		confirm_page_reply(
			req,
			&(struct confirm_page){
				.title = "Quitter ce club\u202f?",
				.subject = arena_printf(req->arena, "Club %s", name),
				.consequence =
					"Vous ne figurerez plus parmi les membres du club et ne "
					"recevrez plus ses nouvelles. Vous pourrez le rejoindre de "
					"nouveau à tout moment.",
				.action = arena_printf(req->arena, "%s/quitter", club),
				.button = "Quitter le club",
				.cancel = club,
			});
	}
}
