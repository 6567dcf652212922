/* SIGTERM while a request is in flight: the request completes and the
 * process exits 0 within 5 s. Talks FastCGI to a private app instance, so
 * the request can be held open mid-body. */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"

static void request_in_flight_finishes_before_exit(void **state)
{
	(void)state;
	struct fcgi_app app;
	assert_int_equal(fcgi_start(&app, "drain", NULL), 0);
	int fd = fcgi_connect(&app);
	assert_true(fd >= 0);
	const char *params[] = {"REQUEST_METHOD=POST", "REQUEST_URI=/ping",
				"CONTENT_TYPE=application/x-www-form-urlencoded",
				"CONTENT_LENGTH=20", NULL};
	assert_int_equal(fcgi_begin(fd, params), 0);
	assert_int_equal(fcgi_stdin(fd, "name=abcde", 10), 0);
	usleep(300 * 1000);

	long long signalled = now_ms();
	assert_int_equal(kill(app.pid, SIGTERM), 0);
	usleep(500 * 1000);
	/* Still alive: it waits for the request it is serving. */
	assert_int_equal(waitpid(app.pid, NULL, WNOHANG), 0);
	assert_int_equal(fcgi_stdin(fd, "&x=123456", 9), 0);
	assert_int_equal(fcgi_stdin(fd, "7", 1), 0);
	assert_int_equal(fcgi_stdin(fd, NULL, 0), 0);
	struct http_reply r;
	assert_int_equal(fcgi_read_reply(fd, &r), 0);
	close(fd);
	assert_int_equal(r.status, 405);
	http_reply_free(&r);
	assert_int_equal(fcgi_wait_exit(&app, 5000), 0);
	assert_true(now_ms() - signalled < 5000);
	/* The socket is gone with the process. */
	assert_int_equal(access(app.socket, F_OK), -1);
}

static void idle_server_exits_at_once(void **state)
{
	(void)state;
	struct fcgi_app app;
	assert_int_equal(fcgi_start(&app, "drain", NULL), 0);
	long long signalled = now_ms();
	assert_int_equal(fcgi_stop(&app), 0);
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
