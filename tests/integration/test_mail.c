/* Mail: a message queued while the relay is down waits in the outbox, then
 * reaches the sink once it is back, exactly once. Talks to the database
 * directly and reads the sink's Maildir ($COUSILAB_VAR/mail). */
#include <dirent.h>
#include <mongoc/mongoc.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "mail/outbox.h"
#include "support.h"
#include "view/mustache.h"

static const char *const TEMPLATES[] = {"confirm", "reset", "password_changed", "account_exists"};

static struct mustache_set *load_views(void)
{
	char dir[4096], err[512];
	snprintf(dir, sizeof(dir), "%s/views", env_or("COUSILAB_SRC", "."));
	struct mustache_set *views = mustache_set_load_dir(dir, err, sizeof(err));
	if (!views)
		fail_msg("views: %s", err);
	return views;
}

static json_t *sample_data(void)
{
	return json_pack("{s:s, s:s, s:s, s:s}", "name", "Zoé <Testeuse>", "url",
			 "https://cousilab.example.org/lien?jeton=abc&x=1", "url_login",
			 "https://cousilab.example.org/connexion", "url_reset",
			 "https://cousilab.example.org/mot-de-passe");
}

/* Returns a copy of outbox document id (bson_destroy), or NULL. */
static bson_t *outbox_doc(mongoc_collection_t *outbox, const char *id)
{
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(id));
	mongoc_cursor_t *cursor = mongoc_collection_find_with_opts(outbox, filter, NULL, NULL);
	const bson_t *doc;
	bson_t *copy = mongoc_cursor_next(cursor, &doc) ? bson_copy(doc) : NULL;
	mongoc_cursor_destroy(cursor);
	bson_destroy(filter);
	return copy;
}

static const char *doc_str(const bson_t *doc, const char *key)
{
	bson_iter_t it;
	return bson_iter_init_find(&it, doc, key) && BSON_ITER_HOLDS_UTF8(&it)
		       ? bson_iter_utf8(&it, NULL)
		       : NULL;
}

static int doc_int(const bson_t *doc, const char *key)
{
	bson_iter_t it;
	return bson_iter_init_find(&it, doc, key) ? (int)bson_iter_as_int64(&it) : -1;
}

/* Returns how many messages in the sink's Maildir contain needle; the
 * text of the last one goes to *last (heap, or NULL) when last is not
 * NULL. */
static int count_mail(const char *needle, char **last)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/mail/new", env_or("COUSILAB_VAR", "var"));
	DIR *d = opendir(dir);
	int n = 0;
	if (last)
		*last = NULL;
	for (struct dirent *e; d && (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		char path[8192];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		FILE *f = fopen(path, "r");
		struct buf b = BUF_INIT;
		char chunk[4096];
		size_t got;
		while (f && (got = fread(chunk, 1, sizeof(chunk), f)) > 0)
			buf_append(&b, chunk, got);
		if (f)
			fclose(f);
		if (b.data && strstr(b.data, needle)) {
			n++;
			if (last) {
				free(*last);
				*last = b.data;
				continue;
			}
		}
		buf_free(&b);
	}
	if (d)
		closedir(d);
	return n;
}

/* Returns the decoded Subject header of a stored message (heap). */
static char *subject_of(const char *message)
{
	const char *p = strstr(message, "\nSubject: ");
	assert_non_null(p);
	p += strlen("\nSubject: ");
	struct buf out = BUF_INIT;
	buf_append(&out, "", 0);
	for (;;) {
		const char *eol = strchr(p, '\n');
		size_t n = (size_t)(eol - p) - (eol > p && eol[-1] == '\r');
		if (strncmp(p, "=?UTF-8?B?", 10) == 0) {
			const char *end = strstr(p, "?=");
			unsigned char raw[256];
			size_t len;
			assert_int_equal(sodium_base642bin(raw, sizeof(raw), p + 10,
							   (size_t)(end - p - 10), NULL, &len, NULL,
							   sodium_base64_VARIANT_ORIGINAL),
					 0);
			buf_append(&out, raw, len);
		} else {
			buf_append(&out, p, n);
		}
		if (eol[1] != ' ' && eol[1] != '\t')
			break;
		p = eol + 2;
	}
	return out.data;
}

