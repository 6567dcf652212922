#include "mail/sender.h"

#include <curl/curl.h>
#include <mongoc/mongoc.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/ticker.h"
#include "core/xalloc.h"
#include "db/batch.h"
#include "mail/outbox.h"
#include "mail/smtp.h"

enum {
	POLL_MS = 1000,
	BATCH = 16, /* due messages looked at per find */
	/* Well beyond a send's 35 s worst case (connect + total timeouts). */
	LEASE_MS = 2 * 60 * 1000,
	/* A claim not followed by its "sending" mark within this is given up
	 * (nothing sent), well before others may take it over (LEASE_MS). */
	MARK_DEADLINE_US = 30 * 1000 * 1000,
	STOP_GRACE_US = 2 * 1000 * 1000,
	ERROR_LEN = 256,
	MAX_ID = 64,
};

/* Claim keys are only compared with fresh reads, so old ones can go; sent
 * messages are kept a while for inquiries, then go too, because FerretDB
 * scans the whole outbox for due messages. */
static const int64_t KEEP_MS = 7LL * 24 * 3600 * 1000;
static const uint64_t PURGE_EVERY_US = 3600ULL * 1000 * 1000;

struct mail_sender {
	struct ticker *ticker;
	/* now_us() after which a send in flight is abandoned; 0 while
	 * running. Set before the ticker's stop, which ends the waits. */
	atomic_ullong stop_at_us;
	mongoc_client_pool_t *pool;
	/* The thread's own, from its first pass on; given back at the stop. */
	mongoc_client_t *client;
	mongoc_collection_t *outbox, *claims;
	bool db_down;        /* logs an outage once, not every second */
	uint64_t next_purge; /* now_us() of the next purge */
	char *dbname;
	struct mail_config cfg;
	char *from_addr; /* bare address of cfg.from, for MAIL FROM */
};

/* A due message as the last find saw it. */
struct candidate {
	char id[MAX_ID + 1];
	int attempts;
};

/* A message this process has claimed, as marked "sending". */
struct claimed {
	bson_t *doc;
	const char *id; /* points into doc */
	char token[25]; /* our claim; failures are recorded only while it holds */
	int attempts;   /* including this one */
};

static bool stopping(struct mail_sender *s)
{
	return atomic_load(&s->stop_at_us) != 0;
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

static int int_field(const bson_t *doc, const char *key)
{
	bson_iter_t it;
	return bson_iter_init_find(&it, doc, key) ? (int)bson_iter_as_int64(&it) : 0;
}

/* Fills due with up to BATCH messages to send now, most overdue first:
 * pending ones whose time has come, and ones whose sender's lease ran
 * out. Returns their number, or -1 with error set. The one find of an
 * idle second. */
static int find_due(mongoc_collection_t *outbox, struct candidate *due, bson_error_t *error)
{
	int64_t now = mail_now_ms();
	bson_t *filter = BCON_NEW("$or", "[", "{", "status", BCON_UTF8("pending"),
				  "next_attempt_at", "{", "$lte", BCON_DATE_TIME(now), "}", "}",
				  "{", "status", BCON_UTF8("sending"), "lease_until", "{", "$lte",
				  BCON_DATE_TIME(now), "}", "}", "]");
	bson_t *opts = BCON_NEW("sort", "{", "next_attempt_at", BCON_INT32(1), "}", "limit",
				BCON_INT64(BATCH), "projection", "{", "attempts", BCON_INT32(1),
				"}");
	mongoc_cursor_t *cursor = mongoc_collection_find_with_opts(outbox, filter, opts, NULL);
	int n = 0;
	const bson_t *doc;
	while (n < BATCH && mongoc_cursor_next(cursor, &doc)) {
		const char *id = str_field(doc, "_id");
		/* mail_queue's ids are strings; anything else is not ours. */
		if (!id || strlen(id) > MAX_ID)
			continue;
		strcpy(due[n].id, id);
		due[n].attempts = int_field(doc, "attempts");
		n++;
	}
	if (mongoc_cursor_error(cursor, error))
		n = -1;
	mongoc_cursor_destroy(cursor);
	bson_destroy(opts);
	bson_destroy(filter);
	return n;
}

/* Reads document id of coll by its _id alone: the one filter FerretDB
 * answers from the primary key rather than a collection scan. Returns 1
 * with *doc a copy (bson_destroy), 0 when there is none, -1 with error
 * set. */
static int load(mongoc_collection_t *coll, const char *id, bson_t **doc, bson_error_t *error)
{
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(id));
	mongoc_cursor_t *cursor = mongoc_collection_find_with_opts(coll, filter, NULL, NULL);
	const bson_t *found;
	*doc = mongoc_cursor_next(cursor, &found) ? bson_copy(found) : NULL;
	int rc = *doc ? 1 : mongoc_cursor_error(cursor, error) ? -1 : 0;
	mongoc_cursor_destroy(cursor);
	bson_destroy(filter);
	return rc;
}

