#include "search/tokenize.h"

#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "core/fold.h"
#include "core/utf8.h"

/* Folded, sorted (strcmp order) for the binary search. */
static const char *const STOPWORDS[] = {
	"au",  "aux",  "avec",  "ce",   "ces",  "cet", "cette", "dans",  "de",   "des",
	"du",  "elle", "elles", "en",   "est",  "et",  "il",    "ils",   "la",   "le",
	"les", "leur", "leurs", "lui",  "mais", "ne",  "nos",   "notre", "nous", "on",
	"ou",  "par",  "pas",   "pour", "qu",   "que", "qui",   "sa",    "se",   "ses",
	"son", "sont", "sur",   "un",   "une",  "vos", "votre", "vous",
};

/* Returns true when the len bytes at s are a stopword. Pure. */
static bool is_stopword(const char *s, size_t len)
{
	if (len > 5)
		return false; /* "cette", "leurs", "notre", "votre" are the longest */
	size_t lo = 0, hi = sizeof(STOPWORDS) / sizeof(*STOPWORDS);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strncmp(STOPWORDS[mid], s, len);
		if (c == 0)
			c = STOPWORDS[mid][len] ? 1 : 0;
		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* Returns true when non-ASCII code point cp, left as is by folding, is
 * punctuation, a symbol or a space rather than part of a word. */
static bool is_separator_cp(unsigned cp)
{
	return cp < 0xC0 ||                      /* C1, NBSP, « » ° § ... */
	       cp == 0xD7 || cp == 0xF7 ||       /* × ÷ */
	       (cp >= 0x2000 && cp <= 0x2BFF) || /* punctuation, currency, arrows, shapes */
	       (cp >= 0x3000 && cp <= 0x303F) || /* CJK punctuation */
	       (cp >= 0xFE00 && cp <= 0xFE0F) || /* variation selectors */
	       cp == 0xFEFF || cp >= 0xFFF0 ||   /* BOM, specials, U+FFFD, emoji... */
	       (cp >= 0x1F000 && cp <= 0x1FAFF);
}

/* Returns the byte length of the word character at s[0..n), n > 0, or 0
 * when it is a separator (ASCII non-alphanumeric, punctuation, invalid
 * byte: the caller then skips one byte). Pure. */
static size_t word_char_len(const char *s, size_t n)
{
	unsigned char c = (unsigned char)s[0];
	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? 1 : 0;
	size_t len = utf8_char_len(s, n);
	if (!len)
		return 0;
	const unsigned char *p = (const unsigned char *)s;
	unsigned cp = len == 2   ? (p[0] & 0x1Fu) << 6 | (p[1] & 0x3Fu)
		      : len == 3 ? (p[0] & 0x0Fu) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu)
				 : (p[0] & 0x07u) << 18 | (p[1] & 0x3Fu) << 12 |
					   (p[2] & 0x3Fu) << 6 | (p[3] & 0x3Fu);
	return is_separator_cp(cp) ? 0 : len;
}

/* Returns the byte length of the hyphen at s[0..n) (ASCII, or U+2010 and
 * U+2011, which folding keeps), or 0. Pure. */
static size_t hyphen_len(const char *s, size_t n)
{
	if (s[0] == '-')
		return 1;
	if (n >= 3 && !memcmp(s, "\xe2\x80", 2) && (s[2] == '\x90' || s[2] == '\x91'))
		return 3;
	return 0;
}

/* Returns true for a lowercase ASCII letter. */
static bool is_letter(char c)
{
	return c >= 'a' && c <= 'z';
}

size_t search_stem(const char *w, size_t len, char *out)
{
	memcpy(out, w, len);
	out[len] = '\0';
	/* Short words are too often singular in -s or -x (bus, cas, gaz), and
	 * words ending in a digit are codes, not plurals. */
	if (len < 4 || !is_letter(w[len - 1]) || !is_letter(w[len - 2]))
		return len;
	if (len >= 5 && !memcmp(w + len - 3, "aux", 3) && w[len - 4] != 'e') {
		memcpy(out + len - 2, "l", 2); /* journaux → journal; bureaux below */
		return len - 1;
	}
	/* -ss is singular: stress, express. */
	if (w[len - 1] == 'x' || (w[len - 1] == 's' && w[len - 2] != 's')) {
		out[len - 1] = '\0';
		return len - 1;
	}
	return len;
}