static void mail_templates_render(void **state)
{
	(void)state;
	struct mustache_set *views = load_views();
	json_t *data = sample_data();
	const char *parts[] = {"subject", "txt", "html"};
	for (size_t i = 0; i < sizeof(TEMPLATES) / sizeof(*TEMPLATES); i++) {
		for (size_t j = 0; j < 3; j++) {
			char name[128];
			snprintf(name, sizeof(name), "mail/%s.%s", TEMPLATES[i], parts[j]);
			struct buf out = BUF_INIT;
			if (mustache_render(views, name, data, &out) != 0)
				fail_msg("no template %s", name);
			assert_true(out.len > 10);
			assert_null(strstr(out.data, "{{"));
			if (j == 1) {
				assert_non_null(strstr(out.data, "Zoé <Testeuse>"));
				assert_non_null(
					strstr(out.data, "L’équipe du Lab de la Sécurité sociale"));
			} else if (j == 2) {
				assert_non_null(strstr(out.data, "Zoé &lt;Testeuse&gt;"));
				assert_non_null(strstr(out.data, "<html lang=\"fr\">"));
			}
			buf_free(&out);
		}
	}
	json_decref(data);
	mustache_set_free(views);
}

static void relay_outage_delays_then_delivers_once(void **state)
{
	(void)state;
	char uri[256];
	snprintf(uri, sizeof(uri), "mongodb://127.0.0.1:%s/cousilab?serverSelectionTimeoutMS=3000",
		 env_or("COUSILAB_DB_PORT", "27019"));
	mongoc_client_t *client = mongoc_client_new(uri);
	assert_non_null(client);
	mongoc_client_set_error_api(client, MONGOC_ERROR_API_VERSION_2);
	mongoc_collection_t *outbox = mongoc_client_get_collection(client, "cousilab",
								   MAIL_COLLECTION);
	struct mustache_set *views = load_views();

	assert_int_equal(run_dev("smtp-stop"), 0);
	char token[25], to[64];
	mail_random_hex(token);
	snprintf(to, sizeof(to), "itest-%s@example.org", token);
	json_t *data = sample_data();
	bson_error_t error;
	if (mail_queue(client, "cousilab", views, to, "confirm", data, &error))
		fail_msg("mail_queue: %s", error.message);
	json_decref(data);

	/* Find our message and watch it fail while the relay is away. */
	bson_t *filter = BCON_NEW("to", BCON_UTF8(to));
	mongoc_cursor_t *cursor = mongoc_collection_find_with_opts(outbox, filter, NULL, NULL);
	const bson_t *found;
	assert_true(mongoc_cursor_next(cursor, &found));
	char id[25];
	snprintf(id, sizeof(id), "%s", doc_str(found, "_id"));
	mongoc_cursor_destroy(cursor);
	bson_destroy(filter);
	sleep(2);
	bool waiting = false;
	for (long long start = now_ms(); !waiting && now_ms() - start < 5000;) {
		bson_t *doc = outbox_doc(outbox, id);
		assert_non_null(doc);
		const char *status = doc_str(doc, "status");
		assert_true(strcmp(status, "pending") == 0 || strcmp(status, "sending") == 0);
		waiting = strcmp(status, "pending") == 0 && doc_int(doc, "attempts") >= 1 &&
			  doc_str(doc, "last_error");
		bson_destroy(doc);
		if (!waiting)
			usleep(100 * 1000);
	}
	assert_true(waiting);
	assert_int_equal(count_mail(to, NULL), 0);

	/* Back up: delivered within the backoff, exactly once. */
	assert_int_equal(run_dev("smtp-start"), 0);
	long long start = now_ms();
	while (count_mail(to, NULL) == 0 && now_ms() - start < 10000)
		usleep(100 * 1000);
	char *message;
	assert_int_equal(count_mail(to, &message), 1);
	print_message("delivered %lld ms after the relay came back\n", now_ms() - start);
	char *subject = subject_of(message);
	assert_string_equal(subject, "Confirmez votre adresse électronique");
	char message_id[64];
	snprintf(message_id, sizeof(message_id), "Message-ID: <%s@", id);
	assert_non_null(strstr(message, message_id));
	free(subject);
	free(message);
	bool sent = false;
	for (start = now_ms(); !sent && now_ms() - start < 3000;) {
		bson_t *doc = outbox_doc(outbox, id);
		assert_non_null(doc);
		sent = strcmp(doc_str(doc, "status"), "sent") == 0;
		bson_destroy(doc);
		if (!sent)
			usleep(100 * 1000);
	}
	assert_true(sent);
	sleep(2);
	assert_int_equal(count_mail(to, NULL), 1);

	mustache_set_free(views);
	mongoc_collection_destroy(outbox);
	mongoc_client_destroy(client);
}

/* Leaves the sink running for whatever comes next, even after a failure. */
static int restart_sink(void **state)
{
	(void)state;
	return run_dev("smtp-start");
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	mongoc_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mail_templates_render),
		cmocka_unit_test_teardown(relay_outage_delays_then_delivers_once, restart_sink),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	mongoc_cleanup();
	return rc;
}
