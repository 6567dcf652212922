/* Folding text for matching: "Télétravail" and "teletravail" compare
 * equal. French-oriented: Latin letters lose accents and case; œ and æ
 * expand; anything else non-ASCII is kept as is. */
#ifndef COUSILAB_FOLD_H
#define COUSILAB_FOLD_H

struct arena;

/* Returns the folded copy of UTF-8 text s in the arena. */
char *text_fold(struct arena *a, const char *s);

#endif
