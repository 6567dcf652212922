/* Helpers for integration tests: they talk to the real stack (nginx, app,
 * FerretDB) started by ctest's fixture, described by COUSILAB_* variables. */
#ifndef COUSILAB_ITEST_SUPPORT_H
#define COUSILAB_ITEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <jansson.h>

#include <cmocka.h>

struct http_reply {
	long status;
	char *body; /* NUL-terminated, heap */
	size_t len;
	char *headers; /* raw header block, heap */
};

/* Sends one request through nginx; body may be NULL. Returns 0, or -1 when
 * no HTTP answer came at all. Fills r; free it with http_reply_free. */
int http_request(const char *method, const char *path, const char *content_type, const char *body,
		 size_t len, struct http_reply *r);
int http_get(const char *path, struct http_reply *r);
void http_reply_free(struct http_reply *r);

/* Returns a heap copy of header name's value in r (case-insensitive), or
 * NULL. */
char *http_header(const struct http_reply *r, const char *name);

/* Returns $name or def. */
const char *env_or(const char *name, const char *def);

/* Runs `deploy/dev cmd` with the test stack's environment; returns its exit
 * status. */
int run_dev(const char *cmd);

/* Returns the PID recorded in $COUSILAB_VAR/run/NAME.pid, or -1. */
pid_t read_pid(const char *name);

/* Returns the stack app's log size in bytes, a mark for app_log_since. */
long app_log_size(void);

/* Returns the lines of the stack app's log written after byte from that
 * contain a and b (b may be NULL), joined (heap, "" when none). */
char *app_log_since(long from, const char *a, const char *b);

/* Returns milliseconds from a monotonic clock. */
long long now_ms(void);

/* Polls path every 100 ms until it answers status or timeout_ms passes;
 * returns the elapsed milliseconds, or -1 on timeout. */
long long wait_for_status(const char *path, long status, long timeout_ms);

/* ---- Pages, cookies, accounts ---- */

/* Returns the value attribute of the first input named name in html (heap,
 * entities left as sent), or NULL. */
char *html_input_value(const char *html, const char *name);

/* Asserts that the organisation picker named field in html shows code as
 * chosen (its first input of that name: the hidden code, or a ticked box). */
void assert_chosen(const char *html, const char *field, const char *code);

/* Returns the text of field's error paragraph (id="<field>-error") in
 * html (heap), or NULL when the field has none. */
char *html_field_error(const char *html, const char *field);

/* Returns the last Set-Cookie header of r for cookie name (the one a
 * browser keeps), whole with its attributes (heap), or NULL. */
char *http_set_cookie(const struct http_reply *r, const char *name);

/* Returns the value that r's Set-Cookie gives cookie name (heap), or NULL. */
char *http_cookie_value(const struct http_reply *r, const char *name);

/* Returns s percent-encoded for a form body or a query (heap). */
char *url_escape(const char *s);

/* Returns the test database's URI (static): $MONGODB_URI when set (the
 * stack then uses that server), else FerretDB on $COUSILAB_DB_PORT. */
const char *test_db_uri(void);

/* Freezes the app's deadline clock (core/clock.h) at instant, an RFC 3339
 * UTC text such as "2023-04-17T21:59:59Z", for every app process of the
 * test stack, until test_clock_clear. Fails the test when it cannot. */
void test_clock_set(const char *instant);
void test_clock_clear(void);

/* A signed-in test account: a browser session and an API token. */
struct test_account {
	char *email, *token;
	struct sess *s;
};

/* Makes an active account named name (role NULL: agent) whose password is
 * password, signs it in and gives it an API token; fails the test when it
 * cannot. Free with test_account_free. */
void test_account_new(struct test_account *a, const char *tag, const char *name, const char *role,
		      const char *password);
void test_account_free(struct test_account *a);

/* Returns the next year to try for a new Défi edition: it walks the
 * rules' 2030..2100 from a per-process start and wraps, so 71 calls try
 * every year once whatever the pid. */
int test_year_next(void);

/* Creates an edition (Défi or Grand Prix: path is "/api/v1/defi/editions"
 * or "/api/v1/gpi/editions") through the API as token at the first free
 * year: build(year, arg) gives its JSON (owned; freed here). Fails the
 * test when every year is taken. Returns the year. */
int test_edition_new(const char *token, const char *path, json_t *(*build)(int year, void *arg),
		     void *arg);

/* Returns the API JSON of a Grand Prix edition of year with 2022's rules
 * shifted to it: launch on 10 January 00:00 Paris, deadline on 1 April
 * 23:30 Paris (year-04-01T21:30:00Z), realisations started from year-3
 * to year-1, 2022's phases, 5 Mo / 500 Mo / 180 s, 5 000 €, the six
 * categories' codes ("relation-usagers", "sociale", "environnementale",
 * "territoriale", "rh", "rsi") and two criteria. New reference. */
