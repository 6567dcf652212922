/* Through nginx: text answers come gzipped to clients that ask for it and
 * plain to the others, small ones stay plain, every page carries its CSRF
 * token masked afresh (so gzip cannot reveal it, BREACH), and the
 * favicon is served in both forms the layout links. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "support.h"

static const char PASSWORD[] = "Gzip-itest-passphrase-42";

/* GETs path anonymously, asking for gzip when gzip is true. */
static void get(const char *path, bool gzip, struct http_reply *r)
{
	const char *headers[] = {"Accept-Encoding: gzip", NULL};
	struct sess *s = sess_new();
	assert_int_equal(sess_request(s, "GET", path, gzip ? headers : NULL, NULL, NULL, 0, r), 0);
	sess_free(s);
	assert_int_equal(r->status, 200);
}

/* Returns r's body gunzipped (heap, NUL-terminated) with its length in
 * *len. Fails the test when it is no gzip stream. */
static char *gunzip(const struct http_reply *r, size_t *len)
{
	z_stream z = {0};
	assert_int_equal(inflateInit2(&z, 16 + MAX_WBITS), Z_OK);
	size_t cap = r->len * 20 + 1024;
	char *out = malloc(cap);
	z.next_in = (unsigned char *)r->body;
	z.avail_in = (uInt)r->len;
	z.next_out = (unsigned char *)out;
	z.avail_out = (uInt)(cap - 1);
	assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
	*len = z.total_out;
	out[*len] = '\0';
	inflateEnd(&z);
	return out;
}

/* Returns true when header name of r contains text. */
static bool header_has(const struct http_reply *r, const char *name, const char *text)
{
	char *value = http_header(r, name);
	bool yes = value && strstr(value, text);
	free(value);
	return yes;
}

/* Checks that path comes gzipped when asked, with Vary, decoding to what
 * a client that does not ask gets plain. Returns the plain body (heap). */
static char *check_gzipped(const char *path)
{
	struct http_reply zipped, plain;
	get(path, true, &zipped);
	get(path, false, &plain);
	assert_true(header_has(&zipped, "Content-Encoding", "gzip"));
	assert_true(header_has(&zipped, "Vary", "Accept-Encoding"));
	assert_null(http_header(&plain, "Content-Encoding"));
	assert_true(header_has(&plain, "Vary", "Accept-Encoding"));
	size_t len;
	char *text = gunzip(&zipped, &len);
	assert_true(zipped.len < len / 2);
	assert_int_equal(len, plain.len);
	assert_memory_equal(text, plain.body, len);
	free(text);
	char *body = strdup(plain.body);
	http_reply_free(&zipped);
	http_reply_free(&plain);
	return body;
}

static void pages_and_styles_are_gzipped_when_asked(void **state)
{
	(void)state;
	/* The catalogue: a large page, the same for every anonymous visitor. */
	char *page = check_gzipped("/pratiques");
	assert_non_null(strstr(page, "<!doctype html>"));
	const char *link = strstr(page, "<link rel=\"stylesheet\" href=\"");
	assert_non_null(link);
	link += strlen("<link rel=\"stylesheet\" href=\"");
	char css[256];
	snprintf(css, sizeof(css), "%.*s", (int)strcspn(link, "\""), link);
	free(check_gzipped(css));
	/* JSON too. */
	free(check_gzipped("/api/v1/openapi.json"));
	free(page);
}

static void small_answers_stay_plain(void **state)
{
	(void)state;
	struct http_reply r;
	get("/ping", true, &r);
	assert_true(r.len < 1024);
	assert_null(http_header(&r, "Content-Encoding"));
	http_reply_free(&r);
}

/* Returns the csrf field of a fresh GET of path by s (heap). */
static char *page_token(struct sess *s, const char *path)
{
	char *token = sess_csrf(s, path);
	assert_non_null(token);
	assert_int_equal(strlen(token), 64);
	return token;
}

/* Returns the status of s's sign-in as email with csrf as the form's
 * token. */
static long login_status(struct sess *s, const char *email, const char *csrf)
{
	char *escaped = url_escape(email), *body;
	assert_true(asprintf(&body, "email=%s&password=%s&csrf=%s", escaped, PASSWORD, csrf) > 0);
	struct http_reply r;
	assert_int_equal(sess_post(s, "/connexion", body, &r), 0);
	long status = r.status;
	http_reply_free(&r);
	free(body);
	free(escaped);
	return status;
}

static void every_page_masks_the_csrf_token_afresh(void **state)
{
	(void)state;
	char *email = unique_email("gzip-csrf");
	assert_int_equal(cli_user_add(email, "Test Compression", NULL, PASSWORD), 0);
	struct sess *s = sess_new(), *other = sess_new();
	char *first = page_token(s, "/connexion");
	char *second = page_token(s, "/connexion");
	char *theirs = page_token(other, "/connexion");
	/* No two pages repeat the secret bytes, yet both hold the token. */
	assert_string_not_equal(first, second);
	/* Another visitor's token does not pass for this one's. */
	assert_int_equal(login_status(s, email, theirs), 403);
	assert_int_equal(login_status(s, email, first), 303);
	free(first);
	free(second);
	free(theirs);
	sess_free(s);
	sess_free(other);
	free(email);
}

static void favicon_comes_in_both_forms(void **state)
{
	(void)state;
	struct http_reply home, ico, svg;
	get("/", false, &home);
	assert_non_null(strstr(home.body, "<link rel=\"icon\" href=\"/favicon.ico\""));
	assert_non_null(strstr(home.body, "<link rel=\"icon\" href=\"/favicon.svg\""));
	get("/favicon.ico", false, &ico);
	assert_true(ico.len > 6);
	assert_memory_equal(ico.body, "\0\0\1\0", 4); /* ICONDIR: an icon */
	assert_true(header_has(&ico, "Content-Type", "icon"));
	get("/favicon.svg", true, &svg);
	assert_true(header_has(&svg, "Content-Type", "image/svg+xml"));
	assert_true(header_has(&svg, "X-Content-Type-Options", "nosniff"));
	http_reply_free(&home);
	http_reply_free(&ico);
	http_reply_free(&svg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pages_and_styles_are_gzipped_when_asked),
		cmocka_unit_test(small_answers_stay_plain),
		cmocka_unit_test(every_page_masks_the_csrf_token_afresh),
		cmocka_unit_test(favicon_comes_in_both_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
