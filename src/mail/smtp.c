#include "mail/smtp.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/utf8.h"
#include "mail/outbox.h"

enum {
	MAX_ADDRESS = 254,
	MAX_LOCAL = 64,
	MAX_LABEL = 63,
	MAX_SEED = 64,
	/* Raw bytes per encoded-word: 39 bytes are 52 base64 characters, so
	 * "Subject: =?UTF-8?B?...?=" stays within 76 columns. */
	WORD_BYTES = 39,
	/* Longest subject sent as it is on the "Subject: " line. */
	MAX_PLAIN_SUBJECT = 76 - (int)sizeof("Subject: ") + 1,
};

static bool is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* RFC 5322 atext, the characters of an unquoted local part besides '.'. */
static bool is_atext(unsigned char c)
{
	return is_alnum(c) || (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

/* Returns true for dot-separated labels of letters, digits and inner
 * hyphens, at least two of them, the last one alphabetic and ≥ 2 long. */
static bool domain_valid(const char *d, size_t n)
{
	size_t labels = 0, start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && d[i] != '.') {
			if (!is_alnum((unsigned char)d[i]) && d[i] != '-')
				return false;
			continue;
		}
		size_t len = i - start;
		if (len == 0 || len > MAX_LABEL || d[start] == '-' || d[i - 1] == '-')
			return false;
		labels++;
		if (i == n) {
			if (labels < 2 || len < 2)
				return false;
			for (size_t j = start; j < i; j++)
				if (!((d[j] | 0x20) >= 'a' && (d[j] | 0x20) <= 'z'))
					return false;
		}
		start = i + 1;
	}
	return true;
}

bool mail_address_valid(const char *address)
{
	if (!address)
		return false;
	size_t n = strnlen(address, MAX_ADDRESS + 1);
	const char *at = memchr(address, '@', n);
	if (n > MAX_ADDRESS || !at || memchr(at + 1, '@', n - (size_t)(at - address) - 1))
		return false;
	size_t local = (size_t)(at - address);
	if (local == 0 || local > MAX_LOCAL || address[0] == '.' || at[-1] == '.')
		return false;
	for (size_t i = 0; i < local; i++) {
		unsigned char c = (unsigned char)address[i];
		if (c == '.' ? address[i + 1] == '.' : !is_atext(c))
			return false;
	}
	return domain_valid(at + 1, n - local - 1);
}

const char *mail_addr_spec(const char *mailbox, size_t *len)
{
	const char *open = strrchr(mailbox, '<');
	const char *close = open ? strchr(open, '>') : NULL;
	if (open && close) {
		*len = (size_t)(close - open - 1);
		return open + 1;
	}
	while (*mailbox == ' ' || *mailbox == '\t')
		mailbox++;
	size_t n = strlen(mailbox);
	while (n && (mailbox[n - 1] == ' ' || mailbox[n - 1] == '\t'))
		n--;
	*len = n;
	return mailbox;
}

/* ---- Headers ---- */

static bool has_crlf(const char *s, size_t n)
{
	return memchr(s, '\r', n) || memchr(s, '\n', n);
}

/* Returns true when s[0..n) can go into a header as it is: printable
 * ASCII that no decoder would mistake for an encoded-word. */
static bool plain_ascii(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c >= 0x7f || (c == '=' && i + 1 < n && s[i + 1] == '?'))
			return false;
	}
	return true;
}

/* Appends s[0..n) as RFC 2047 B encoded-words, cut on UTF-8 character
 * boundaries and folded one per line. */
static void put_encoded_words(struct buf *out, const char *s, size_t n)
{
	char b64[sodium_base64_ENCODED_LEN(WORD_BYTES, sodium_base64_VARIANT_ORIGINAL)];
	while (n) {
		size_t k = n < WORD_BYTES ? n : WORD_BYTES;
		/* Back off to the start of a character: words must decode alone. */
		while (k < n && k > 1 && ((unsigned char)s[k] & 0xc0) == 0x80)
			k--;
		sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)s, k,
				  sodium_base64_VARIANT_ORIGINAL);
		buf_printf(out, "=?UTF-8?B?%s?=", b64);
		s += k;
		n -= k;
		if (n)
			buf_puts(out, "\r\n ");
	}
}

/* Appends a display name: as it is when it is a plain atom sequence,
 * quoted when it holds specials, encoded when not ASCII. */
