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

/* Returns the number of characters (code points) of the UTF-8 string s,
 * what a length limit in characters counts. Pure. */
size_t utf8_chars(const char *s);

/* Returns a copy of s[0..n) in the arena where every byte that does not
 * start a well-formed character (NUL included) became U+FFFD, so a form
 * can be shown back to its author. */
char *utf8_sanitize(struct arena *a, const char *s, size_t n, size_t *outlen);

/* What a text field holds: one line (names, titles, codes, file names) or
 * several (descriptions, comments). */
enum utf8_lines { UTF8_ONE_LINE, UTF8_MULTI_LINE };

/* Returns the first code point of s[0..n) (well-formed UTF-8) that a field
 * of that kind refuses, or -1 when there is none. Refused everywhere: the
 * C0 controls U+0000-U+001F, DEL and the C1 controls U+0080-U+009F, but a
 * multi-line field keeps tab and LF (CR must have become LF before). A
 * one-line field also refuses the bidirectional embeddings, overrides and
 * isolates U+202A-U+202E and U+2066-U+2069: inside a title shown among
 * other text, in a mail subject or a file name, they reorder what follows
 * and disguise it ("facture\u202Efdp.exe"). A paragraph keeps them: the
 * bidi algorithm ends them at the paragraph's end, and quoting text
 * written right to left may need them. A byte that does not start a
 * well-formed character is refused as its own value. Pure; allocates
 * nothing. */
long utf8_refused_char(const char *s, size_t n, enum utf8_lines lines);

/* Returns the French message for a field whose text holds the code point
 * cp that utf8_refused_char found; subject starts the sentence ("Ce
 * champ", "Le nom de ce fichier"). Static or allocated in a. */
const char *utf8_refusal_message(struct arena *a, const char *subject, long cp);

#endif
