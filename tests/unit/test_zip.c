/* The streaming ZIP writer, checked by the reader every user has: each
 * archive written here is opened by Info-ZIP's unzip (test, list,
 * extract), ZIP64 ones included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/zip.h"

static char dir[] = "/tmp/cousilab-zip-XXXXXX";
static int n_archives;

/* A file sink; runs of zeros become holes, so a 4 GiB entry of zeros
 * costs no disk. */
struct file_sink {
	FILE *f;
	bool sparse;
};

static bool all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static bool to_file(void *ctx, const void *data, size_t len)
{
	struct file_sink *s = ctx;
	if (s->sparse && all_zero(data, len))
		return fseeko(s->f, (off_t)len, SEEK_CUR) == 0;
	return fwrite(data, 1, len, s->f) == len;
}

static bool refuse(void *ctx, const void *data, size_t len)
{
	(void)ctx, (void)data, (void)len;
	return false;
}

/* Returns the output of command (a shell line), in a, or NULL when it
 * exits with a failure. */
static char *run(struct arena *a, const char *command)
{
	FILE *p = popen(command, "r");
	assert_non_null(p);
	char chunk[4096];
	size_t n;
	char *out = arena_strdup(a, "");
	while ((n = fread(chunk, 1, sizeof(chunk) - 1, p)) > 0) {
		chunk[n] = '\0';
		out = arena_printf(a, "%s%s", out, chunk);
	}
	int rc = pclose(p);
	return rc == 0 ? out : NULL;
}

static const char *new_path(struct arena *a)
{
	return arena_printf(a, "%s/archive-%d.zip", dir, n_archives++);
}

static void put_entry(struct zip_writer *z, const char *name, const char *text)
{
	assert_true(zip_entry_begin(z, name, strlen(text), 1648848600000LL));
	/* in two writes, so the CRC runs across calls */
	size_t half = strlen(text) / 2;
	assert_true(zip_entry_write(z, text, half));
	assert_true(zip_entry_write(z, text + half, strlen(text) - half));
	assert_true(zip_entry_end(z));
}

static void test_entries_unzip_with_their_names_and_bytes(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	const char *path = new_path(a);
	struct file_sink s = {.f = fopen(path, "wb")};
	struct zip_writer *z = zip_writer_new(to_file, &s);
	put_entry(z, "rh/001-Caisse d’Armor-Télétravail.pdf", "%PDF-1.4 premier dossier");
	put_entry(z, "rh/002-URSSAF.pdf", "%PDF-1.4 second dossier, plus long que le premier");
	put_entry(z, "vide.txt", "");
	assert_true(zip_finish(z));
	zip_writer_free(z);
	fclose(s.f);

	assert_non_null(run(a, arena_printf(a, "unzip -tq '%s'", path)));
	char *listing = run(a, arena_printf(a, "unzip -Z1 '%s'", path));
	assert_non_null(listing);
	assert_string_equal(listing, "rh/001-Caisse d’Armor-Télétravail.pdf\n"
				     "rh/002-URSSAF.pdf\nvide.txt\n");
	char *second = run(a, arena_printf(a, "unzip -p '%s' rh/002-URSSAF.pdf", path));
	assert_string_equal(second, "%PDF-1.4 second dossier, plus long que le premier");
	/* 1 April 2022 23:30 Paris, to the MS-DOS field's two seconds */
	char *verbose = run(a, arena_printf(a, "unzip -Z -T '%s' vide.txt", path));
	assert_non_null(strstr(verbose, "20220401.233000"));
	arena_free(a);
}

static void test_an_empty_archive_is_valid(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	const char *path = new_path(a);
	struct file_sink s = {.f = fopen(path, "wb")};
	struct zip_writer *z = zip_writer_new(to_file, &s);
	assert_true(zip_finish(z));
	assert_int_equal(zip_written(z), 22);
	zip_writer_free(z);
	fclose(s.f);
	char *listing = run(a, arena_printf(a, "unzip -Z1 '%s' 2>&1; true", path));
	assert_non_null(strstr(listing, "Empty zipfile"));
	arena_free(a);
}

