/* Building the buffered reply. Nothing is sent before the handler returns,
 * so a late error can still replace the whole reply with a clean 500. */
#ifndef COUSILAB_REPLY_H
#define COUSILAB_REPLY_H

#include <jansson.h>

#include "http/request.h"

/* Adds a response header; name and value are copied into the arena.
 * Values with CR or LF are refused (logged) to prevent header injection. */
void reply_header(struct request *req, const char *name, const char *value);

/* Returns true when cookies must be Secure with the __Host- prefix: the
 * request came over HTTPS, or the configuration forces it. */
bool cookie_secure(const struct request *req);

/* Returns the cookie name for base ("sid" → "__Host-sid" when secure). */
const char *cookie_name(const struct request *req, const char *base);

/* Sets cookie base (prefixed by cookie_name) with Path=/, HttpOnly,
 * SameSite=Lax, and Secure when cookie_secure; max_age < 0 makes a
 * session cookie, 0 deletes it. */
void reply_cookie(struct request *req, const char *base, const char *value,
		  long max_age);

/* Returns the value of cookie base as the browser sent it, or NULL. */
const char *request_cookie(struct request *req, const char *base);

/* Replies 303 See Other to a local path (must start with a single '/'). */
void reply_redirect(struct request *req, const char *location);

/* Replies with text of the given content type; copies text. */
void reply_text(struct request *req, int status, const char *content_type,
		const char *text);

/* Replies with the JSON serialisation of value (the reference is not
 * stolen). */
void reply_json(struct request *req, int status, const json_t *value);

/* Replies with an error suited to the request: under /api/ the JSON
 * {"error":{"code","message","fields"}}, elsewhere the French error page.
 * fields may be NULL; it is not stolen. Discards any body built so far. */
void reply_error(struct request *req, int status, const char *code,
		 const char *message, const json_t *fields);

/* Replies the standard 404 (reply_error), for a page that does not exist
 * or that the caller may not know of. */
void reply_not_found(struct request *req);

/* Replies 503 for a database outage: under /api/ the JSON error; else the
 * "Service momentanément indisponible" page, which, for a submitted form,
 * shows what was typed (passwords and the CSRF token excepted) in a form
 * that sends it again to the same address. */
void reply_unavailable(struct request *req);

/* Returns the standard reason phrase for status ("Not Found"). Static. */
const char *status_reason(int status);

#endif
