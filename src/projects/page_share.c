/* Who shares a project's page (the route's personal hook, web/router.h).
 * Anonymous visitors share a public project's page through the page
 * cache; signed-in visitors with the same roles share it too, the account
 * bar and the CSRF token being holes filled for each, as long as the page
 * says nothing else of them: a
 * member of its team, its own coordinator and every visitor of a
 * team-only project get a page built for them alone. Reads only the in-process index: the
 * project's summary found by slug in a map built once per index. */
#include <pthread.h>
#include <string.h>

#include "accounts/roles.h"
#include "accounts/user.h"
#include "core/arena_json.h"
#include "db/doc.h"
#include "http/params.h"
#include "http/request.h"
#include "projects/access.h"
#include "projects/index.h"
#include "projects/ui.h"
#include "web/page.h"

/* The summaries by slug of the index last seen (the index is replaced,
 * never changed, when a project changes). */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static json_t *seen_index, *by_slug;

/* Returns the summary of the project with slug (a reference the
 * request's arena holds: never decref'd), or NULL. */
static json_t *summary_of_slug(struct request *req, const char *slug)
{
	bson_error_t error;
	json_t *index = slug ? arena_json(req->arena, projects_index(req->db, &error)) : NULL;
	if (!index)
		return NULL;
	pthread_mutex_lock(&lock);
	if (index != seen_index) {
		json_t *map = json_object(), *s;
		size_t i;
		json_array_foreach(index, i, s)
			json_object_set(map, json_str(s, "slug"), s);
		json_decref(by_slug);
		json_decref(seen_index);
		by_slug = map;
		seen_index = json_incref(index);
	}
	json_t *s = arena_json(req->arena, json_incref(json_object_get(by_slug, slug)));
	pthread_mutex_unlock(&lock);
	return s;
}

/* Returns true when s's page shows req's visitor something of their own
 * beyond the holes: a team-only project, their team's, or the one they
 * follow (they alone decide on it; while nobody follows a project every
 * coordinator does, as the nameless one does). */
static bool own_page(struct request *req, const json_t *s)
{
	return !strcmp(json_str(s, "visibility"), "team") || project_on_team(req, s) ||
	       !strcmp(json_str(s, "coordinator_id"), req->user->id);
}

int projects_page_personal(struct request *req)
{
	json_t *s = summary_of_slug(req, param_get(req->route_params, "slug"));
	return s && !own_page(req, s) ? page_personal(req) : 1;
}
