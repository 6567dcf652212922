/* Search terms of French text: folded (case and accents removed), split on
 * anything that is not a letter or digit, without 1-character tokens and
 * a short list of French stopwords. Indexing and querying share it, so a
 * word typed in a query always matches the same word in a practice. */
#ifndef COUSILAB_TOKENIZE_H
#define COUSILAB_TOKENIZE_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

/* Longest term kept, in bytes; longer words are cut at a character
 * boundary (the same way on both sides, so they still match). */
enum { TERM_MAX = 32 };

struct token {
	const char *s; /* not NUL-terminated; points into the folded text */
	size_t len;    /* 1..TERM_MAX bytes */
	bool kept;     /* false for stopwords and 1-character tokens */
};

/* Returns the tokens of UTF-8 text s (NULL = empty) in order, stopwords
 * included but flagged, at most max of them; *n gets the count. Folds s
 * into arena a and allocates the array there. Invalid UTF-8 bytes are
 * separators. */
struct token *tokenize(struct arena *a, const char *s, size_t max, size_t *n);

#endif
