/* Search terms of French text: folded (case and accents removed), split on
 * anything that is not a letter or digit, without 1-character tokens and
 * a short list of French stopwords, lightly stemmed (plurals in -s, -x and
 * -aux meet their singular), with hyphenated compounds also joined into
 * one word ("co-voiturage" is co, voiturage and covoiturage). Indexing and
 * querying share it, so a word typed in a query always matches the same
 * word in a document. */
#ifndef COUSILAB_SEARCH_TOKENIZE_H
#define COUSILAB_SEARCH_TOKENIZE_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

/* Longest term kept, in bytes; longer words are cut at a character
 * boundary (the same way on both sides, so they still match). */
enum { SEARCH_TERM_MAX = 32 };

struct search_token {
	const char *s;    /* the term, stemmed; not NUL-terminated, in the arena */
	size_t len;       /* 1..SEARCH_TERM_MAX bytes */
	const char *word; /* the word before stemming (a compound: its parts joined) */
	size_t word_len;  /* 1..SEARCH_TERM_MAX bytes */
	size_t at, span;  /* where it stands in the folded text: bytes [at, at + span) */
	bool kept;        /* false for stopwords and 1-character tokens */
	bool part;        /* one word of a hyphenated compound; a query takes the whole */
	bool compound;    /* the words of the compound just before it, joined */
};

/* Returns the tokens of UTF-8 text s (NULL = empty) in order, stopwords
 * included but flagged, each compound after its parts, at most max of
 * them; *n gets the count and *folded (when not NULL) the folded text
 * that `at` and `span` refer to. Everything is allocated in arena a.
 * Invalid UTF-8 bytes are separators. */
struct search_token *search_tokenize(struct arena *a, const char *s, size_t max, size_t *n,
				     const char **folded);

/* Returns the length of the stem of folded word w[0..len) and writes the
 * stem, NUL-terminated, to out (room for len + 1 bytes). Pure. Only words
 * of 4 bytes or more ending in two letters lose a plural ending: a final
 * -s (not -ss) or -x, or -aux that becomes -al (journaux → journal; but
 * bureaux → bureau). So a stem differs from its word in its last two
 * bytes at most, and is one byte shorter. */
size_t search_stem(const char *w, size_t len, char *out);

#endif
