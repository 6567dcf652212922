/* The sender thread: delivers the outbox (outbox.h) through the relay.
 *
 * Any number of processes may run one against the same database. Each
 * attempt at a message is claimed by inserting the unique key
 * "<id>#<attempt>" into outbox_claims: one process wins, the others get a
 * duplicate-key error. (findAndModify alone is not enough: FerretDB runs
 * it as a read then a write, and 4 senders sent 80 messages 150 times.)
 * A process that dies mid-send leaves a lease that expires after 2
 * minutes; the message is then sent again: at least once, since the relay
 * may already have taken it. */
#ifndef COUSILAB_MAIL_SENDER_H
#define COUSILAB_MAIL_SENDER_H

typedef struct _mongoc_client_pool_t mongoc_client_pool_t;
struct mail_config;

struct mail_sender;

/* Starts the sender thread: every second (and promptly after
 * mail_sender_wake) it finds due messages and claims them one by one
 * (claim key, then status pending and next_attempt_at <= now → status
 * "sending", attempts+1, lease_until now+2 min; also reclaims "sending"
 * messages whose lease expired, in case a process died mid-send), sends
 * each through smtp_send, then sets status "sent" + sent_at (dropping
 * text and html), or back to "pending" with next_attempt_at = now +
 * backoff, last_error; after max_attempts → "failed". Hourly, deletes
 * messages sent over 7 days ago. Uses its own client popped from the
 * pool. dbname and cfg are copied. The thread blocks every signal, so it
 * may start before or after server_run sets the process's mask. Calls
 * curl_global_init: call it from the main thread. Returns NULL (logged)
 * when cfg->from holds no valid address or the thread cannot start; else
 * the caller owns the result (mail_sender_stop). */
struct mail_sender *mail_sender_start(mongoc_client_pool_t *pool, const char *dbname,
				      const struct mail_config *cfg);

/* Has the thread look at the outbox now rather than within the second
 * (call it after mail_queue). Cheap; safe from any thread; NULL is
 * accepted (no sender in this process). */
void mail_sender_wake(struct mail_sender *s);

/* Stops the thread (finishes the message in progress, at most ~2 s wait:
 * a slower send is abandoned and retried later), frees s. Call it before
 * destroying the pool. NULL is accepted. */
/* Asks the thread to stop: it finishes or cancels (after a 2 s grace) the
 * message in progress. Returns at once. */
void mail_sender_request_stop(struct mail_sender *s);

void mail_sender_stop(struct mail_sender *s);

#endif
