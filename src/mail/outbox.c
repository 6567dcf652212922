#include "mail/outbox.h"

#include <errno.h>
#include <mongoc/mongoc.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "db/lookup.h"
#include "mail/smtp.h"
#include "view/mustache.h"

enum {
	MAX_TEMPLATE_NAME = 200,
	BACKOFF_CAP_MS = 3600 * 1000,
};

/* Returns a heap copy of $name, or of def (NULL stays NULL) when it is
 * unset or empty. */
static char *env_string(const char *name, const char *def)
{
	const char *v = getenv(name);
	if (!v || !*v)
		v = def;
	return v ? xstrdup(v) : NULL;
}

/* Returns $name as a number within [min, max], or def, logging why, when
 * it is set to anything else. */
static long env_long(const char *name, long def, long min, long max)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return def;
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || *end || n < min || n > max) {
		log_error(NULL, "mail: %s=%s is not a number in [%ld, %ld], using %ld", name, v,
			  min, max, def);
		return def;
	}
	return n;
}

void mail_config_from_env(struct mail_config *cfg)
{
	cfg->smtp_url = env_string("COUSILAB_SMTP_URL", "smtp://127.0.0.1:2525");
	cfg->smtp_user = env_string("COUSILAB_SMTP_USER", NULL);
	cfg->smtp_password = env_string("COUSILAB_SMTP_PASSWORD", NULL);
	const char *tls = getenv("COUSILAB_SMTP_STARTTLS");
	cfg->starttls = tls && strcmp(tls, "1") == 0;
	cfg->from = env_string("COUSILAB_MAIL_FROM",
			       "Cousilab <ne-pas-repondre@cousilab.example.org>");
	cfg->retry_base_ms = env_long("COUSILAB_MAIL_RETRY_BASE_MS", 30000, 1, BACKOFF_CAP_MS);
	cfg->max_attempts = (int)env_long("COUSILAB_MAIL_MAX_ATTEMPTS", 12, 1, 1000);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void mail_config_copy(struct mail_config *dst, const struct mail_config *src)
{
	*dst = *src;
	dst->smtp_url = dup_or_null(src->smtp_url);
	dst->smtp_user = dup_or_null(src->smtp_user);
	dst->smtp_password = dup_or_null(src->smtp_password);
	dst->from = dup_or_null(src->from);
}

void mail_config_free(struct mail_config *cfg)
{
	free(cfg->smtp_url);
	free(cfg->smtp_user);
	if (cfg->smtp_password)
		sodium_memzero(cfg->smtp_password, strlen(cfg->smtp_password));
	free(cfg->smtp_password);
	free(cfg->from);
	memset(cfg, 0, sizeof(*cfg));
}

long mail_backoff_ms(long base_ms, int attempts)
{
	if (base_ms <= 0)
		return 0;
	long delay = base_ms < BACKOFF_CAP_MS ? base_ms : BACKOFF_CAP_MS;
	for (int i = 1; i < attempts && delay < BACKOFF_CAP_MS; i++)
		delay = delay > BACKOFF_CAP_MS / 2 ? BACKOFF_CAP_MS : delay * 2;
	return delay;
}

int64_t mail_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void mail_random_hex(char out[25])
{
	unsigned char raw[12];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, 25, raw, sizeof(raw));
}

/* Folds every run of whitespace and control characters in b to one space
 * and trims both ends: a subject is one line whatever the data held. */
static void fold_line(struct buf *b)
{
	size_t n = 0;
	bool space = false;
	for (size_t i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->data[i];
		if (c <= ' ' || c == 0x7f) {
			space = n > 0;
			continue;
		}
		if (space)
			b->data[n++] = ' ';
		space = false;
		b->data[n++] = (char)c;
	}
	b->len = n;
	b->data[n] = '\0';
}

/* Appends the rendering of "mail/<tpl>.<part>" to out. Returns 0, or -1
 * when there is no such template or it is not valid UTF-8. */
static int render_part(const struct mustache_set *views, const char *tpl, const char *part,
		       const json_t *data, struct buf *out)
{
	char name[MAX_TEMPLATE_NAME + 16];
	if (strlen(tpl) > MAX_TEMPLATE_NAME)
		return -1;
	snprintf(name, sizeof(name), "mail/%s.%s", tpl, part);
	if (mustache_render(views, name, data, out))
		return -1;
	return utf8_valid(out->data, out->len) ? 0 : -1;
}

/* Inserts the pending message, under id when given (NULL: a random
 * one); returns 0, 1 when a message id exists already, or -1 with error
 * set. */