/* Sets t's term from its word: stemmed unless the word was cut (its end
 * is gone), pointing into the word when the stem is a prefix of it. */
static void set_term(struct arena *a, struct search_token *t, bool cut)
{
	char stem[SEARCH_TERM_MAX + 1];
	size_t len = cut ? t->word_len : search_stem(t->word, t->word_len, stem);
	t->s = len == t->word_len || !memcmp(stem, t->word, len) ? t->word
								 : arena_strndup(a, stem, len);
	t->len = len;
}

/* Returns the byte length of the longest prefix of s[0..len) that is at
 * most SEARCH_TERM_MAX bytes and ends at a character boundary. Pure. */
static size_t cut_at_term_max(const char *s, size_t len)
{
	if (len <= SEARCH_TERM_MAX)
		return len;
	len = SEARCH_TERM_MAX;
	while (len && ((unsigned char)s[len] & 0xC0) == 0x80)
		len--;
	return len;
}

/* Fills t with the compound of parts[0..n) (n >= 2) of folded text f: the
 * words joined, without their hyphens. */
static void join_compound(struct arena *a, const char *f, const struct search_token *parts,
			  size_t n, struct search_token *t)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += parts[i].span;
	char *joined = arena_alloc(a, total + 1), *p = joined;
	for (size_t i = 0; i < n; i++) {
		memcpy(p, f + parts[i].at, parts[i].span);
		p += parts[i].span;
	}
	*p = '\0';
	*t = (struct search_token){
		.word = joined,
		.word_len = cut_at_term_max(joined, total),
		.at = parts[0].at,
		.span = parts[n - 1].at + parts[n - 1].span - parts[0].at,
		.kept = true,
		.compound = true,
	};
	set_term(a, t, t->word_len < total);
}

struct search_token *search_tokenize(struct arena *a, const char *s, size_t max, size_t *n,
				     const char **folded)
{
	size_t slen = s ? strlen(s) : 0;
	/* Folding would take a bad byte and the next one as one character. */
	if (slen && !utf8_valid(s, slen))
		s = utf8_sanitize(a, s, slen, &slen);
	const char *f = text_fold(a, s ? s : "");
	size_t flen = strlen(f);
	if (folded)
		*folded = f;
	/* Every word but the last is followed by a separator byte, and a
	 * compound takes at least two words. */
	size_t words = flen / 2 + 1, cap = words + words / 2 < max ? words + words / 2 : max;
	struct search_token *out = arena_alloc(a, cap * sizeof(*out) + 1);
	size_t count = 0, i = 0, run = SIZE_MAX; /* run: first part of the compound going on */

	while (i < flen && count < cap) {
		size_t cl = word_char_len(f + i, flen - i);
		if (!cl) {
			i++;
			continue;
		}
		struct search_token *t = &out[count++];
		size_t chars = 0;
		*t = (struct search_token){.word = f + i, .at = i};
		do {
			if (i + cl - t->at <= SEARCH_TERM_MAX)
				t->word_len = i + cl - t->at;
			chars++;
			i += cl;
		} while (i < flen && (cl = word_char_len(f + i, flen - i)));
		t->span = i - t->at;
		t->kept = chars > 1 && !is_stopword(t->word, t->word_len);
		set_term(a, t, t->word_len < t->span);

		size_t hl = i < flen ? hyphen_len(f + i, flen - i) : 0;
		bool joined_on = hl && i + hl < flen && word_char_len(f + i + hl, flen - i - hl);
		if (joined_on || run != SIZE_MAX)
			t->part = true;
		if (joined_on && run == SIZE_MAX)
			run = count - 1;
		if (!joined_on && run != SIZE_MAX && count < cap) {
			join_compound(a, f, out + run, count - run, &out[count]);
			count++;
			run = SIZE_MAX;
		}
	}
	/* Cut short by max inside a compound: its parts count alone. */
	for (size_t k = run == SIZE_MAX ? count : run; k < count; k++)
		out[k].part = false;
	*n = count;
	return out;
}
