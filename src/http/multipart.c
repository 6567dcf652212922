
#include "http/multipart.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "http/parse_internal.h"
#include "http/urlencoded.h"

enum {
	IO_SIZE = 64 * 1024,
	HEADER_MAX = 8 * 1024,
	BOUNDARY_MAX = 70,
	DELIM_MAX = 4 + BOUNDARY_MAX, /* CR LF "--" boundary */
};

enum state {
	ST_SCAN,        /* looking for the delimiter, emitting content */
	ST_AFTER_DELIM, /* delimiter seen: "--", padding or CRLF must follow */
	ST_CLOSE,       /* first '-' of the close delimiter seen */
	ST_PADDING,     /* transport padding (SP/HTAB) before CRLF */
	ST_DELIM_LF,    /* CR seen after the delimiter */
	ST_HEADERS,     /* accumulating a part's header block */
	ST_DONE,
};

enum sink { SINK_DISCARD, SINK_TEXT, SINK_FILE };

/* A temp file; removed when the arena is freed, or at once on error. */
struct tmpfile {
	char *path; /* NULL once unlinked */
	int fd;     /* -1 once closed */
	struct tmpfile *next;
};

struct mp {
	struct arena *a;
	const struct multipart_limits *lim;
	enum state st;
	char delim[DELIM_MAX + 1];
	size_t dlen;
	size_t held; /* delim[0..held) matched but not yet emitted */

	/* part in progress */
	enum sink sink;
	const char *name;
	const char *filename;
	const char *ctype;
	size_t size;
	struct buf text;
	struct tmpfile *tmp;
	size_t wlen;
	size_t hlen;

	struct param_builder fields;
	struct upload *uploads;
	struct upload **utail;
	size_t nfiles;
	struct tmpfile *tmps; /* every temp file of this call */

	char hdr[HEADER_MAX];
	char rbuf[IO_SIZE];
	char wbuf[IO_SIZE];
};

/* ---- header values ------------------------------------------------ */

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* RFC 9110 token character. */
static bool is_tchar(char c)
{
	return is_alnum(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c));
}

/* RFC 2046 boundary character (space allowed, but not last). */
static bool is_bchar(char c)
{
	return is_alnum(c) || (c != '\0' && strchr("'()+_,-./:=? ", c));
}

static size_t skip_ows(const char *s, size_t len, size_t i)
{
	while (i < len && is_ows(s[i]))
		i++;
	return i;
}

/* Returns the end of the token-ish word at s[i..len): up to ';' or OWS. */
static size_t word_end(const char *s, size_t len, size_t i)
{
	while (i < len && s[i] != ';' && !is_ows(s[i]))
		i++;
	return i;
}

/* A header parameter, as spans of the header: nothing is copied until a
 * part is known to be kept, so skipped parts cost no arena memory. */
struct hparam {
	const char *name; /* NULL when absent */
	size_t nlen;
	const char *raw; /* value without surrounding quotes, still escaped */
	size_t rawlen;
	size_t vlen; /* length once unescaped */
	bool quoted;
};

/* Returns true when the quoted-string byte at s[i] starts a two-byte escape.
 * Only \" and \\ are escapes: browsers percent-encode quotes, and old ones
 * send raw Windows paths whose backslashes must survive. */
static bool is_escape(const char *s, size_t len, size_t i)
{
	return s[i] == '\\' && len - i > 1 && (s[i + 1] == '"' || s[i + 1] == '\\');
}

/*
 * Reads the next "; name=value" parameter of a header value s[*pos..len).
 * Returns 1 with *hp filled, 0 at the end of the value, -1 when malformed.
 * Serves both Content-Type and Content-Disposition; allocates nothing.
 */
static int next_param(const char *s, size_t len, size_t *pos, struct hparam *hp)
{
	size_t i = skip_ows(s, len, *pos);

	if (i == len)
		return 0;
	if (s[i] != ';')
		return -1;
	i = skip_ows(s, len, i + 1);
	if (i == len) { /* tolerate a trailing ';' */
		*pos = i;
		return 0;
	}

	size_t ns = i;
	while (i < len && is_tchar(s[i]))
		i++;
	if (i == ns)
		return -1;
	hp->name = s + ns;
	hp->nlen = i - ns;
	i = skip_ows(s, len, i);
	if (i == len || s[i] != '=')
		return -1;
	i = skip_ows(s, len, i + 1);

	hp->quoted = i < len && s[i] == '"';
	if (hp->quoted) {
		size_t start = ++i;

		for (hp->vlen = 0;; hp->vlen++) {
			if (i == len)
				return -1;
			if (s[i] == '"')
				break;
			i += is_escape(s, len, i) ? 2 : 1;
		}
		hp->raw = s + start;
		hp->rawlen = i - start;
		i++; /* closing quote */
	} else {
		size_t start = i;

		i = word_end(s, len, i);
		hp->raw = s + start;
		hp->rawlen = hp->vlen = i - start;
	}
	*pos = i;
	return 1;
}

