/*
 * libFuzzer target: the MP4 box walker (files/mp4.h) over the input as a
 * memory file. Whatever the bytes, it must stay inside them, never read a
 * range outside [0, size) nor more than 4 KiB at once, and answer
 * consistently: a timed movie has a timescale, its moov and mdat inside
 * the file, a duration limit that agrees with its rounded-up seconds, and
 * every status a French reason.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "files/mp4.h"

#define CHECK(x)                 \
	do {                     \
		if (!(x))        \
			abort(); \
	} while (0)

struct input {
	const uint8_t *data;
	size_t size;
};

static bool read_at(void *ctx, uint64_t off, void *dst, size_t n)
{
	const struct input *in = ctx;
	CHECK(n >= 1 && n <= 4096);
	CHECK(off < in->size && n <= in->size - off);
	memcpy(dst, in->data + off, n);
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size};
	struct mp4_reader r = {read_at, &in, size};
	struct mp4_info info;
	enum mp4_status st = mp4_probe(&r, &info);
	CHECK(st >= MP4_OK && st <= MP4_UNREADABLE);
	CHECK(st != MP4_UNREADABLE); /* this reader never fails */
	if (st == MP4_OK) {
		CHECK(info.timescale > 0);
		CHECK(info.moov_offset < size && info.mdat_offset < size);
		CHECK(info.moov_offset != info.mdat_offset);
		uint64_t s = mp4_seconds(&info);
		CHECK(mp4_within_seconds(&info, 180) == (s <= 180));
	} else {
		CHECK(info.timescale == 0 && info.duration == 0);
	}
	struct arena *a = arena_new();
	const char *why = mp4_refusal(a, st, &info, 180);
	CHECK(st == MP4_OK || why);
	arena_free(a);
	return 0;
}
