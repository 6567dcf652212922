/* The clock that decides deadlines: sign-up windows, submission deadlines,
 * reminders, embargoes. The server's clock decides, never the browser's.
 *
 * Release builds read the real clock and nothing else. Test builds
 * (-DCOUSILAB_TEST_CLOCK=ON, refused by CMake for release build types) may
 * freeze it: when the file named by $COUSILAB_TEST_CLOCK_FILE exists and
 * holds an RFC 3339 UTC instant ("2023-04-17T21:59:59Z"), every process
 * reading the clock gets that instant, so integration tests can stand one
 * second either side of a boundary through the real stack.
 *
 * Sessions, leases, throttles and logs keep the real clock: only rules of
 * the domain read this one. */
#ifndef COUSILAB_CLOCK_H
#define COUSILAB_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

/* Returns the current instant in UTC milliseconds since the epoch.
 * Thread-safe; allocates nothing. */
int64_t clock_now_ms(void);

/* Parses "YYYY-MM-DDTHH:MM:SS[.fff]Z" into *ms. Returns false on anything
 * else (offsets other than Z included). Pure. */
bool clock_parse_utc(const char *text, int64_t *ms);

#endif
