#include "files/mp4.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"

enum {
	FTYP_MIN = 16, /* header, major brand, minor version */
	FTYP_MAX = 4096,
	MAX_BOXES = 100000,
	MVHD_V0 = 4 + 16, /* version and flags, then creation, modification,
			   * timescale, duration on 32 bits */
	MVHD_V1 = 4 + 28, /* the same with 64-bit instants and duration */
	TKHD_V0 = 4 + 20, /* creation, modification, track id, reserved, duration */
	TKHD_V1 = 4 + 32,
};

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static bool is_type(const uint8_t *type, const char *name)
{
	return memcmp(type, name, 4) == 0;
}

static bool is_mp4_brand(const uint8_t *b)
{
	static const char brands[][5] = {
		"isom", "iso2", "iso3", "iso4", "iso5", "iso6", "iso7", "iso8", "iso9",
		"mp41", "mp42", "avc1", "M4V ", "M4VH", "M4VP", "dash", "MSNV",
	};
	for (size_t i = 0; i < sizeof(brands) / sizeof(*brands); i++)
		if (is_type(b, brands[i]))
			return true;
	return false;
}

/* One box: where it starts, its whole length, its header's length. */
struct box {
	uint64_t off, len, hlen;
	uint8_t type[4];
};

/* The walk's state: the reader and the box budget shared by every level. */
struct walk {
	const struct mp4_reader *r;
	unsigned boxes;
};

/* Reads the header of the box at off, which must end by end (its parent's
 * end, or the file's). Returns MP4_OK with *b filled, MP4_TRUNCATED when
 * it runs past end, MP4_MALFORMED when it is shorter than its header or
 * over the box budget, MP4_UNREADABLE. */
static enum mp4_status box_at(struct walk *w, uint64_t off, uint64_t end, struct box *b)
{
	uint8_t h[16];
	if (++w->boxes > MAX_BOXES)
		return MP4_MALFORMED;
	if (end - off < 8)
		return MP4_TRUNCATED;
	if (!w->r->read_at(w->r->ctx, off, h, 8))
		return MP4_UNREADABLE;
	b->off = off;
	b->len = be32(h);
	b->hlen = 8;
	memcpy(b->type, h + 4, 4);
	if (b->len == 1) {
		if (end - off < 16)
			return MP4_TRUNCATED;
		if (!w->r->read_at(w->r->ctx, off + 8, h + 8, 8))
			return MP4_UNREADABLE;
		b->len = be64(h + 8);
		b->hlen = 16;
	} else if (b->len == 0) {
		b->len = end - off; /* the last box runs to the end */
	}
	if (b->len < b->hlen)
		return MP4_MALFORMED;
	return b->len > end - off ? MP4_TRUNCATED : MP4_OK;
}

/* Reads the first n bytes of b's payload (n <= 64) into dst, after
 * checking that it has them. Returns MP4_OK, MP4_BAD_MOVIE when it is
 * shorter, MP4_UNREADABLE. */
static enum mp4_status payload(struct walk *w, const struct box *b, uint8_t *dst, size_t n)
{
	if (b->len - b->hlen < n)
		return MP4_BAD_MOVIE;
	return w->r->read_at(w->r->ctx, b->off + b->hlen, dst, n) ? MP4_OK : MP4_UNREADABLE;
}

/* What moov tells about the movie's length. */
struct movie {
	bool mvhd, unknown, fragmented;
	uint32_t timescale;
	uint64_t duration; /* the longest seen so far */
};

static void lasts(struct movie *m, uint64_t duration, uint64_t all_ones)
{
	if (duration == all_ones)
		m->unknown = true;
	else if (duration > m->duration)
		m->duration = duration;
}

/* Reads a full box's version and the duration at d0 (version 0, 32 bits)
 * or d1 (version 1, 64 bits) of its payload, whose length is v0 or v1 at
 * least. Returns MP4_OK after adding it to m, or the problem. */
