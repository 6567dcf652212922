/* What every project handler does around its work: find the route's
 * project among those the visitor may see, answer a done write (the
 * project's JSON under the API, else back to its page), and answer a
 * refused one. */
#ifndef COUSILAB_PROJECT_ROUTE_H
#define COUSILAB_PROJECT_ROUTE_H

#include <jansson.h>
#include <stdbool.h>

struct form;
struct request;

/* Returns the project the route names ({slug} on pages, {id} under the
 * API) if the visitor may see it, or NULL after replying 404 (missing or
 * hidden alike: never a 403 that confirms it exists) or 503. The
 * request's arena owns it: the caller never decrefs it. */
json_t *project_of_route_or_reply(struct request *req);

/* Returns project_of_route_or_reply's project when allowed(req, project) also
 * holds, else NULL after replying as it does, or 403 with refusal (who
 * may, in French) to a visitor who sees the project but may not act on
 * it. Owned by the request's arena, as project_of_route_or_reply's. */
json_t *project_of_route_for_or_reply(struct request *req,
				      bool (*allowed)(struct request *req, const json_t *p),
				      const char *refusal);

/* Replies 403 to a visitor who may see p but not do what they asked:
 * explain tells them who may. */
void project_forbidden(struct request *req, const char *explain);

/* Answers a successful write on project id: under the API its JSON
 * (re-read) with status, else a redirect to its page at #anchor (may be
 * NULL). */
void project_done(struct request *req, const char *id, int status, const char *anchor);

/* Answers a form of project p (a stored document) that needs correcting:
 * 422 JSON under the API, else the project page again with f's errors
 * shown in its section named section ("proposal", "indicator"...). */
void project_invalid(struct form *f, const json_t *p, const char *section);

/* Returns project p as the API shows it: stored fields with "id", the
 * timeline (newest first) and the indicators' measurements, owned by
 * the request's arena (never decref'd), or NULL after replying 503. */
json_t *project_api_view_or_reply(struct request *req, const json_t *p);

/* Returns true when the indicators of p have a measured value: the
 * proof that lets it reach déploiement branche. */
bool project_proven(const json_t *p);

#endif
