/* The sender thread: delivers the outbox (outbox.h) through the relay.
 *
 * Any number of processes may run one against the same database: each
 * message is claimed with findAndModify before it is sent, so only one of
 * them sends it. A process that dies mid-send leaves a lease that expires
 * after 2 minutes; the message is then sent again (at least once: the
 * relay may already have taken it). */
#ifndef COUSILAB_MAIL_SENDER_H
#define COUSILAB_MAIL_SENDER_H

typedef struct _mongoc_client_pool_t mongoc_client_pool_t;
struct mail_config;

struct mail_sender;

/* Starts the sender thread: every second (and promptly after
 * mail_sender_wake) it claims due messages one by one with findAndModify
 * (status pending and next_attempt_at <= now → status "sending",
 * lease_until now+2 min; also reclaims "sending" messages whose lease
 * expired, in case a process died mid-send), sends each through smtp_send,
 * then sets status "sent" + sent_at, or back to "pending" with attempts+1,
 * next_attempt_at = now + backoff, last_error; after max_attempts →
 * "failed". Uses its own client popped from the pool. dbname and cfg are
 * copied. The thread blocks every signal, so it may start before or after
 * server_run sets the process's mask. Calls curl_global_init: call it from
 * the main thread. Returns NULL on thread creation failure; else the
 * caller owns the result (mail_sender_stop). */
struct mail_sender *mail_sender_start(mongoc_client_pool_t *pool,
				      const char *dbname,
				      const struct mail_config *cfg);

/* Has the thread look at the outbox now rather than within the second
 * (call it after mail_queue). Cheap; safe from any thread. */
void mail_sender_wake(struct mail_sender *s);

/* Stops the thread (finishes the message in progress, at most ~2 s wait:
 * a slower send is abandoned and retried later), frees s. Call it before
 * destroying the pool. NULL is accepted. */
void mail_sender_stop(struct mail_sender *s);

#endif
