/* Logging to stderr, one line per event, safe from any thread. */
#ifndef COUSILAB_LOG_H
#define COUSILAB_LOG_H

#include <stddef.h>
#include <stdint.h>

/* Returns microseconds from a monotonic clock. */
uint64_t now_us(void);

/* Writes "TIME LEVEL [rid=ID] message" with an ISO 8601 UTC timestamp,
 * the id and the message escaped by log_escape, so one call is one line
 * whatever they quote. request_id may be NULL. Allocates nothing on the
 * heap. */
void log_msg(const char *level, const char *request_id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Copies src[0..n) to dst, NUL-terminated, writing as \xNN every C0
 * control, DEL, backslash and both bytes of a UTF-8 C1 control (U+0080 to
 * U+009F); stops before a character that would not fit in cap bytes.
 * Returns the bytes written, NUL excluded. Pure; allocates nothing. */
size_t log_escape(char *dst, size_t cap, const char *src, size_t n);

#define log_error(rid, ...) log_msg("error", (rid), __VA_ARGS__)
#define log_info(rid, ...) log_msg("info", (rid), __VA_ARGS__)

#endif