static enum mp4_status timed(struct walk *w, const struct box *b, struct movie *m, size_t v0,
			     size_t v1, size_t d0, size_t d1)
{
	uint8_t p[TKHD_V1];
	enum mp4_status st = payload(w, b, p, 4);
	if (st != MP4_OK)
		return st;
	if (p[0] > 1)
		return MP4_BAD_MOVIE;
	if ((st = payload(w, b, p, p[0] ? v1 : v0)) != MP4_OK)
		return st;
	if (is_type(b->type, "mvhd"))
		m->timescale = be32(p + (p[0] ? d1 - 4 : d0 - 4));
	if (p[0])
		lasts(m, be64(p + d1), UINT64_MAX);
	else
		lasts(m, be32(p + d0), UINT32_MAX);
	return MP4_OK;
}

/* Walks the children of parent (moov or trak), reading mvhd and tkhd into
 * m and noting mvex. Any overrun inside is MP4_BAD_MOVIE: the container
 * around it may still be sound. */
static enum mp4_status walk_movie(struct walk *w, const struct box *parent, struct movie *m)
{
	uint64_t end = parent->off + parent->len;
	for (uint64_t off = parent->off + parent->hlen; off < end;) {
		struct box b;
		enum mp4_status st = box_at(w, off, end, &b);
		/* over the budget stays MP4_MALFORMED: the whole file is */
		if (st == MP4_TRUNCATED || (st == MP4_MALFORMED && w->boxes <= MAX_BOXES))
			return MP4_BAD_MOVIE;
		if (st != MP4_OK)
			return st;
		if (is_type(b.type, "mvhd") && is_type(parent->type, "moov")) {
			if (m->mvhd)
				return MP4_BAD_MOVIE;
			m->mvhd = true;
			st = timed(w, &b, m, MVHD_V0, MVHD_V1, 16, 24);
		} else if (is_type(b.type, "tkhd") && is_type(parent->type, "trak")) {
			st = timed(w, &b, m, TKHD_V0, TKHD_V1, 20, 28);
		} else if (is_type(b.type, "trak") && is_type(parent->type, "moov")) {
			st = walk_movie(w, &b, m);
		} else if (is_type(b.type, "mvex")) {
			m->fragmented = true;
		}
		if (st != MP4_OK)
			return st;
		off += b.len;
	}
	return MP4_OK;
}

/* Returns the status of the movie m once moov is walked, filling info. */
static enum mp4_status movie_status(const struct movie *m, struct mp4_info *info)
{
	if (!m->mvhd)
		return MP4_NO_MVHD;
	if (!m->timescale)
		return MP4_ZERO_TIMESCALE;
	if (m->fragmented) /* first: its headers often say "unknown" too */
		return MP4_FRAGMENTED;
	if (m->unknown)
		return MP4_UNKNOWN_DURATION;
	info->timescale = m->timescale;
	info->duration = m->duration;
	return MP4_OK;
}

/* Checks that the file opens with an ftyp box naming an MP4 brand. */
static enum mp4_status check_ftyp(struct walk *w)
{
	uint8_t f[FTYP_MAX];
	uint64_t size = w->r->size;
	if (size < 8)
		return MP4_TRUNCATED;
	if (!w->r->read_at(w->r->ctx, 0, f, 8))
		return MP4_UNREADABLE;
	if (!is_type(f + 4, "ftyp"))
		return MP4_NOT_MP4;
	uint32_t len = be32(f);
	if (len < FTYP_MIN || len > FTYP_MAX || len % 4)
		return MP4_MALFORMED;
	if (len > size)
		return MP4_TRUNCATED;
	if (!w->r->read_at(w->r->ctx, 0, f, len))
		return MP4_UNREADABLE;
	bool known = is_mp4_brand(f + 8);
	for (uint32_t i = 16; i < len && !known; i += 4) /* after the minor version */
		known = is_mp4_brand(f + i);
	return known ? MP4_OK : MP4_NOT_MP4;
}

