/* What other features forget when an account erases itself. accounts/
 * never includes a feature: a feature that keeps personal data of its own
 * registers a step here at startup, and the account deletion runs every
 * step after the account itself is erased. */
#ifndef COUSILAB_ACCOUNTS_ERASURE_H
#define COUSILAB_ACCOUNTS_ERASURE_H

#include <bson/bson.h>

struct request;

enum { ACCOUNTS_ERASURE_STEPS_MAX = 8 };

/* Forgets what the feature keeps of user_id. Returns 0, or -1 with error
 * set (the deletion then answers 503 or 500 and may be retried: a step
 * must be safe to run twice). */
typedef int (*accounts_erasure_step)(struct request *req, const char *user_id, bson_error_t *error);

/* Registers step; call before the server starts (not thread-safe). Aborts
 * past ACCOUNTS_ERASURE_STEPS_MAX: a startup bug. */
void accounts_erasure_register(accounts_erasure_step step);

/* Runs every registered step for user_id, in order, stopping at the first
 * failure. Returns 0, or -1 with error set. */
int accounts_erasure_run(struct request *req, const char *user_id, bson_error_t *error);

#endif
