#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/arena_json.h"
#include "core/blobfile.h"
#include "core/buf.h"
#include "core/log.h"
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

static void log_escape_keeps_one_event_on_one_line(void **state)
{
	(void)state;
	char out[128];
	const char evil[] = "/x\r\n2026-01-01T00:00:00Z info forged\x1b[2J\\\xC2\x9B\xC3\xA9\t";
	size_t n = log_escape(out, sizeof(out), evil, sizeof(evil) - 1);
	assert_string_equal(out, "/x\\x0D\\x0A2026-01-01T00:00:00Z info forged\\x1B[2J\\x5C"
				 "\\xC2\\x9B\xC3\xA9\\x09");
	assert_int_equal(n, strlen(out));
	/* Never an escape cut in half at the end of the room. */
	assert_int_equal(log_escape(out, 6, "ab\ncd", 5), 2);
	assert_string_equal(out, "ab");
	assert_int_equal(log_escape(out, 7, "ab\ncd", 5), 6);
	assert_string_equal(out, "ab\\x0A");
}

/* log_msg through a pipe in place of stderr: one line, whatever the
 * message quotes. */
static void log_lines_cannot_be_forged(void **state)
{
	(void)state;
	int fds[2], saved = dup(2);
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(dup2(fds[1], 2), 2);
	log_error("rid\n1", "GET %s 404", "/a\nfake line\x1b]0;title\x07");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fds[1]);
	char got[512] = "";
	ssize_t n = read(fds[0], got, sizeof(got) - 1);
	close(fds[0]);
	assert_true(n > 0);
	got[n] = '\0';
	assert_non_null(
		strstr(got, " error rid=rid\\x0A1 GET /a\\x0Afake line\\x1B]0;title\\x07 404\n"));
	assert_ptr_equal(strchr(got, '\n'), got + n - 1);
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

/* The arena takes over the caller's reference: the value outlives nothing
 * but the request, and a failed constructor's NULL passes through. */
static void arena_json_releases_with_the_arena(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	json_t *kept = json_object();
	json_t *owned = arena_json(a, json_incref(kept));
	assert_ptr_equal(owned, kept);
	assert_int_equal(kept->refcount, 2);
	assert_null(arena_json(a, NULL));
	arena_free(a);
	assert_int_equal(kept->refcount, 1);
	json_decref(kept);
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

/* Strings come back as they went in, by location; an oversized one is
 * refused and leaves the file as it was. */
static void blob_file_gives_back_what_it_took(void **state)
{
	(void)state;
	struct blobfile *f = blobfile_open("/tmp");
	assert_non_null(f);
	static const char doc[] = "{\"title\":\"Télétravail\"}";
	blob_loc empty = blobfile_put(f, "", 0);
	blob_loc first = blobfile_put(f, doc, strlen(doc));
	blob_loc second = blobfile_put(f, "deux", 4);
	assert_true(empty >= 0 && first >= 0 && second >= 0);
	assert_int_equal(blob_len(first), strlen(doc));
	assert_int_equal(blobfile_size(f), strlen(doc) + 4);
	size_t n;
	char *text = blobfile_get(f, second, &n);
	assert_int_equal(n, 4);
	assert_string_equal(text, "deux");
	free(text);
	text = blobfile_get(f, first, &n);
	assert_string_equal(text, doc);
	free(text);
	text = blobfile_get(f, empty, &n);
	assert_int_equal(n, 0);
	assert_string_equal(text, "");
	free(text);

	errno = 0;
	assert_int_equal(blobfile_put(f, "x", (size_t)1 << BLOB_LEN_BITS), -1);
	assert_int_equal(errno, EFBIG);
	assert_int_equal(blobfile_size(f), strlen(doc) + 4);
	blobfile_close(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(html_escaping_covers_attribute_breakers),
		cmocka_unit_test(buffer_grows_and_formats),
		cmocka_unit_test(log_escape_keeps_one_event_on_one_line),
		cmocka_unit_test(log_lines_cannot_be_forged),
		cmocka_unit_test(arena_allocates_aligned_zeroed_and_cleans_up),
		cmocka_unit_test(arena_json_releases_with_the_arena),
		cmocka_unit_test(migration_names),
		cmocka_unit_test(blob_file_gives_back_what_it_took),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