/* Writes hp's unescaped value and a NUL to dst (hp->vlen + 1 bytes). */
static void param_value(const struct hparam *hp, char *dst)
{
	size_t j = 0;

	for (size_t k = 0; k < hp->vlen; k++) {
		if (hp->quoted && is_escape(hp->raw, hp->rawlen, j))
			j++;
		dst[k] = hp->raw[j++];
	}
	dst[hp->vlen] = '\0';
}

/* Returns hp's unescaped value as a NUL-terminated arena string. */
static char *param_dup(struct arena *a, const struct hparam *hp)
{
	char *v = arena_alloc(a, hp->vlen + 1);

	param_value(hp, v);
	return v;
}

static bool boundary_ok(const char *b, size_t n)
{
	if (n < 1 || n > BOUNDARY_MAX || b[n - 1] == ' ')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_bchar(b[i]))
			return false;
	return true;
}

/* Returns true and sets up the delimiter when ct is multipart/form-data
 * with exactly one valid boundary parameter. */
static bool parse_content_type(struct mp *m, const char *ct)
{
	if (!ct)
		return false;

	size_t len = strlen(ct);
	size_t start = skip_ows(ct, len, 0);
	size_t i = word_end(ct, len, start);
	struct hparam hp;
	bool found = false;
	int r;

	if (!ascii_ieq(ct + start, i - start, "multipart/form-data"))
		return false;
	while ((r = next_param(ct, len, &i, &hp)) > 0) {
		if (!ascii_ieq(hp.name, hp.nlen, "boundary"))
			continue;
		/* Two boundaries could be read differently upstream: refuse. */
		if (found || hp.vlen > BOUNDARY_MAX)
			return false;
		memcpy(m->delim, "\r\n--", 4);
		param_value(&hp, m->delim + 4);
		if (!boundary_ok(m->delim + 4, hp.vlen))
			return false;
		m->dlen = 4 + hp.vlen;
		found = true;
	}
	return r == 0 && found;
}

/* Finds the percent-encoded text of an RFC 5987 ext-value
 * ("UTF-8'lang'%E2%82%AC"); only UTF-8 is accepted. Allocates nothing. */
static enum parse_status ext_value(const char *v, size_t n, const char **pct, size_t *pctlen)
{
	const char *q1 = memchr(v, '\'', n);

	if (!q1 || !ascii_ieq(v, (size_t)(q1 - v), "utf-8"))
		return PARSE_BAD_ENCODING;

	const char *q2 = memchr(q1 + 1, '\'', n - (size_t)(q1 - v) - 1);

	if (!q2)
		return PARSE_BAD_ENCODING;
	*pct = q2 + 1;
	*pctlen = n - (size_t)(*pct - v);
	return PARSE_OK;
}

/* Checks a decoded filename and points *out at its basename (inside f,
 * which is NUL-terminated). Control characters are the caller's to refuse
 * (files/rules.h), next to the file field: a real file may be named so. */
static enum parse_status clean_filename(const char *f, size_t n, const char **out)
{
	size_t base = 0;

	if (!utf8_valid(f, n))
		return PARSE_BAD_UTF8;
	for (size_t i = 0; i < n; i++)
		if (f[i] == '/' || f[i] == '\\')
			base = i + 1;
	n -= base;
	f += base;
	if (n == 0 || (n == 1 && f[0] == '.') || (n == 2 && f[0] == '.' && f[1] == '.'))
		return PARSE_MALFORMED;
	*out = f;
	return PARSE_OK;
}

/* Parameters of a part's Content-Disposition that matter here. */
struct disposition {
	struct hparam name, filename, filename_star;
};

/* Parses a Content-Disposition value into *d; allocates nothing. */
static enum parse_status parse_disposition(const char *v, size_t len, struct disposition *d)
{
	size_t i = word_end(v, len, 0);
	struct hparam hp;
	int r;