static void put_display_name(struct buf *out, const char *s, size_t n)
{
	if (!plain_ascii(s, n)) {
		put_encoded_words(out, s, n);
		return;
	}
	bool quote = false;
	for (size_t i = 0; i < n; i++)
		if (!is_atext((unsigned char)s[i]) && s[i] != ' ')
			quote = true;
	if (!quote) {
		buf_append(out, s, n);
		return;
	}
	buf_putc(out, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			buf_putc(out, '\\');
		buf_putc(out, s[i]);
	}
	buf_putc(out, '"');
}

/* Appends "From: ..." for a mailbox whose address is valid; returns -1 if
 * it is not. */
static int put_from(struct buf *out, const char *from)
{
	size_t alen;
	const char *addr = mail_addr_spec(from, &alen);
	char bare[MAX_ADDRESS + 1];
	if (alen > MAX_ADDRESS)
		return -1;
	memcpy(bare, addr, alen);
	bare[alen] = '\0';
	if (!mail_address_valid(bare))
		return -1;
	const char *name = from;
	size_t nlen = addr > from && addr[-1] == '<' ? (size_t)(addr - 1 - from) : 0;
	while (nlen && (*name == ' ' || *name == '"'))
		name++, nlen--;
	while (nlen && (name[nlen - 1] == ' ' || name[nlen - 1] == '"'))
		nlen--;
	buf_puts(out, "From: ");
	if (nlen) {
		put_display_name(out, name, nlen);
		buf_putc(out, ' ');
	}
	buf_printf(out, "<%s>\r\n", bare);
	return 0;
}

static void put_subject(struct buf *out, const char *subject)
{
	size_t n = strlen(subject);
	buf_puts(out, "Subject: ");
	if (n <= MAX_PLAIN_SUBJECT && plain_ascii(subject, n))
		buf_append(out, subject, n);
	else
		put_encoded_words(out, subject, n);
	buf_puts(out, "\r\n");
}

/* Appends an RFC 5322 date in UTC; the names are English by definition. */
static void put_date(struct buf *out, time_t t)
{
	static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct tm tm;
	gmtime_r(&t, &tm);
	buf_printf(out, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n", days[tm.tm_wday],
		   tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		   tm.tm_sec);
}

/* Returns true when seed can serve in a Message-ID and a boundary. */
static bool seed_valid(const char *seed)
{
	size_t n = strlen(seed);
	if (n == 0 || n > MAX_SEED)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_alnum((unsigned char)seed[i]) && !strchr("._-", seed[i]))
			return false;
	return true;
}

/* ---- Bodies ---- */

/* Appends s as quoted-printable with CRLF line ends; lines ≤ 76. A '.'
 * opening a line is encoded too, for relays that mishandle dot-stuffing. */
static void put_quoted_printable(struct buf *out, const char *s)
{
	size_t col = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n' || (p[0] == '\r' && p[1] == '\n')) {
			p += *p == '\r';
			buf_puts(out, "\r\n");
			col = 0;
			continue;
		}
		bool eol = !p[1] || p[1] == '\n' || (p[1] == '\r' && p[2] == '\n');
		bool literal = (*p > ' ' && *p < 0x7f && *p != '=') ||
			       ((*p == ' ' || *p == '\t') && !eol);
		/* A line that goes on needs one column for the soft break. */
		if (col + (literal ? 1 : 3) > (eol ? 76u : 75u)) {
			buf_puts(out, "=\r\n");
			col = 0;
		}
		if (literal && !(*p == '.' && col == 0)) {
			buf_putc(out, (char)*p);
			col++;
		} else {
			buf_printf(out, "=%02X", *p);
			col += 3;
		}
	}
}

static void put_part(struct buf *out, const char *boundary, const char *type, const char *body)
{
	buf_printf(out,
		   "\r\n--%s\r\n"
		   "Content-Type: %s; charset=UTF-8\r\n"
		   "Content-Transfer-Encoding: quoted-printable\r\n"
		   "\r\n",
		   boundary, type);
	put_quoted_printable(out, body);
}

