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
int page_reply(struct request *req, int status, const char *name,
	       const char *title, const char *nav_key, json_t *data);

/* Adds the fields every page template expects (css, js, title, nav) to data.
 * Used by page_reply and by `cousilab render`. */
void page_common_fields(json_t *data, const char *title, const char *nav_key);

#endif