	memset(d, 0, sizeof(*d));
	if (!ascii_ieq(v, i, "form-data"))
		return PARSE_MALFORMED;
	while ((r = next_param(v, len, &i, &hp)) > 0) {
		struct hparam *slot;

		if (ascii_ieq(hp.name, hp.nlen, "name"))
			slot = &d->name;
		else if (ascii_ieq(hp.name, hp.nlen, "filename"))
			slot = &d->filename;
		else if (ascii_ieq(hp.name, hp.nlen, "filename*"))
			slot = &d->filename_star;
		else
			continue;
		if (slot->name) /* duplicates are ambiguous */
			return PARSE_MALFORMED;
		*slot = hp;
	}
	if (r < 0 || !d->name.name)
		return PARSE_MALFORMED;
	return PARSE_OK;
}

/* ---- temp files --------------------------------------------------- */

static void tmp_remove(void *ctx)
{
	struct tmpfile *t = ctx;

	if (t->fd >= 0) {
		close(t->fd);
		t->fd = -1;
	}
	if (t->path) {
		unlink(t->path);
		t->path = NULL;
	}
}

static enum parse_status tmp_open(struct mp *m)
{
	const char *dir = m->lim->tmpdir ? m->lim->tmpdir : "/tmp";
	char *path = arena_printf(m->a, "%s/cousilab-upload-XXXXXX", dir);
	struct tmpfile *t = arena_alloc(m->a, sizeof(*t));

	/* Registered before the file exists, so no window leaks it. */
	t->fd = -1;
	arena_on_free(m->a, tmp_remove, t);
	t->next = m->tmps;
	m->tmps = t;

	int fd = mkostemp(path, O_CLOEXEC);

	if (fd < 0)
		return PARSE_IO;
	t->fd = fd;
	t->path = path;
	m->tmp = t;
	m->wlen = 0;
	return PARSE_OK;
}

static enum parse_status tmp_flush(struct mp *m)
{
	size_t off = 0;

	while (off < m->wlen) {
		ssize_t w = write(m->tmp->fd, m->wbuf + off, m->wlen - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return PARSE_IO;
		off += (size_t)w;
	}
	m->wlen = 0;
	return PARSE_OK;
}

/* ---- parts -------------------------------------------------------- */

/* Delivers part content to the current sink, enforcing its size limit. */
static enum parse_status emit(struct mp *m, const char *p, size_t n)
{
	switch (m->sink) {
	case SINK_DISCARD: break;
	case SINK_TEXT:
		if (n > m->lim->max_value - m->text.len)
			return PARSE_TOO_LARGE;
		buf_append(&m->text, p, n);
		break;
	case SINK_FILE:
		if (n > m->lim->max_file_size - m->size)
			return PARSE_TOO_LARGE;
		m->size += n;
		while (n) {
			size_t k = IO_SIZE - m->wlen;

			if (k > n)
				k = n;
			memcpy(m->wbuf + m->wlen, p, k);
			m->wlen += k;
			p += k;
			n -= k;
			if (m->wlen == IO_SIZE) {
				enum parse_status st = tmp_flush(m);
				if (st != PARSE_OK)
					return st;
			}
		}
		break;
	}
	return PARSE_OK;
}

/* Called at a confirmed delimiter: stores the part that just ended. */
static enum parse_status finish_part(struct mp *m)
{
	enum sink sink = m->sink;

	m->sink = SINK_DISCARD;
	if (sink == SINK_TEXT) {
		const char *data = m->text.len ? m->text.data : "";
		enum parse_status st = text_check(data, m->text.len, m->lim->max_value);
		if (st != PARSE_OK)
			return st;
		pb_push(m->a, &m->fields, m->name, arena_strndup(m->a, data, m->text.len),
			m->text.len);
		buf_reset(&m->text);
	} else if (sink == SINK_FILE) {
		struct tmpfile *t = m->tmp;
		enum parse_status st = tmp_flush(m);
		if (st != PARSE_OK)
			return st;
		int fd = t->fd;
		t->fd = -1;
		if (close(fd) != 0) /* delayed write errors surface here */
			return PARSE_IO;

		struct upload *u = arena_alloc(m->a, sizeof(*u));
		u->field = m->name;
		u->filename = m->filename;
		u->content_type = m->ctype;
		u->path = t->path;
		u->size = m->size;
		*m->utail = u;
		m->utail = &u->next;
		m->tmp = NULL;
	}
	return PARSE_OK;
}

/* Parses the header block in m->hdr and opens the part's sink. */
static enum parse_status start_part(struct mp *m)
{
	const char *h = m->hdr;
	size_t len = m->hlen - 2; /* without the blank line */
	const char *disp = NULL, *ctype = NULL;
	size_t disp_len = 0, ctype_len = 0;
	size_t i = 0;

