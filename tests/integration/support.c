#include "support.h"

#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <mongoc/mongoc.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "db/batch.h"
#include "db/changelog.h"
#include "db/db.h"
#include "db/doc.h"

const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);
	return v && *v ? v : def;
}

long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct sink {
	char *data;
	size_t len;
};

static size_t collect(char *p, size_t size, size_t n, void *ctx)
{
	struct sink *s = ctx;
	size_t add = size * n;
	char *grown = realloc(s->data, s->len + add + 1);
	if (!grown)
		return 0;
	s->data = grown;
	memcpy(s->data + s->len, p, add);
	s->len += add;
	s->data[s->len] = '\0';
	return add;
}

/* Runs one request on c, a handle a session may reuse for its cookies:
 * every option a previous request set is set again. headers is a
 * NULL-terminated list of extra header lines, or NULL. */
static int perform(CURL *c, const char *method, const char *path, const char *const *headers,
		   const char *content_type, const char *body, size_t len, struct http_reply *r)
{
	memset(r, 0, sizeof(*r));
	char url[4096];
	snprintf(url, sizeof(url), "%s%s", env_or("COUSILAB_BASE_URL", "http://127.0.0.1:18080"),
		 path);
	struct sink b = {0}, h = {0};
	struct curl_slist *hdrs = NULL;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &h);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	} else {
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	}
	/* After HTTPGET, which clears NOBODY. */
	curl_easy_setopt(c, CURLOPT_NOBODY, strcmp(method, "HEAD") == 0 ? 1L : 0L);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (content_type) {
		char line[512];
		snprintf(line, sizeof(line), "Content-Type: %s", content_type);
		hdrs = curl_slist_append(hdrs, line);
	}
	for (size_t i = 0; headers && headers[i]; i++)
		hdrs = curl_slist_append(hdrs, headers[i]);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	CURLcode rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(hdrs);
	r->body = b.data ? b.data : calloc(1, 1);
	r->len = b.len;
	r->headers = h.data ? h.data : calloc(1, 1);
	return rc == CURLE_OK ? 0 : -1;
}

int http_request(const char *method, const char *path, const char *content_type, const char *body,
		 size_t len, struct http_reply *r)
{
	CURL *c = curl_easy_init();
	int rc = perform(c, method, path, NULL, content_type, body, len, r);
	curl_easy_cleanup(c);
	return rc;
}

int http_get(const char *path, struct http_reply *r)
{
	return http_request("GET", path, NULL, NULL, 0, r);
}

void http_reply_free(struct http_reply *r)
{
	free(r->body);
	free(r->headers);
	memset(r, 0, sizeof(*r));
}

char *http_header(const struct http_reply *r, const char *name)
{
	size_t n = strlen(name);
	for (const char *line = r->headers; line && *line;) {
		const char *end = strstr(line, "\r\n");
		if (!end)
			break;
		if (strncasecmp(line, name, n) == 0 && line[n] == ':') {
			const char *v = line + n + 1;
			while (*v == ' ')
				v++;
			return strndup(v, (size_t)(end - v));
		}
		line = end + 2;
	}
	return NULL;
}

int run_dev(const char *cmd)
{
	char line[4096];
	snprintf(line, sizeof(line), "'%s/deploy/dev' %s >>'%s/log/dev-from-tests.log' 2>&1",
		 env_or("COUSILAB_SRC", "."), cmd, env_or("COUSILAB_VAR", "var"));
	int rc = system(line);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

pid_t read_pid(const char *name)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/run/%s.pid", env_or("COUSILAB_VAR", "var"), name);
	FILE *f = fopen(path, "r");
	long pid = -1;
	if (f) {
		if (fscanf(f, "%ld", &pid) != 1)
			pid = -1;
		fclose(f);
	}
	return (pid_t)pid;
}

long long wait_for_status(const char *path, long status, long timeout_ms)
{
	long long start = now_ms();
	while (now_ms() - start <= timeout_ms) {
		struct http_reply r;
		http_get(path, &r);
		long got = r.status;
		http_reply_free(&r);
		if (got == status)
			return now_ms() - start;
		usleep(100 * 1000);
	}
	return -1;
}

/* ---- Pages, cookies, accounts ---- */

/* Returns a heap copy of the text from start up to the first stop, or
 * NULL when there is no stop. */
static char *copy_until(const char *start, const char *stop)
{
	const char *end = strstr(start, stop);
	return end ? strndup(start, (size_t)(end - start)) : NULL;
}

char *html_input_value(const char *html, const char *name)
{
	char attr[256];
	snprintf(attr, sizeof(attr), "name=\"%s\"", name);
	for (const char *p = strstr(html, attr); p; p = strstr(p + 1, attr)) {
		const char *tag = p;
		while (tag > html && *tag != '<')
			tag--;
		const char *close = strchr(p, '>');
		const char *v = strstr(tag, " value=\"");
		if (strncmp(tag, "<input", 6) == 0 && close && v && v < close)
			return copy_until(v + 8, "\"");
	}
	return NULL;
}

