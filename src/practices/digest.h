/* What the daily digest (comments/digest.h) tells of followed practice
 * sheets: their new comments, and their new versions. */
#ifndef COUSILAB_PRACTICE_DIGEST_H
#define COUSILAB_PRACTICE_DIGEST_H

#include "comments/digest.h"

/* Subjects "practice:<id>": a published practice, told of by its title and
 * sheet; news "versions" ({version, by_name, at_fr}). */
extern const struct comments_digest_kind practice_digest_kind;

#endif
