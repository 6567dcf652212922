#include "core/fold.h"

#include <ctype.h>
#include <string.h>

#include "core/arena.h"

/* U+00C0..U+00FF folded; "" means keep the original bytes. */
static const char *const LATIN1[64] = {
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
	"d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
	"d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y",
};

/* Returns the folding of code point cp from Latin Extended-A that French
 * uses, or NULL. */
static const char *latin_extended(unsigned cp)
{
	switch (cp) {
	case 0x152:
	case 0x153: return "oe";
	case 0x178: return "y";
	case 0x2019:
	case 0x2018: return "'";
	default: return NULL;
	}
}

char *text_fold(struct arena *a, const char *s)
{
	size_t n = strlen(s);
	/* Folding never grows a character beyond its own byte length. */
	char *out = arena_alloc(a, n + 1), *o = out;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		if (*p < 0x80) {
			*o++ = (char)tolower(*p++);
			continue;
		}
		unsigned cp = 0;
		size_t len = 1;
		if ((*p & 0xE0) == 0xC0 && p[1]) {
			cp = ((unsigned)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
			len = 2;
		} else if ((*p & 0xF0) == 0xE0 && p[1] && p[2]) {
			cp = ((unsigned)(p[0] & 0x0F) << 12) | ((unsigned)(p[1] & 0x3F) << 6) |
			     (p[2] & 0x3F);
			len = 3;
		}
		const char *rep = cp >= 0xC0 && cp <= 0xFF ? LATIN1[cp - 0xC0] : latin_extended(cp);
		if (rep && *rep) {
			size_t r = strlen(rep);
			memcpy(o, rep, r);
			o += r;
		} else {
			memcpy(o, p, len);
			o += len;
		}
		p += len;
	}
	*o = '\0';
	return out;
}
