/* Building the buffered reply. Nothing is sent before the handler returns
 * (but for the rare streamed reply: http/reply_stream.h),
 * so a late error can still replace the whole reply with a clean 500.
 * Bytes, text, JSON, headers and cookies only: the error pages, which
 * need the page layout, are web/error_reply.h. */
#ifndef COUSILAB_REPLY_H
#define COUSILAB_REPLY_H

#include <jansson.h>
#include <stdint.h>

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
void reply_cookie(struct request *req, const char *base, const char *value, long max_age);

/* Returns the value of cookie base as the browser sent it, or NULL. */
const char *request_cookie(struct request *req, const char *base);

/* Replies 303 See Other to a local path (must start with a single '/'). */
void reply_redirect(struct request *req, const char *location);

/* Replies with text of the given content type; copies text. */
void reply_text(struct request *req, int status, const char *content_type, const char *text);

/* Replies with the JSON serialisation of value (the reference is not
 * stolen). */
void reply_json(struct request *req, int status, const json_t *value);

/* Replies 200 {"items": [...]} with item_api(item, now_ms) of each item
 * of list, in its order: a whole list as the API shows it. */
void reply_json_items(struct request *req, const json_t *list,
		      json_t *(*item_api)(const json_t *item, int64_t now_ms), int64_t now_ms);

/* Returns the standard reason phrase for status ("Not Found"). Static. */
const char *status_reason(int status);

#endif
