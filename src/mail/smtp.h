/* Mail on the wire: the RFC 5322 / MIME message, and its delivery to the
 * configured relay with libcurl. Address checks live here too. */
#ifndef COUSILAB_MAIL_SMTP_H
#define COUSILAB_MAIL_SMTP_H

#include <stdbool.h>
#include <stddef.h>

struct buf;
struct mail_config;

/* Builds an RFC 5322 message: From, To, Subject (RFC 2047 encoded-word
 * UTF-8 B when non-ASCII or too long for one line), Date, Message-ID
 * (<seed@from's domain>, or a random left part when message_id_seed is
 * NULL; the same seed gives the same id, so a retried message keeps it),
 * MIME-Version, Auto-Submitted, multipart/alternative with text/plain and
 * text/html parts, both UTF-8 quoted-printable (lines ≤ 76, CRLF). from is
 * a mailbox ("Name <a@b.c>" or "a@b.c"); the display name is quoted or
 * encoded as needed. Appends to out. Rejects CR/LF in header values and
 * invalid UTF-8 anywhere (-1, out may hold a partial message). Returns 0
 * or -1. Allocates only through out. */
int mail_build_message(struct buf *out, const char *from, const char *to, const char *subject,
		       const char *text, const char *html, const char *message_id_seed);

/* Sends one message via libcurl (CURLOPT_MAIL_FROM, CURLOPT_MAIL_RCPT,
 * upload from memory, timeouts: connect 5 s, total 30 s). from_addr and to
 * are bare addresses. Returns 0, or -1 with a short error message in err.
 * Thread-safe once curl_global_init has run. */
int smtp_send(const struct mail_config *cfg, const char *from_addr, const char *to,
	      const struct buf *message, char *err, size_t errlen);

/* As smtp_send, but gives up (-1) as soon as cancel(ctx) returns true; it
 * is polled about once a second and whenever data moves. cancel may be
 * NULL. */
int smtp_send_cancellable(const struct mail_config *cfg, const char *from_addr, const char *to,
			  const struct buf *message, bool (*cancel)(void *ctx), void *ctx,
			  char *err, size_t errlen);

/* Returns true for a plausible email address (local@domain.tld, no spaces,
 * no CR/LF, ≤ 254 chars, one @). ASCII only: we do not speak SMTPUTF8.
 * Pure. */
bool mail_address_valid(const char *address);

/* Returns the address part of a mailbox ("Name <a@b.c>" gives "a@b.c",
 * "a@b.c" itself) as a pointer into mailbox with its length in *len.
 * Pure; allocates nothing. */
const char *mail_addr_spec(const char *mailbox, size_t *len);

#endif