json_t *test_gpi_edition_json(int year);

/* test_edition_new of test_gpi_edition_json, as token (a secretariat's
 * or an admin's). Returns the year. */
int test_gpi_edition_new(const char *token);

/* Returns an address no other run uses: "<tag>-<pid>-<n>@example.org"
 * (heap). */
char *unique_email(const char *tag);

/* Runs `$COUSILAB_BUILD/cousilab args...` (args NULL-terminated) on the
 * test database with input on its stdin (may be NULL); its stdout goes to
 * *output (heap) when output is not NULL. Returns its exit status, or -1. */
int cli_run(const char *const *args, const char *input, char **output);

/* Creates an active account in organisation caf-31 with `cousilab user
 * add`; role NULL means a plain agent. Returns the exit status (0: made). */
int cli_user_add(const char *email, const char *name, const char *role, const char *password);

/* Returns a new API token for email's account (heap), or NULL. */
char *cli_token_create(const char *email, const char *label);

typedef struct _mongoc_collection_t mongoc_collection_t;

/* Returns a new handle on collection in the test database, through one
 * client shared by the test (not thread-safe: one thread at a time), or
 * NULL when no client could be made. The caller destroys it
 * (mongoc_collection_destroy). */
mongoc_collection_t *mongo_collection(const char *name);

/* Returns how many documents of collection match json_filter (extended
 * JSON, test-made), or -1 on error. */
long long mongo_count(const char *collection, const char *json_filter);

/* Deletes the documents of collection matching json_filter, in batches
 * (db_delete_batched). Returns how many, or -1 on error. */
long long mongo_delete(const char *collection, const char *json_filter);

/* Purges every record of scope's change log in collection (hint in meta
 * under hint_prefix; db/changelog.h) written until now, as the app's
 * refresher purges those an hour old. Fails the test when there was
 * nothing to purge or the database failed. */
void test_changelog_purge(const char *collection, const char *hint_prefix, const char *scope);

/* Returns how many messages in the SMTP sink's Maildir
 * ($COUSILAB_VAR/mail/new) contain needle. */
int maildir_count(const char *needle);

/* Collects, from the messages to `to` in the SMTP sink's Maildir (their
 * quoted-printable decoded), the tokens of the links that contain
 * prefix ("/mot-de-passe/nouveau?jeton="): the hex digits after it. Waits
 * up to 10 s for at least `want` of them. Returns how many were stored
 * in out (heap strings, at most max), in no particular order. */
int maildir_tokens(const char *to, const char *prefix, int want, char **out, int max);

/* ---- Pacing and addresses for rate-limit tests ---- */

/* Waits until the current fixed window of window_s seconds (the app's
 * rate-limit windows are aligned on the wall clock) has at least need_s
 * seconds left, so that a test's steps fall in one window. */
void wait_for_window_room(long window_s, long need_s);

/* Returns the loopback address 127.<run>.<group>.<n>, where run comes
 * from the PID: a client IP of the test's own, as nginx sees it (see
 * sess_set_source). Static storage, the last 8 per thread. */
const char *loopback_ip(int group, int n);

/* ---- Browser-like sessions: one libcurl handle with its cookie jar ---- */

struct sess;

/* Returns a new session with an empty jar; free it with sess_free. */
struct sess *sess_new(void);
void sess_free(struct sess *s);

/* Makes s connect from the loopback address ip ("127.0.0.N"...), so the
 * app, through nginx, sees another client IP. */
void sess_set_source(struct sess *s, const char *ip);

/* Like http_request, with the jar's cookies sent and updated; headers is
 * a NULL-terminated list of extra header lines, or NULL. */
int sess_request(struct sess *s, const char *method, const char *path, const char *const *headers,
		 const char *content_type, const char *body, size_t len, struct http_reply *r);
int sess_get(struct sess *s, const char *path, struct http_reply *r);

/* GETs path, asserts a 200 and returns its body (heap). */
char *sess_page(struct sess *s, const char *path);

/* Returns the message the API's 422 answer err gives for field
 * (err.error.fields[field]), or NULL when it names none. Borrowed. */
const char *api_field_error(const json_t *err, const char *field);

/* Returns the page at path for s once it is a 200 that contains needle
 * (the page cache keeps a page a second at most, and a test clock moved
 * shows on the next build), or fails the test. Heap body. */
char *sess_page_with(struct sess *s, const char *path, const char *needle);

/* POSTs body as an urlencoded form. */
int sess_post(struct sess *s, const char *path, const char *body, struct http_reply *r);

/* One part of a multipart/form-data body: a text field, or a file (sent
 * as application/pdf) when filename is set. */
struct mpart {
	const char *name;
	const char *value; /* text, or file bytes */
	size_t len;        /* file bytes only */
	const char *filename;
};

