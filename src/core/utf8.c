#include "core/utf8.h"

/*
 * Table-free validator following the Unicode "well-formed byte sequences"
 * table: the first continuation byte's range depends on the lead byte, which
 * is what rules out overlongs (E0, F0), surrogates (ED) and code points above
 * U+10FFFF (F4) without decoding the value.
 */
bool utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		unsigned char c = p[i];

		if (c < 0x80) {
			if (c == 0)
				return false;
			i++;
			continue;
		}

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
			return false; /* C0, C1, F5..FF, or a stray continuation */
		}

		if (n - i - 1 < need)
			return false;
		if (p[i + 1] < lo || p[i + 1] > hi)
			return false;
		for (size_t k = 2; k <= need; k++)
			if ((p[i + k] & 0xC0) != 0x80)
				return false;
		i += need + 1;
	}
	return true;
}
