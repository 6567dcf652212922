/* Query strings and application/x-www-form-urlencoded bodies. */
#ifndef COUSILAB_URLENCODED_H
#define COUSILAB_URLENCODED_H

#include <stdbool.h>
#include <stddef.h>

#include "http/params.h"

struct arena;

/* Limits on decoded sizes; a limit of 0 allows nothing. */
struct form_limits {
	size_t max_fields;
	size_t max_name;
	size_t max_value;
	/* Form bodies: a value that is not UTF-8 is kept, sanitised and
	 * flagged (param.bad_utf8) so the form can say which field is wrong
	 * and keep the others; names must still be valid. */
	bool lenient_values;
};

/* 256 fields, 128-byte names, 1 MiB values; strict UTF-8. */
extern const struct form_limits FORM_LIMITS_DEFAULT;

/* The same limits with lenient_values, for submitted forms. */
extern const struct form_limits FORM_LIMITS_BODY;

/* Parses a query string or form body s[0..len) ("a=1&b=x+y&c=%C3%A9"); s
 * need not be NUL-terminated. '+' decodes to a space in names and values.
 * Empty pairs ("a=1&&b") and pairs with an empty name ("=x") are skipped;
 * "a" without '=' gives value "". Decoded names and values must be valid
 * UTF-8 without NUL. lim may be NULL for FORM_LIMITS_DEFAULT.
 * Returns PARSE_OK and the pairs in input order (duplicates kept) via *out,
 * or PARSE_BAD_ENCODING (%zz, truncated %), PARSE_BAD_UTF8, PARSE_TOO_LARGE
 * or PARSE_TOO_MANY with *out set to NULL.
 * Allocates the list and its strings in a (arena-owned). */
enum parse_status urlencoded_parse(struct arena *a, const char *s, size_t len,
				   const struct form_limits *lim, struct param **out);

/* Percent-decodes s[0..len); plus_is_space selects form semantics ('+' is a
 * space) over path semantics ('+' kept). The result may hold any byte,
 * including NUL: callers check it. Returns a NUL-terminated arena string and
 * its length in *outlen (if outlen is not NULL), or NULL on a bad or
 * truncated escape (nothing allocated then). */
char *url_decode(struct arena *a, const char *s, size_t len, bool plus_is_space, size_t *outlen);

/* Returns s percent-encoded for a query string value (unreserved bytes
 * kept), NUL-terminated, in the arena. */
char *url_encode(struct arena *a, const char *s);

#endif
