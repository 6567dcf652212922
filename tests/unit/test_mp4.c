/* The MP4 box walker (files/mp4.h) on files built at test time: what is an
 * MP4, its duration whatever moov's place and mvhd's version, the 3-minute
 * boundary, and every way a file can be cut, forged or broken. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "files/mp4.h"
#include "files/sniff.h"
#include "mp4_make.h"

#define MIB ((uint64_t)1024 * 1024)

/* A reader over a buffer, counting what it was asked for. */
struct mem {
	const uint8_t *d;
	uint64_t read;
	bool fail;
};

static bool mem_read_at(void *ctx, uint64_t off, void *dst, size_t n)
{
	struct mem *m = ctx;
	assert_true(n >= 1 && n <= 4096);
	m->read += n;
	if (m->fail)
		return false;
	memcpy(dst, m->d + off, n);
	return true;
}

/* Probes the first n bytes of b. */
static enum mp4_status probe_n(const struct mp4_buf *b, size_t n, struct mp4_info *info)
{
	struct mem m = {b->d, 0, false};
	struct mp4_reader r = {mem_read_at, &m, n};
	return mp4_probe(&r, info);
}

static enum mp4_status probe(const struct mp4_buf *b, struct mp4_info *info)
{
	return probe_n(b, b->n, info);
}

/* A valid 10-second movie at 1000 units per second, moov first. */
static struct mp4_spec spec(void)
{
	return (struct mp4_spec){.timescale = 1000, .duration = 10000, .mdat_bytes = 100};
}

static enum mp4_status probe_spec(const struct mp4_spec *s, struct mp4_info *info)
{
	struct mp4_buf b = {0};
	mp4_make_buffer(&b, s);
	enum mp4_status st = probe(&b, info);
	free(b.d);
	return st;
}

static void duration_wherever_moov_is(void **state)
{
	(void)state;
	struct mp4_info info;
	struct mp4_spec s = spec();
	assert_int_equal(probe_spec(&s, &info), MP4_OK);
	assert_int_equal(info.timescale, 1000);
	assert_int_equal(info.duration, 10000);
	assert_int_equal(mp4_seconds(&info), 10);
	assert_true(info.moov_offset < info.mdat_offset);

	s.moov_at_end = true;
	assert_int_equal(probe_spec(&s, &info), MP4_OK);
	assert_int_equal(info.duration, 10000);
	assert_true(info.moov_offset > info.mdat_offset);

	/* version 1: 64-bit duration, with a 64-bit mdat header */
	s.mvhd_version = 1;
	s.mdat_largesize = true;
	s.timescale = 90000;
	s.duration = (uint64_t)90000 * 179 + 89999;
	assert_int_equal(probe_spec(&s, &info), MP4_OK);
	assert_int_equal(info.timescale, 90000);
	assert_int_equal(info.duration, (uint64_t)90000 * 179 + 89999);
	assert_int_equal(mp4_seconds(&info), 180);
	assert_true(mp4_within_seconds(&info, 180));
}

/* 3:00 passes, 3:00.001 and 3:01 do not: D <= S x T exactly. */
static void three_minutes_boundary(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct mp4_info info = {.timescale = 1000, .duration = 180000};
	assert_true(mp4_within_seconds(&info, 180));
	assert_int_equal(mp4_seconds(&info), 180);
	assert_null(mp4_refusal(a, MP4_OK, &info, 180));

	info.duration = 180001;
	assert_false(mp4_within_seconds(&info, 180));
	assert_int_equal(mp4_seconds(&info), 181);

	info.duration = 181000;
	assert_false(mp4_within_seconds(&info, 180));
	assert_string_equal(mp4_refusal(a, MP4_OK, &info, 180),
			    "La vidéo dure 3\u00a0min 01\u00a0s\u202f; elle ne doit pas dépasser "
			    "3\u00a0min.");

	/* the largest durations do not overflow */
	info = (struct mp4_info){.timescale = 1, .duration = UINT64_MAX};
	assert_false(mp4_within_seconds(&info, UINT32_MAX));
	info = (struct mp4_info){.timescale = UINT32_MAX, .duration = UINT64_MAX};
	assert_int_equal(mp4_seconds(&info), UINT64_MAX / UINT32_MAX); /* exact */
	assert_false(mp4_within_seconds(&info, 180));
	info = (struct mp4_info){.timescale = 600, .duration = 0};
	assert_true(mp4_within_seconds(&info, 180));
	arena_free(a);
}

/* The longest of mvhd's and the tracks' durations counts. */
static void a_short_mvhd_does_not_hide_a_long_track(void **state)
{
	(void)state;
	struct mp4_info info;
	struct mp4_spec s = spec();
	s.duration = 60000;
	s.track_duration = 600000;
	assert_int_equal(probe_spec(&s, &info), MP4_OK);
	assert_int_equal(info.duration, 600000);
	assert_false(mp4_within_seconds(&info, 180));
}

