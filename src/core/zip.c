#include "core/zip.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/paris_time.h"
#include "core/utf8.h"
#include "core/xalloc.h"

enum {
	SIG_LOCAL = 0x04034b50,
	SIG_CENTRAL = 0x02014b50,
	SIG_DESCRIPTOR = 0x08074b50,
	SIG_END64 = 0x06064b50,
	SIG_LOCATOR64 = 0x07064b50,
	SIG_END = 0x06054b50,
	FLAG_DESCRIPTOR = 1 << 3, /* CRC and sizes follow the data */
	FLAG_UTF8 = 1 << 11,
	VERSION_STORED = 20,
	VERSION_ZIP64 = 45,
	MADE_BY_UNIX = 3 << 8,
	EXTRA_ZIP64 = 0x0001,
	NAME_MAX_BYTES = 0xFFFF,
};

static const uint64_t MAX32 = 0xFFFFFFFFu;
static const uint64_t MAX16 = 0xFFFFu;

/* What the central directory says of one written entry. */
struct zip_entry {
	char *name;
	uint64_t size, offset;
	uint32_t crc;
	uint16_t dos_time, dos_date;
	bool zip64; /* sizes past 32 bits: ZIP64 local extra and descriptor */
};

struct zip_writer {
	zip_sink *sink;
	void *ctx;
	bool failed;
	uint64_t written;
	struct zip_entry *entries;
	size_t n, cap;
	bool open;        /* entries[n - 1] is being written */
	uint64_t at;      /* bytes of the open entry so far */
	uint32_t crc;     /* of the open entry so far */
	struct buf head;  /* records being put together */
};

/* ---- CRC-32 ---------------------------------------------------------- */

static uint32_t crc_table[256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_table_fill(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c >> 1 ^ (0xEDB88320u & -(c & 1));
		crc_table[i] = c;
	}
}

uint32_t zip_crc32(uint32_t crc, const void *data, size_t n)
{
	pthread_once(&crc_once, crc_table_fill);
	const unsigned char *p = data;
	crc = ~crc;
	for (size_t i = 0; i < n; i++)
		crc = crc_table[(crc ^ p[i]) & 0xFF] ^ crc >> 8;
	return ~crc;
}

/* ---- names ------------------------------------------------------------ */

const char *zip_safe_name(struct arena *a, const char *s, size_t max_bytes)
{
	size_t len;
	char *clean = utf8_sanitize(a, s ? s : "", s ? strlen(s) : 0, &len);
	char *out = arena_alloc(a, len + 1);
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		size_t n = utf8_char_len(clean + i, len - i);
		if (!n) /* cannot happen after utf8_sanitize: stop, keep what is safe */
			break;
		if (o + n > max_bytes)
			break;
		unsigned char c = (unsigned char)clean[i];
		bool leading = o == 0 && (c == '.' || c == ' ');
		if (!leading) {
			if (n == 1 && (c < 0x20 || c == 0x7F || c == '/' || c == '\\' || c == ':'))
				out[o++] = '_';
			else {
				memcpy(out + o, clean + i, n);
				o += n;
			}
		}
		i += n;
	}
	out[o] = '\0';
	return o ? out : "fichier";
}

/* Returns true when name is a relative path of safe components. */
static bool name_acceptable(const char *name)
{
	size_t len = strlen(name);
	if (!len || len > NAME_MAX_BYTES || !utf8_valid(name, len) || strchr(name, '\\'))
		return false;
	for (const char *p = name;;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)p[i] < 0x20)
				return false;
		if (!slash)
			return true;
		p = slash + 1;
	}
}

/* ---- records ---------------------------------------------------------- */