static void test_names_that_climb_out_are_refused(void **state)
{
	(void)state;
	struct file_sink s = {.f = fopen("/dev/null", "wb")};
	struct zip_writer *z = zip_writer_new(to_file, &s);
	const char *bad[] = {"/etc/passwd", "../x.pdf", "a/../../x.pdf", "a//b.pdf",
			     "a\\..\\b.pdf", "./a.pdf", "dossier/", "", "a/\x01.pdf",
			     "caf\xC3.pdf"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_false(zip_entry_begin(z, bad[i], 0, 0));
	assert_int_equal(zip_written(z), 0);
	/* and the writer still works */
	assert_true(zip_entry_begin(z, "a/b.pdf", 0, 0));
	assert_true(zip_entry_end(z));
	zip_writer_free(z);
	fclose(s.f);
}

static void test_safe_name_makes_one_harmless_component(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	assert_string_equal(zip_safe_name(a, "../../etc/passwd", 100), "_.._etc_passwd");
	assert_string_equal(zip_safe_name(a, "C:\\Windows\\x", 100), "C__Windows_x");
	assert_string_equal(zip_safe_name(a, " .cache", 100), "cache");
	assert_string_equal(zip_safe_name(a, "...", 100), "fichier");
	assert_string_equal(zip_safe_name(a, "", 100), "fichier");
	assert_string_equal(zip_safe_name(a, NULL, 100), "fichier");
	assert_string_equal(zip_safe_name(a, "a\tb\nc", 100), "a_b_c");
	/* cut on a character boundary: "é" is two bytes */
	assert_string_equal(zip_safe_name(a, "ééé", 5), "éé");
	/* a bad byte becomes U+FFFD, never passes raw */
	assert_string_equal(zip_safe_name(a, "a\xFF", 100), "a\xEF\xBF\xBD");
	arena_free(a);
}

static void test_wrong_sizes_and_dead_sinks_stop_the_writer(void **state)
{
	(void)state;
	struct file_sink s = {.f = fopen("/dev/null", "wb")};
	struct zip_writer *z = zip_writer_new(to_file, &s);
	assert_true(zip_entry_begin(z, "a.pdf", 3, 0));
	assert_false(zip_entry_write(z, "abcd", 4)); /* past the announced size */
	assert_false(zip_entry_end(z));
	assert_false(zip_finish(z));
	zip_writer_free(z);

	z = zip_writer_new(to_file, &s);
	assert_true(zip_entry_begin(z, "a.pdf", 3, 0));
	assert_true(zip_entry_write(z, "ab", 2));
	assert_false(zip_entry_end(z)); /* short */
	zip_writer_free(z);
	fclose(s.f);

	z = zip_writer_new(refuse, NULL);
	assert_false(zip_entry_begin(z, "a.pdf", 3, 0));
	assert_false(zip_finish(z));
	zip_writer_free(z);
}

static void test_crc32_matches_the_standard_check_value(void **state)
{
	(void)state;
	assert_int_equal(zip_crc32(0, "123456789", 9), 0xCBF43926u);
	assert_int_equal(zip_crc32(zip_crc32(0, "1234", 4), "56789", 5), 0xCBF43926u);
	assert_int_equal(zip_crc32(0, "", 0), 0);
}

/* 65,536 entries: past what the classic end record can count. */
static void test_many_entries_take_the_zip64_end_records(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	const char *path = new_path(a);
	struct file_sink s = {.f = fopen(path, "wb")};
	struct zip_writer *z = zip_writer_new(to_file, &s);
	char name[32];
	for (int i = 0; i < 65536; i++) {
		snprintf(name, sizeof(name), "d/%05d.txt", i);
		assert_true(zip_entry_begin(z, name, 1, 0));
		assert_true(zip_entry_write(z, "x", 1));
		assert_true(zip_entry_end(z));
	}
	assert_true(zip_finish(z));
	zip_writer_free(z);
	fclose(s.f);
	char *count = run(a, arena_printf(a, "unzip -Z1 '%s' | wc -l", path));
	assert_int_equal(atoi(count), 65536);
	assert_non_null(run(a, arena_printf(a, "unzip -tq '%s' >/dev/null", path)));
	unlink(path);
	arena_free(a);
}

/* An entry past 4 GiB (holes on disk), then one whose offset is past
 * 4 GiB: sizes and offset go to ZIP64 fields, and the small entry after
 * the big one is found and read back. */
static void test_past_4_gib_sizes_and_offsets_are_zip64(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	const char *path = new_path(a);
	struct file_sink s = {.f = fopen(path, "wb"), .sparse = true};
	struct zip_writer *z = zip_writer_new(to_file, &s);
	const uint64_t big = (4ULL << 30) + 1;
	static unsigned char zeros[1 << 20];
	assert_true(zip_entry_begin(z, "grand.bin", big, 0));
	for (uint64_t done = 0; done < big;) {
		size_t n = big - done < sizeof(zeros) ? (size_t)(big - done) : sizeof(zeros);
		assert_true(zip_entry_write(z, zeros, n));
		done += n;
	}
	assert_true(zip_entry_end(z));
	put_entry(z, "apres.txt", "lu après 4 Gio");
	assert_true(zip_finish(z));
	assert_true(zip_written(z) > big);
	zip_writer_free(z);
	fclose(s.f);
	char *listing = run(a, arena_printf(a, "unzip -Z '%s'", path));
	assert_non_null(listing);
	assert_non_null(strstr(listing, "4294967297"));
	char *after = run(a, arena_printf(a, "unzip -p '%s' apres.txt", path));
	assert_string_equal(after, "lu après 4 Gio");
	unlink(path);
	arena_free(a);
}

static int teardown(void **state)
{
	(void)state;
	char command[128];
	snprintf(command, sizeof(command), "rm -rf '%s'", dir);
	return system(command) == 0 ? 0 : -1;
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entries_unzip_with_their_names_and_bytes),
		cmocka_unit_test(test_an_empty_archive_is_valid),
		cmocka_unit_test(test_names_that_climb_out_are_refused),
		cmocka_unit_test(test_safe_name_makes_one_harmless_component),
		cmocka_unit_test(test_wrong_sizes_and_dead_sinks_stop_the_writer),
		cmocka_unit_test(test_crc32_matches_the_standard_check_value),
		cmocka_unit_test(test_many_entries_take_the_zip64_end_records),
		cmocka_unit_test(test_past_4_gib_sizes_and_offsets_are_zip64),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
