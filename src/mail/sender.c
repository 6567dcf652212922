#include "mail/sender.h"

#include <curl/curl.h>
#include <errno.h>
#include <mongoc/mongoc.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "mail/outbox.h"
#include "mail/smtp.h"

enum {
	POLL_MS = 1000,
	/* Well beyond a send's 35 s worst case (connect + total timeouts). */
	LEASE_MS = 2 * 60 * 1000,
	STOP_GRACE_US = 2 * 1000 * 1000,
	ERROR_LEN = 256,
};

struct mail_sender {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond; /* on CLOCK_MONOTONIC */
	bool woken;	     /* under lock */
	/* now_us() after which a send in flight is abandoned; 0 while
	 * running. Set under lock so that a waiting thread cannot miss it. */
	atomic_ullong stop_at_us;
	mongoc_client_pool_t *pool;
	char *dbname;
	struct mail_config cfg;
	char *from_addr; /* bare address of cfg.from, for MAIL FROM */
};

/* One claimed message: the document as findAndModify returned it. */
struct claimed {
	bson_t doc;
	bson_iter_t id; /* points into doc */
	char token[25]; /* our claim; failures are recorded only while it holds */
	int attempts;	/* including this one */
};

static bool stopping(struct mail_sender *s)
{
	return atomic_load(&s->stop_at_us) != 0;
}

/* Sleeps up to ms, less when woken or stopped. */
static void wait_for_work(struct mail_sender *s, long ms)
{
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&s->lock);
	while (!s->woken && !stopping(s) &&
	       pthread_cond_timedwait(&s->cond, &s->lock, &until) != ETIMEDOUT)
		;
	s->woken = false;
	pthread_mutex_unlock(&s->lock);
}

/* The cancel hook of smtp_send_cancellable: a stop gives the send in
 * flight a short grace, not the whole 30 s timeout. */
static bool send_cancelled(void *ctx)
{
	struct mail_sender *s = ctx;
	unsigned long long at = atomic_load(&s->stop_at_us);
	return at && now_us() >= at;
}

static const char *str_field(const bson_t *doc, const char *key)
{
	bson_iter_t it;
	if (!bson_iter_init_find(&it, doc, key) || !BSON_ITER_HOLDS_UTF8(&it))
		return NULL;
	return bson_iter_utf8(&it, NULL);
}

/* Claims the most overdue message: a pending one that is due, or one
 * whose sender's lease ran out. Returns 1 with m filled (the caller
 * destroys m->doc), 0 when nothing is due, -1 with error set. */
static int claim_next(mongoc_collection_t *outbox, struct claimed *m,
		      bson_error_t *error)
{
	int64_t now = mail_now_ms();
	mail_random_hex(m->token);
	bson_t *filter = BCON_NEW(
	    "$or", "[",
	    "{", "status", BCON_UTF8("pending"),
	    "next_attempt_at", "{", "$lte", BCON_DATE_TIME(now), "}", "}",
	    "{", "status", BCON_UTF8("sending"),
	    "lease_until", "{", "$lte", BCON_DATE_TIME(now), "}", "}",
	    "]");
	/* Counting the attempt at claim time bounds the retries of a message
	 * that kills its sender. */
	bson_t *update = BCON_NEW(
	    "$set", "{", "status", BCON_UTF8("sending"),
	    "lease_until", BCON_DATE_TIME(now + LEASE_MS),
	    "claim", BCON_UTF8(m->token), "}",
	    "$inc", "{", "attempts", BCON_INT32(1), "}");
	bson_t *sort = BCON_NEW("next_attempt_at", BCON_INT32(1));
	mongoc_find_and_modify_opts_t *opts = mongoc_find_and_modify_opts_new();
	mongoc_find_and_modify_opts_set_update(opts, update);
	mongoc_find_and_modify_opts_set_sort(opts, sort);
	mongoc_find_and_modify_opts_set_flags(opts, MONGOC_FIND_AND_MODIFY_RETURN_NEW);
	bson_t reply;
	int rc = mongoc_collection_find_and_modify_with_opts(outbox, filter, opts,
							     &reply, error)
		     ? 0
		     : -1;
	bson_iter_t it;
	if (rc == 0 && bson_iter_init_find(&it, &reply, "value") &&
	    BSON_ITER_HOLDS_DOCUMENT(&it)) {
		uint32_t len;
		const uint8_t *data;
		bson_iter_document(&it, &len, &data);
		bson_t view;
		bson_init_static(&view, data, len);
		bson_copy_to(&view, &m->doc); /* in place: a bson_t cannot move */
		bson_iter_init_find(&m->id, &m->doc, "_id");
		m->attempts = bson_iter_init_find(&it, &m->doc, "attempts")
				  ? (int)bson_iter_as_int64(&it)
				  : 1;
		rc = 1;
	}
	bson_destroy(&reply);
	mongoc_find_and_modify_opts_destroy(opts);
	bson_destroy(sort);
	bson_destroy(update);
	bson_destroy(filter);
	return rc;
}

/* Records the outcome of m's attempt: sent when error is NULL, else
 * pending again after the backoff, or failed when permanent or out of
 * attempts. Retries while the database is away, until stopped: a lost
 * "sent" would have the message sent again once the lease expires. */
