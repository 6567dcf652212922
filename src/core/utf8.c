#include "core/utf8.h"

#include <string.h>

#include "core/arena.h"

/*
 * Table-free check following the Unicode "well-formed byte sequences"
 * table: the first continuation byte's range depends on the lead byte, which
 * is what rules out overlongs (E0, F0), surrogates (ED) and code points above
 * U+10FFFF (F4) without decoding the value.
 */
size_t utf8_char_len(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char c = p[0];

	if (c < 0x80)
		return c == 0 ? 0 : 1;

	size_t need;
	unsigned char lo = 0x80, hi = 0xBF;

	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
	} else if (c == 0xE0) {
		need = 2;
		lo = 0xA0;
	} else if (c == 0xED) {
		need = 2;
		hi = 0x9F;
	} else if (c >= 0xE1 && c <= 0xEF) {
		need = 2;
	} else if (c == 0xF0) {
		need = 3;
		lo = 0x90;
	} else if (c >= 0xF1 && c <= 0xF3) {
		need = 3;
	} else if (c == 0xF4) {
		need = 3;
		hi = 0x8F;
	} else {
		return 0; /* C0, C1, F5..FF, or a stray continuation */
	}

	if (n - 1 < need)
		return 0;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t k = 2; k <= need; k++)
		if ((p[k] & 0xC0) != 0x80)
			return 0;
	return need + 1;
}

bool utf8_valid(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t len = utf8_char_len(s + i, n - i);
		if (!len)
			return false;
		i += len;
	}
	return true;
}

char *utf8_sanitize(struct arena *a, const char *s, size_t n, size_t *outlen)
{
	static const char REPLACEMENT[] = "\xEF\xBF\xBD";
	/* Each bad byte may become three, so size for the worst case. */
	char *out = arena_alloc(a, n * 3 + 1);
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		size_t len = utf8_char_len(s + i, n - i);
		if (len) {
			memcpy(out + o, s + i, len);
			o += len;
			i += len;
		} else {
			memcpy(out + o, REPLACEMENT, 3);
			o += 3;
			i++;
		}
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

/* Returns the code point of the well-formed character of len bytes at p. */
static long decode(const unsigned char *p, size_t len)
{
	static const unsigned char LEAD_MASK[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
	long cp = p[0] & LEAD_MASK[len];
	for (size_t k = 1; k < len; k++)
		cp = (cp << 6) | (p[k] & 0x3F);
	return cp;
}

/* Returns true for a bidirectional embedding, override or isolate. */
static bool is_bidi_control(long cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

long utf8_refused_char(const char *s, size_t n, enum utf8_lines lines)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		size_t len = utf8_char_len(s + i, n - i);
		if (!len) /* not UTF-8 at all: refused, whatever the kind */
			return p[i];
		long cp = decode(p + i, len);
		bool control = cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
		if (control && !(lines == UTF8_MULTI_LINE && (cp == '\t' || cp == '\n')))
			return cp;
		if (lines == UTF8_ONE_LINE && is_bidi_control(cp))
			return cp;
		i += len;
	}
	return -1;
}

const char *utf8_refusal_message(struct arena *a, const char *subject, long cp)
{
	if (cp == '\n' || cp == '\r')
		return arena_printf(a,
				    "%s tient sur une seule ligne\u202f: retirez le retour à la "
				    "ligne.",
				    subject);
	if (cp == '\t')
		return arena_printf(a,
				    "%s ne peut pas contenir de tabulation\u202f: remplacez-la par "
				    "une espace.",
				    subject);
	if (is_bidi_control(cp))
		return arena_printf(
			a,
			"%s contient un caractère invisible qui inverse le sens "
			"d’écriture (U+%04lX) et peut déguiser le texte\u202f: retirez-le.",
			subject, cp);
	return arena_printf(a,
			    "%s contient un caractère de contrôle invisible (U+%04lX)\u202f: "
			    "retirez-le.",
			    subject, cp);
}

size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}
