/* MP4 videos (ISO base media files, ISO/IEC 14496-12), judged by their
 * content: the box walker that tells an MP4 from anything else and reads
 * its duration. It runs over a reader, so the same code serves a memory
 * buffer (fuzzing, unit tests) and a 500 Mo file on disk: box payloads are
 * skipped by offset and never read, so `moov` costs the same before or
 * after a huge `mdat` (a few dozen bytes read per top-level box, the movie
 * header and track headers inside `moov`, nothing else).
 *
 * What is an MP4 here:
 * - the first box is `ftyp` (16..4096 bytes, a multiple of 4) whose major
 *   or one compatible brand is of the MP4 family: isom, iso2..iso9, mp41,
 *   mp42, avc1, "M4V ", M4VH, M4VP, dash, MSNV. A QuickTime movie that
 *   names only "qt  " is not one (browsers do not all play it, and it is
 *   not what the rules ask); one that also names an MP4 brand is. Audio
 *   ("M4A "), images (heic, mif1) and 3GPP are not;
 * - the top-level boxes tile the file exactly: each fits in what is left,
 *   a size of 1 takes a 64-bit largesize, a size of 0 runs to the end of
 *   the file; a cut-off upload leaves its last box short, hence
 *   MP4_TRUNCATED; at most 100,000 boxes are walked;
 * - among them exactly what plays: `moov` (once) and `mdat`.
 *
 * Its duration: `mvhd` in `moov` (versions 0 and 1) gives the timescale
 * (units per second, never 0) and the duration in those units; every
 * track's `tkhd` gives its own duration in the same units, and the longest
 * of all is kept, so a forged short `mvhd` over a long track does not
 * pass. A duration of all ones ("unknown") is refused, and so is a
 * fragmented movie (`mvex` in `moov`): its real length is spread over
 * `moof` boxes that this walker does not add up, so it cannot be held to a
 * limit. A limit of S seconds accepts a duration D at timescale T exactly
 * when D <= S x T, in exact integer arithmetic: 3:00.000 passes, 3:00.001
 * and 3:01 do not. */
#ifndef COUSILAB_FILES_MP4_H
#define COUSILAB_FILES_MP4_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

/* Where the bytes come from. */
struct mp4_reader {
	/* Copies the n bytes (1 <= n <= 4096) at off into dst; returns false
	 * when it cannot. Only ever called for ranges inside [0, size). */
	bool (*read_at)(void *ctx, uint64_t off, void *dst, size_t n);
	void *ctx;
	uint64_t size; /* the file's length in bytes */
};

/* What the walk found. The statuses before MP4_NOT_MP4 are about a sound
 * MP4 container whose movie cannot be timed; from MP4_NOT_MP4 on, the
 * file is no sound MP4 container at all. */
enum mp4_status {
	MP4_OK,
	MP4_NO_MVHD,          /* moov holds no movie header */
	MP4_BAD_MOVIE,        /* mvhd or tkhd too short, or a box inside moov
			       * overruns its parent */
	MP4_ZERO_TIMESCALE,   /* mvhd's timescale is 0 */
	MP4_UNKNOWN_DURATION, /* mvhd's duration is all ones */
	MP4_FRAGMENTED,       /* moov holds mvex: the length is in the fragments */
	MP4_NOT_MP4,          /* no ftyp first, or no MP4-family brand */
	MP4_TRUNCATED,        /* a box runs past the end of the file */
	MP4_MALFORMED,        /* a box shorter than its header, a bad ftyp,
			       * two moov, too many boxes */
	MP4_NO_MOOV,
	MP4_NO_MDAT,
	MP4_UNREADABLE, /* the reader failed */
};

struct mp4_info {
	uint32_t timescale;   /* units per second (0 unless MP4_OK) */
	uint64_t duration;    /* the longest of mvhd's and the tracks', in
			       * timescale units (0 unless MP4_OK) */
	uint64_t moov_offset; /* where moov starts (0 when none) */
	uint64_t mdat_offset; /* where the first mdat starts (0 when none) */
};

/* Walks the file r reads. Returns MP4_OK with *info filled, or the first
 * problem found (a problem of the container wins over one of the movie).
 * Pure but for r; allocates nothing (about 4 KiB of stack). */
enum mp4_status mp4_probe(const struct mp4_reader *r, struct mp4_info *info);

/* mp4_probe on the file at path, with pread (its size from fstat, so a
 * shorter file than announced cannot be read past its end). Returns
 * MP4_UNREADABLE when it cannot be opened. Allocates nothing. */
enum mp4_status mp4_probe_file(const char *path, struct mp4_info *info);

/* Returns true when the movie of info (MP4_OK) lasts at most max_seconds:
 * duration <= max_seconds x timescale, exactly. Pure. */
bool mp4_within_seconds(const struct mp4_info *info, uint32_t max_seconds);

/* Returns the movie's length in whole seconds, rounded up (180.001 s is
 * 181): the figure to show and store, consistent with mp4_within_seconds
 * (within exactly when mp4_seconds <= max_seconds). Pure. */
uint64_t mp4_seconds(const struct mp4_info *info);

/* Returns NULL when st is MP4_OK and the movie lasts at most max_seconds,
 * else why the video is refused, in French, for the person uploading it
 * ("La vidéo dure 3 min 01 s\u202f; 3 min au plus."). Static or allocated in
 * a. */
const char *mp4_refusal(struct arena *a, enum mp4_status st, const struct mp4_info *info,
			uint32_t max_seconds);

#endif
