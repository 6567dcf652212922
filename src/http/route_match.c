#include "http/route_match.h"

#include <string.h>

#include "core/arena.h"
#include "http/params.h"

bool route_match(struct arena *a, const char *pattern, const char *path, struct param **params)
{
	struct param *found = NULL;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			if (!close)
				return false;
			size_t n = strcspn(s, "/");
			if (n == 0)
				return false;
			struct param *prm = arena_alloc(a, sizeof(*prm));
			prm->name = arena_strndup(a, p + 1, (size_t)(close - p - 1));
			prm->value = arena_strndup(a, s, n);
			prm->value_len = n;
			prm->next = found;
			found = prm;
			p = close + 1;
			s += n;
		} else if (*p++ != *s++) {
			return false;
		}
	}
	if (*p || *s)
		return false;
	if (found) {
		struct param *last = found;
		while (last->next)
			last = last->next;
		last->next = *params;
		*params = found;
	}
	return true;
}

/* Returns the length of the segment at s (up to '/' or the end). */
static size_t segment_len(const char *s)
{
	return strcspn(s, "/");
}

/* Returns true when the segment at s holds a {param}. */
static bool segment_is_param(const char *s)
{
	return memchr(s, '{', segment_len(s)) != NULL;
}

int route_precedence(const char *a, const char *b)
{
	while (*a && *b) {
		bool pa = segment_is_param(a), pb = segment_is_param(b);
		if (pa != pb)
			return pa ? -1 : 1;
		a += segment_len(a);
		b += segment_len(b);
		a += *a == '/';
		b += *b == '/';
	}
	return 0;
}
