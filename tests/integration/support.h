/* Helpers for integration tests: they talk to the real stack (nginx, app,
 * FerretDB) started by ctest's fixture, described by COUSILAB_* variables. */
#ifndef COUSILAB_ITEST_SUPPORT_H
#define COUSILAB_ITEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <jansson.h>

#include <cmocka.h>

struct http_reply {
	long status;
	char *body;     /* NUL-terminated, heap */
	size_t len;
	char *headers;  /* raw header block, heap */
};

/* Sends one request through nginx; body may be NULL. Returns 0, or -1 when
 * no HTTP answer came at all. Fills r; free it with http_reply_free. */
int http_request(const char *method, const char *path, const char *content_type,
		 const char *body, size_t len, struct http_reply *r);
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

/* Returns milliseconds from a monotonic clock. */
long long now_ms(void);

/* Polls path every 100 ms until it answers status or timeout_ms passes;
 * returns the elapsed milliseconds, or -1 on timeout. */
long long wait_for_status(const char *path, long status, long timeout_ms);

#endif
