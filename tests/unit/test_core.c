#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "db/migrate.h"

static void html_escaping_covers_attribute_breakers(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	const char *s = "<script>alert('x')</script> & \"q\" `t`";
	buf_append_html(&b, s, strlen(s));
	assert_string_equal(b.data, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; "
				    "&amp; &quot;q&quot; &#96;t&#96;");
	buf_free(&b);
}

static void buffer_grows_and_formats(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i);
	assert_int_equal(b.len, strlen(b.data));
	assert_memory_equal(b.data, "0,1,2,", 6);
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	buf_free(&b);
}

static int cleanups_run;
static void count_cleanup(void *ctx)
{
	(void)ctx;
	cleanups_run++;
}

static void arena_allocates_aligned_zeroed_and_cleans_up(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	for (int i = 0; i < 100; i++) {
		unsigned char *p = arena_alloc(a, (size_t)i * 37 + 1);
		assert_int_equal((uintptr_t)p % 16, 0);
		for (int j = 0; j < i * 37 + 1; j++)
			assert_int_equal(p[j], 0);
		memset(p, 0xff, (size_t)i * 37 + 1);
	}
	char *big = arena_alloc(a, 1 << 20);
	big[(1 << 20) - 1] = 'x';
	assert_string_equal(arena_printf(a, "%s-%d", "n", 7), "n-7");
	cleanups_run = 0;
	arena_on_free(a, count_cleanup, NULL);
	arena_on_free(a, count_cleanup, NULL);
	arena_free(a);
	assert_int_equal(cleanups_run, 2);
}

static void migration_names(void **state)
{
	(void)state;
	assert_true(migration_name_valid("0001_meta.json"));
	assert_true(migration_name_valid("0042_accounts_and_roles.json"));
	assert_false(migration_name_valid("1_meta.json"));
	assert_false(migration_name_valid("0001-meta.json"));
	assert_false(migration_name_valid("0001_Meta.json"));
	assert_false(migration_name_valid("0001_meta.json~"));
	assert_false(migration_name_valid("0001_.json"));
	assert_false(migration_name_valid("0001_../x.json"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(html_escaping_covers_attribute_breakers),
		cmocka_unit_test(buffer_grows_and_formats),
		cmocka_unit_test(arena_allocates_aligned_zeroed_and_cleans_up),
		cmocka_unit_test(migration_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
