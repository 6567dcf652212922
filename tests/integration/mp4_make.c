#include "mp4_make.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/xalloc.h"

void mp4_put(struct mp4_buf *b, const void *p, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2;
		b->d = xrealloc(b->d, b->cap);
	}
	if (p)
		memcpy(b->d + b->n, p, n);
	else
		memset(b->d + b->n, 0, n);
	b->n += n;
}

/* Writes v big-endian on width bytes at p. */
static void be_at(uint8_t *p, uint64_t v, int width)
{
	for (int i = 0; i < width; i++)
		p[i] = (uint8_t)(v >> (8 * (width - 1 - i)));
}

static void put_be(struct mp4_buf *b, uint64_t v, int width)
{
	uint8_t p[8];
	be_at(p, v, width);
	mp4_put(b, p, (size_t)width);
}

void mp4_put_be32(struct mp4_buf *b, uint32_t v)
{
	put_be(b, v, 4);
}

size_t mp4_box_begin(struct mp4_buf *b, const char *type)
{
	size_t at = b->n;
	mp4_put_be32(b, 0);
	mp4_put(b, type, 4);
	return at;
}

void mp4_box_end(struct mp4_buf *b, size_t at)
{
	be_at(b->d + at, b->n - at, 4);
}

void mp4_put_ftyp(struct mp4_buf *b, const struct mp4_spec *s)
{
	size_t at = mp4_box_begin(b, "ftyp");
	mp4_put(b, s->major_brand ? s->major_brand : "isom", 4);
	mp4_put_be32(b, 0x200);
	mp4_put(b, s->compat_brand ? s->compat_brand : "mp41", 4);
	mp4_box_end(b, at);
}

/* The identity matrix of mvhd and tkhd. */
static void put_matrix(struct mp4_buf *b)
{
	static const uint32_t m[9] = {0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000};
	for (int i = 0; i < 9; i++)
		mp4_put_be32(b, m[i]);
}

/* Appends a full box's version and flags, then its creation and
 * modification instants (0) on 32 or 64 bits. */
static void put_version(struct mp4_buf *b, int version, uint32_t flags)
{
	mp4_put_be32(b, (uint32_t)version << 24 | flags);
	mp4_put(b, NULL, version ? 16 : 8);
}

size_t mp4_put_moov(struct mp4_buf *b, const struct mp4_spec *s)
{
	int v = s->mvhd_version;
	size_t moov = mp4_box_begin(b, "moov");

	size_t mvhd = mp4_box_begin(b, "mvhd");
	size_t payload = b->n;
	put_version(b, v, 0);
	mp4_put_be32(b, s->timescale);
	put_be(b, s->duration, v ? 8 : 4);
	mp4_put_be32(b, 0x10000);  /* rate 1.0 */
	mp4_put(b, "\x01\x00", 2); /* volume 1.0 */
	mp4_put(b, NULL, 10);
	put_matrix(b);
	mp4_put(b, NULL, 24);
	mp4_put_be32(b, 2); /* next track id */
	mp4_box_end(b, mvhd);

	size_t trak = mp4_box_begin(b, "trak");
	size_t tkhd = mp4_box_begin(b, "tkhd");
	put_version(b, v, 3); /* enabled, in the movie */
	mp4_put_be32(b, 1);   /* track id */
	mp4_put_be32(b, 0);
	put_be(b, s->track_duration ? s->track_duration : s->duration, v ? 8 : 4);
	mp4_put(b, NULL, 16); /* reserved, layer, group, volume, reserved */
	put_matrix(b);
	mp4_put_be32(b, 320 << 16); /* width, height: 16.16 */
	mp4_put_be32(b, 240 << 16);
	mp4_box_end(b, tkhd);
	mp4_box_end(b, trak);

	mp4_box_end(b, moov);
	return payload;
}

/* Appends mdat's header for a payload of s->mdat_bytes. */
static void put_mdat_header(struct mp4_buf *b, const struct mp4_spec *s)
{
	if (s->mdat_largesize) {
		mp4_put_be32(b, 1);
		mp4_put(b, "mdat", 4);
		put_be(b, s->mdat_bytes + 16, 8);
	} else {
		mp4_put_be32(b, (uint32_t)(s->mdat_bytes + 8));
		mp4_put(b, "mdat", 4);
	}
}

