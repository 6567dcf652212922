/* The Grand Prix's section of a project page (web/gpi_project_link.h):
 * the candidatures filed from the project that the visitor may see, and
 * while an edition is open, to the project's members, the form that
 * files a pre-filled draft in a category the project has not filed in
 * yet (article 1: one candidature per category). Registered from main.c. */
#ifndef COUSILAB_GPI_PROJECT_SECTION_H
#define COUSILAB_GPI_PROJECT_SECTION_H

#include "web/gpi_project_link.h"

extern const struct gpi_project_section_ops gpi_project_section_ops;

#endif