	/* Every line, the last one included, ends with CRLF within len. */
	while (i < len) {
		const char *lf = memchr(h + i, '\n', len - i);

		if (!lf || lf == h + i || lf[-1] != '\r')
			return PARSE_MALFORMED; /* bare LF */

		size_t eol = (size_t)(lf - h) - 1;
		size_t colon = i;

		/* Bare CR, or a folded line: no browser sends either. */
		if (memchr(h + i, '\r', eol - i) || is_ows(h[i]))
			return PARSE_MALFORMED;
		while (colon < eol && is_tchar(h[colon]))
			colon++;
		if (colon == i || colon == eol || h[colon] != ':')
			return PARSE_MALFORMED;

		size_t vs = colon + 1, ve = eol;
		trim_ows(h, &vs, &ve);
		if (ascii_ieq(h + i, colon - i, "Content-Disposition")) {
			if (disp)
				return PARSE_MALFORMED;
			disp = h + vs;
			disp_len = ve - vs;
		} else if (ascii_ieq(h + i, colon - i, "Content-Type")) {
			if (ctype)
				return PARSE_MALFORMED;
			ctype = h + vs;
			ctype_len = ve - vs;
		}
		i = eol + 2;
	}
	if (!disp)
		return PARSE_MALFORMED;

	struct disposition d;
	enum parse_status st = parse_disposition(disp, disp_len, &d);
	const char *pct = NULL;
	size_t pctlen = 0;

	if (st != PARSE_OK)
		return st;
	if (d.filename_star.name) {
		st = ext_value(d.filename_star.raw, d.filename_star.rawlen, &pct, &pctlen);
		if (st != PARSE_OK)
			return st;
	}

	bool is_file = d.filename.name || d.filename_star.name;
	/* Decoding never turns a non-empty value into an empty one. */
	bool no_file = d.filename_star.name ? pctlen == 0 : d.filename.vlen == 0;

	/* No field name, or a file input left empty: read and drop. */
	m->sink = SINK_DISCARD;
	if (d.name.vlen == 0 || (is_file && no_file))
		return PARSE_OK;

	/* Limits first: past this point the part is kept and copied. */
	if (!is_file && m->fields.count >= m->lim->max_fields)
		return PARSE_TOO_MANY;
	if (is_file && m->nfiles >= m->lim->max_files)
		return PARSE_TOO_MANY;
	m->name = param_dup(m->a, &d.name);
	if (!utf8_valid(m->name, d.name.vlen))
		return PARSE_BAD_UTF8;

	if (!is_file) {
		buf_reset(&m->text);
		m->sink = SINK_TEXT;
		return PARSE_OK;
	}

	char *filename;
	size_t filename_len;

	if (pct) { /* RFC 6266: filename* wins over filename */
		filename = url_decode(m->a, pct, pctlen, false, &filename_len);
		if (!filename)
			return PARSE_BAD_ENCODING;
	} else {
		filename = param_dup(m->a, &d.filename);
		filename_len = d.filename.vlen;
	}
	st = clean_filename(filename, filename_len, &m->filename);
	if (st != PARSE_OK)
		return st;
	if (ctype) {
		if (!utf8_valid(ctype, ctype_len))
			return PARSE_BAD_UTF8;
		m->ctype = arena_strndup(m->a, ctype, ctype_len);
	} else {
		m->ctype = "application/octet-stream"; /* RFC 7578 4.4 */
	}
	m->nfiles++;
	if (m->lim->before_file && !m->lim->before_file(m->lim->before_file_ctx, m->fields.head))
		return PARSE_REFUSED;
	st = tmp_open(m);
	if (st != PARSE_OK)
		return st;
	m->size = 0;
	m->sink = SINK_FILE;
	return PARSE_OK;
}

/* ---- state machine ------------------------------------------------ */

/*
 * Content scan. The delimiter's only CR is its first byte, so no proper
 * suffix of a partial match can itself start a match: on a mismatch all
 * held bytes are content and only the current byte needs a second look.
 * That keeps the scan linear and makes straddling reads free, since the held
 * bytes are known to equal delim[0..held).
 */
static enum parse_status scan(struct mp *m, const char **pp, const char *end)
{
	const char *p = *pp;
	enum parse_status st = PARSE_OK;