static void le16(struct buf *b, uint64_t v)
{
	unsigned char x[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
	buf_append(b, x, 2);
}

static void le32(struct buf *b, uint64_t v)
{
	le16(b, v & 0xFFFF);
	le16(b, v >> 16 & 0xFFFF);
}

static void le64(struct buf *b, uint64_t v)
{
	le32(b, v & MAX32);
	le32(b, v >> 32);
}

/* Hands z->head to the sink and empties it. Returns false once failed. */
static bool flush_head(struct zip_writer *z)
{
	if (!z->failed && z->head.len && !z->sink(z->ctx, z->head.data, z->head.len))
		z->failed = true;
	if (!z->failed)
		z->written += z->head.len;
	buf_reset(&z->head);
	return !z->failed;
}

/* The MS-DOS date and time of mtime_ms in Paris (2-second steps, from
 * 1980: earlier instants become 1980-01-01). */
static void dos_stamp(int64_t mtime_ms, uint16_t *time, uint16_t *date)
{
	struct paris_time_fields f = paris_time_split(mtime_ms);
	if (f.year < 1980)
		f = (struct paris_time_fields){.year = 1980, .month = 1, .day = 1};
	if (f.year > 2107)
		f = (struct paris_time_fields){.year = 2107, .month = 12, .day = 31};
	*time = (uint16_t)(f.hour << 11 | f.minute << 5 | f.second / 2);
	*date = (uint16_t)((f.year - 1980) << 9 | f.month << 5 | f.day);
}

struct zip_writer *zip_writer_new(zip_sink *sink, void *ctx)
{
	struct zip_writer *z = xcalloc(1, sizeof(*z));
	z->sink = sink;
	z->ctx = ctx;
	z->head = (struct buf)BUF_INIT;
	return z;
}

bool zip_entry_begin(struct zip_writer *z, const char *name, uint64_t size, int64_t mtime_ms)
{
	if (z->failed || z->open || !name_acceptable(name))
		return false;
	if (z->n == z->cap) {
		z->cap = z->cap ? z->cap * 2 : 16;
		z->entries = xrealloc(z->entries, z->cap * sizeof(*z->entries));
	}
	struct zip_entry *e = &z->entries[z->n++];
	*e = (struct zip_entry){
		.name = xstrdup(name), .size = size, .offset = z->written, .zip64 = size >= MAX32};
	dos_stamp(mtime_ms, &e->dos_time, &e->dos_date);
	z->open = true;
	z->at = 0;
	z->crc = 0;
	size_t name_len = strlen(name);
	struct buf *b = &z->head;
	le32(b, SIG_LOCAL);
	le16(b, e->zip64 ? VERSION_ZIP64 : VERSION_STORED);
	le16(b, FLAG_DESCRIPTOR | FLAG_UTF8);
	le16(b, 0); /* stored */
	le16(b, e->dos_time);
	le16(b, e->dos_date);
	le32(b, 0); /* CRC: in the descriptor */
	/* With a descriptor the sizes here are 0; a ZIP64 entry says so with
	 * 0xFFFFFFFF and an extra field of zeros, which is what tells readers
	 * its descriptor has 8-byte sizes. */
	le32(b, e->zip64 ? MAX32 : 0);
	le32(b, e->zip64 ? MAX32 : 0);
	le16(b, name_len);
	le16(b, e->zip64 ? 20 : 0);
	buf_append(b, name, name_len);
	if (e->zip64) {
		le16(b, EXTRA_ZIP64);
		le16(b, 16);
		le64(b, 0);
		le64(b, 0);
	}
	return flush_head(z);
}

bool zip_entry_write(struct zip_writer *z, const void *data, size_t len)
{
	if (z->failed || !z->open)
		return false;
	struct zip_entry *e = &z->entries[z->n - 1];
	if (len > e->size - z->at) {
		z->failed = true;
		return false;
	}
	if (!len)
		return true;
	z->crc = zip_crc32(z->crc, data, len);
	if (!z->sink(z->ctx, data, len)) {
		z->failed = true;
		return false;
	}
	z->at += len;
	z->written += len;
	return true;
}

bool zip_entry_end(struct zip_writer *z)
{
	if (z->failed || !z->open)
		return false;
	struct zip_entry *e = &z->entries[z->n - 1];
	z->open = false;
	if (z->at != e->size) {
		z->failed = true;
		return false;
	}
	e->crc = z->crc;
	struct buf *b = &z->head;
	le32(b, SIG_DESCRIPTOR);
	le32(b, e->crc);
	if (e->zip64) {
		le64(b, e->size);
		le64(b, e->size);
	} else {
		le32(b, e->size);
		le32(b, e->size);
	}
	return flush_head(z);
}

/* Appends the central directory record of e. */
static void central_record(struct buf *b, const struct zip_entry *e)
{
	bool big_size = e->size >= MAX32, big_offset = e->offset >= MAX32;
	size_t name_len = strlen(e->name);
	size_t extra = (big_size ? 16 : 0) + (big_offset ? 8 : 0);
	le32(b, SIG_CENTRAL);
	le16(b, MADE_BY_UNIX | VERSION_ZIP64);
	le16(b, e->zip64 || big_offset ? VERSION_ZIP64 : VERSION_STORED);
	le16(b, FLAG_DESCRIPTOR | FLAG_UTF8);
	le16(b, 0);
	le16(b, e->dos_time);
	le16(b, e->dos_date);
	le32(b, e->crc);
	le32(b, big_size ? MAX32 : e->size);
	le32(b, big_size ? MAX32 : e->size);
	le16(b, name_len);
	le16(b, extra ? extra + 4 : 0);
	le16(b, 0); /* comment */
	le16(b, 0); /* disk */
	le16(b, 0); /* internal attributes */
	le32(b, (uint64_t)0100644 << 16); /* a plain file, rw-r--r-- */
	le32(b, big_offset ? MAX32 : e->offset);
	buf_append(b, e->name, name_len);
	if (extra) {
		/* In APPNOTE's order, only the fields that overflowed. */
		le16(b, EXTRA_ZIP64);
		le16(b, extra);
		if (big_size) {
			le64(b, e->size);
			le64(b, e->size);
		}
		if (big_offset)
			le64(b, e->offset);
	}
}

bool zip_finish(struct zip_writer *z)
{
	if (z->failed || z->open)
		return false;
	uint64_t cd_offset = z->written;
	for (size_t i = 0; i < z->n; i++) {
		central_record(&z->head, &z->entries[i]);
		if (z->head.len >= 64 * 1024 && !flush_head(z))
			return false;
	}
	if (!flush_head(z))
		return false;
	uint64_t cd_size = z->written - cd_offset;
	bool zip64 = z->n >= MAX16 || cd_offset >= MAX32 || cd_size >= MAX32;
	struct buf *b = &z->head;
	if (zip64) {
		uint64_t end64 = z->written;
		le32(b, SIG_END64);
		le64(b, 44); /* the size of what follows */
		le16(b, MADE_BY_UNIX | VERSION_ZIP64);
		le16(b, VERSION_ZIP64);
		le32(b, 0);
		le32(b, 0);
		le64(b, z->n);
		le64(b, z->n);
		le64(b, cd_size);
		le64(b, cd_offset);
		le32(b, SIG_LOCATOR64);
		le32(b, 0);
		le64(b, end64);
		le32(b, 1);
	}
	le32(b, SIG_END);
	le16(b, 0);
	le16(b, 0);
	le16(b, zip64 ? MAX16 : z->n);
	le16(b, zip64 ? MAX16 : z->n);
	le32(b, zip64 ? MAX32 : cd_size);
	le32(b, zip64 ? MAX32 : cd_offset);
	le16(b, 0); /* comment */
	return flush_head(z);
}

uint64_t zip_written(const struct zip_writer *z)
{
	return z->written;
}

void zip_writer_free(struct zip_writer *z)
{
	if (!z)
		return;
	for (size_t i = 0; i < z->n; i++)
		free(z->entries[i].name);
	free(z->entries);
	buf_free(&z->head);
	free(z);
}
