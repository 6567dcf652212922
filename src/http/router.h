/* The route table's types and matcher. The table itself lives in
 * src/routes.c: the one place that says method, path and required role. */
#ifndef COUSILAB_ROUTER_H
#define COUSILAB_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "accounts/roles.h"
#include "http/request.h"


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
	 * alone. Never replies; reads only in-process data. */
	int (*personal)(struct request *req);
	/* The handler streams a multipart/form-data body itself: its CSRF
	 * token is then read from the body (accounts/auth.h). */
	bool multipart;
};

extern const struct route ROUTES[];
extern const size_t ROUTES_COUNT;

/* Returns true when path matches pattern; route parameters are prepended
 * to *params (arena-allocated values). Pure apart from the arena. */
bool route_match(struct arena *a, const char *pattern, const char *path,
		 struct param **params);

/* Finds the route for method and path. Returns it, or NULL with
 * *path_known set when some route has the path under another method
 * (the caller answers 405 rather than 404). */
const struct route *route_find(struct request *req, bool *path_known);

/* Answers an anonymous GET of a cached route from the page cache, or
 * identifies the user, answers a signed-in GET of a shared route from the
 * page cache, or runs the request through its route's role check, the
 * CSRF check and the user's write limit (every method but GET and HEAD; a
 * refused write does not count) and its handler; or answers 404/405. A
 * successful write makes the page cache stale. */
void route_dispatch(struct request *req);

#endif