int mail_build_message(struct buf *out, const char *from, const char *to, const char *subject,
		       const char *text, const char *html, const char *message_id_seed)
{
	char random_seed[25];
	if (!message_id_seed) {
		mail_random_hex(random_seed);
		message_id_seed = random_seed;
	}
	if (has_crlf(from, strlen(from)) || has_crlf(subject, strlen(subject)) ||
	    !utf8_valid(from, strlen(from)) || !utf8_valid(subject, strlen(subject)) ||
	    !utf8_valid(text, strlen(text)) || !utf8_valid(html, strlen(html)) ||
	    !mail_address_valid(to) || !seed_valid(message_id_seed))
		return -1;
	if (put_from(out, from))
		return -1;
	size_t alen;
	const char *addr = mail_addr_spec(from, &alen);
	const char *at = memchr(addr, '@', alen);
	/* QP output never holds "=_", so this boundary cannot occur in a part. */
	char boundary[MAX_SEED + 16];
	snprintf(boundary, sizeof(boundary), "=_cousilab_%s", message_id_seed);

	buf_printf(out, "To: <%s>\r\n", to);
	put_subject(out, subject);
	put_date(out, time(NULL));
	buf_printf(out, "Message-ID: <%s@%.*s>\r\n", message_id_seed, (int)(addr + alen - at - 1),
		   at + 1);
	buf_printf(out,
		   "MIME-Version: 1.0\r\n"
		   /* RFC 3834: no vacation replies to a robot. */
		   "Auto-Submitted: auto-generated\r\n"
		   "Content-Type: multipart/alternative;\r\n"
		   " boundary=\"%s\"\r\n",
		   boundary);
	put_part(out, boundary, "text/plain", text);
	put_part(out, boundary, "text/html", html);
	buf_printf(out, "\r\n--%s--\r\n", boundary);
	return 0;
}

/* ---- Delivery ---- */

struct upload {
	const char *data;
	size_t left;
};

static size_t read_upload(char *dst, size_t size, size_t n, void *ctx)
{
	struct upload *u = ctx;
	size_t k = size * n < u->left ? size * n : u->left;
	memcpy(dst, u->data, k);
	u->data += k;
	u->left -= k;
	return k;
}

struct cancel_hook {
	bool (*fn)(void *ctx);
	void *ctx;
};

static int check_cancel(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
			curl_off_t ulnow)
{
	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	struct cancel_hook *h = ctx;
	return h->fn(h->ctx);
}

int smtp_send_cancellable(const struct mail_config *cfg, const char *from_addr, const char *to,
			  const struct buf *message, bool (*cancel)(void *ctx), void *ctx,
			  char *err, size_t errlen)
{
	CURL *c = curl_easy_init();
	if (!c) {
		snprintf(err, errlen, "curl_easy_init failed");
		return -1;
	}
	char sender[MAX_ADDRESS + 3], rcpt[MAX_ADDRESS + 3];
	char curl_err[CURL_ERROR_SIZE] = "";
	snprintf(sender, sizeof(sender), "<%s>", from_addr);
	snprintf(rcpt, sizeof(rcpt), "<%s>", to);
	struct curl_slist *rcpts = curl_slist_append(NULL, rcpt);
	struct upload up = {message->data, message->len};
	struct cancel_hook hook = {cancel, ctx};

	curl_easy_setopt(c, CURLOPT_URL, cfg->smtp_url);
	/* A mistyped URL must not make us fetch a file or a web page. */
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_err);
	if (cfg->smtp_user) {
		curl_easy_setopt(c, CURLOPT_USERNAME, cfg->smtp_user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, cfg->smtp_password ? cfg->smtp_password : "");
	}
	if (cfg->starttls)
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, sender);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
	curl_easy_setopt(c, CURLOPT_READDATA, &up);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)message->len);
	if (cancel) {
		curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, check_cancel);
		curl_easy_setopt(c, CURLOPT_XFERINFODATA, &hook);
		curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	}

	CURLcode rc = curl_easy_perform(c);
	long code = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	if (rc != CURLE_OK) {
		const char *why = rc == CURLE_ABORTED_BY_CALLBACK ? "cancelled"
				  : *curl_err                     ? curl_err
								  : curl_easy_strerror(rc);
		if (code)
			snprintf(err, errlen, "smtp %ld: %s", code, why);
		else
			snprintf(err, errlen, "%s", why);
	}
	curl_slist_free_all(rcpts);
	curl_easy_cleanup(c);
	return rc == CURLE_OK ? 0 : -1;
}

int smtp_send(const struct mail_config *cfg, const char *from_addr, const char *to,
	      const struct buf *message, char *err, size_t errlen)
{
	return smtp_send_cancellable(cfg, from_addr, to, message, NULL, NULL, err, errlen);
}
