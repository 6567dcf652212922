/* Full-page rendering: every page template is a complete document that
 * pulls the shared head and foot partials, and gets the common fields
 * (title, css, nav) added here. */
#ifndef COUSILAB_PAGE_H
#define COUSILAB_PAGE_H

#include <jansson.h>

#include "http/request.h"

/* Renders template name with data into the reply with the given status.
 * data is borrowed and may gain the common fields; nav_key marks the
 * current navigation entry ("home", "store", "defi", "projects", "gpi")
 * or is NULL. Returns 0, or -1 after turning the reply into a 500. */
int page_reply(struct request *req, int status, const char *name, const char *title,
	       const char *nav_key, json_t *data);

/* Returns partial name rendered with data (borrowed), as HTML to place
 * unescaped in a page ({{{...}}}): for a page made of sections that
 * other features render. Arena-owned; NULL when the view is missing. */
const char *page_partial(struct request *req, const char *name, const json_t *data);

/* Logs that view name is missing (a bug) and replies 500. */
void page_reply_missing(struct request *req, const char *name);

/* The partial of the header's account bar (the visitor's name, their
 * menu, the sign-out form): always one of a shared page's holes. */
#define PAGE_ACCOUNT_PART "partials/account"

/* Renders the signed-in visitor's own parts of a shared page into
 * req->fragments, each named by its hole: "csrf" (their CSRF token,
 * escaped), PAGE_ACCOUNT_PART, and each partial of parts (NULL-terminated)
 * rendered with data (borrowed; gains "user" and "csrf", as page_reply
 * gives them). Returns 0, or -1 when a partial is missing (logged).
 * Allocates in the request arena; may set the CSRF cookie. */
int page_fragments(struct request *req, json_t *data, const char *const *parts);

/* The route table's personal hook of pages whose only per-visitor parts
 * are the account bar and the CSRF token (page_fragments with no
 * parts). Returns 0, or 1 when it cannot render them. */
int page_personal(struct request *req);

/* Adds the fields every page template expects (css, js, title, nav) to data.
 * Used by page_reply and by `cousilab render`. */
void page_common_fields(json_t *data, const char *title, const char *nav_key);

#endif