void assert_chosen(const char *html, const char *field, const char *code)
{
	char *value = html_input_value(html, field);
	assert_non_null(value);
	assert_string_equal(value, code);
	free(value);
}

char *html_field_error(const char *html, const char *field)
{
	char open[256];
	snprintf(open, sizeof(open), "<p class=\"field-error\" id=\"%s-error\">", field);
	const char *p = strstr(html, open);
	return p ? copy_until(p + strlen(open), "</p>") : NULL;
}

char *http_set_cookie(const struct http_reply *r, const char *name)
{
	size_t n = strlen(name);
	char *last = NULL;
	for (const char *line = r->headers; line && *line;) {
		const char *end = strstr(line, "\r\n");
		if (!end)
			break;
		if (strncasecmp(line, "Set-Cookie: ", 12) == 0 &&
		    strncmp(line + 12, name, n) == 0 && line[12 + n] == '=') {
			free(last);
			last = strndup(line + 12, (size_t)(end - line - 12));
		}
		line = end + 2;
	}
	return last;
}

char *http_cookie_value(const struct http_reply *r, const char *name)
{
	char *line = http_set_cookie(r, name);
	if (!line)
		return NULL;
	char *v = line + strlen(name) + 1;
	char *value = strndup(v, strcspn(v, ";"));
	free(line);
	return value;
}

char *url_escape(const char *s)
{
	char *e = curl_easy_escape(NULL, s, (int)strlen(s));
	char *out = strdup(e);
	curl_free(e);
	return out;
}

/* Returns the test clock's file, named by the stack's environment. */
static const char *test_clock_file(void)
{
	const char *path = getenv("COUSILAB_TEST_CLOCK_FILE");
	assert_non_null(path);
	return path;
}

void test_clock_set(const char *instant)
{
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.%d", test_clock_file(), (int)getpid());
	FILE *f = fopen(tmp, "w");
	assert_non_null(f);
	fprintf(f, "%s\n", instant);
	assert_int_equal(fclose(f), 0);
	/* Atomic: an app thread never reads half an instant. */
	assert_int_equal(rename(tmp, test_clock_file()), 0);
}

void test_clock_clear(void)
{
	if (unlink(test_clock_file()) != 0)
		assert_int_equal(errno, ENOENT);
}

void test_account_new(struct test_account *a, const char *tag, const char *name, const char *role,
		      const char *password)
{
	a->email = unique_email(tag);
	assert_int_equal(cli_user_add(a->email, name, role, password), 0);
	a->s = sess_new();
	assert_int_equal(sess_login(a->s, a->email, password), 303);
	a->token = cli_token_create(a->email, "tests");
	assert_non_null(a->token);
}

void test_account_free(struct test_account *a)
{
	sess_free(a->s);
	free(a->email);
	free(a->token);
}

int test_year_next(void)
{
	enum { FIRST = 2030, LAST = 2100 };
	static int next;
	if (!next)
		next = FIRST + (int)(getpid() % (LAST - FIRST + 1));
	int year = next;
	next = year == LAST ? FIRST : year + 1;
	return year;
}

int test_edition_new(const char *token, const char *path, json_t *(*build)(int year, void *arg),
		     void *arg)
{
	for (int tries = 0; tries <= 2100 - 2030; tries++) {
		int year = test_year_next();
		json_t *e = build(year, arg), *out = NULL;
		long status = api_json(token, "POST", path, e, &out);
		json_decref(e);
		if (status == 201) {
			assert_int_equal(json_integer_value(json_object_get(out, "year")), year);
			json_decref(out);
			return year;
		}
		assert_int_equal(status, 422); /* the year is taken by another test */
		json_decref(out);
	}
	fail_msg("no free year for an edition at %s", path);
	return 0;
}