static void brands(void **state)
{
	(void)state;
	struct mp4_info info;
	struct mp4_spec s = spec();
	static const char *const mp4[] = {"isom", "iso2", "iso6", "iso9", "mp41", "mp42",
					  "avc1", "M4V ", "M4VH", "dash", "MSNV"};
	for (size_t i = 0; i < sizeof(mp4) / sizeof(*mp4); i++) {
		s.major_brand = mp4[i];
		s.compat_brand = "zzzz";
		assert_int_equal(probe_spec(&s, &info), MP4_OK);
	}
	/* a compatible brand is enough; "qt  " alone, audio, images are not */
	s.major_brand = "qt  ";
	s.compat_brand = "mp42";
	assert_int_equal(probe_spec(&s, &info), MP4_OK);
	struct mp4_buf b = {0};
	mp4_make_buffer(&b, &s);
	memcpy(b.d + 8, "qt  ", 4);
	memcpy(b.d + 16, "qt  ", 4);
	assert_int_equal(probe(&b, &info), MP4_NOT_MP4);
	memcpy(b.d + 8, "M4A ", 4);
	assert_int_equal(probe(&b, &info), MP4_NOT_MP4);
	memcpy(b.d + 8, "heic", 4);
	memcpy(b.d + 16, "mif1", 4);
	assert_int_equal(probe(&b, &info), MP4_NOT_MP4);

	/* not ftyp first: an HTML page, a box of another kind */
	const char *html = "<!DOCTYPE html><html></html>";
	struct mp4_buf h = {0};
	mp4_put(&h, html, strlen(html));
	assert_int_equal(probe(&h, &info), MP4_NOT_MP4);
	memcpy(b.d + 4, "free", 4);
	assert_int_equal(probe(&b, &info), MP4_NOT_MP4);
	free(h.d);
	free(b.d);
}

/* Every strict prefix of a movie is refused as no sound container. */
static void every_cut_is_refused(void **state)
{
	(void)state;
	for (int at_end = 0; at_end < 2; at_end++) {
		struct mp4_spec s = spec();
		s.moov_at_end = at_end;
		s.mdat_largesize = at_end;
		struct mp4_buf b = {0};
		mp4_make_buffer(&b, &s);
		struct mp4_info info;
		for (size_t n = 0; n < b.n; n++) {
			enum mp4_status st = probe_n(&b, n, &info);
			if (st <= MP4_NOT_MP4)
				fail_msg("a cut at %zu/%zu bytes gave %d", n, b.n, st);
			assert_int_equal(info.timescale, 0);
		}
		/* cut inside mdat or moov: truncated */
		assert_int_equal(probe_n(&b, b.n - 1, &info), MP4_TRUNCATED);
		free(b.d);
	}
}

/* Offset of the first box of type in b at or after from. */
static size_t find(const struct mp4_buf *b, const char *type, size_t from)
{
	for (size_t i = from; i + 4 <= b->n; i++)
		if (!memcmp(b->d + i, type, 4))
			return i - 4;
	fail_msg("no %s", type);
	return 0;
}

static void put_be32_at(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * (3 - i)));
}

static void unreadable_durations(void **state)
{
	(void)state;
	struct mp4_info info;
	struct mp4_spec s = spec();
	struct mp4_buf b = {0};

	s.timescale = 0;
	assert_int_equal(probe_spec(&s, &info), MP4_ZERO_TIMESCALE);
	s = spec();
	s.duration = UINT32_MAX; /* "unknown", version 0 */
	assert_int_equal(probe_spec(&s, &info), MP4_UNKNOWN_DURATION);
	s.mvhd_version = 1;
	s.duration = UINT64_MAX;
	assert_int_equal(probe_spec(&s, &info), MP4_UNKNOWN_DURATION);
	s.duration = UINT32_MAX; /* a real 64-bit duration */
	assert_int_equal(probe_spec(&s, &info), MP4_OK);

	/* mvhd renamed: none left; mvhd of version 2 or cut short */
	s = spec();
	mp4_make_buffer(&b, &s);
	size_t mvhd = find(&b, "mvhd", 0);
	memcpy(b.d + mvhd + 4, "free", 4);
	assert_int_equal(probe(&b, &info), MP4_NO_MVHD);
	memcpy(b.d + mvhd + 4, "mvhd", 4);
	b.d[mvhd + 8] = 2;
	assert_int_equal(probe(&b, &info), MP4_BAD_MOVIE);
	b.d[mvhd + 8] = 0;
	assert_int_equal(probe(&b, &info), MP4_OK);
	/* mvhd claims more than moov holds */
	put_be32_at(b.d + mvhd, 5000);
	assert_int_equal(probe(&b, &info), MP4_BAD_MOVIE);
	/* mvhd too short for its version */
	put_be32_at(b.d + mvhd, 8 + 12);
	assert_int_equal(probe(&b, &info), MP4_BAD_MOVIE);
	free(b.d);

	/* a fragmented movie: its length is in the fragments */
	b = (struct mp4_buf){0};
	mp4_put_ftyp(&b, &s);
	size_t moov = mp4_box_begin(&b, "moov");
	struct mp4_buf m = {0};
	mp4_put_moov(&m, &s);
	mp4_put(&b, m.d + 8, m.n - 8); /* mvhd and trak */
	mp4_box_end(&b, mp4_box_begin(&b, "mvex"));
	mp4_box_end(&b, moov);
	mp4_box_end(&b, mp4_box_begin(&b, "mdat"));
	assert_int_equal(probe(&b, &info), MP4_FRAGMENTED);
	free(m.d);
	free(b.d);
}