static void record(struct mail_sender *s, mongoc_collection_t *outbox,
		   const struct claimed *m, const char *error, bool permanent)
{
	int64_t now = mail_now_ms();
	bool failed = error && (permanent || m->attempts >= s->cfg.max_attempts);
	bson_t filter = BSON_INITIALIZER;
	bson_append_iter(&filter, "_id", -1, &m->id);
	bson_t *update;
	if (!error) {
		/* Whoever holds the claim by now, the relay has the message. */
		update = BCON_NEW("$set", "{", "status", BCON_UTF8("sent"),
				  "sent_at", BCON_DATE_TIME(now),
				  "lease_until", BCON_NULL, "claim", BCON_NULL, "}");
	} else {
		BSON_APPEND_UTF8(&filter, "claim", m->token);
		long delay = mail_backoff_ms(s->cfg.retry_base_ms, m->attempts);
		update = BCON_NEW("$set", "{",
				  "status", BCON_UTF8(failed ? "failed" : "pending"),
				  "next_attempt_at", BCON_DATE_TIME(now + delay),
				  "last_error", BCON_UTF8(error),
				  "lease_until", BCON_NULL, "claim", BCON_NULL, "}");
	}
	bson_error_t db_error;
	while (!mongoc_collection_update_one(outbox, &filter, update, NULL, NULL,
					     &db_error)) {
		log_error(NULL, "mail: recording the outcome of an attempt: %s",
			  db_error.message);
		if (stopping(s))
			break;
		wait_for_work(s, POLL_MS);
	}
	bson_destroy(update);
	bson_destroy(&filter);

	const char *id = BSON_ITER_HOLDS_UTF8(&m->id) ? bson_iter_utf8(&m->id, NULL) : "?";
	if (!error)
		log_info(NULL, "mail: %s sent (attempt %d)", id, m->attempts);
	else
		log_error(NULL, "mail: %s attempt %d failed: %s%s", id, m->attempts,
			  error, failed ? "; giving up" : "");
}

/* Builds and sends m, then records the outcome. */
static void deliver(struct mail_sender *s, mongoc_collection_t *outbox,
		    const struct claimed *m)
{
	const char *id = BSON_ITER_HOLDS_UTF8(&m->id) ? bson_iter_utf8(&m->id, NULL) : NULL;
	const char *to = str_field(&m->doc, "to");
	const char *subject = str_field(&m->doc, "subject");
	const char *text = str_field(&m->doc, "text");
	const char *html = str_field(&m->doc, "html");
	char err[ERROR_LEN];
	struct buf message = BUF_INIT;
	if (m->attempts > s->cfg.max_attempts) {
		/* Its last sender died mid-send, as may the next one. */
		record(s, outbox, m, "abandoned: out of attempts after a lease expiry", true);
	} else if (!to || !subject || !text || !html ||
		   mail_build_message(&message, s->cfg.from, to, subject, text,
				      html, id) != 0) {
		record(s, outbox, m, "malformed message", true);
	} else if (smtp_send_cancellable(&s->cfg, s->from_addr, to, &message,
					 send_cancelled, s, err, sizeof(err)) != 0) {
		record(s, outbox, m, err, false);
	} else {
		record(s, outbox, m, NULL, false);
	}
	buf_free(&message);
}

static void *sender_main(void *arg)
{
	struct mail_sender *s = arg;
	mongoc_client_t *client = mongoc_client_pool_pop(s->pool);
	mongoc_collection_t *outbox = mongoc_client_get_collection(client, s->dbname,
								   MAIL_COLLECTION);
	bool db_down = false; /* logs an outage once, not every second */
	while (!stopping(s)) {
		struct claimed m;
		bson_error_t error;
		int rc = claim_next(outbox, &m, &error);
		if (rc < 0 && !db_down)
			log_error(NULL, "mail: cannot read the outbox: %s", error.message);
		else if (rc >= 0 && db_down)
			log_info(NULL, "mail: outbox readable again");
		db_down = rc < 0;
		if (rc == 1) {
			deliver(s, outbox, &m);
			bson_destroy(&m.doc);
			continue; /* drain what is due before sleeping */
		}
		wait_for_work(s, POLL_MS);
	}
	mongoc_collection_destroy(outbox);
	mongoc_client_pool_push(s->pool, client);
	return NULL;
}

static void sender_free(struct mail_sender *s)
{
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
	mail_config_free(&s->cfg);
	free(s->from_addr);
	free(s->dbname);
	free(s);
}

struct mail_sender *mail_sender_start(mongoc_client_pool_t *pool,
				      const char *dbname,
				      const struct mail_config *cfg)
{
	size_t n;
	const char *addr = mail_addr_spec(cfg->from, &n);
	char *from_addr = xstrndup(addr, n);
	if (!mail_address_valid(from_addr)) {
		/* Every message would fail for good: refuse to start instead. */
		log_error(NULL, "mail: COUSILAB_MAIL_FROM holds no valid address");
		free(from_addr);
		return NULL;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		log_error(NULL, "mail: curl_global_init failed");
		free(from_addr);
		return NULL;
	}
	struct mail_sender *s = xcalloc(1, sizeof(*s));
	s->pool = pool;
	s->dbname = xstrdup(dbname);
	s->from_addr = from_addr;
	mail_config_copy(&s->cfg, cfg);
	pthread_mutex_init(&s->lock, NULL);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cond, &attr);
	pthread_condattr_destroy(&attr);

	/* The thread inherits this mask: process signals (SIGTERM above all)
	 * must go to the thread that waits for them, never to this one. */
	sigset_t all, saved;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &saved);
	int rc = pthread_create(&s->thread, NULL, sender_main, s);
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	if (rc) {
		log_error(NULL, "mail: pthread_create: %s", strerror(rc));
		sender_free(s);
		curl_global_cleanup();
		return NULL;
	}
	return s;
}

void mail_sender_wake(struct mail_sender *s)
{
	pthread_mutex_lock(&s->lock);
	s->woken = true;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

void mail_sender_stop(struct mail_sender *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	atomic_store(&s->stop_at_us, (unsigned long long)now_us() + STOP_GRACE_US);
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	sender_free(s);
	curl_global_cleanup();
}
