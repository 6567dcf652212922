/* Outgoing mail: messages are rendered and written to the "outbox"
 * collection by whoever wants to send one; the sender thread (sender.h)
 * delivers them later, so a relay outage delays mail but loses none.
 *
 * An outbox document: _id (24 hex digits), to, subject, text, html,
 * template, status ("pending", "sending", "sent" or "failed"), attempts,
 * next_attempt_at, created_at, last_error (null or text), and, once
 * claimed, lease_until and claim; once sent, sent_at, and no more text
 * and html (one-time links, personal data). Dates are BSON datetimes from
 * the wall clock. The sender deletes messages a week after sending them:
 * FerretDB scans the whole collection for due ones, so it must stay small. */
#ifndef COUSILAB_MAIL_OUTBOX_H
#define COUSILAB_MAIL_OUTBOX_H

#include <bson/bson.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct _mongoc_client_t mongoc_client_t;
struct mustache_set;

#define MAIL_COLLECTION "outbox"
/* One document per attempt, {_id: "<message id>#<attempt>", at, by}: the
 * sender's mutex (see sender.c). */
#define MAIL_CLAIMS_COLLECTION "outbox_claims"

/* bson_error_t domain of mail_queue's own refusals; any other domain comes
 * from the database (see db_error_is_outage). */
enum { MAIL_ERROR_DOMAIN = 0x6d61 };
enum mail_error_code {
	MAIL_ERROR_TEMPLATE = 1, /* unknown template, or data not an object */
	MAIL_ERROR_ADDRESS = 2,  /* recipient fails mail_address_valid */
	MAIL_ERROR_ID = 3,       /* mail_queue_once's id is not 1 to 64 of [A-Za-z0-9._-] */
};

struct mail_config {
	char *smtp_url;      /* $COUSILAB_SMTP_URL, default "smtp://127.0.0.1:2525" */
	char *smtp_user;     /* $COUSILAB_SMTP_USER, may be NULL */
	char *smtp_password; /* $COUSILAB_SMTP_PASSWORD */
	bool starttls;       /* $COUSILAB_SMTP_STARTTLS=1: require STARTTLS (CURLUSESSL_ALL) */
	char *from; /* $COUSILAB_MAIL_FROM, default "Cousilab <ne-pas-repondre@cousilab.example.org>" */
	long retry_base_ms; /* $COUSILAB_MAIL_RETRY_BASE_MS, default 30000; backoff base */
	int max_attempts;   /* $COUSILAB_MAIL_MAX_ATTEMPTS, default 12; then status "failed" */
};

/* Fills cfg from the environment (heap strings; mail_config_free). Unset or
 * empty variables take the defaults; invalid numbers too, with a log line.
 * Allocates. */
void mail_config_from_env(struct mail_config *cfg);

/* Frees cfg's strings and zeroes it. */
void mail_config_free(struct mail_config *cfg);

/* Fills dst with a deep copy of src; free it with mail_config_free. */
void mail_config_copy(struct mail_config *dst, const struct mail_config *src);

/* Renders views "mail/<template>.subject", "mail/<template>.txt" and
 * "mail/<template>.html" with data and inserts a pending message for `to`
 * into the outbox (fields: _id (random 24-hex string), to, subject, text,
 * html, template, status "pending", attempts 0, next_attempt_at now,
 * created_at, last_error null). data (an object, or NULL) is borrowed; the
 * bodies also see "subject", the rendered subject (whitespace runs folded
 * to one space, trimmed). Returns 0, or -1 with error set (unknown
 * template, invalid address: MAIL_ERROR_DOMAIN; else the database's).
 * Does not send: wake the sender (mail_sender_wake) to have it go out
 * now rather than within the second. Needs sodium_init. Thread-safe. */
int mail_queue(mongoc_client_t *client, const char *dbname, const struct mustache_set *views,
	       const char *to, const char *template_name, const json_t *data, bson_error_t *error);

/* mail_queue under the outbox _id id (1 to 64 of A-Z a-z 0-9 . _ -, since
 * it also seeds the Message-ID: "gpi-irrecevable-<candidature>-<n>"), which
 * claims the message: however many processes queue it, one insert
 * succeeds. Returns 0 when queued by this call, 1 when a message of that
 * id was queued before (nothing done), -1 with error set. The sender
 * deletes a sent message after a week, and with it the claim: a caller
 * keeps its own record of what was sent. */
int mail_queue_once(mongoc_client_t *client, const char *dbname, const struct mustache_set *views,
		    const char *id, const char *to, const char *template_name, const json_t *data,
		    bson_error_t *error);

/* Returns the delay before attempt number `attempts+1` (attempts already
 * made ≥ 1): base * 2^(attempts-1), capped at 1 hour, in ms. Pure. */
long mail_backoff_ms(long base_ms, int attempts);

/* Returns the wall clock in milliseconds since the epoch, the unit of
 * outbox dates. */
int64_t mail_now_ms(void);

/* Writes 24 random hex digits and a NUL to out (ids and claim tokens).
 * Needs sodium_init. */
void mail_random_hex(char out[25]);

#endif
