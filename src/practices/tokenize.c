#include "practices/tokenize.h"

#include <string.h>

#include "core/arena.h"
#include "core/fold.h"
#include "core/utf8.h"

/* Folded, sorted (strcmp order) for the binary search. */
static const char *const STOPWORDS[] = {
	"au", "aux", "avec", "ce", "ces", "cet", "cette", "dans", "de", "des", "du",
	"elle", "elles", "en", "est", "et", "il", "ils", "la", "le", "les", "leur",
	"leurs", "lui", "mais", "ne", "nos", "notre", "nous", "on", "ou", "par", "pas",
	"pour", "qu", "que", "qui", "sa", "se", "ses", "son", "sont", "sur", "un", "une",
	"vos", "votre", "vous",
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
	unsigned cp = len == 2 ? (p[0] & 0x1Fu) << 6 | (p[1] & 0x3Fu)
		    : len == 3 ? (p[0] & 0x0Fu) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu)
			       : (p[0] & 0x07u) << 18 | (p[1] & 0x3Fu) << 12 |
				 (p[2] & 0x3Fu) << 6 | (p[3] & 0x3Fu);
	return is_separator_cp(cp) ? 0 : len;
}

struct token *tokenize(struct arena *a, const char *s, size_t max, size_t *n)
{
	size_t slen = s ? strlen(s) : 0;
	/* Folding would take a bad byte and the next one as one character. */
	if (slen && !utf8_valid(s, slen))
		s = utf8_sanitize(a, s, slen, &slen);
	const char *f = text_fold(a, s ? s : "");
	size_t flen = strlen(f);
	/* Every token but the last is followed by a separator byte. */
	size_t cap = flen / 2 + 1 < max ? flen / 2 + 1 : max;
	struct token *out = arena_alloc(a, cap * sizeof(*out));
	size_t count = 0, i = 0;

	while (i < flen && count < cap) {
		size_t cl = word_char_len(f + i, flen - i);
		if (!cl) {
			i++;
			continue;
		}
		struct token *t = &out[count++];
		size_t start = i, chars = 0;
		t->s = f + i;
		do {
			if (i + cl - start <= TERM_MAX)
				t->len = i + cl - start;
			chars++;
			i += cl;
		} while (i < flen && (cl = word_char_len(f + i, flen - i)));
		t->kept = chars > 1 && !is_stopword(t->s, t->len);
	}
	*n = count;
	return out;
}
