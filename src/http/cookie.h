/* The Cookie request header. */
#ifndef COUSILAB_COOKIE_H
#define COUSILAB_COOKIE_H

#include "http/params.h"

struct arena;

enum {
	COOKIE_MAX_COUNT = 64,
	COOKIE_MAX_LEN = 4096, /* per name and per value */
};

/* Parses a NUL-terminated Cookie header ("a=1; b=2"), RFC 6265 leniently:
 * pairs split on ';', names and values trimmed of SP/HTAB, one pair of
 * surrounding double quotes stripped from values, pairs without '=' or with
 * an empty name skipped. Values are not percent-decoded. header may be NULL
 * (no cookies).
 * Returns PARSE_OK and the cookies in header order (duplicates kept, so
 * param_get finds the first, most specific one) via *out, or
 * PARSE_TOO_MANY (over COOKIE_MAX_COUNT), PARSE_TOO_LARGE (a name or value
 * over COOKIE_MAX_LEN) or PARSE_BAD_UTF8, with *out set to NULL.
 * Allocates the list and copies of the strings in a (arena-owned). */
enum parse_status cookie_parse(struct arena *a, const char *header, struct param **out);

#endif
