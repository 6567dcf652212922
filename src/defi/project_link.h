/* The Défi's answers to project tracking (web/defi_team_link.h): what a
 * retained team is made of, where its project is recorded, how many teams
 * an edition retained. Registered once from main.c. */
#ifndef COUSILAB_DEFI_PROJECT_LINK_H
#define COUSILAB_DEFI_PROJECT_LINK_H

#include "web/defi_team_link.h"

/* The Défi's implementation of the link, static. */
extern const struct defi_team_link_ops defi_project_link_ops;

#endif
