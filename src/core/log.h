/* Logging to stderr, one line per event, safe from any thread. */
#ifndef COUSILAB_LOG_H
#define COUSILAB_LOG_H

#include <stdint.h>

/* Returns microseconds from a monotonic clock. */
uint64_t now_us(void);

/* Writes "TIME LEVEL [rid=ID] message" with an ISO 8601 UTC timestamp.
 * request_id may be NULL. Allocates nothing on the heap. */
void log_msg(const char *level, const char *request_id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define log_error(rid, ...) log_msg("error", (rid), __VA_ARGS__)
#define log_info(rid, ...) log_msg("info", (rid), __VA_ARGS__)

#endif