static void broken_containers(void **state)
{
	(void)state;
	struct mp4_info info;
	struct mp4_spec s = spec();
	struct mp4_buf b = {0};
	mp4_make_buffer(&b, &s);
	size_t mdat = find(&b, "mdat", 0);

	put_be32_at(b.d + mdat, 4); /* shorter than its header */
	assert_int_equal(probe(&b, &info), MP4_MALFORMED);
	put_be32_at(b.d + mdat, 1000); /* past the end */
	assert_int_equal(probe(&b, &info), MP4_TRUNCATED);
	put_be32_at(b.d + mdat, 0); /* to the end */
	assert_int_equal(probe(&b, &info), MP4_OK);
	memcpy(b.d + mdat + 4, "free", 4);
	assert_int_equal(probe(&b, &info), MP4_NO_MDAT);
	free(b.d);

	/* largesize under 16, or past the end */
	s.mdat_largesize = true;
	b = (struct mp4_buf){0};
	mp4_make_buffer(&b, &s);
	mdat = find(&b, "mdat", 0);
	put_be32_at(b.d + mdat + 12, 15);
	assert_int_equal(probe(&b, &info), MP4_MALFORMED);
	put_be32_at(b.d + mdat + 8, 1);
	put_be32_at(b.d + mdat + 12, 0);
	assert_int_equal(probe(&b, &info), MP4_TRUNCATED);
	free(b.d);

	/* no moov; two moov */
	b = (struct mp4_buf){0};
	s = spec();
	mp4_put_ftyp(&b, &s);
	mp4_box_end(&b, mp4_box_begin(&b, "mdat"));
	assert_int_equal(probe(&b, &info), MP4_NO_MOOV);
	mp4_put_moov(&b, &s);
	assert_int_equal(probe(&b, &info), MP4_OK);
	mp4_put_moov(&b, &s);
	assert_int_equal(probe(&b, &info), MP4_MALFORMED);
	free(b.d);

	/* a bad ftyp: too short, not a multiple of 4, longer than the file */
	b = (struct mp4_buf){0};
	mp4_make_buffer(&b, &s);
	put_be32_at(b.d, 12);
	assert_int_equal(probe(&b, &info), MP4_MALFORMED);
	put_be32_at(b.d, 22);
	assert_int_equal(probe(&b, &info), MP4_MALFORMED);
	put_be32_at(b.d, 4096);
	assert_int_equal(probe(&b, &info), MP4_TRUNCATED);
	free(b.d);

	/* past the box budget */
	b = (struct mp4_buf){0};
	mp4_make_buffer(&b, &s);
	for (int i = 0; i < 100000; i++)
		mp4_box_end(&b, mp4_box_begin(&b, "free"));
	assert_int_equal(probe(&b, &info), MP4_MALFORMED);
	free(b.d);
}

static void a_failing_reader(void **state)
{
	(void)state;
	struct mp4_spec s = spec();
	struct mp4_buf b = {0};
	mp4_make_buffer(&b, &s);
	struct mem m = {b.d, 0, true};
	struct mp4_reader r = {mem_read_at, &m, b.n};
	struct mp4_info info;
	assert_int_equal(mp4_probe(&r, &info), MP4_UNREADABLE);
	assert_int_equal(mp4_probe_file("/nonexistent/video.mp4", &info), MP4_UNREADABLE);
	free(b.d);
}

/* A reader over a virtual file of 500 Mo: the head and tail buffers, zeros
 * between, which it is never asked for. */
struct sparse {
	struct mp4_buf head, tail;
	uint64_t size, read;
};

static bool sparse_read_at(void *ctx, uint64_t off, void *dst, size_t n)
{
	struct sparse *s = ctx;
	s->read += n;
	uint64_t tail_at = s->size - s->tail.n;
	if (off + n <= s->head.n)
		memcpy(dst, s->head.d + off, n);
	else if (off >= tail_at)
		memcpy(dst, s->tail.d + (off - tail_at), n);
	else
		fail_msg("read %zu bytes at %llu, inside mdat", n, (unsigned long long)off);
	return true;
}

