/* Rate limits as claims: at most `limit` events per key in each fixed
 * window of window_s seconds. Every event claims a slot by inserting
 * {_id: "<key>:<window>:<n>"} into "throttle" for some n in 1..limit; the
 * unique _id makes the count exact under any concurrency, on every backend
 * (FerretDB runs $inc and conditional updates as a read, then a write, so
 * a counter loses counts and races into duplicate-key errors). A slot
 * expires with its window (expires_at) and the purge deletes it.
 *
 * Used for login guesses, sign-up, reset and link attempts, the per-user
 * write limit, and "at most one such mail per hour" claims (limit 1). */
#ifndef COUSILAB_THROTTLE_H
#define COUSILAB_THROTTLE_H

#include <bson/bson.h>
#include <stdint.h>

struct arena;
struct form;
struct request;

#define THROTTLE_COLLECTION "throttle"

/* A claim's outcome: the slot taken (to give back with throttle_release),
 * or how long until the window ends when none was left. */
struct throttle_claim {
	const char *slot_id; /* arena-owned; NULL when refused */
	int slot;            /* its number, 1..limit (limit: the last one) */
	long retry_after_s;  /* when refused: seconds until slots free up, ≥ 1 */
};

/* Returns the number of the window of window_s seconds holding now_ms. Pure. */
int64_t throttle_window(int64_t now_ms, long window_s);

/* Returns the whole seconds, at least 1, from now_ms to the end of its
 * window. Pure. */
long throttle_retry_after_s(int64_t now_ms, long window_s);

/* Returns the _id of slot n of key in window (arena). Pure but for the
 * arena. */
const char *throttle_slot_id(struct arena *a, const char *key, int64_t window, int n);

/* Returns the key "<kind>:<SHA-256 of value>" (arena): addresses and
 * other personal data stay out of the throttle collection. */
const char *throttle_key_hashed(struct arena *a, const char *kind, const char *value);

/* Claims one of key's `limit` slots in the current window of window_s
 * seconds. Returns 1 (out->slot_id set), 0 when all are taken
 * (out->retry_after_s set), or -1 with error set on a database error; a
 * duplicate key is never an error. Costs one insert when the window is
 * fresh, else about log2(limit) reads by _id and an insert. */
int throttle_claim(struct request *req, const char *key, int limit, long window_s,
		   struct throttle_claim *out, bson_error_t *error);

/* Like throttle_claim, recording holder (an IP, say) in the slot. */
int throttle_claim_as(struct request *req, const char *key, const char *holder, int limit,
		      long window_s, struct throttle_claim *out, bson_error_t *error);

/* Returns 1 when holder has one of key's slots in the current window, 0
 * when not, -1 with error set. Reads the `limit` slots by _id. */
int throttle_held_by(struct request *req, const char *key, const char *holder, int limit,
		     long window_s, bson_error_t *error);

/* Gives back a slot claimed earlier (an attempt that turned out not to
 * count, such as a correct password). Returns 0, or -1 with error set. */
int throttle_release(struct request *req, const char *slot_id, bson_error_t *error);

/* Frees every slot of key in the current window (a login that succeeded,
 * an unlock link). Returns 0, or -1 with error set. One round trip. */
int throttle_clear(struct request *req, const char *key, int limit, long window_s,
		   bson_error_t *error);

/* Sets req's Retry-After header to retry_after_s and returns the French
 * refusal: sentence, then "Réessayez dans N secondes." (arena). */
const char *throttle_refusal(struct request *req, const char *sentence, long retry_after_s);

/* One limit on a form's submissions: key, slots per window, and the
 * French sentence that refuses the submission. */
struct throttle_rule {
	const char *key;
	int limit;
	long window_s;
	const char *refusal;
};

/* Claims a slot under each of the n rules in turn. Returns 1 when all
 * were claimed; 0 after recording the first refusal, with its wait, on
 * f's field and setting Retry-After (the caller answers 429 with the form
 * as typed); -1 after replying 503. Slots taken before a refusal stay
 * taken: the submission still counts. */
int throttle_form_claim_or_reply(struct form *f, const char *field,
				 const struct throttle_rule *rules, size_t n);

#endif