json_t *test_gpi_edition_json(int year)
{
	static const char *const CODES[] = {"relation-usagers", "sociale", "environnementale",
					    "territoriale",     "rh",      "rsi"};
	static const char *const PHASES[][3] = {
		{"analysis", "04-03T22:00:00Z", "05-25T21:59:59Z"},
		{"preselection", "05-29T22:00:00Z", "06-24T21:59:59Z"},
		{"notification", "06-30T22:00:00Z", "07-01T21:59:59Z"},
		{"audition", "10-02T22:00:00Z", "10-03T21:59:59Z"},
		{"ceremony", "10-03T22:00:00Z", "10-04T21:59:59Z"},
	};
	char buf[64], title[64];
	snprintf(title, sizeof(title), "Grand Prix de l’innovation %d", year);
	json_t *categories = json_array(), *phases = json_object();
	for (size_t i = 0; i < sizeof(CODES) / sizeof(*CODES); i++)
		json_array_append_new(categories, json_pack("{s:s, s:s, s:s}", "code", CODES[i],
							    "name", CODES[i], "description",
							    "Une catégorie du concours."));
	for (size_t i = 0; i < sizeof(PHASES) / sizeof(*PHASES); i++) {
		char start[32], end[32];
		snprintf(start, sizeof(start), "%d-%s", year, PHASES[i][1]);
		snprintf(end, sizeof(end), "%d-%s", year, PHASES[i][2]);
		json_object_set_new(phases, PHASES[i][0],
				    json_pack("{s:s, s:s}", "start", start, "end", end));
	}
	json_t *e = json_pack("{s:i, s:s, s:o, s:o, s:{s:i, s:i, s:i}, s:i, s:{s:s, s:s}, s:s, "
			      "s:[{s:s, s:s, s:i}, {s:s, s:s, s:i}]}",
			      "year", year, "title", title, "categories", categories, "phases",
			      phases, "limits", "dossier_max_bytes", 5 * 1024 * 1024,
			      "video_max_bytes", 500 * 1024 * 1024, "video_max_seconds", 180,
			      "gold_endowment_eur", 5000, "contact", "name",
			      "Secrétariat du Grand Prix", "email", "gpi-secu@example.org", "rules",
			      "## Article 1\n\nLe **règlement**.", "criteria", "code", "objectifs",
			      "label", "Clarté et pertinence des objectifs", "weight", 1, "code",
			      "resultats", "label", "Résultats mesurables", "weight", 1);
	snprintf(buf, sizeof(buf), "%d-01-09T23:00:00Z", year);
	json_object_set_new(e, "launch_at", json_string(buf));
	snprintf(buf, sizeof(buf), "%d-04-01T21:30:00Z", year);
	json_object_set_new(e, "deadline_at", json_string(buf));
	snprintf(buf, sizeof(buf), "%d-01-01", year - 3);
	json_object_set_new(e, "window_start", json_string(buf));
	snprintf(buf, sizeof(buf), "%d-12-31", year - 1);
	json_object_set_new(e, "window_end", json_string(buf));
	return e;
}

static json_t *gpi_edition_built(int year, void *arg)
{
	(void)arg;
	return test_gpi_edition_json(year);
}

int test_gpi_edition_new(const char *token)
{
	return test_edition_new(token, "/api/v1/gpi/editions", gpi_edition_built, NULL);
}

const char *api_field_error(const json_t *err, const char *field)
{
	return json_string_value(
		json_object_get(json_object_get(json_object_get(err, "error"), "fields"), field));
}

char *sess_page_with(struct sess *s, const char *path, const char *needle)
{
	for (int tries = 0; tries < 30; tries++) {
		struct http_reply r;
		assert_int_equal(sess_get(s, path, &r), 0);
		if (r.status == 200 && strstr(r.body, needle)) {
			char *body = strdup(r.body);
			http_reply_free(&r);
			return body;
		}
		http_reply_free(&r);
		usleep(100 * 1000);
	}
	fail_msg("%s never showed « %s »", path, needle);
	return NULL;
}

const char *test_db_uri(void)
{
	static char uri[256];
	const char *external = getenv("MONGODB_URI");
	if (external && *external)
		return external;
	snprintf(uri, sizeof(uri), "mongodb://127.0.0.1:%s/cousilab?serverSelectionTimeoutMS=3000",
		 env_or("COUSILAB_DB_PORT", "27019"));
	return uri;
}

void test_changelog_purge(const char *collection, const char *hint_prefix, const char *scope)
{
	/* Only the collection and the hint are read: the field naming the
	 * documents is no purge's business. */
	const struct changelog log = {collection, hint_prefix, "id"};
	char err[256];
	struct db *pools = db_open(test_db_uri(), 2, err, sizeof(err));
	if (!pools)
		fail_msg("opening the test database: %s", err);
	struct db_ctx *db = db_ctx_open(pools, "test");
	bson_error_t error;
	long deleted, total = 0;
	while ((deleted = changelog_purge(db, &log, scope, doc_now_ms() + 1000, &error)) > 0)
		total += deleted;
	if (deleted < 0)
		fail_msg("purging %s:%s: %s", collection, scope, error.message);
	db_ctx_close(db);
	db_close(pools);
	if (total == 0)
		fail_msg("nothing to purge in %s:%s", collection, scope);
}

char *unique_email(const char *tag)
{
	static int n;
	char *email;
	if (asprintf(&email, "%s-%ld-%d@example.org", tag, (long)getpid(), ++n) < 0)
		return NULL;
	return email;
}

