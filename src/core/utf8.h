/* UTF-8 validation: every text input is checked before it is stored. */
#ifndef COUSILAB_UTF8_H
#define COUSILAB_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Returns true when s[0..n) is well-formed UTF-8 (no overlongs, no
 * surrogates, nothing above U+10FFFF) and holds no NUL byte.
 * Pure; allocates nothing. */
bool utf8_valid(const char *s, size_t n);

#endif