/* A 500 Mo file costs a few hundred bytes read, moov before or after mdat. */
static void payloads_are_skipped(void **state)
{
	(void)state;
	for (int at_end = 0; at_end < 2; at_end++) {
		struct mp4_spec s = spec();
		s.moov_at_end = at_end;
		s.mdat_bytes = 500 * MIB - 1000;
		struct sparse v = {0};
		mp4_put_ftyp(&v.head, &s);
		if (!at_end)
			mp4_put_moov(&v.head, &s);
		mp4_put_be32(&v.head, (uint32_t)(s.mdat_bytes + 8));
		mp4_put(&v.head, "mdat", 4);
		if (at_end)
			mp4_put_moov(&v.tail, &s);
		v.size = v.head.n + s.mdat_bytes + v.tail.n;
		struct mp4_reader r = {sparse_read_at, &v, v.size};
		struct mp4_info info;
		assert_int_equal(mp4_probe(&r, &info), MP4_OK);
		assert_int_equal(info.duration, 10000);
		assert_true(v.read < 1024);
		free(v.head.d);
		free(v.tail.d);
	}
}

/* On disk, with pread: 500 Mo + 1 byte, moov at the end, a hole in mdat. */
static void files_on_disk(void **state)
{
	(void)state;
	char dir[] = "/tmp/cousilab-mp4-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof(path), "%s/video.mp4", dir);
	struct mp4_spec s = spec();
	s.moov_at_end = true;
	s.mvhd_version = 1;
	s.timescale = 600;
	s.duration = 180 * 600;
	uint64_t size = mp4_make_file(path, &s);
	assert_true(size > 0);
	s.mdat_bytes = 500 * MIB + 1 - (size - s.mdat_bytes);
	assert_int_equal(mp4_make_file(path, &s), 500 * MIB + 1);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 500 * MIB + 1);
	assert_true((uint64_t)st.st_blocks * 512 < MIB); /* a hole */
	struct mp4_info info;
	assert_int_equal(mp4_probe_file(path, &info), MP4_OK);
	assert_int_equal(mp4_seconds(&info), 180);
	assert_int_equal(file_sniff(path, 500 * MIB + 1), FILE_MP4);

	/* cut off: the file ends inside mdat */
	assert_int_equal(truncate(path, 1000), 0);
	assert_int_equal(mp4_probe_file(path, &info), MP4_TRUNCATED);
	unlink(path);

	/* the PDF maker: exact sizes, a PDF by content */
	for (size_t n = MP4_MAKE_PDF_MIN; n < MP4_MAKE_PDF_MIN + 3; n++) {
		assert_int_equal(pdf_make_file(path, n), 0);
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_size, n);
		assert_int_equal(file_pdf_check(path, n), FILE_PDF_OK);
	}
	size_t five = 5 * MIB;
	for (size_t n = five - 1; n <= five + 1; n++) {
		assert_int_equal(pdf_make_file(path, n), 0);
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_size, n);
		assert_int_equal(file_pdf_check(path, n), FILE_PDF_OK);
	}
	unlink(path);
	rmdir(dir);
}

static void refusals_are_french(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct mp4_info none = {0};
	assert_string_equal(mp4_refusal(a, MP4_NOT_MP4, &none, 180),
			    "Ce fichier n’est pas une vidéo MP4.");
	assert_non_null(strstr(mp4_refusal(a, MP4_TRUNCATED, &none, 180), "incomplète"));
	assert_non_null(strstr(mp4_refusal(a, MP4_FRAGMENTED, &none, 180), "fragmenté"));
	for (int st = MP4_NO_MVHD; st <= MP4_UNREADABLE; st++)
		assert_non_null(mp4_refusal(a, (enum mp4_status)st, &none, 180));
	struct mp4_info short_one = {.timescale = 1, .duration = 45};
	assert_string_equal(mp4_refusal(a, MP4_OK, &short_one, 30),
			    "La vidéo dure 45\u00a0s\u202f; elle ne doit pas dépasser 30\u00a0s.");
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(duration_wherever_moov_is),
		cmocka_unit_test(three_minutes_boundary),
		cmocka_unit_test(a_short_mvhd_does_not_hide_a_long_track),
		cmocka_unit_test(brands),
		cmocka_unit_test(every_cut_is_refused),
		cmocka_unit_test(unreadable_durations),
		cmocka_unit_test(broken_containers),
		cmocka_unit_test(a_failing_reader),
		cmocka_unit_test(payloads_are_skipped),
		cmocka_unit_test(files_on_disk),
		cmocka_unit_test(refusals_are_french),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
