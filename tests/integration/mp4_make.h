/* Test media made to order: MP4 files of a chosen duration, with moov
 * before or after their mdat, and small valid PDF documents of an exact
 * size. Used by the unit tests of the MP4 walker (in memory), the upload
 * integration tests (on disk: a 500 Mo mdat is a hole, so the file costs
 * no disk and no time) and the browser flow (through media_make, the CLI
 * in media_make.c). */
#ifndef COUSILAB_TEST_MP4_MAKE_H
#define COUSILAB_TEST_MP4_MAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mp4_spec {
	uint32_t timescale;       /* units per second */
	uint64_t duration;        /* in timescale units, in mvhd */
	uint64_t track_duration;  /* in the track's tkhd; 0: the same as duration */
	int mvhd_version;         /* 0 or 1 (64-bit instants and duration) */
	bool moov_at_end;         /* after mdat, as most cameras write it */
	bool mdat_largesize;      /* a 64-bit mdat header (size field 1) */
	uint64_t mdat_bytes;      /* mdat's payload: zeros, or a hole on disk */
	const char *major_brand;  /* NULL: "isom" */
	const char *compat_brand; /* NULL: "mp41" */
};

/* A growing byte buffer (d is malloc'ed; the caller frees it). */
struct mp4_buf {
	uint8_t *d;
	size_t n, cap;
};

/* Appends n bytes of p (zeros when p is NULL) to b. */
void mp4_put(struct mp4_buf *b, const void *p, size_t n);

/* Appends a 32-bit big-endian number to b. */
void mp4_put_be32(struct mp4_buf *b, uint32_t v);

/* Opens a box of type (4 characters) in b. Returns its offset, for
 * mp4_box_end, which writes its size once its content is appended. */
size_t mp4_box_begin(struct mp4_buf *b, const char *type);
void mp4_box_end(struct mp4_buf *b, size_t at);

/* Appends the ftyp box of s to b. */
void mp4_put_ftyp(struct mp4_buf *b, const struct mp4_spec *s);

/* Appends the moov box of s to b: mvhd, and one trak holding its tkhd.
 * Returns the offset of mvhd's payload in b (its version byte). */
size_t mp4_put_moov(struct mp4_buf *b, const struct mp4_spec *s);

/* Builds the whole file of s in memory (mdat's payload as zeros) into b,
 * which it resets. */
void mp4_make_buffer(struct mp4_buf *b, const struct mp4_spec *s);

/* Writes the file of s to path (created or truncated, mode 0600), its mdat
 * payload a hole (ftruncate/lseek), so a file of 500 Mo costs a few
 * hundred bytes of disk. Returns the file's size, or 0 on error (errno). */
uint64_t mp4_make_file(const char *path, const struct mp4_spec *s);

/* Writes a valid one-page PDF of exactly size bytes (at least
 * MP4_MAKE_PDF_MIN) to path, "%%EOF" closing it. Returns 0, or -1 (errno,
 * or EINVAL when size is too small). */
#define MP4_MAKE_PDF_MIN 600
int pdf_make_file(const char *path, size_t size);

#endif
