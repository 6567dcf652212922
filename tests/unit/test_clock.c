#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/clock.h"

static void parses_the_instants_tests_freeze(void **state)
{
	(void)state;
	int64_t ms = 0;
	assert_true(clock_parse_utc("2023-04-17T21:59:59Z", &ms));
	assert_int_equal(ms, 1681768799000LL);
	assert_true(clock_parse_utc("2023-04-17T21:59:59.999Z", &ms));
	assert_int_equal(ms, 1681768799999LL);
	assert_true(clock_parse_utc("2024-02-29T00:00:00Z", &ms));
}

static void refuses_anything_but_utc(void **state)
{
	(void)state;
	int64_t ms = 42;
	const char *bad[] = {
		"2023-04-17T23:59:59+02:00", "2023-04-17 21:59:59Z",     "2023-04-31T00:00:00Z",
		"2023-02-29T00:00:00Z",      "2023-13-01T00:00:00Z",     "2023-04-17T24:00:00Z",
		"2023-04-17T21:59:59",       "2023-04-17T21:59:59Zjunk", ""};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_false(clock_parse_utc(bad[i], &ms));
	assert_int_equal(ms, 42);
}

#ifdef COUSILAB_TEST_CLOCK
/* The file freezes the clock while it exists, and only then. */
static void test_file_freezes_the_clock(void **state)
{
	(void)state;
	char path[] = "/tmp/cousilab-clock-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "2023-04-17T21:59:59Z\n", 21), 21);
	close(fd);
	setenv("COUSILAB_TEST_CLOCK_FILE", path, 1);
	assert_int_equal(clock_now_ms(), 1681768799000LL);
	unlink(path);
	assert_true(clock_now_ms() > 1767225600000LL); /* after 2026-01-01 */
	unsetenv("COUSILAB_TEST_CLOCK_FILE");
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_the_instants_tests_freeze),
		cmocka_unit_test(refuses_anything_but_utc),
#ifdef COUSILAB_TEST_CLOCK
		cmocka_unit_test(test_file_freezes_the_clock),
#endif
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
