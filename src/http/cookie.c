#include "http/cookie.h"

#include <string.h>

#include "core/arena.h"
#include "http/parse_internal.h"

enum parse_status cookie_parse(struct arena *a, const char *header, struct param **out)
{
	struct param_builder pb;
	size_t len = header ? strlen(header) : 0;
	size_t i = 0;

	*out = NULL;
	pb_init(&pb);

	while (i < len) {
		const char *semi = memchr(header + i, ';', len - i);
		size_t end = semi ? (size_t)(semi - header) : len;
		const char *eq = memchr(header + i, '=', end - i);
		size_t ns = i, ne, vs, ve;
		enum parse_status st;

		i = end + 1;
		if (!eq)
			continue;
		ne = (size_t)(eq - header);
		vs = ne + 1;
		ve = end;
		trim_ows(header, &ns, &ne);
		if (ns == ne)
			continue;
		trim_ows(header, &vs, &ve);
		if (ve - vs >= 2 && header[vs] == '"' && header[ve - 1] == '"') {
			vs++;
			ve--;
		}

		if (pb.count >= COOKIE_MAX_COUNT)
			return PARSE_TOO_MANY;
		st = text_check(header + ns, ne - ns, COOKIE_MAX_LEN);
		if (st == PARSE_OK)
			st = text_check(header + vs, ve - vs, COOKIE_MAX_LEN);
		if (st != PARSE_OK)
			return st;
		pb_push(a, &pb, arena_strndup(a, header + ns, ne - ns),
			arena_strndup(a, header + vs, ve - vs), ve - vs);
	}
	*out = pb.head;
	return PARSE_OK;
}
