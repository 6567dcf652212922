/* cousiSTORE's answers to other features linked to a practice
 * (web/practice_link.h), registered by main.c. */
#ifndef COUSILAB_PRACTICES_LINK_H
#define COUSILAB_PRACTICES_LINK_H

#include "web/practice_link.h"

extern const struct practice_link_ops practices_link_ops;

#endif
