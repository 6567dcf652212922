/* Helpers shared by the parsers in src/http/ (implemented in params.c).
 * Internal: not part of the public HTTP API. */
#ifndef COUSILAB_PARSE_INTERNAL_H
#define COUSILAB_PARSE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "http/params.h"

struct arena;

/* Appends to a param list in input order, counting entries. */
struct param_builder {
	struct param *head;
	struct param **tail;
	size_t count;
};

/* Prepares an empty list. Allocates nothing. */
void pb_init(struct param_builder *b);

/* Appends name/value, which must already be arena-owned and NUL-terminated
 * (not copied). Returns the new node, allocated in the arena. */
struct param *pb_push(struct arena *a, struct param_builder *b, const char *name, const char *value,
		      size_t value_len);

/* Returns PARSE_TOO_LARGE when n > max, PARSE_BAD_UTF8 when s[0..n) is not
 * valid UTF-8 or holds a NUL, PARSE_OK otherwise. Pure. */
enum parse_status text_check(const char *s, size_t n, size_t max);

/* Returns true for HTTP optional whitespace (SP, HTAB). */
static inline bool is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* Narrows s[*start..*end) so it neither begins nor ends with OWS. Pure. */
void trim_ows(const char *s, size_t *start, size_t *end);

/* Returns true when s[0..n) equals the NUL-terminated ASCII lit, ignoring
 * ASCII case. Pure; never reads s past n. */
bool ascii_ieq(const char *s, size_t n, const char *lit);

#endif