/* Applies update to message id, found by its _id alone (see load). The
 * callers check the state they expect in C first: a conditional filter
 * would cost FerretDB a collection scan, and be no more atomic there. */
static bool update(mongoc_collection_t *outbox, const char *id, const bson_t *update_doc,
		   bson_error_t *error)
{
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(id));
	bool ok = mongoc_collection_update_one(outbox, filter, update_doc, NULL, NULL, error);
	bson_destroy(filter);
	return ok;
}

/* Marks c as being sent by us and loads it into m. Returns 1, 0 when it
 * changed since the find (deleted, or set aside by hand), -1 with error
 * set. */
static int mark_sending(mongoc_collection_t *outbox, const struct candidate *c, struct claimed *m,
			bson_error_t *error)
{
	bson_t *doc;
	int rc = load(outbox, c->id, &doc, error);
	if (rc <= 0)
		return rc;
	const char *status = str_field(doc, "status");
	if (int_field(doc, "attempts") != c->attempts || !status ||
	    (strcmp(status, "pending") != 0 && strcmp(status, "sending") != 0)) {
		bson_destroy(doc);
		return 0;
	}
	bson_t *set = BCON_NEW("$set", "{", "status", BCON_UTF8("sending"), "attempts",
			       BCON_INT32(c->attempts + 1), "lease_until",
			       BCON_DATE_TIME(mail_now_ms() + LEASE_MS), "claim",
			       BCON_UTF8(m->token), "}");
	bool ok = update(outbox, c->id, set, error);
	bson_destroy(set);
	if (!ok) {
		bson_destroy(doc);
		return -1;
	}
	m->doc = doc;
	m->id = str_field(doc, "_id");
	m->attempts = c->attempts + 1;
	return 1;
}

/* Called when attempt c->attempts + 1 of c is already claimed: normally
 * another sender is on it. A claim older than the lease while the message
 * still shows the attempts before it was given up between claiming and
 * marking (see MARK_DEADLINE_US): count that attempt as made, so that the
 * next claim uses a fresh key. */
static void release_abandoned(mongoc_collection_t *outbox, mongoc_collection_t *claims,
			      const struct candidate *c, const char *key)
{
	bson_t *held;
	bson_error_t error;
	if (load(claims, key, &held, &error) <= 0)
		return;
	bson_iter_t it;
	bool stale = bson_iter_init_find(&it, held, "at") && BSON_ITER_HOLDS_DATE_TIME(&it) &&
		     bson_iter_date_time(&it) < mail_now_ms() - LEASE_MS;
	bson_destroy(held);
	bson_t *doc;
	if (!stale || load(outbox, c->id, &doc, &error) <= 0)
		return;
	bool unchanged = int_field(doc, "attempts") == c->attempts;
	bson_destroy(doc);
	bson_t *set = BCON_NEW("$set", "{", "attempts", BCON_INT32(c->attempts + 1), "last_error",
			       BCON_UTF8("claim abandoned"), "}");
	if (unchanged && update(outbox, c->id, set, &error))
		log_error(NULL, "mail: %s: released an abandoned claim", c->id);
	bson_destroy(set);
}

/* Makes attempt c->attempts + 1 of c ours, then marks it. Inserting its
 * unique claim key succeeds for exactly one process however stale its
 * view of c: unlike findAndModify, which FerretDB runs as a read then a
 * write, a unique key holds under concurrency on every server we support.
 * Returns true with m filled (the caller destroys m->doc). */
