#include "support.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

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

int http_request(const char *method, const char *path, const char *content_type,
		 const char *body, size_t len, struct http_reply *r)
{
	memset(r, 0, sizeof(*r));
	char url[4096];
	snprintf(url, sizeof(url), "%s%s",
		 env_or("COUSILAB_BASE_URL", "http://127.0.0.1:18080"), path);
	CURL *c = curl_easy_init();
	struct sink b = {0}, h = {0};
	struct curl_slist *hdrs = NULL;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &h);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	}
	if (content_type) {
		char line[512];
		snprintf(line, sizeof(line), "Content-Type: %s", content_type);
		hdrs = curl_slist_append(hdrs, line);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	}
	CURLcode rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	r->body = b.data ? b.data : calloc(1, 1);
	r->len = b.len;
	r->headers = h.data ? h.data : calloc(1, 1);
	return rc == CURLE_OK ? 0 : -1;
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
	snprintf(path, sizeof(path), "%s/run/%s.pid", env_or("COUSILAB_VAR", "var"),
		 name);
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