enum mp4_status mp4_probe(const struct mp4_reader *r, struct mp4_info *info)
{
	*info = (struct mp4_info){0};
	struct walk w = {r, 0};
	enum mp4_status st = check_ftyp(&w);
	if (st != MP4_OK)
		return st;
	struct movie m = {0};
	enum mp4_status movie = MP4_NO_MVHD;
	bool moov = false, mdat = false;
	for (uint64_t off = 0; off < r->size;) {
		struct box b;
		if ((st = box_at(&w, off, r->size, &b)) != MP4_OK)
			return st;
		if (is_type(b.type, "moov")) {
			if (moov)
				return MP4_MALFORMED;
			moov = true;
			info->moov_offset = off;
			movie = walk_movie(&w, &b, &m);
			if (movie == MP4_UNREADABLE || movie == MP4_MALFORMED)
				return movie; /* the reader, or the box budget */
		} else if (is_type(b.type, "mdat") && !mdat) {
			mdat = true;
			info->mdat_offset = off;
		}
		off += b.len;
	}
	if (!moov)
		return MP4_NO_MOOV;
	if (!mdat)
		return MP4_NO_MDAT;
	if (movie != MP4_OK)
		return movie;
	return movie_status(&m, info);
}

/* A mp4_reader.read_at over a file descriptor (ctx points to it). */
static bool pread_all(void *ctx, uint64_t off, void *dst, size_t n)
{
	int fd = *(int *)ctx;
	size_t got = 0;
	while (got < n) {
		ssize_t r = pread(fd, (char *)dst + got, n - got, (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		got += (size_t)r;
	}
	return true;
}

enum mp4_status mp4_probe_file(const char *path, struct mp4_info *info)
{
	*info = (struct mp4_info){0};
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return MP4_UNREADABLE;
	struct stat sb;
	enum mp4_status st = MP4_UNREADABLE;
	if (fstat(fd, &sb) == 0) {
		struct mp4_reader r = {pread_all, &fd, (uint64_t)sb.st_size};
		st = mp4_probe(&r, info);
	}
	close(fd);
	return st;
}

bool mp4_within_seconds(const struct mp4_info *info, uint32_t max_seconds)
{
	if (!info->timescale)
		return false;
	uint64_t whole = info->duration / info->timescale;
	return whole < max_seconds ||
	       (whole == max_seconds && info->duration % info->timescale == 0);
}

uint64_t mp4_seconds(const struct mp4_info *info)
{
	if (!info->timescale)
		return 0;
	return info->duration / info->timescale + (info->duration % info->timescale != 0);
}

/* Returns s seconds as "3 min 01 s", "3 min" or "45 s", in a. */
static const char *minutes(struct arena *a, uint64_t s)
{
	if (s < 60)
		return arena_printf(a, "%llu\u00a0s", (unsigned long long)s);
	if (s % 60 == 0)
		return arena_printf(a, "%llu\u00a0min", (unsigned long long)(s / 60));
	return arena_printf(a, "%llu\u00a0min %02llu\u00a0s", (unsigned long long)(s / 60),
			    (unsigned long long)(s % 60));
}

const char *mp4_refusal(struct arena *a, enum mp4_status st, const struct mp4_info *info,
			uint32_t max_seconds)
{
	switch (st) {
	case MP4_OK:
		if (mp4_within_seconds(info, max_seconds))
			return NULL;
		return arena_printf(a, "La vidéo dure %s\u202f; elle ne doit pas dépasser %s.",
				    minutes(a, mp4_seconds(info)), minutes(a, max_seconds));
	case MP4_NO_MVHD:
	case MP4_BAD_MOVIE:
	case MP4_ZERO_TIMESCALE:
	case MP4_UNKNOWN_DURATION:
		return "La durée de cette vidéo est illisible. Exportez-la de nouveau en MP4 "
		       "depuis votre logiciel de montage.";
	case MP4_FRAGMENTED:
		return "Cette vidéo est au format fragmenté (diffusion en continu), dont la durée "
		       "ne peut pas être vérifiée. Exportez-la en MP4 standard.";
	case MP4_NOT_MP4: return "Ce fichier n’est pas une vidéo MP4.";
	case MP4_TRUNCATED:
		return "Cette vidéo est incomplète (le fichier est tronqué). Envoyez-la de "
		       "nouveau.";
	case MP4_MALFORMED:
	case MP4_NO_MOOV:
	case MP4_NO_MDAT: return "Cette vidéo MP4 est endommagée et ne peut pas être lue.";
	case MP4_UNREADABLE: break;
	}
	return "La vidéo n’a pas pu être lue. Réessayez dans quelques instants.";
}