	while (p < end && st == PARSE_OK) {
		if (m->held == 0) {
			const char *cr = memchr(p, '\r', (size_t)(end - p));
			const char *stop = cr ? cr : end;

			st = emit(m, p, (size_t)(stop - p));
			p = stop;
			if (cr) {
				m->held = 1;
				p++;
			}
		} else if (*p == m->delim[m->held]) {
			p++;
			if (++m->held == m->dlen) {
				m->held = 0;
				m->st = ST_AFTER_DELIM;
				break;
			}
		} else {
			st = emit(m, m->delim, m->held);
			m->held = 0;
		}
	}
	*pp = p;
	return st;
}

static bool header_done(const struct mp *m)
{
	return (m->hlen == 2 && m->hdr[0] == '\r') ||
	       (m->hlen >= 4 && memcmp(m->hdr + m->hlen - 4, "\r\n\r\n", 4) == 0);
}

static enum parse_status headers(struct mp *m, const char **pp, const char *end)
{
	const char *p = *pp;

	while (p < end) {
		if (m->hlen == HEADER_MAX)
			return PARSE_HEADER_TOO_LARGE;
		char c = *p++;
		m->hdr[m->hlen++] = c;
		if (c == '\n' && header_done(m)) {
			*pp = p;
			m->st = ST_SCAN;
			return start_part(m);
		}
	}
	*pp = p;
	return PARSE_OK;
}

static enum parse_status feed(struct mp *m, const char *p, size_t n)
{
	const char *end = p + n;
	enum parse_status st = PARSE_OK;

	while (p < end && st == PARSE_OK) {
		switch (m->st) {
		case ST_SCAN: st = scan(m, &p, end); break;
		case ST_AFTER_DELIM:
			if (*p == '-') {
				m->st = ST_CLOSE;
				p++;
			} else if (is_ows(*p)) {
				m->st = ST_PADDING;
				p++;
			} else if (*p == '\r') {
				m->st = ST_DELIM_LF;
				p++;
			} else {
				/* "--boundaryX": not a delimiter after all. */
				m->st = ST_SCAN;
				st = emit(m, m->delim, m->dlen);
			}
			break;
		case ST_CLOSE:
			if (*p != '-')
				return PARSE_MALFORMED;
			m->st = ST_DONE;
			return finish_part(m);
		case ST_PADDING:
			if (*p == '\r')
				m->st = ST_DELIM_LF;
			else if (!is_ows(*p))
				return PARSE_MALFORMED;
			p++;
			break;
		case ST_DELIM_LF:
			if (*p++ != '\n')
				return PARSE_MALFORMED;
			st = finish_part(m);
			m->hlen = 0;
			m->st = ST_HEADERS;
			break;
		case ST_HEADERS: st = headers(m, &p, end); break;
		case ST_DONE: return PARSE_OK;
		}
	}
	return st;
}

/* Returns a + b x c, or SIZE_MAX when it overflows. */
static size_t add_product(size_t a, size_t b, size_t c)
{
	size_t p, sum;
	if (__builtin_mul_overflow(b, c, &p) || __builtin_add_overflow(a, p, &sum))
		return SIZE_MAX;
	return sum;
}

size_t multipart_body_max(const struct multipart_limits *lim)
{
	enum { PART = HEADER_MAX + DELIM_MAX + 2, SLACK = 64 * 1024 };
	size_t max = add_product(SLACK, lim->max_fields, lim->max_value);
	max = add_product(max, lim->max_fields + lim->max_files, PART);
	return add_product(max, lim->max_files, lim->max_file_size);
}

enum parse_status multipart_parse(struct arena *a, const char *content_type, size_t content_length,
				  body_reader read, void *ctx, const struct multipart_limits *lim,
				  struct param **fields, struct upload **files)
{
	struct mp *m = xcalloc(1, sizeof(*m));
	enum parse_status st = PARSE_OK;
	size_t left = content_length;

	*fields = NULL;
	*files = NULL;
	m->a = a;
	m->lim = lim;
	m->st = ST_SCAN;
	m->sink = SINK_DISCARD; /* the preamble */
	m->held = 2;            /* as if the body began with CRLF: "--b" can open it */
	m->utail = &m->uploads;
	pb_init(&m->fields);

	if (!parse_content_type(m, content_type))
		st = PARSE_MALFORMED;
	while (st == PARSE_OK && m->st != ST_DONE) {
		size_t want = left < IO_SIZE ? left : IO_SIZE;
		size_t got = want ? read(ctx, m->rbuf, want) : 0;

		if (got == 0)
			st = PARSE_TRUNCATED;
		else if (got > want)
			st = PARSE_IO;
		else {
			left -= got;
			st = feed(m, m->rbuf, got);
		}
	}

	if (st == PARSE_OK) {
		*fields = m->fields.head;
		*files = m->uploads;
	} else {
		for (struct tmpfile *t = m->tmps; t; t = t->next)
			tmp_remove(t);
	}
	buf_free(&m->text);
	free(m);
	return st;
}