/* POSTs the multipart body of parts (n of them) to path as s, with extra
 * headers (NULL-terminated, may be NULL) and the token csrf as the body's
 * first field when not NULL. Fails the test when no answer comes. */
void sess_post_parts(struct sess *s, const char *path, const char *const *headers, const char *csrf,
		     const struct mpart *parts, size_t n, struct http_reply *r);

/* GETs path and returns its hidden "csrf" field (heap), or NULL. */
char *sess_csrf(struct sess *s, const char *path);

/* Creates an account (tag makes its unique address; role may be NULL)
 * with password through the CLI and returns a session signed in as it.
 * Fails the test otherwise. Free with sess_free. */
struct sess *sess_signed_in(const char *tag, const char *name, const char *role,
			    const char *password);

/* Sends one API request with a bearer token (NULL: anonymous) and a JSON
 * body (may be NULL) in a fresh session. Returns the status and fills r
 * (free with http_reply_free). Fails the test when no answer comes. */
long api_request(const char *token, const char *method, const char *path, const json_t *body,
		 struct http_reply *r);

/* api_request, with *out (when out is not NULL) the answer parsed as JSON
 * (new reference, NULL when it is not JSON). Returns the status. */
long api_json(const char *token, const char *method, const char *path, const json_t *body,
	      json_t **out);

/* POSTs the name/value pairs that follow r (NULL-terminated, values
 * URL-escaped here) to path as a form, with the csrf field read from a
 * fresh GET of csrf_page. Fails the test when no answer comes. */
void sess_post_form(struct sess *s, const char *csrf_page, const char *path, struct http_reply *r,
		    ...);

/* Returns the value of cookie name in the jar (heap), or NULL. */
char *sess_cookie(struct sess *s, const char *name);

/* Puts cookie name=value in the jar, replacing any of that name. */
void sess_set_cookie(struct sess *s, const char *name, const char *value);

/* Signs in through /connexion (its form, csrf included). Returns the HTTP
 * status: 303 on success. */
long sess_login(struct sess *s, const char *email, const char *password);

/* Returns the id of the account s is signed in as, from /api/v1/me
 * (heap). Fails the test when s is not signed in. */
char *sess_user_id(struct sess *s);

/* ---- Raw FastCGI: a private app instance, without nginx ---- */

struct fcgi_app {
	pid_t pid;
	char socket[108]; /* sizeof(sockaddr_un.sun_path) */
};

/* Starts `cousilab serve` on $COUSILAB_VAR/run/<name>.sock against the
 * test database and mail sink, with env ("NAME=value", NULL-terminated,
 * may be NULL) added; its output goes to $COUSILAB_VAR/log/<name>.log and
 * it dies with the test. Waits for the socket. Returns 0, or -1. */
int fcgi_start(struct fcgi_app *app, const char *name, const char *const *env);

/* Returns app's exit status once it ends, or -1 after killing it when it
 * runs past limit_ms. */
int fcgi_wait_exit(struct fcgi_app *app, long limit_ms);

/* Sends SIGTERM and returns fcgi_wait_exit(app, 5000). */
int fcgi_stop(struct fcgi_app *app);

/* Returns a socket connected to app, or -1. */
int fcgi_connect(const struct fcgi_app *app);

/* Sends BEGIN_REQUEST (responder, id 1) then params ("NAME=value",
 * NULL-terminated) and the empty PARAMS record. Returns 0, or -1. */
int fcgi_begin(int fd, const char *const *params);

/* Sends len bytes of body as STDIN records; len 0 ends the body.
 * Returns 0, or -1. */
int fcgi_stdin(int fd, const void *data, size_t len);

/* Reads records until END_REQUEST and fills r from the STDOUT stream
 * (status from its Status header). Returns 0, or -1 when the connection
 * ended first. */
int fcgi_read_reply(int fd, struct http_reply *r);

/* Returns whether GET path on app, with params (NULL-terminated, may be
 * NULL), answers 200 with needle in its body; fails the test on another
 * status. */
bool fcgi_get_shows(const struct fcgi_app *app, const char *path, const char *const *params,
		    const char *needle);

/* One whole request on a new connection: params (may be NULL) come after
 * REQUEST_METHOD, REQUEST_URI and, with a body, CONTENT_TYPE and
 * CONTENT_LENGTH. Returns 0, or -1. */
int fcgi_request(const struct fcgi_app *app, const char *method, const char *uri,
		 const char *const *params, const char *content_type, const char *body, size_t len,
		 struct http_reply *r);

/* An account made for a test, signed in, with an API token. */
struct agent {
	char *email, *name, *id, *token;
	struct sess *s;
};

/* Makes an active account of organisation org named after tag (role
 * NULL: agent) with password through the CLI, signs it in and gives it an
 * API token. Fails the test otherwise. Free with agent_free. */
void agent_new(struct agent *a, const char *tag, const char *org, const char *role,
	       const char *password);
void agent_free(struct agent *a);

#endif
