/* The project page (/projets/{slug}), for its own route and for the
 * forms on it that need correcting. */
#ifndef COUSILAB_PROJECT_PAGE_H
#define COUSILAB_PROJECT_PAGE_H

#include <jansson.h>

struct form;
struct request;

/* Renders project p (a stored document the visitor may see) with status:
 * with f (may be NULL), its values and errors are shown in the section
 * named section, with the error summary first. */
void project_page_render(struct request *req, const json_t *p, int status, struct form *f,
			 const char *section);

#endif
