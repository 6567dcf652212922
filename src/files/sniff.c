#include "files/sniff.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/xalloc.h"
#include "files/mp4.h"

enum {
	EOCD_LEN = 22,
	/* The End Of Central Directory record lies within the last 64 KiB
	 * (its comment) + 22 bytes: the window holds all of that at once. */
	WINDOW = 65535 + EOCD_LEN,
	HEAD = 32,
	PDF_TAIL = 1024,
	PNG_TAIL = 1024,
	JPEG_TAIL = 4096,
	CDIR_ENTRY_LEN = 46,
	LOCAL_HEADER_LEN = 30,
	ZIP_NAME_MAX = 32, /* longer names are none of the parts we look for */
	MIMETYPE_MAX = 64,
};

/* The file being sniffed, seen through one window of WINDOW bytes. */
struct src {
	int fd;
	uint64_t size;
	uint8_t *buf;
	uint64_t base; /* file offset of buf[0] */
	size_t len;    /* valid bytes in buf */
	bool short_read;
};

/* Returns the n bytes (n <= WINDOW) at off, reading a window there when
 * the current one does not hold them, or NULL when they are not all inside
 * the file (short_read is set when the file is shorter than its size).
 * Borrowed: valid until the next call. */
static const uint8_t *at(struct src *s, uint64_t off, size_t n)
{
	if (off > s->size || n > s->size - off || n > WINDOW)
		return NULL;
	if (off >= s->base && off + n <= s->base + s->len)
		return s->buf + (off - s->base);
	size_t want = s->size - off < WINDOW ? (size_t)(s->size - off) : WINDOW;
	size_t got = 0;
	while (got < want) {
		ssize_t r = pread(s->fd, s->buf + got, want - got, (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	s->base = off;
	s->len = got;
	if (got < want) {
		s->short_read = true;
		return NULL;
	}
	return s->buf;
}

/* Returns the last n bytes of the file (all of it when shorter) and
 * their count in *len, or NULL. */
static const uint8_t *tail(struct src *s, size_t n, size_t *len)
{
	*len = s->size < n ? (size_t)s->size : n;
	return at(s, s->size - *len, *len);
}

/* Returns true when the last n bytes of the file contain needle. */
static bool tail_has(struct src *s, size_t n, const char *needle, size_t nlen)
{
	size_t len;
	const uint8_t *t = tail(s, n, &len);
	return t && memmem(t, len, needle, nlen);
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Returns true when h[0..hn) starts with the literal lit. */
#define STARTS(h, hn, lit) ((hn) >= sizeof(lit) - 1 && !memcmp((h), lit, sizeof(lit) - 1))

/* ---- magic bytes ------------------------------------------------- */

static bool is_executable(const uint8_t *h, size_t hn)
{
	static const char *const magic[] = {
		"MZ",
		"#!",
		"\177ELF",
		"\xfe\xed\xfa\xce",
		"\xfe\xed\xfa\xcf", /* Mach-O, big-endian */
		"\xce\xfa\xed\xfe",
		"\xcf\xfa\xed\xfe", /* little-endian */
		"\xca\xfe\xba\xbe", /* universal binary */
	};
	for (size_t i = 0; i < sizeof(magic) / sizeof(*magic); i++) {
		size_t n = strlen(magic[i]);
		if (hn >= n && !memcmp(h, magic[i], n))
			return true;
	}
	return false;
}

static enum file_type sniff_png(struct src *s)
{
	const uint8_t *h = at(s, 8, 16);
	if (!h || memcmp(h, "\0\0\0\x0dIHDR", 8) || !be32(h + 8) || !be32(h + 12))
		return FILE_CORRUPT;
	return tail_has(s, PNG_TAIL, "IEND\xae\x42\x60\x82", 8) ? FILE_PNG : FILE_CORRUPT;
}

/* A mp4_reader.read_at over the sniffed file's window (ctx: struct src). */
static bool src_read_at(void *ctx, uint64_t off, void *dst, size_t n)
{
	const uint8_t *p = at(ctx, off, n);
	if (p)
		memcpy(dst, p, n);
	return p != NULL;
}

/* The MP4 walker judges the container (files/mp4.h); whether its movie
 * can be timed is for the uploads that limit a duration. */
static enum file_type sniff_mp4(struct src *s)
{
	struct mp4_reader r = {src_read_at, s, s->size};
	struct mp4_info info;
	enum mp4_status st = mp4_probe(&r, &info);
	if (st == MP4_NOT_MP4)
		return FILE_UNKNOWN;
	return st < MP4_NOT_MP4 ? FILE_MP4 : FILE_CORRUPT;
}

/* ---- ZIP containers ---------------------------------------------- */

enum zip_part {
	PART_MIMETYPE,
	PART_CONTENT_TYPES,
	PART_DOCX,
	PART_XLSX,
	PART_PPTX,
	PART_MACROS,
	PART_COUNT,
};

static const char *const PART_NAMES[] = {
	"mimetype",          "[Content_Types].xml",  "word/document.xml",
	"xl/workbook.xml",   "ppt/presentation.xml", "word/vbaProject.bin",
	"xl/vbaProject.bin", "ppt/vbaProject.bin",
};
static const enum zip_part PART_OF[] = {
	PART_MIMETYPE, PART_CONTENT_TYPES, PART_DOCX,   PART_XLSX,
	PART_PPTX,     PART_MACROS,        PART_MACROS, PART_MACROS,
};

struct zip {
	uint64_t cd_off, cd_end;
	unsigned count[PART_COUNT];
	/* the "mimetype" entry, when it is the first one and stored */
	bool odf_candidate;
	uint64_t mime_off;
	uint32_t mime_len;
};

/* Returns true when e, an End Of Central Directory record at offset off,
 * has ZIP64 markers or describes a central directory ending at off. */
static bool eocd_fits(const uint8_t *e, uint64_t off)
{
	uint32_t cd_size = le32(e + 12), cd_off = le32(e + 16);
	return le16(e + 10) == 0xffff || cd_size == 0xffffffff || cd_off == 0xffffffff ||
	       (uint64_t)cd_off + cd_size == off;
}

/* Finds the End Of Central Directory record: the last signature whose
 * comment reaches exactly the end of the file and that fits (a comment
 * may hold a stray one). Returns the record (borrowed) and its offset in
 * *off, or NULL. */
static const uint8_t *find_eocd(struct src *s, uint64_t *off)
{
	size_t len;
	const uint8_t *t = tail(s, WINDOW, &len);
	if (!t || len < EOCD_LEN)
		return NULL;
	for (size_t p = len - EOCD_LEN + 1; p-- > 0;) {
		*off = s->size - len + p;
		if (!memcmp(t + p, "PK\5\6", 4) && p + EOCD_LEN + le16(t + p + 20) == len &&
		    eocd_fits(t + p, *off))
			return t + p;
	}
	return NULL;
}

/* Checks the local header of the entry at lho named name[0..n), whose
 * data is csize bytes. Returns the data's offset, or 0 when the header is
 * not there or its data overlaps the central directory. */
static uint64_t local_data(struct src *s, const struct zip *z, uint64_t lho, const char *name,
			   size_t n, uint32_t csize)
{
	const uint8_t *l = at(s, lho, LOCAL_HEADER_LEN);
	if (!l || memcmp(l, "PK\3\4", 4) || le16(l + 26) != n)
		return 0;
	uint64_t data = lho + LOCAL_HEADER_LEN + n + le16(l + 28);
	const uint8_t *ln = at(s, lho + LOCAL_HEADER_LEN, n);
	if (!ln || memcmp(ln, name, n) || data + csize > z->cd_off)
		return 0;
	return data;
}

/* Reads the central directory entry at *off, records which part it is
 * and moves *off past it. Returns false when the entry is inconsistent. */
static bool zip_entry(struct src *s, struct zip *z, uint64_t *off)
{
	const uint8_t *e = at(s, *off, CDIR_ENTRY_LEN);
	if (!e || memcmp(e, "PK\1\2", 4))
		return false;
	uint16_t method = le16(e + 10);
	uint32_t csize = le32(e + 20), usize = le32(e + 24), lho = le32(e + 42);
	size_t n = le16(e + 28);
	uint64_t next = *off + CDIR_ENTRY_LEN + n + le16(e + 30) + le16(e + 32);
	if (next > z->cd_end || (uint64_t)lho + LOCAL_HEADER_LEN + csize > z->cd_off)
		return false;
	const uint8_t *name = n <= ZIP_NAME_MAX ? at(s, *off + CDIR_ENTRY_LEN, n) : NULL;
	*off = next;
	if (!name)
		return n > ZIP_NAME_MAX;
	for (size_t i = 0; i < sizeof(PART_NAMES) / sizeof(*PART_NAMES); i++) {
		if (strlen(PART_NAMES[i]) != n || memcmp(name, PART_NAMES[i], n))
			continue;
		uint64_t data = local_data(s, z, lho, PART_NAMES[i], n, csize);
		if (!data)
			return false;
		z->count[PART_OF[i]]++;
		if (PART_OF[i] == PART_MIMETYPE && lho == 0 && method == 0 && csize == usize &&
		    csize <= MIMETYPE_MAX) {
			z->odf_candidate = true;
			z->mime_off = data;
			z->mime_len = csize;
		}
		break; /* name is stale now, and no other part can match */
	}
	return true;
}

/* Returns the OpenDocument type named by the mimetype entry, or
 * FILE_UNKNOWN. */
static enum file_type odf_type(struct src *s, const struct zip *z)
{
	static const struct {
		const char *mime;
		enum file_type type;
	} odf[] = {
		{"application/vnd.oasis.opendocument.text", FILE_ODT},
		{"application/vnd.oasis.opendocument.spreadsheet", FILE_ODS},
		{"application/vnd.oasis.opendocument.presentation", FILE_ODP},
	};
	const uint8_t *m = at(s, z->mime_off, z->mime_len);
	for (size_t i = 0; m && i < sizeof(odf) / sizeof(*odf); i++)
		if (strlen(odf[i].mime) == z->mime_len && !memcmp(m, odf[i].mime, z->mime_len))
			return odf[i].type;
	return FILE_UNKNOWN;
}

static enum file_type sniff_zip(struct src *s)
{
	uint64_t eocd_off;
	const uint8_t *eocd = find_eocd(s, &eocd_off);
	if (!eocd)
		return FILE_CORRUPT;
	uint16_t disk = le16(eocd + 4), cd_disk = le16(eocd + 6);
	uint16_t on_disk = le16(eocd + 8), total = le16(eocd + 10);
	uint32_t cd_size = le32(eocd + 12), cd_off = le32(eocd + 16);
	/* ZIP64 is never needed below our size limits: not an office file. */
	if (total == 0xffff || cd_size == 0xffffffff || cd_off == 0xffffffff)
		return FILE_UNKNOWN;
	if (disk || cd_disk || on_disk != total)
		return FILE_CORRUPT;

	struct zip z = {.cd_off = cd_off, .cd_end = eocd_off};
	uint64_t off = cd_off;
	for (unsigned i = 0; i < total; i++)
		if (!zip_entry(s, &z, &off))
			return FILE_CORRUPT;
	if (off != z.cd_end)
		return FILE_CORRUPT;

	if (z.odf_candidate)
		return odf_type(s, &z);
	unsigned mains = z.count[PART_DOCX] + z.count[PART_XLSX] + z.count[PART_PPTX];
	if (z.count[PART_CONTENT_TYPES] != 1 || mains != 1 || z.count[PART_MACROS])
		return FILE_UNKNOWN;
	return z.count[PART_DOCX] ? FILE_DOCX : z.count[PART_XLSX] ? FILE_XLSX : FILE_PPTX;
}

/* ---- dispatch ---------------------------------------------------- */

/* A PDF ends with "%%EOF", give or take a few line ends or padding. */
static bool pdf_has_trailer(struct src *s)
{
	return tail_has(s, PDF_TAIL, "%%EOF", 5);
}

static enum file_type sniff_src(struct src *s)
{
	size_t hn = s->size < HEAD ? (size_t)s->size : HEAD;
	const uint8_t *h = at(s, 0, hn);
	if (!h)
		return FILE_CORRUPT;
	if (is_executable(h, hn))
		return FILE_EXECUTABLE;
	if (STARTS(h, hn, "%PDF-"))
		return pdf_has_trailer(s) ? FILE_PDF : FILE_CORRUPT;
	if (STARTS(h, hn, "\x89PNG\r\n\x1a\n"))
		return sniff_png(s);
	if (STARTS(h, hn, "\xff\xd8\xff"))
		return tail_has(s, JPEG_TAIL, "\xff\xd9", 2) ? FILE_JPEG : FILE_CORRUPT;
	if (hn >= 8 && !memcmp(h + 4, "ftyp", 4))
		return sniff_mp4(s);
	if (STARTS(h, hn, "PK\3\4"))
		return sniff_zip(s);
	return FILE_UNKNOWN;
}

/* Opens path, of size bytes (> 0), into *s. Returns false when it cannot
 * be opened; else src_close frees the window. */
static bool src_open(struct src *s, const char *path, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	*s = (struct src){.fd = fd, .size = size, .buf = xmalloc(WINDOW)};
	return true;
}

static void src_close(struct src *s)
{
	free(s->buf);
	close(s->fd);
}

enum file_type file_sniff(const char *path, size_t size)
{
	if (size == 0)
		return FILE_EMPTY;
	struct src s;
	if (!src_open(&s, path, size))
		return FILE_CORRUPT;
	enum file_type t = sniff_src(&s);
	src_close(&s);
	return s.short_read ? FILE_CORRUPT : t;
}

enum file_pdf_check file_pdf_check(const char *path, size_t size)
{
	if (size == 0)
		return FILE_PDF_EMPTY;
	struct src s;
	if (!src_open(&s, path, size))
		return FILE_PDF_UNREADABLE;
	const uint8_t *h = at(&s, 0, size < 5 ? size : 5);
	enum file_pdf_check c = !h                          ? FILE_PDF_UNREADABLE
				: !STARTS(h, size, "%PDF-") ? FILE_PDF_NOT_PDF
				: pdf_has_trailer(&s)       ? FILE_PDF_OK
							    : FILE_PDF_NO_TRAILER;
	src_close(&s);
	return s.short_read ? FILE_PDF_UNREADABLE : c;
}

const char *file_pdf_refusal(enum file_pdf_check c)
{
	switch (c) {
	case FILE_PDF_OK: return NULL;
	case FILE_PDF_EMPTY: return "Ce fichier est vide.";
	case FILE_PDF_NOT_PDF:
		return "Ce fichier n’est pas un document PDF (son contenu compte, pas son nom).";
	case FILE_PDF_NO_TRAILER:
		return "Ce document PDF est incomplet (sa fin manque). Enregistrez-le de nouveau "
		       "en PDF puis envoyez-le.";
	case FILE_PDF_UNREADABLE: break;
	}
	return "Le fichier n’a pas pu être lu. Réessayez dans quelques instants.";
}

const struct file_kind_info *file_type_info(enum file_type t)
{
	static const struct file_kind_info info[] = {
		[FILE_UNKNOWN] = {"application/octet-stream", "bin", "fichier de type inconnu"},
		[FILE_EMPTY] = {"application/octet-stream", "bin", "fichier vide"},
		[FILE_PDF] = {"application/pdf", "pdf", "document PDF"},
		[FILE_ODT] = {"application/vnd.oasis.opendocument.text", "odt",
			      "document texte OpenDocument"},
		[FILE_DOCX] = {"application/vnd.openxmlformats-officedocument."
			       "wordprocessingml.document",
			       "docx", "document Word"},
		[FILE_ODS] = {"application/vnd.oasis.opendocument.spreadsheet", "ods",
			      "classeur OpenDocument"},
		[FILE_XLSX] = {"application/vnd.openxmlformats-officedocument."
			       "spreadsheetml.sheet",
			       "xlsx", "classeur Excel"},
		[FILE_ODP] = {"application/vnd.oasis.opendocument.presentation", "odp",
			      "présentation OpenDocument"},
		[FILE_PPTX] = {"application/vnd.openxmlformats-officedocument."
			       "presentationml.presentation",
			       "pptx", "présentation PowerPoint"},
		[FILE_PNG] = {"image/png", "png", "image PNG"},
		[FILE_JPEG] = {"image/jpeg", "jpg", "image JPEG"},
		[FILE_MP4] = {"video/mp4", "mp4", "vidéo MP4"},
		[FILE_EXECUTABLE] = {"application/octet-stream", "bin", "programme exécutable"},
		[FILE_CORRUPT] = {"application/octet-stream", "bin", "fichier endommagé"},
	};
	if ((unsigned)t >= sizeof(info) / sizeof(*info))
		t = FILE_UNKNOWN;
	return &info[t];
}
