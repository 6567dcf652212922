/* French order and word matching for names ("CPAM de l'Ain" before
 * "CPAM de Vaucluse", "École" among the E). A name is compared through a
 * key: text_fold's letters (accents and case gone, œ as oe), apostrophes
 * ignored, every other run of punctuation or spaces one separator. ICU
 * is not used: the names are French, and the rule fits in a page. */
#ifndef COUSILAB_COLLATE_H
#define COUSILAB_COLLATE_H

#include <stdbool.h>

struct arena;

/* Returns the sort key of UTF-8 text s, arena-owned: folded words
 * separated by single spaces, apostrophes dropped ("l’Ain" → "lain"),
 * no leading or trailing space. Allocates in a. */
char *collate_key(struct arena *a, const char *s);

/* Returns the matching key of s, arena-owned: like collate_key, but an
 * apostrophe separates words ("l’Ain" → "l ain"), so that "ain" finds
 * "CPAM de l’Ain". Allocates in a. */
char *collate_words(struct arena *a, const char *s);

/* Returns <0, 0 or >0 as the names with sort keys key_a and key_b come
 * in French order; ties (same key: "cote", "Côte") are broken by the
 * names' bytes, so that the order is total. Allocates nothing. */
int collate_compare(const char *key_a, const char *name_a, const char *key_b, const char *name_b);

/* Returns true when every word of query (a collate_words key) begins a
 * word of words (another collate_words key), in any order: "haute gar"
 * matches "cpam de la haute garonne". An empty query matches all.
 * Allocates nothing. */
bool collate_words_match(const char *words, const char *query);

#endif
