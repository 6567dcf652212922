#include "web/router.h"

#include <string.h>

#include "core/app.h"
#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "http/page_cache.h"
#include "http/reply.h"
#include "web/csrf.h"
#include "web/error_reply.h"
#include "web/visitor.h"

const struct route *route_lookup(struct arena *a, const char *method, const char *path,
				 struct param **params, bool *path_known)
{
	*path_known = false;
	const struct route *best = NULL;
	for (size_t i = 0; i < ROUTES_COUNT; i++) {
		const struct route *r = &ROUTES[i];
		struct param *found = NULL;
		if (!route_match(a, r->pattern, path, &found))
			continue;
		if (strcmp(r->method, method) != 0) {
			*path_known = true;
			continue;
		}
		if (!best || route_precedence(r->pattern, best->pattern) > 0) {
			best = r;
			*params = found;
		}
	}
	return best;
}

const struct route *route_find(struct request *req, bool *path_known)
{
	const char *method = req->is_head ? "GET" : req->method;
	struct param *params = NULL;
	const struct route *r = route_lookup(req->arena, method, req->path, &params, path_known);
	if (r)
		req->route_params = params;
	return r;
}

/* Returns the methods the request's path accepts, for the Allow header of
 * a 405. Arena-allocated. */
static const char *allowed_methods(struct request *req)
{
	const char *allow = "";
	for (size_t i = 0; i < ROUTES_COUNT; i++) {
		struct param *ignored = NULL;
		if (route_match(req->arena, ROUTES[i].pattern, req->path, &ignored))
			allow = arena_printf(req->arena, "%s%s%s", allow, *allow ? ", " : "",
					     ROUTES[i].method);
	}
	return allow;
}

/* GET and HEAD never change state, so they need no CSRF token. */
static bool is_safe_method(const struct request *req)
{
	return req->is_head || strcmp(req->method, "GET") == 0;
}

/* Returns true when r shows req a page that every visitor sees alike
 * (a public GET that uses the page cache). No I/O. */
static bool same_for_everyone(const struct request *req, const struct route *r)
{
	return r->cache && r->role == ROLE_PUBLIC && is_safe_method(req);
}

/* Answers req with r's page as every anonymous visitor gets it: from the
 * page cache when possible, else built and kept. Returns true when the
 * request was answered (false: r's cache hook declined). */
static bool serve_anonymous_copy(struct request *req, const struct route *r)
{
	if (r->cache(req))
		return false;
	/* Read after the hook: it may take in changes and bump it. */
	uint64_t gen = page_cache_generation();
	const char *key = page_cache_key(req);
	if (page_cache_fetch(req, key, gen, now_us() / 1000)) {
		req->cache_hit = true;
		return true;
	}
	req->route = r;
	req->shared_reply = true;
	r->handler(req);
	page_cache_keep(req, key, gen, now_us() / 1000);
	return true;
}

/* Runs r for an anonymous req through the page cache. Returns true when
 * the request was answered. */
static bool dispatch_cached(struct request *req, const struct route *r)
{
	return same_for_everyone(req, r) && visitor()->anonymous(req) &&
	       serve_anonymous_copy(req, r);
}

/* Builds r's page for req as a nameless member holding the visitor's
 * roles (as the visitor when it is their own copy, req->share_own),
 * leaving holes for the visitor's own parts, and keeps it under key.
 * Headers set before (a cookie for this visitor) stay out of what is
 * kept, and are put back after. */
static void build_shared(struct request *req, const struct route *r, const char *key, uint64_t gen)
{
	struct user *self = req->user;
	struct header *own = req->res.headers;
	req->res.headers = NULL;
	if (!req->share_own)
		req->user = visitor()->nameless(req);
	req->shared_reply = true;
	r->handler(req);
	req->user = self;
	page_cache_keep(req, key, gen, now_us() / 1000);
	struct header **tail = &req->res.headers;
	while (*tail)
		tail = &(*tail)->next;
	*tail = own;
}

/* Returns true when r's GET may be shared by signed-in visitors with the
 * same roles: public pages, and pages of a role (the coordinators' board)
 * once the visitor's role was checked, since the body is kept per set of
 * roles. Not scoped routes: a set of roles says nothing of scopes. No
 * I/O. */
static bool same_for_role(const struct request *req, const struct route *r)
{
	return r->cache && r->personal && !r->scope && is_safe_method(req);
}

/* Runs r for a signed-in req through the page cache: the body shared by
 * everyone with the visitor's roles, from the cache or built for it, then
 * the visitor's own parts in its holes. Returns true when the request was
 * answered (refused by r's role check included). */
static bool dispatch_shared(struct request *req, const struct route *r)
{
	if (!same_for_role(req, r) || !req->user || req->via_token)
		return false;
	if (r->role != ROLE_PUBLIC) {
		req->route = r;
		if (visitor()->authorize(req, r))
			return true;
	}
	if (r->cache(req) || r->personal(req))
		return false;
	req->route = r;
	uint64_t gen = page_cache_generation();
	/* Anonymous keys start with the method, so the two never meet; a
	 * visitor's own copy is kept under their id, never met by another. */
	const char *mine = req->share_own ? arena_printf(req->arena, "own %s ",
							 visitor()->identity(req->user).id)
					  : "";
	const char *key = arena_printf(req->arena, "member %s [%s%s] %s", visitor()->variant(req),
				       mine, req->share_key ? req->share_key : "",
				       page_cache_key(req));
	struct header *own = req->res.headers;
	if (page_cache_fetch(req, key, gen, now_us() / 1000))
		req->cache_hit = true;
	else
		build_shared(req, r, key, gen);
	if (page_cache_fill(req) == 0)
		return true;
	/* A route whose hook missed one of its holes: a bug, never a leak. */
	log_error(req->request_id, "%s: a hole of the shared page has no fragment", r->pattern);
	buf_reset(&req->res.body);
	req->res = (struct response){.body = req->res.body, .headers = own};
	req->cache_hit = req->shared_reply = false;
	r->handler(req);
	return true;
}

void route_dispatch(struct request *req)
{
	req->db = db_ctx_new(req->app->db, req->arena, req->request_id);
	if (req->refused.status) {
		reply_error(req, req->refused.status, req->refused.code, req->refused.message,
			    NULL);
		return;
	}
	const struct visitor_ops *who = visitor();
	bool path_known;
	const struct route *r = route_find(req, &path_known);
	if (r && dispatch_cached(req, r))
		return;
	/* While the database is down, a signed-in visitor still gets the
	 * catalogue pages, as anyone does, from their last copy. */
	bool outage = false;
	if (who->identify(req, r && same_for_everyone(req, r) ? &outage : NULL))
		return;
	if (outage && serve_anonymous_copy(req, r))
		return;
	if (r && dispatch_shared(req, r))
		return;
	if (!r) {
		if (path_known) {
			reply_error(req, 405, "method_not_allowed",
				    "Cette adresse n’accepte pas cette méthode.", NULL);
			reply_header(req, "Allow", allowed_methods(req));
		} else
			reply_not_found(req);
		return;
	}
	req->route = r;
	if (who->authorize(req, r))
		return;
	bool writes = !is_safe_method(req);
	const char *write_slot = NULL;
	if (writes && (csrf_verify_or_reply(req) || who->write_take(req, &write_slot)))
		return;
	r->handler(req);
	if (writes && req->res.status < 400)
		page_cache_bump();
	else if (write_slot)
		who->write_refund(req, write_slot);
}