void mp4_make_buffer(struct mp4_buf *b, const struct mp4_spec *s)
{
	b->n = 0;
	mp4_put_ftyp(b, s);
	if (!s->moov_at_end)
		mp4_put_moov(b, s);
	put_mdat_header(b, s);
	mp4_put(b, NULL, s->mdat_bytes);
	if (s->moov_at_end)
		mp4_put_moov(b, s);
}

/* Writes all of p[0..n) to fd. Returns 0 or -1. */
static int write_all(int fd, const void *p, size_t n)
{
	for (size_t done = 0; done < n;) {
		ssize_t w = write(fd, (const char *)p + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		done += (size_t)w;
	}
	return 0;
}

uint64_t mp4_make_file(const char *path, const struct mp4_spec *s)
{
	struct mp4_buf head = {0}, tail = {0};
	mp4_put_ftyp(&head, s);
	if (!s->moov_at_end)
		mp4_put_moov(&head, s);
	put_mdat_header(&head, s);
	if (s->moov_at_end)
		mp4_put_moov(&tail, s);
	uint64_t size = head.n + s->mdat_bytes + tail.n;

	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int rc = fd < 0 ? -1 : write_all(fd, head.d, head.n);
	if (!rc)
		rc = ftruncate(fd, (off_t)(head.n + s->mdat_bytes)); /* the hole */
	if (!rc && tail.n && lseek(fd, 0, SEEK_END) < 0)
		rc = -1;
	if (!rc)
		rc = write_all(fd, tail.d, tail.n);
	if (fd >= 0 && close(fd) && !rc)
		rc = -1;
	free(head.d);
	free(tail.d);
	return rc ? 0 : size;
}

/* ---- PDF ----------------------------------------------------------- */

/* Appends the printf-formatted text (at most 255 bytes) to b. */
__attribute__((format(printf, 2, 3))) static void put_text(struct mp4_buf *b, const char *fmt, ...)
{
	char text[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	mp4_put(b, text, (size_t)n);
}

/* Appends pad bytes of comment lines (a lone line end for the last byte). */
static void put_padding(struct mp4_buf *b, size_t pad)
{
	for (size_t left = pad; left;) {
		size_t line = left > 80 ? 80 : left;
		if (line > 1) {
			mp4_put(b, "%", 1);
			size_t at = b->n;
			mp4_put(b, NULL, line - 2);
			memset(b->d + at, 'x', line - 2);
		}
		mp4_put(b, "\n", 1);
		left -= line;
	}
}

/* Builds into b (reset) a one-page PDF whose header is followed by pad
 * bytes of comment lines, ending in "%%EOF" and a line end (CR LF when
 * crlf). */
static void pdf_build(struct mp4_buf *b, size_t pad, bool crlf)
{
	static const char content[] = "BT /F1 24 Tf 72 760 Td (Dossier de candidature) Tj ET";
	char stream[128];
	snprintf(stream, sizeof(stream), "<< /Length %zu >>\nstream\n%s\nendstream",
		 sizeof(content) - 1, content);
	const char *const objects[] = {
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
		"/Resources << /Font << /F1 5 0 R >> >> >>",
		stream,
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	};
	enum { N = sizeof(objects) / sizeof(*objects) };
	size_t offsets[N];
	b->n = 0;
	put_text(b, "%%PDF-1.4\n");
	put_padding(b, pad);
	for (size_t i = 0; i < N; i++) {
		offsets[i] = b->n;
		put_text(b, "%zu 0 obj\n%s\nendobj\n", i + 1, objects[i]);
	}
	size_t xref = b->n;
	put_text(b, "xref\n0 %d\n0000000000 65535 f \n", N + 1);
	for (size_t i = 0; i < N; i++)
		put_text(b, "%010zu 00000 n \n", offsets[i]);
	put_text(b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF%s", N + 1, xref,
		 crlf ? "\r\n" : "\n");
}

int pdf_make_file(const char *path, size_t size)
{
	if (size < MP4_MAKE_PDF_MIN) {
		errno = EINVAL;
		return -1;
	}
	struct mp4_buf b = {0};
	pdf_build(&b, 0, false);
	/* The padding moves startxref, whose digits then change the length:
	 * settle, and where one digit more overshoots by one byte, end the
	 * last line with CR LF instead. */
	for (size_t pad = size - b.n; b.n != size;) {
		pdf_build(&b, pad, false);
		if (b.n + 1 == size)
			pdf_build(&b, pad, true);
		else
			pad = pad + size - b.n;
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int rc = fd < 0 ? -1 : write_all(fd, b.d, b.n);
	if (fd >= 0 && close(fd))
		rc = -1;
	free(b.d);
	return rc;
}