static bool claim(struct mail_sender *s, struct ticker *t, mongoc_collection_t *outbox,
		  mongoc_collection_t *claims, const struct candidate *c, struct claimed *m)
{
	char key[MAX_ID + 16];
	snprintf(key, sizeof(key), "%.*s#%d", (int)MAX_ID, c->id, c->attempts + 1);
	mail_random_hex(m->token);
	bson_t *doc = BCON_NEW("_id", BCON_UTF8(key), "at", BCON_DATE_TIME(mail_now_ms()), "by",
			       BCON_UTF8(m->token));
	bson_error_t error;
	bool ok = mongoc_collection_insert_one(claims, doc, NULL, NULL, &error);
	bson_destroy(doc);
	if (!ok) {
		if (error.code == MONGOC_ERROR_DUPLICATE_KEY)
			release_abandoned(outbox, claims, c, key);
		else
			log_error(NULL, "mail: claiming %s: %s", c->id, error.message);
		return false;
	}
	uint64_t deadline = now_us() + MARK_DEADLINE_US;
	int rc;
	while ((rc = mark_sending(outbox, c, m, &error)) < 0) {
		log_error(NULL, "mail: marking %s as sending: %s", c->id, error.message);
		if (stopping(s) || now_us() >= deadline)
			return false;
		ticker_sleep(t, POLL_MS);
	}
	return rc == 1;
}

/* Writes the outcome of m's attempt. Returns 0, -1 with error set. */
static int write_outcome(struct mail_sender *s, mongoc_collection_t *outbox,
			 const struct claimed *m, const char *failure, bool failed,
			 bson_error_t *error)
{
	int64_t now = mail_now_ms();
	bson_t *set;
	if (!failure) {
		/* Whoever holds the claim by now, the relay has the message.
		 * The bodies go: they hold one-time links and personal data. */
		set = BCON_NEW("$set", "{", "status", BCON_UTF8("sent"), "sent_at",
			       BCON_DATE_TIME(now), "lease_until", BCON_NULL, "claim", BCON_NULL,
			       "}", "$unset", "{", "text", BCON_UTF8(""), "html", BCON_UTF8(""),
			       "}");
	} else {
		/* After a lease expiry another sender owns the message. */
		bson_t *doc;
		int rc = load(outbox, m->id, &doc, error);
		if (rc <= 0)
			return rc;
		const char *holder = str_field(doc, "claim");
		bool ours = holder && strcmp(holder, m->token) == 0;
		bson_destroy(doc);
		if (!ours)
			return 0;
		long delay = mail_backoff_ms(s->cfg.retry_base_ms, m->attempts);
		set = BCON_NEW("$set", "{", "status", BCON_UTF8(failed ? "failed" : "pending"),
			       "next_attempt_at", BCON_DATE_TIME(now + delay), "last_error",
			       BCON_UTF8(failure), "lease_until", BCON_NULL, "claim", BCON_NULL,
			       "}");
	}
	bool ok = update(outbox, m->id, set, error);
	bson_destroy(set);
	return ok ? 0 : -1;
}

/* Records the outcome of m's attempt: sent when failure is NULL, else
 * pending again after the backoff, or failed when permanent or out of
 * attempts. Retries while the database is away, until stopped: a lost
 * "sent" would have the message sent again once the lease expires. */
static void record(struct mail_sender *s, struct ticker *t, mongoc_collection_t *outbox,
		   const struct claimed *m, const char *failure, bool permanent)
{
	bool failed = failure && (permanent || m->attempts >= s->cfg.max_attempts);
	bson_error_t error;
	while (write_outcome(s, outbox, m, failure, failed, &error) < 0) {
		log_error(NULL, "mail: %s: recording the outcome: %s", m->id, error.message);
		if (stopping(s))
			break;
		ticker_sleep(t, POLL_MS);
	}
	if (!failure)
		log_info(NULL, "mail: %s sent (attempt %d)", m->id, m->attempts);
	else
		log_error(NULL, "mail: %s attempt %d failed: %s%s", m->id, m->attempts, failure,
			  failed ? "; giving up" : "");
}

/* Builds and sends m, then records the outcome. */
static void deliver(struct mail_sender *s, struct ticker *t, mongoc_collection_t *outbox,
		    const struct claimed *m)
{
	const char *to = str_field(m->doc, "to");
	const char *subject = str_field(m->doc, "subject");
	const char *text = str_field(m->doc, "text");
	const char *html = str_field(m->doc, "html");
	char err[ERROR_LEN];
	struct buf message = BUF_INIT;
	if (m->attempts > s->cfg.max_attempts) {
		/* Its last sender died mid-send, as may the next one. */
		record(s, t, outbox, m, "abandoned: out of attempts after a lease expiry", true);
	} else if (!to || !subject || !text || !html ||
		   mail_build_message(&message, s->cfg.from, to, subject, text, html, m->id) != 0) {
		record(s, t, outbox, m, "malformed message", true);
	} else if (smtp_send_cancellable(&s->cfg, s->from_addr, to, &message, send_cancelled, s,
					 err, sizeof(err)) != 0) {
		record(s, t, outbox, m, err, false);
	} else {
		record(s, t, outbox, m, NULL, false);
	}
	buf_free(&message);
}

