#include "core/log.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Returns true when the byte at s[i] (of n) must be written as \xNN: a C0
 * control or DEL, a backslash (so that an escape in the log is always
 * ours), or either byte of a C1 control's UTF-8 form (C2 80..C2 9F),
 * which some terminals obey as escape sequences. */
static bool must_escape(const unsigned char *s, size_t n, size_t i)
{
	unsigned char c = s[i];
	if (c < 0x20 || c == 0x7F || c == '\\')
		return true;
	if (c == 0xC2)
		return i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F;
	return c >= 0x80 && c <= 0x9F && i > 0 && s[i - 1] == 0xC2;
}

size_t log_escape(char *dst, size_t cap, const char *src, size_t n)
{
	static const char HEX[] = "0123456789ABCDEF";
	const unsigned char *s = (const unsigned char *)src;
	size_t o = 0;
	if (!cap)
		return 0;
	for (size_t i = 0; i < n; i++) {
		bool esc = must_escape(s, n, i);
		size_t need = esc ? 4 : 1;
		if (o + need >= cap)
			break;
		if (esc) {
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = HEX[s[i] >> 4];
			dst[o++] = HEX[s[i] & 0xF];
		} else {
			dst[o++] = (char)s[i];
		}
	}
	dst[o] = '\0';
	return o;
}

void log_msg(const char *level, const char *request_id, const char *fmt, ...)
{
	char line[2048], text[2048];
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%S", &tm);
	n += (size_t)snprintf(line + n, sizeof(line) - n, ".%03ldZ %s", ts.tv_nsec / 1000000,
			      level);
	if (request_id) {
		n += (size_t)snprintf(line + n, sizeof(line) - n, " rid=");
		n += log_escape(line + n, sizeof(line) - n, request_id, strlen(request_id));
	}
	line[n++] = ' ';
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	size_t len = m < 0 ? 0 : (size_t)m < sizeof(text) ? (size_t)m : sizeof(text) - 1;
	/* Whatever the message quotes (a path, a name, a database error) was
	 * maybe typed by someone: one event stays one line, with no terminal
	 * escape in it. */
	n += log_escape(line + n, sizeof(line) - n - 1, text, len);
	line[n++] = '\n';
	/* One fwrite per line keeps lines whole across threads. */
	fwrite(line, 1, n, stderr);
}