static int insert_pending(mongoc_client_t *client, const char *dbname, const char *given_id,
			  const char *to, const char *template_name, const struct buf *subject,
			  const struct buf *text, const struct buf *html, bson_error_t *error)
{
	char random_id[25];
	mail_random_hex(random_id);
	const char *id = given_id ? given_id : random_id;
	int64_t now = mail_now_ms();
	bson_t doc = BSON_INITIALIZER;
	BSON_APPEND_UTF8(&doc, "_id", id);
	BSON_APPEND_UTF8(&doc, "to", to);
	bson_append_utf8(&doc, "subject", -1, subject->data, (int)subject->len);
	bson_append_utf8(&doc, "text", -1, text->data, (int)text->len);
	bson_append_utf8(&doc, "html", -1, html->data, (int)html->len);
	BSON_APPEND_UTF8(&doc, "template", template_name);
	BSON_APPEND_UTF8(&doc, "status", "pending");
	BSON_APPEND_INT32(&doc, "attempts", 0);
	BSON_APPEND_DATE_TIME(&doc, "next_attempt_at", now);
	BSON_APPEND_DATE_TIME(&doc, "created_at", now);
	BSON_APPEND_NULL(&doc, "last_error");
	mongoc_collection_t *outbox = mongoc_client_get_collection(client, dbname, MAIL_COLLECTION);
	bool ok = mongoc_collection_insert_one(outbox, &doc, NULL, NULL, error);
	mongoc_collection_destroy(outbox);
	bson_destroy(&doc);
	/* Listed under its recipient for the account's data export; the mail
	 * goes out either way. */
	char list[320];
	bson_error_t list_error;
	snprintf(list, sizeof(list), "mail_to:%s", to);
	if (ok && lookup_add_id_client(client, dbname, list, id, &list_error))
		log_error(NULL, "mail %s not listed under its recipient: %s", id,
			  list_error.message);
	if (!ok && given_id && error->code == 11000) /* duplicate key: queued before */
		return 1;
	return ok ? 0 : -1;
}

int mail_queue(mongoc_client_t *client, const char *dbname, const struct mustache_set *views,
	       const char *to, const char *template_name, const json_t *data, bson_error_t *error)
{
	return mail_queue_once(client, dbname, views, NULL, to, template_name, data, error);
}

int mail_queue_once(mongoc_client_t *client, const char *dbname, const struct mustache_set *views,
		    const char *id, const char *to, const char *template_name, const json_t *data,
		    bson_error_t *error)
{
	/* The id also seeds the Message-ID and the MIME boundary (smtp.c). */
	size_t id_len = id ? strlen(id) : 0;
	bool id_chars_ok = id_len == strspn(id ? id : "", "abcdefghijklmnopqrstuvwxyz"
							"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
							"0123456789._-");
	if (id && (id_len == 0 || id_len > 64 || !id_chars_ok)) {
		bson_set_error(error, MAIL_ERROR_DOMAIN, MAIL_ERROR_ID, "invalid message id");
		return -1;
	}
	if (!mail_address_valid(to)) {
		bson_set_error(error, MAIL_ERROR_DOMAIN, MAIL_ERROR_ADDRESS,
			       "invalid recipient address");
		return -1;
	}
	if (data && !json_is_object(data)) {
		bson_set_error(error, MAIL_ERROR_DOMAIN, MAIL_ERROR_TEMPLATE,
			       "mail data must be a JSON object");
		return -1;
	}
	struct buf subject = BUF_INIT, text = BUF_INIT, html = BUF_INIT;
	/* A shallow copy: the bodies may show the subject (HTML <title>). */
	json_t *ctx = data ? json_copy((json_t *)data) : json_object();
	int rc = render_part(views, template_name, "subject", data, &subject);
	if (rc == 0) {
		fold_line(&subject);
		json_object_set_new(ctx, "subject", json_stringn(subject.data, subject.len));
		rc = render_part(views, template_name, "txt", ctx, &text);
	}
	if (rc == 0)
		rc = render_part(views, template_name, "html", ctx, &html);
	if (rc)
		bson_set_error(error, MAIL_ERROR_DOMAIN, MAIL_ERROR_TEMPLATE,
			       "unknown or invalid mail template \"%.64s\"", template_name);
	else
		rc = insert_pending(client, dbname, id, to, template_name, &subject, &text, &html,
				    error);
	json_decref(ctx);
	buf_free(&subject);
	buf_free(&text);
	buf_free(&html);
	return rc;
}
