/* UTF-8 validation: every text input is checked before it is stored. */
#ifndef COUSILAB_UTF8_H
#define COUSILAB_UTF8_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

/* Returns true when s[0..n) is well-formed UTF-8 (no overlongs, no
 * surrogates, nothing above U+10FFFF) and holds no NUL byte.
 * Pure; allocates nothing. */
bool utf8_valid(const char *s, size_t n);

/* Returns the length (1-4) of the well-formed, non-NUL character at the
 * start of s[0..n), n > 0, or 0 when it is not one. Pure. */
size_t utf8_char_len(const char *s, size_t n);

/* Returns a copy of s[0..n) in the arena where every byte that does not
 * start a well-formed character (NUL included) became U+FFFD, so a form
 * can be shown back to its author. */
char *utf8_sanitize(struct arena *a, const char *s, size_t n, size_t *outlen);

#endif
