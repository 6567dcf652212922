/* CSRF protection: a random token per visitor, in a cookie and in every
 * form of the pages they get, checked by route_dispatch on every request
 * that may change state. */
#ifndef COUSILAB_CSRF_H
#define COUSILAB_CSRF_H

#include <stdbool.h>

struct param;
struct request;

/* Returns this visitor's CSRF token for a page, creating the token (and
 * its cookie) on first use. Each call masks it with fresh random bytes
 * (64 hex digits: the mask, then the token XOR the mask), so that no two
 * responses carry the same secret bytes: HTML is gzipped, and a page that
 * also reflects what an attacker sends would otherwise let the compressed
 * length reveal the token (BREACH). Arena-owned. */
const char *csrf_token(struct request *req);

/* Replaces the CSRF token, at login and logout. */
void csrf_rotate(struct request *req);

/* Returns 0 when a state-changing request carries the visitor's CSRF
 * token, masked (csrf_token) or as the cookie holds it (form field
 * "csrf", or header X-CSRF-Token) or comes with an API token; otherwise
 * replies 403 and returns -1. A multipart body without
 * the header, on a route marked multipart, is left to its handler: this
 * returns 0 with req->csrf_pending set, and the handler must pass the
 * body's fields to csrf_fields_ok before it keeps anything. The query
 * string is never read: a token in a URL leaks through logs and
 * Referer. */
int csrf_verify_or_reply(struct request *req);

/* Returns true when no check is pending on req, or when fields (a
 * multipart body's text fields so far) carry the visitor's token, which
 * ends the pending check. Replies nothing: see csrf_refuse. */
bool csrf_fields_ok(struct request *req, const struct param *fields);

/* Replies 403: the form expired or comes from elsewhere. */
void csrf_refuse(struct request *req);

#endif