/* Writes all of len bytes; returns 0, or -1. No SIGPIPE on sockets. */
static int write_all(int fd, const void *data, size_t len, bool is_socket)
{
	const char *p = data;
	while (len) {
		ssize_t w = is_socket ? send(fd, p, len, MSG_NOSIGNAL) : write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Returns everything left to read on fd (heap). */
static char *read_all(int fd)
{
	struct sink s = {0};
	char chunk[4096];
	ssize_t got;
	while ((got = read(fd, chunk, sizeof(chunk))) > 0 || (got < 0 && errno == EINTR))
		if (got > 0)
			collect(chunk, 1, (size_t)got, &s);
	return s.data ? s.data : calloc(1, 1);
}

/* In a forked child: points it at the test stack's database and cache
 * directory (the app's default, var/cache, need not exist in a fresh
 * clone). Returns 0, or -1 when the environment cannot be set. */
static int child_stack_env(void)
{
	char cache[4096];
	snprintf(cache, sizeof(cache), "%s/cache", env_or("COUSILAB_VAR", "var"));
	return setenv("MONGODB_URI", test_db_uri(), 1) == 0 &&
			       setenv("COUSILAB_CACHE_DIR", cache, 1) == 0
		       ? 0
		       : -1;
}

int cli_run(const char *const *args, const char *input, char **output)
{
	const char *argv[32];
	char bin[4096];
	snprintf(bin, sizeof(bin), "%s/cousilab", env_or("COUSILAB_BUILD", "build"));
	size_t n = 0;
	argv[n++] = bin;
	for (size_t i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	int in[2], out[2];
	if (pipe(in) || pipe(out))
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]), close(in[1]), close(out[0]), close(out[1]);
		if (chdir(env_or("COUSILAB_SRC", ".")) == 0 && child_stack_env() == 0)
			execv(bin, (char *const *)argv);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	if (input)
		write_all(in[1], input, strlen(input), false);
	close(in[1]);
	char *text = read_all(out[0]);
	close(out[0]);
	if (output)
		*output = text;
	else
		free(text);
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int cli_user_add(const char *email, const char *name, const char *role, const char *password)
{
	char input[1100];
	snprintf(input, sizeof(input), "%s\n", password);
	const char *args[] = {"user",
			      "add",
			      "--email",
			      email,
			      "--name",
			      name,
			      "--organisation",
			      "caf-31",
			      "--job",
			      "Tests d'intégration",
			      role ? "--role" : NULL,
			      role,
			      NULL};
	return cli_run(args, input, NULL);
}

char *cli_token_create(const char *email, const char *label)
{
	const char *args[] = {"token", "create", "--email", email, "--name", label, NULL};
	char *out = NULL;
	if (cli_run(args, NULL, &out) != 0) {
		free(out);
		return NULL;
	}
	out[strcspn(out, "\r\n")] = '\0';
	return out;
}

static mongoc_client_t *mongo;
static char *mongo_db_name;
static pthread_once_t mongo_once = PTHREAD_ONCE_INIT;

static void mongo_open(void)
{
	mongoc_init();
	mongo = mongoc_client_new(test_db_uri());
	if (!mongo)
		return;
	mongoc_client_set_error_api(mongo, MONGOC_ERROR_API_VERSION_2);
	const char *name = mongoc_uri_get_database(mongoc_client_get_uri(mongo));
	mongo_db_name = bson_strdup(name && *name ? name : "cousilab");
}

mongoc_collection_t *mongo_collection(const char *name)
{
	pthread_once(&mongo_once, mongo_open);
	return mongo ? mongoc_client_get_collection(mongo, mongo_db_name, name) : NULL;
}

/* Runs op on collection with the parsed filter; returns its result. */
static long long mongo_op(const char *collection, const char *json_filter, bool count)
{
	bson_error_t error;
	bson_t *filter = bson_new_from_json((const uint8_t *)json_filter, -1, &error);
	mongoc_collection_t *c = mongo_collection(collection);
	if (!c || !filter) {
		bson_destroy(filter);
		mongoc_collection_destroy(c);
		return -1;
	}
	long long n;
	if (count)
		n = mongoc_collection_count_documents(c, filter, NULL, NULL, NULL, &error);
	else
		n = db_delete_batched(c, filter, &error);
	if (n < 0)
		fprintf(stderr, "mongo %s on %s: %s\n", count ? "count" : "delete", collection,
			error.message);
	mongoc_collection_destroy(c);
	bson_destroy(filter);
	return n;
}

long long mongo_count(const char *collection, const char *json_filter)
{
	return mongo_op(collection, json_filter, true);
}

long long mongo_delete(const char *collection, const char *json_filter)
{
	return mongo_op(collection, json_filter, false);
}

/* Calls fn with the text of each message in the SMTP sink's Maildir
 * ($COUSILAB_VAR/mail/new; fn may change it) and ctx. */
static void maildir_each(void (*fn)(char *text, void *ctx), void *ctx)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/mail/new", env_or("COUSILAB_VAR", "var"));
	DIR *d = opendir(dir);
	for (struct dirent *e; d && (e = readdir(d));) {
		char path[8192];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		int fd = e->d_name[0] == '.' ? -1 : open(path, O_RDONLY);
		if (fd < 0)
			continue;
		char *text = read_all(fd);
		close(fd);
		fn(text, ctx);
		free(text);
	}
	if (d)
		closedir(d);
}

struct needle_count {
	const char *needle;
	int n;
};

static void count_needle(char *text, void *ctx)
{
	struct needle_count *c = ctx;
	c->n += strstr(text, c->needle) != NULL;
}

int maildir_count(const char *needle)
{
	struct needle_count c = {needle, 0};
	maildir_each(count_needle, &c);
	return c.n;
}

/* Decodes quoted-printable text in place: soft line breaks go, =XX
 * becomes its byte. */
static void qp_decode(char *s)
{
	char *o = s;
	for (char *p = s; *p;) {
		if (p[0] == '=' && p[1] == '\r' && p[2] == '\n') {
			p += 3;
		} else if (p[0] == '=' && p[1] == '\n') {
			p += 2;
		} else if (p[0] == '=' && p[1] && p[2] && strchr("0123456789ABCDEF", p[1]) &&
			   strchr("0123456789ABCDEF", p[2])) {
			char hex[3] = {p[1], p[2], 0};
			*o++ = (char)strtol(hex, NULL, 16);
			p += 3;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
}

struct token_search {
	const char *to, *prefix;
	char **out;
	int n, max;
};

/* Adds to the search's tokens those after its prefix in a message to its
 * recipient, unless already there. */
static void collect_tokens(char *text, void *ctx)
{
	struct token_search *t = ctx;
	qp_decode(text);
	if (!strstr(text, t->to))
		return;
	for (const char *p = strstr(text, t->prefix); p && t->n < t->max;
	     p = strstr(p + 1, t->prefix)) {
		const char *token = p + strlen(t->prefix);
		size_t len = strspn(token, "0123456789abcdef");
		bool known = len == 0;
		for (int i = 0; i < t->n && !known; i++)
			known = strlen(t->out[i]) == len && strncmp(t->out[i], token, len) == 0;
		if (!known)
			t->out[t->n++] = strndup(token, len);
	}
}

int maildir_tokens(const char *to, const char *prefix, int want, char **out, int max)
{
	struct token_search t = {to, prefix, out, 0, max};
	for (long long start = now_ms(); t.n < want && now_ms() - start < 10000;) {
		for (int i = 0; i < t.n; i++)
			free(out[i]);
		t.n = 0;
		maildir_each(collect_tokens, &t);
		if (t.n < want)
			usleep(100 * 1000);
	}
	return t.n;
}

/* ---- Pacing and addresses for rate-limit tests ---- */

void wait_for_window_room(long window_s, long need_s)
{
	long long ms = (long long)time(NULL) * 1000;
	long long left = window_s * 1000 - ms % (window_s * 1000);
	if (left < need_s * 1000)
		usleep((useconds_t)(left + 200) * 1000);
}

const char *loopback_ip(int group, int n)
{
	static __thread char buf[8][32];
	static __thread int next;
	char *b = buf[next++ % 8];
	snprintf(b, sizeof(buf[0]), "127.%d.%d.%d", 1 + getpid() % 250, group, n);
	return b;
}

/* ---- Browser-like sessions ---- */

struct sess {
	CURL *curl;
};

struct sess *sess_new(void)
{
	struct sess *s = calloc(1, sizeof(*s));
	s->curl = curl_easy_init();
	curl_easy_setopt(s->curl, CURLOPT_COOKIEFILE, ""); /* the cookie engine */
	return s;
}

void sess_set_source(struct sess *s, const char *ip)
{
	curl_easy_setopt(s->curl, CURLOPT_INTERFACE, ip);
}

void sess_free(struct sess *s)
{
	if (!s)
		return;
	curl_easy_cleanup(s->curl);
	free(s);
}

int sess_request(struct sess *s, const char *method, const char *path, const char *const *headers,
		 const char *content_type, const char *body, size_t len, struct http_reply *r)
{
	return perform(s->curl, method, path, headers, content_type, body, len, r);
}

int sess_get(struct sess *s, const char *path, struct http_reply *r)
{
	return perform(s->curl, "GET", path, NULL, NULL, NULL, 0, r);
}

char *sess_page(struct sess *s, const char *path)
{
	struct http_reply r;
	assert_int_equal(sess_get(s, path, &r), 0);
	assert_int_equal(r.status, 200);
	char *body = strdup(r.body);
	http_reply_free(&r);
	return body;
}

int sess_post(struct sess *s, const char *path, const char *body, struct http_reply *r)
{
	return perform(s->curl, "POST", path, NULL, "application/x-www-form-urlencoded", body,
		       strlen(body), r);
}

/* The boundary of every multipart body the tests send. */
static const char BOUNDARY[] = "----cousilab-test-boundary";

/* Returns the multipart body of parts (n of them), after a first field
 * "csrf" holding csrf unless it is NULL; *len its size. Heap. */
static char *multipart_body(const char *csrf, const struct mpart *parts, size_t n, size_t *len)
{
	char *body;
	FILE *f = open_memstream(&body, len);
	if (csrf)
		fprintf(f, "--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n",
			BOUNDARY, csrf);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "--%s\r\nContent-Disposition: form-data; name=\"%s\"", BOUNDARY,
			parts[i].name);
		if (parts[i].filename)
			fprintf(f, "; filename=\"%s\"\r\nContent-Type: application/pdf",
				parts[i].filename);
		fputs("\r\n\r\n", f);
		fwrite(parts[i].value, 1, parts[i].filename ? parts[i].len : strlen(parts[i].value),
		       f);
		fputs("\r\n", f);
	}
	fprintf(f, "--%s--\r\n", BOUNDARY);
	fclose(f);
	return body;
}

void sess_post_parts(struct sess *s, const char *path, const char *const *headers, const char *csrf,
		     const struct mpart *parts, size_t n, struct http_reply *r)
{
	size_t len;
	char *body = multipart_body(csrf, parts, n, &len);
	char type[128];
	snprintf(type, sizeof(type), "multipart/form-data; boundary=%s", BOUNDARY);
	assert_int_equal(sess_request(s, "POST", path, headers, type, body, len, r), 0);
	free(body);
}

char *sess_csrf(struct sess *s, const char *path)
{
	struct http_reply r;
	sess_get(s, path, &r);
	char *token = html_input_value(r.body, "csrf");
	http_reply_free(&r);
	return token;
}

char *sess_cookie(struct sess *s, const char *name)
{
	struct curl_slist *list = NULL;
	char *value = NULL;
	curl_easy_getinfo(s->curl, CURLINFO_COOKIELIST, &list);
	/* Netscape format: domain, tailmatch, path, secure, expires, name, value. */
	for (struct curl_slist *l = list; l && !value; l = l->next) {
		const char *f = l->data;
		for (int i = 0; i < 5 && f; i++)
			f = strchr(f, '\t') ? strchr(f, '\t') + 1 : NULL;
		size_t n = strlen(name);
		if (f && strncmp(f, name, n) == 0 && f[n] == '\t')
			value = strdup(f + n + 1);
	}
	curl_slist_free_all(list);
	return value;
}

void sess_set_cookie(struct sess *s, const char *name, const char *value)
{
	char *host = NULL, line[4096];
	CURLU *u = curl_url();
	curl_url_set(u, CURLUPART_URL, env_or("COUSILAB_BASE_URL", "http://127.0.0.1:18080"), 0);
	curl_url_get(u, CURLUPART_HOST, &host, 0);
	snprintf(line, sizeof(line), "%s\tFALSE\t/\tFALSE\t0\t%s\t%s", host ? host : "", name,
		 value);
	curl_easy_setopt(s->curl, CURLOPT_COOKIELIST, line);
	curl_free(host);
	curl_url_cleanup(u);
}

long sess_login(struct sess *s, const char *email, const char *password)
{
	char *csrf = sess_csrf(s, "/connexion");
	char *e = url_escape(email), *p = url_escape(password), *body = NULL;
	long status = -1;
	if (csrf && asprintf(&body, "email=%s&password=%s&csrf=%s", e, p, csrf) >= 0) {
		struct http_reply r;
		sess_post(s, "/connexion", body, &r);
		status = r.status;
		http_reply_free(&r);
	}
	free(body);
	free(p);
	free(e);
	free(csrf);
	return status;
}

/* ---- Raw FastCGI ---- */

enum {
	FCGI_BEGIN = 1,
	FCGI_END = 3,
	FCGI_PARAMS = 4,
	FCGI_STDIN = 5,
	FCGI_STDOUT = 6,
	FCGI_MAX_CONTENT = 65535
};

int fcgi_start(struct fcgi_app *app, const char *name, const char *const *env)
{
	const char *var = env_or("COUSILAB_VAR", "var");
	snprintf(app->socket, sizeof(app->socket), "%s/run/%s.sock", var, name);
	unlink(app->socket);
	char bin[4096], log[4096];
	snprintf(bin, sizeof(bin), "%s/cousilab", env_or("COUSILAB_BUILD", "build"));
	snprintf(log, sizeof(log), "%s/log/%s.log", var, name);
	app->pid = fork();
	if (app->pid == 0) {
		/* Dies with the test, and holds none of its output open: ctest
		 * waits for that to close. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		dup2(fd, 1);
		dup2(fd, 2);
		child_stack_env();
		/* The stack's sink: this instance's sender shares the outbox. */
		const char *smtp = getenv("COUSILAB_SMTP_PORT");
		char url[128];
		if (smtp && snprintf(url, sizeof(url), "smtp://127.0.0.1:%s", smtp) > 0)
			setenv("COUSILAB_SMTP_URL", url, 1);
		for (size_t i = 0; env && env[i]; i++)
			putenv((char *)env[i]);
		if (chdir(env_or("COUSILAB_SRC", ".")) == 0)
			execl(bin, bin, "serve", "--socket", app->socket, "--threads", "2",
			      (char *)NULL);
		_exit(127);
	}
	struct stat st;
	for (long long start = now_ms(); now_ms() - start < 5000; usleep(20 * 1000))
		if (stat(app->socket, &st) == 0)
			return 0;
	fcgi_wait_exit(app, 0);
	return -1;
}

int fcgi_wait_exit(struct fcgi_app *app, long limit_ms)
{
	long long start = now_ms();
	int status;
	while (now_ms() - start < limit_ms) {
		if (waitpid(app->pid, &status, WNOHANG) == app->pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		usleep(20 * 1000);
	}
	kill(app->pid, SIGKILL);
	waitpid(app->pid, &status, 0);
	return -1;
}

int fcgi_stop(struct fcgi_app *app)
{
	kill(app->pid, SIGTERM);
	return fcgi_wait_exit(app, 5000);
}

int fcgi_connect(const struct fcgi_app *app)
{
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	memcpy(addr.sun_path, app->socket, strnlen(app->socket, sizeof(addr.sun_path) - 1));
	if (fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Sends len bytes as records of type, as many as needed; len 0 sends the
 * empty record that ends a stream. */
static int send_records(int fd, int type, const void *data, size_t len)
{
	const unsigned char *p = data;
	do {
		size_t n = len < FCGI_MAX_CONTENT ? len : FCGI_MAX_CONTENT;
		unsigned char h[8] = {
			1, (unsigned char)type, 0, 1, (unsigned char)(n >> 8), (unsigned char)n, 0,
			0};
		if (write_all(fd, h, 8, true) || (n && write_all(fd, p, n, true)))
			return -1;
		/* p may be NULL for the empty record: no arithmetic on it then. */
		if (n) {
			p += n;
			len -= n;
		}
	} while (len);
	return 0;
}

/* Appends a FastCGI name-value length (1 or 4 bytes) to s. */
static void put_length(struct sink *s, size_t n)
{
	unsigned char b[4] = {(unsigned char)((n >> 24) | 0x80), (unsigned char)(n >> 16),
			      (unsigned char)(n >> 8), (unsigned char)n};
	if (n < 128)
		collect((char *)b + 3, 1, 1, s);
	else
		collect((char *)b, 1, 4, s);
}

int fcgi_begin(int fd, const char *const *params)
{
	static const unsigned char begin[8] = {0, 1, 0, 0, 0, 0, 0, 0};
	struct sink s = {0};
	for (size_t i = 0; params && params[i]; i++) {
		char *name = (char *)params[i], *eq = strchr(name, '=');
		char *value = eq ? eq + 1 : name + strlen(name);
		size_t n = eq ? (size_t)(eq - name) : strlen(name);
		put_length(&s, n);
		put_length(&s, strlen(value));
		collect(name, 1, n, &s);
		collect(value, 1, strlen(value), &s);
	}
	int rc = send_records(fd, FCGI_BEGIN, begin, 8) ||
				 (s.len && send_records(fd, FCGI_PARAMS, s.data, s.len)) ||
				 send_records(fd, FCGI_PARAMS, NULL, 0)
			 ? -1
			 : 0;
	free(s.data);
	return rc;
}

int fcgi_stdin(int fd, const void *data, size_t len)
{
	return send_records(fd, FCGI_STDIN, data, len);
}

/* Reads exactly len bytes; returns 0, or -1 at the end of the stream. */
static int read_exact(int fd, void *data, size_t len)
{
	char *p = data;
	while (len) {
		ssize_t r = read(fd, p, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		len -= (size_t)r;
	}
	return 0;
}

int fcgi_read_reply(int fd, struct http_reply *r)
{
	memset(r, 0, sizeof(*r));
	struct sink out = {0};
	unsigned char h[8], body[FCGI_MAX_CONTENT + 255];
	bool ended = false;
	while (!ended && read_exact(fd, h, 8) == 0) {
		size_t clen = ((size_t)h[4] << 8) | h[5];
		if (read_exact(fd, body, clen + h[6]))
			break;
		if (h[1] == FCGI_STDOUT)
			collect((char *)body, 1, clen, &out);
		ended = h[1] == FCGI_END;
	}
	const char *text = out.data ? out.data : "";
	const char *split = strstr(text, "\r\n\r\n");
	size_t head = split ? (size_t)(split - text) + 2 : strlen(text);
	r->headers = strndup(text, head);
	r->body = strdup(split ? split + 4 : "");
	r->len = strlen(r->body);
	char *status = http_header(r, "Status");
	r->status = status ? strtol(status, NULL, 10) : 200;
	free(status);
	free(out.data);
	return ended ? 0 : -1;
}

int fcgi_request(const struct fcgi_app *app, const char *method, const char *uri,
		 const char *const *params, const char *content_type, const char *body, size_t len,
		 struct http_reply *r)
{
	const char *all[64];
	char m[64], u[4096], t[256], l[64];
	size_t n = 0;
	snprintf(m, sizeof(m), "REQUEST_METHOD=%s", method);
	snprintf(u, sizeof(u), "REQUEST_URI=%s", uri);
	all[n++] = m;
	all[n++] = u;
	if (body) {
		snprintf(t, sizeof(t), "CONTENT_TYPE=%s", content_type);
		snprintf(l, sizeof(l), "CONTENT_LENGTH=%zu", len);
		all[n++] = t;
		all[n++] = l;
	}
	for (size_t i = 0; params && params[i] && n < 63; i++)
		all[n++] = params[i];
	all[n] = NULL;
	memset(r, 0, sizeof(*r));
	int fd = fcgi_connect(app);
	int rc = fd < 0 || fcgi_begin(fd, all) || (body && len && fcgi_stdin(fd, body, len)) ||
				 fcgi_stdin(fd, NULL, 0)
			 ? -1
			 : fcgi_read_reply(fd, r);
	if (fd >= 0)
		close(fd);
	if (rc && !r->body)
		*r = (struct http_reply){.body = calloc(1, 1), .headers = calloc(1, 1)};
	return rc;
}

bool fcgi_get_shows(const struct fcgi_app *app, const char *path, const char *const *params,
		    const char *needle)
{
	struct http_reply r;
	assert_int_equal(fcgi_request(app, "GET", path, params, NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	bool shows = strstr(r.body, needle) != NULL;
	http_reply_free(&r);
	return shows;
}

void sess_post_form(struct sess *s, const char *csrf_page, const char *path, struct http_reply *r,
		    ...)
{
	char *csrf = sess_csrf(s, csrf_page);
	assert_non_null(csrf);
	char *body;
	size_t len;
	FILE *f = open_memstream(&body, &len);
	fprintf(f, "csrf=%s", csrf);
	va_list ap;
	va_start(ap, r);
	for (const char *name; (name = va_arg(ap, const char *));) {
		char *value = url_escape(va_arg(ap, const char *));
		fprintf(f, "&%s=%s", name, value);
		free(value);
	}
	va_end(ap);
	fclose(f);
	assert_int_equal(sess_post(s, path, body, r), 0);
	free(body);
	free(csrf);
}

char *sess_user_id(struct sess *s)
{
	struct http_reply r;
	assert_int_equal(sess_get(s, "/api/v1/me", &r), 0);
	assert_int_equal(r.status, 200);
	json_t *me = json_loads(r.body, 0, NULL);
	const char *id = json_string_value(json_object_get(me, "id"));
	assert_non_null(id);
	char *out = strdup(id);
	json_decref(me);
	http_reply_free(&r);
	return out;
}

struct sess *sess_signed_in(const char *tag, const char *name, const char *role,
			    const char *password)
{
	char *email = unique_email(tag);
	assert_int_equal(cli_user_add(email, name, role, password), 0);
	struct sess *s = sess_new();
	assert_int_equal(sess_login(s, email, password), 303);
	free(email);
	return s;
}

long api_request(const char *token, const char *method, const char *path, const json_t *body,
		 struct http_reply *r)
{
	char auth[256];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token ? token : "");
	const char *headers[] = {auth, NULL};
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	struct sess *s = sess_new();
	assert_int_equal(sess_request(s, method, path, token ? headers : NULL,
				      text ? "application/json" : NULL, text,
				      text ? strlen(text) : 0, r),
			 0);
	sess_free(s);
	free(text);
	return r->status;
}

void agent_new(struct agent *a, const char *tag, const char *org, const char *role,
	       const char *password)
{
	a->email = unique_email(tag);
	assert_true(asprintf(&a->name, "Agent %s %ld", tag, (long)getpid()) > 0);
	char input[256];
	snprintf(input, sizeof(input), "%s\n", password);
	const char *args[] = {"user",
			      "add",
			      "--email",
			      a->email,
			      "--name",
			      a->name,
			      "--organisation",
			      org,
			      "--job",
			      "Tests d'intégration",
			      role ? "--role" : NULL,
			      role,
			      NULL};
	assert_int_equal(cli_run(args, input, NULL), 0);
	a->s = sess_new();
	assert_int_equal(sess_login(a->s, a->email, password), 303);
	struct http_reply r;
	assert_int_equal(sess_get(a->s, "/api/v1/me", &r), 0);
	json_t *me = json_loads(r.body, 0, NULL);
	assert_non_null(me);
	a->id = strdup(json_string_value(json_object_get(me, "id")));
	json_decref(me);
	http_reply_free(&r);
	a->token = cli_token_create(a->email, "itest");
	assert_non_null(a->token);
}

void agent_free(struct agent *a)
{
	sess_free(a->s);
	free(a->email);
	free(a->name);
	free(a->id);
	free(a->token);
}

long api_json(const char *token, const char *method, const char *path, const json_t *body,
	      json_t **out)
{
	struct http_reply r;
	long status = api_request(token, method, path, body, &r);
	if (out)
		*out = json_loads(r.body, 0, NULL);
	http_reply_free(&r);
	return status;
}

/* Opens the stack app's log ($COUSILAB_VAR/log/app.log) for reading;
 * fails the test when it cannot. */
static FILE *app_log_open(void)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/log/app.log", env_or("COUSILAB_VAR", "var"));
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	return f;
}

long app_log_size(void)
{
	FILE *f = app_log_open();
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fclose(f);
	return n;
}

char *app_log_since(long from, const char *a, const char *b)
{
	FILE *f = app_log_open();
	fseek(f, from, SEEK_SET);
	char *found;
	size_t len;
	FILE *out = open_memstream(&found, &len);
	char line[4096];
	while (fgets(line, sizeof(line), f))
		if (strstr(line, a) && (!b || strstr(line, b)))
			fputs(line, out);
	fclose(out);
	fclose(f);
	return found;
}
