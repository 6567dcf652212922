/* SIGTERM while a request is in flight: the request completes and the
 * process exits 0 within 5 s. Talks FastCGI to a private app instance, so
 * the request can be held open mid-body. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"

enum { FCGI_BEGIN = 1, FCGI_END = 3, FCGI_PARAMS = 4, FCGI_STDIN = 5, FCGI_STDOUT = 6 };

static char sock_path[4096];

static pid_t start_app(void)
{
	snprintf(sock_path, sizeof(sock_path), "%s/run/drain.sock",
		 env_or("COUSILAB_VAR", "var"));
	unlink(sock_path);
	char bin[4096], log[4096];
	snprintf(bin, sizeof(bin), "%s/cousilab", env_or("COUSILAB_BUILD", "build"));
	snprintf(log, sizeof(log), "%s/log/drain.log", env_or("COUSILAB_VAR", "var"));
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		dup2(fd, 2);
		execl(bin, bin, "serve", "--socket", sock_path, "--threads", "2", (char *)NULL);
		_exit(127);
	}
	struct stat st;
	for (int i = 0; i < 100 && stat(sock_path, &st) != 0; i++)
		usleep(50 * 1000);
	return pid;
}

static int connect_app(void)
{
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	memcpy(addr.sun_path, sock_path, strnlen(sock_path, sizeof(addr.sun_path) - 1));
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void send_record(int fd, int type, const void *data, size_t len)
{
	unsigned char h[8] = {1, (unsigned char)type, 0, 1,
			      (unsigned char)(len >> 8), (unsigned char)len, 0, 0};
	assert_int_equal(write(fd, h, 8), 8);
	if (len)
		assert_int_equal(write(fd, data, len), (ssize_t)len);
}

static size_t put_pair(unsigned char *p, const char *name, const char *value)
{
	size_t n = strlen(name), v = strlen(value);
	p[0] = (unsigned char)n;
	p[1] = (unsigned char)v;
	memcpy(p + 2, name, n);
	memcpy(p + 2 + n, value, v);
	return 2 + n + v;
}

/* Reads records until END_REQUEST; returns the STDOUT bytes (heap). */
static char *read_response(int fd)
{
	char *out = calloc(1, 1);
	size_t len = 0;
	unsigned char h[8];
	while (read(fd, h, 8) == 8) {
		size_t clen = ((size_t)h[4] << 8) | h[5], total = clen + h[6];
		unsigned char *body = malloc(total + 1);
		size_t got = 0;
		while (got < total) {
			ssize_t r = read(fd, body + got, total - got);
			if (r <= 0)
				break;
			got += (size_t)r;
		}
		if (h[1] == FCGI_STDOUT) {
			out = realloc(out, len + clen + 1);
			memcpy(out + len, body, clen);
			len += clen;
			out[len] = '\0';
		}
		free(body);
		if (h[1] == FCGI_END)
			break;
	}
	return out;
}

/* Returns the exit status once pid ends, or -1 if it runs past limit_ms. */
static int wait_exit(pid_t pid, long limit_ms)
{
	long long start = now_ms();
	int status;
	while (now_ms() - start < limit_ms) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		usleep(20 * 1000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

static void request_in_flight_finishes_before_exit(void **state)
{
	(void)state;
	pid_t pid = start_app();
	int fd = connect_app();
	assert_true(fd >= 0);
	unsigned char begin[8] = {0, 1, 0, 0, 0, 0, 0, 0};
	send_record(fd, FCGI_BEGIN, begin, 8);
	unsigned char params[512];
	size_t n = 0;
	n += put_pair(params + n, "REQUEST_METHOD", "POST");
	n += put_pair(params + n, "REQUEST_URI", "/ping");
	n += put_pair(params + n, "CONTENT_TYPE", "application/x-www-form-urlencoded");
	n += put_pair(params + n, "CONTENT_LENGTH", "20");
	send_record(fd, FCGI_PARAMS, params, n);
	send_record(fd, FCGI_PARAMS, NULL, 0);
	send_record(fd, FCGI_STDIN, "name=abcde", 10);
	usleep(300 * 1000);

	long long signalled = now_ms();
	assert_int_equal(kill(pid, SIGTERM), 0);
	usleep(500 * 1000);
	/* Still alive: it waits for the request it is serving. */
	assert_int_equal(waitpid(pid, NULL, WNOHANG), 0);
	send_record(fd, FCGI_STDIN, "&x=123456", 9);
	send_record(fd, FCGI_STDIN, "7", 1);
	send_record(fd, FCGI_STDIN, NULL, 0);
	char *response = read_response(fd);
	close(fd);
	assert_non_null(strstr(response, "Status: 405"));
	free(response);
	assert_int_equal(wait_exit(pid, 5000), 0);
	assert_true(now_ms() - signalled < 5000);
	/* The socket is gone with the process. */
	assert_int_equal(access(sock_path, F_OK), -1);
}

static void idle_server_exits_at_once(void **state)
{
	(void)state;
	pid_t pid = start_app();
	long long signalled = now_ms();
	assert_int_equal(kill(pid, SIGTERM), 0);
	assert_int_equal(wait_exit(pid, 5000), 0);
	assert_true(now_ms() - signalled < 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(request_in_flight_finishes_before_exit),
		cmocka_unit_test(idle_server_exits_at_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
