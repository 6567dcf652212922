#include "http/urlencoded.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "core/utf8.h"
#include "http/parse_internal.h"

const struct form_limits FORM_LIMITS_DEFAULT = {
	.max_fields = 256,
	.max_name = 128,
	.max_value = 1024 * 1024,
};

const struct form_limits FORM_LIMITS_BODY = {
	.max_fields = 256,
	.max_name = 128,
	.max_value = 1024 * 1024,
	.lenient_values = true,
};

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Returns the decoded length of s[0..len), or SIZE_MAX on a bad escape.
 * Measuring first lets limits be enforced before anything is allocated and
 * makes the allocation exact.
 */
static size_t decoded_len(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; n++) {
		if (s[i] != '%') {
			i++;
			continue;
		}
		if (len - i < 3 || hex_value(s[i + 1]) < 0 || hex_value(s[i + 2]) < 0)
			return SIZE_MAX;
		i += 3;
	}
	return n;
}

/* Decodes s[0..len), already validated by decoded_len, into dst. */
static void decode_into(char *dst, const char *s, size_t len, bool plus_is_space)
{
	size_t n = 0;

	for (size_t i = 0; i < len; n++) {
		if (s[i] == '%') {
			dst[n] = (char)(hex_value(s[i + 1]) << 4 | hex_value(s[i + 2]));
			i += 3;
		} else {
			dst[n] = (plus_is_space && s[i] == '+') ? ' ' : s[i];
			i++;
		}
	}
	dst[n] = '\0';
}

char *url_decode(struct arena *a, const char *s, size_t len, bool plus_is_space, size_t *outlen)
{
	size_t n = len ? decoded_len(s, len) : 0;

	if (outlen)
		*outlen = 0;
	if (n == SIZE_MAX)
		return NULL;
	char *dst = arena_alloc(a, n + 1);
	if (len)
		decode_into(dst, s, len, plus_is_space);
	if (outlen)
		*outlen = n;
	return dst;
}

/* Decodes one name or value into *out after checking encoding and size. */
static enum parse_status decode_text(struct arena *a, const char *s, size_t len, size_t max,
				     char **out, size_t *outlen)
{
	size_t n = decoded_len(s, len);

	if (n == SIZE_MAX)
		return PARSE_BAD_ENCODING;
	if (n > max)
		return PARSE_TOO_LARGE;
	char *dst = arena_alloc(a, n + 1);
	decode_into(dst, s, len, true);
	/* Set even when the text is not UTF-8: lenient callers keep it. */
	*out = dst;
	*outlen = n;
	return text_check(dst, n, max);
}

char *url_encode(struct arena *a, const char *s)
{
	static const char HEX[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *out = arena_alloc(a, n * 3 + 1), *o = out;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || strchr("-._~", *p)) {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = HEX[*p >> 4];
			*o++ = HEX[*p & 15];
		}
	}
	return out;
}

enum parse_status urlencoded_parse(struct arena *a, const char *s, size_t len,
				   const struct form_limits *lim, struct param **out)
{
	struct param_builder pb;
	size_t i = 0;

	*out = NULL;
	if (!lim)
		lim = &FORM_LIMITS_DEFAULT;
	pb_init(&pb);

	while (i < len) {
		const char *amp = memchr(s + i, '&', len - i);
		size_t end = amp ? (size_t)(amp - s) : len;
		const char *eq = memchr(s + i, '=', end - i);
		size_t name_end = eq ? (size_t)(eq - s) : end;

		/* An empty raw name is an empty decoded name: skip the pair. */
		if (name_end > i) {
			char *name, *value;
			size_t name_len, value_len;
			size_t vstart = eq ? name_end + 1 : end;
			enum parse_status st;

			if (pb.count >= lim->max_fields)
				return PARSE_TOO_MANY;
			st = decode_text(a, s + i, name_end - i, lim->max_name, &name, &name_len);
			if (st != PARSE_OK)
				return st;
			st = decode_text(a, s + vstart, end - vstart, lim->max_value, &value,
					 &value_len);
			bool bad_utf8 = st == PARSE_BAD_UTF8 && lim->lenient_values;
			if (bad_utf8)
				value = utf8_sanitize(a, value, value_len, &value_len);
			else if (st != PARSE_OK)
				return st;
			pb_push(a, &pb, name, value, value_len)->bad_utf8 = bad_utf8;
		}
		i = end + 1;
	}
	*out = pb.head;
	return PARSE_OK;
}
