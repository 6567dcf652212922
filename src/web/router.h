/* The route table's types, lookup and dispatch. The table itself lives in
 * src/routes.c: the one place that says method, path and required role.
 * Patterns are matched by http/route_match.h; who the visitor is comes
 * from the feature that knows users, through web/visitor.h. */
#ifndef COUSILAB_ROUTER_H
#define COUSILAB_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "http/request.h"
#include "http/route_match.h"
#include "web/role.h"

typedef void (*handler_fn)(struct request *req);

struct route {
	const char *method;  /* "GET", "POST", "PUT", "DELETE" */
	const char *pattern; /* "/pratiques/{slug}": {name} is one segment */
	handler_fn handler;
	enum role role;
	/* When set, anonymous GETs are answered from the page cache
	 * (http/page_cache.h); this brings the page's data up to date first
	 * and returns 0, or -1 to build the page without the cache. */
	int (*cache)(struct request *req);
	/* When set too, signed-in visitors (by session) share the page as
	 * well: this puts the visitor's own parts in req->fragments and
	 * returns 0, or returns 1 when their page differs from what a
	 * nameless member with their roles sees around those parts (their
	 * own practice, a comment they may still edit), to build it for them
	 * alone. It may set req->share_key when the page depends on more
	 * than the roles: visitors share it per key (an organisation's list);
	 * with req->share_own too, a page that is the visitor's own (a
	 * juror's list) is built as them and kept a moment for them alone.
	 * Never replies; reads only in-process data. */
	int (*personal)(struct request *req);
	/* The handler streams a multipart/form-data body itself: its CSRF
	 * token is then read from the body (web/csrf.h). */
	bool multipart;
	/* When set, role is needed in the scope this template names from the
	 * route's parameters ("gpi:{year}:{category}", accounts/
	 * role_scope.h), not merely somewhere. A user who holds role
	 * elsewhere but not there gets the 404 of a missing page, as does
	 * everyone when a parameter cannot be a scope segment: a juror of one
	 * category must not learn which other categories or editions exist.
	 * Anonymous visitors and users without role at all are refused as
	 * on any route (login, 401, 403): that says nothing of the resource.
	 * The handler answers a resource that does not exist with the same
	 * 404. */
	const char *scope;
};

extern const struct route ROUTES[];
extern const size_t ROUTES_COUNT;

/* Returns the route for method and path that takes precedence over every
 * other matching one (route_precedence), with *params set to its
 * parameters (arena); or NULL with *path_known set when some route has
 * the path under another method (the caller answers 405 rather than
 * 404). Pure apart from the arena. */
const struct route *route_lookup(struct arena *a, const char *method, const char *path,
				 struct param **params, bool *path_known);

/* Finds the route for req's method and path (route_lookup) and sets
 * req->route_params. Returns it, or NULL as route_lookup does. */
const struct route *route_find(struct request *req, bool *path_known);

/* The server's dispatch function (http/server.h). Answers a malformed
 * request (req->refused) with its error; else an anonymous GET of a
 * cached route from the page cache, or identifies the user, answers a
 * signed-in GET of a shared route from the page cache, or runs the
 * request through its route's role check, the CSRF check and the user's
 * write limit (every method but GET and HEAD; a refused write does not
 * count) and its handler; or answers 404/405. A successful write makes
 * the page cache stale. Needs visitor_register first. */
void route_dispatch(struct request *req);

#endif
