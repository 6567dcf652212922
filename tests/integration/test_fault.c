/* The database goes away and comes back; the app is never restarted. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static void database_outage_gives_503_then_recovers(void **state)
{
	(void)state;
	pid_t app = read_pid("app");
	assert_true(app > 0);
	assert_int_equal(wait_for_status("/healthz", 200, 5000) >= 0, 1);

	assert_int_equal(run_dev("db-stop"), 0);
	long long down_ms = wait_for_status("/healthz", 503, 4000);
	assert_true(down_ms >= 0);

	struct http_reply r;
	http_get("/healthz", &r);
	assert_int_equal(r.status, 503);
	assert_non_null(strstr(r.body, "\"db\":\"down\""));
	http_reply_free(&r);
	/* Pages that need no database keep working. */
	http_get("/", &r);
	assert_int_equal(r.status, 200);
	http_reply_free(&r);

	assert_int_equal(run_dev("db-start"), 0);
	long long up_ms = wait_for_status("/healthz", 200, 5000);
	assert_true(up_ms >= 0);
	/* Same process throughout: recovery needed no restart. */
	assert_int_equal(read_pid("app"), app);
	assert_int_equal(kill(app, 0), 0);
	print_message("503 after %lld ms, 200 again %lld ms after restart\n",
		      down_ms, up_ms);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(database_outage_gives_503_then_recovers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
