/* Error replies, in the request's own language: under /api/ the JSON
 * error, elsewhere a French page in the site's layout (web/page.h). */
#ifndef COUSILAB_ERROR_REPLY_H
#define COUSILAB_ERROR_REPLY_H

#include <jansson.h>

struct request;

/* Replies with an error suited to the request: under /api/ the JSON
 * {"error":{"code","message","fields"}}, elsewhere the French error page.
 * fields may be NULL; it is not stolen. Discards any body built so far. */
void reply_error(struct request *req, int status, const char *code, const char *message,
		 const json_t *fields);

/* Replies the standard 404 (reply_error), for a page that does not exist
 * or that the caller may not know of. */
void reply_not_found(struct request *req);

/* Replies 503 for a database outage: under /api/ the JSON error; else the
 * "Service momentanément indisponible" page, which, for a submitted form,
 * shows what was typed (passwords and the CSRF token excepted) in a form
 * that sends it again to the same address. */
void reply_unavailable(struct request *req);

#endif