/* Deletes old claim keys and sent messages (see KEEP_MS). Best effort. */
static void purge(mongoc_collection_t *outbox, mongoc_collection_t *claims)
{
	int64_t before = mail_now_ms() - KEEP_MS;
	bson_t *old_claims = BCON_NEW("at", "{", "$lt", BCON_DATE_TIME(before), "}");
	bson_t *old_mail = BCON_NEW("status", BCON_UTF8("sent"), "sent_at", "{", "$lt",
				    BCON_DATE_TIME(before), "}");
	bson_error_t error;
	if (db_delete_batched(claims, old_claims, &error) < 0 ||
	    db_delete_batched(outbox, old_mail, &error) < 0)
		log_error(NULL, "mail: purging old entries: %s", error.message);
	bson_destroy(old_mail);
	bson_destroy(old_claims);
}

/* One look at the outbox: sends what is due, purges when the hour has
 * come; the ticker's job. Returns 0 when more may be due, else the wait
 * until the next look. */
static long sender_pass(struct ticker *t, void *ctx)
{
	struct mail_sender *s = ctx;
	if (!s->client) {
		s->client = mongoc_client_pool_pop(s->pool);
		s->outbox = mongoc_client_get_collection(s->client, s->dbname, MAIL_COLLECTION);
		s->claims = mongoc_client_get_collection(s->client, s->dbname,
							 MAIL_CLAIMS_COLLECTION);
	}
	struct candidate due[BATCH];
	bson_error_t error;
	int n = find_due(s->outbox, due, &error);
	if (n < 0 && !s->db_down)
		log_error(NULL, "mail: cannot read the outbox: %s", error.message);
	else if (n >= 0 && s->db_down)
		log_info(NULL, "mail: outbox readable again");
	s->db_down = n < 0;
	int taken = 0;
	for (int i = 0; i < n && !stopping(s); i++) {
		struct claimed m;
		if (!claim(s, t, s->outbox, s->claims, &due[i], &m))
			continue;
		deliver(s, t, s->outbox, &m);
		bson_destroy(m.doc);
		taken++;
	}
	if (n == BATCH && taken)
		return 0;
	if (!s->db_down && now_us() >= s->next_purge) {
		purge(s->outbox, s->claims);
		s->next_purge = now_us() + PURGE_EVERY_US;
	}
	return POLL_MS;
}

/* Frees s, once its thread is over (or never started). */
static void sender_free(struct mail_sender *s)
{
	if (s->client) {
		mongoc_collection_destroy(s->claims);
		mongoc_collection_destroy(s->outbox);
		mongoc_client_pool_push(s->pool, s->client);
	}
	mail_config_free(&s->cfg);
	free(s->from_addr);
	free(s->dbname);
	free(s);
}

struct mail_sender *mail_sender_start(mongoc_client_pool_t *pool, const char *dbname,
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
	s->next_purge = now_us();
	/* The ticker's thread blocks every signal, as sender.h promises. */
	s->ticker = ticker_start(sender_pass, s, 0);
	if (!s->ticker) {
		sender_free(s);
		curl_global_cleanup();
		return NULL;
	}
	return s;
}

void mail_sender_wake(struct mail_sender *s)
{
	if (s)
		ticker_wake(s->ticker);
}

void mail_sender_request_stop(struct mail_sender *s)
{
	if (!s)
		return;
	/* A second request must not push the deadline further out. */
	unsigned long long running = 0;
	atomic_compare_exchange_strong(&s->stop_at_us, &running,
				       (unsigned long long)now_us() + STOP_GRACE_US);
	ticker_request_stop(s->ticker);
}

void mail_sender_stop(struct mail_sender *s)
{
	if (!s)
		return;
	mail_sender_request_stop(s);
	ticker_stop(s->ticker);
	sender_free(s);
	curl_global_cleanup();
}
