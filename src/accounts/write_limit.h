/* A per-user limit on writes: every state-changing request of a signed-in
 * user or API token claims a slot (throttle.h) before its handler runs,
 * so no account can flood comments, drafts or mail however fast it posts.
 * Checked once, in route_dispatch. */
#ifndef COUSILAB_WRITE_LIMIT_H
#define COUSILAB_WRITE_LIMIT_H

struct request;

enum { WRITE_LIMIT_WINDOW_S = 60 };

/* Returns 0 when req (a write) may go on: anonymous, signing out (never
 * refused), or within the user's writes for this minute
 * ($COUSILAB_WRITES_PER_MINUTE), with the slot it took in *slot
 * (arena-owned; stays NULL when none was needed). Otherwise replies 429
 * with Retry-After and a French message (JSON under /api/), or 503, and
 * returns -1. */
int write_limit_check_or_reply(struct request *req, const char **slot);

/* Gives back slot after the handler refused the write (status ≥ 400):
 * the limit counts changes, so someone correcting a form is not held
 * back. A database error is only logged. */
void write_limit_refund(struct request *req, const char *slot);

#endif
