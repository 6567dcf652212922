/* Who is asking, and may they: identification and role checks, done
 * once in route_dispatch (web/router.h) before any handler runs, through
 * the visitor hooks this feature registers (auth_visitor). */
#ifndef COUSILAB_AUTH_H
#define COUSILAB_AUTH_H

#include <stdbool.h>

struct request;
struct route;
struct visitor_ops;

/* Identifies the user from an "Authorization: Bearer" token or the
 * session cookie. Returns 0 (req->user may stay NULL), or -1 after
 * replying 401 (invalid token) or 503. With outage not NULL, a session
 * that cannot be loaded because the database is down is no 503: *outage
 * turns true and the visitor goes on unidentified (for pages that every
 * visitor may see, served from their last copy). */
int auth_identify_or_reply(struct request *req, bool *outage);

/* Returns true when req carries no credentials at all (no session cookie,
 * no Authorization header): it can only be an anonymous visitor. No I/O. */
bool auth_anonymous(struct request *req);

/* Returns 0 when req may use route r; otherwise replies 302 to the login
 * page (pages) or 401 (API) for anonymous users, 403 for users without
 * r's role, 404 for those who hold it but not in r's scope (see struct
 * route), and returns -1. */
int auth_authorize_or_reply(struct request *req, const struct route *r);

/* The answers route_dispatch and the page layout get about the visitor
 * (web/visitor.h): main.c registers them before serving. */
extern const struct visitor_ops auth_visitor;

#endif
