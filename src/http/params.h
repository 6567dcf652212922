/* Name/value pairs parsed from a query string, a form, cookies or a route.
 * Every string is owned by the request arena and NUL-terminated. */
#ifndef COUSILAB_PARAMS_H
#define COUSILAB_PARAMS_H

#include <stdbool.h>
#include <stddef.h>

struct param {
	const char *name;
	const char *value;
	size_t value_len; /* value may not contain NUL; len kept for speed */
	bool bad_utf8;    /* value was not UTF-8; invalid bytes became U+FFFD */
	struct param *next;
};

/* Returns the first value for name, or NULL. Allocates nothing. */
const char *param_get(const struct param *list, const char *name);

/* Returns how many pairs the list holds. */
size_t param_count(const struct param *list);

/* Outcome of every parser in src/http/. */
enum parse_status {
	PARSE_OK = 0,
	PARSE_BAD_ENCODING,     /* bad percent escape, bad header syntax */
	PARSE_BAD_UTF8,         /* decoded text is not valid UTF-8, or has NUL */
	PARSE_TOO_LARGE,        /* a name, a value or a part exceeds its limit */
	PARSE_TOO_MANY,         /* more fields than allowed */
	PARSE_TRUNCATED,        /* body ended early (multipart without closing boundary) */
	PARSE_MALFORMED,        /* anything else structurally wrong */
	PARSE_IO,               /* could not read the body or write a temp file */
	PARSE_HEADER_TOO_LARGE, /* a multipart part's header block exceeds its limit */
	PARSE_REFUSED,          /* the caller's check stopped the parse (multipart) */
};

/* Returns a French sentence for a user, static storage. */
const char *parse_status_message(enum parse_status s);

#endif
