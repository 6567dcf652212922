/* Throttling of guessable actions (login, sign-up, reset): after a few
 * free failures each further one doubles the wait, up to 15 minutes.
 * Keyed by account and by IP, stored in "throttle" by _id. */
#ifndef COUSILAB_THROTTLE_H
#define COUSILAB_THROTTLE_H

#include <bson/bson.h>
#include <stdbool.h>
#include <stdint.h>

struct request;

enum { THROTTLE_MAX_WAIT_S = 900, THROTTLE_WINDOW_S = 900 };

/* Returns true when failures counted up to last_failure_ms are forgotten
 * at now_ms: a quiet quarter of an hour starts the count afresh. Pure. */
bool throttle_window_over(int64_t last_failure_ms, int64_t now_ms);

/* Returns the seconds to wait after `failures` failures when the first
 * `free_attempts` cost nothing: 0, then 1, 2, 4... capped. Pure. */
long throttle_delay_s(int64_t failures, int free_attempts);

/* Returns the seconds key must still wait (0 when it may try now), or -1
 * on a database error. */
long throttle_wait(struct request *req, const char *key, int free_attempts,
		   bson_error_t *error);

/* Counts one failure for key. Returns 0 or -1. */
int throttle_fail(struct request *req, const char *key, bson_error_t *error);

/* Forgets key's failures (after a success). Returns 0 or -1. */
int throttle_clear(struct request *req, const char *key, bson_error_t *error);

#endif
