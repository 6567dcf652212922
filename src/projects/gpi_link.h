/* Project tracking's answers to the Grand Prix (web/gpi_project_link.h):
 * what a candidature filed from a project is pre-filled with. Registered
 * once from main.c. */
#ifndef COUSILAB_PROJECT_GPI_LINK_H
#define COUSILAB_PROJECT_GPI_LINK_H

#include <jansson.h>

#include "web/gpi_project_link.h"

struct request;

/* The projects' implementation of the link, static. */
extern const struct gpi_project_link_ops projects_gpi_link_ops;

/* Fills *out from project p (a stored document req's visitor may see);
 * release with gpi_project_facts_release. */
void project_gpi_facts(struct request *req, const json_t *p, struct gpi_project_facts *out);

#endif
