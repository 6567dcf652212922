/* multipart/form-data bodies, streamed: file parts go to temp files. */
#ifndef COUSILAB_MULTIPART_H
#define COUSILAB_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>

#include "http/params.h"

struct arena;

struct upload {
	const char *field;        /* form field name */
	const char *filename;     /* as sent by the browser, basename only
				   * (path stripped at / and \), UTF-8 checked;
				   * may hold control characters: check it with
				   * file_name_refusal; never use as a path */
	const char *content_type; /* as declared by the client, informative
				   * only; "application/octet-stream" if absent */
	const char *path;         /* temp file holding the bytes; unlinked when
				   * the arena is freed (link() it to keep it) */
	size_t size;
	struct upload *next;
};

struct multipart_limits {
	size_t max_fields; /* text parts */
	size_t max_value;  /* bytes per text part */
	size_t max_files;
	size_t max_file_size; /* bytes per file part */
	const char *tmpdir;   /* where file parts are streamed; NULL is "/tmp" */
	/* When set, called before a file part's first byte is written, with
	 * the text fields read so far (body order): false stops the parse
	 * with PARSE_REFUSED. So a check that needs a field (the CSRF token)
	 * is made before any file byte reaches the disk. */
	bool (*before_file)(void *ctx, const struct param *fields);
	void *before_file_ctx;
};

/* Returns the longest body that a form within lim may take: each part its
 * content, a header block of at most 8 KiB and a delimiter line; plus
 * 64 KiB for the preamble, the close delimiter, the epilogue (browsers send
 * none) and parts without a file chosen. A longer Content-Length can only
 * be refused, before its first byte is read. Saturates at SIZE_MAX.
 * Pure. */
size_t multipart_body_max(const struct multipart_limits *lim);

/* Fills up to n bytes into dst; returns the count, 0 at end of input. */
typedef size_t (*body_reader)(void *ctx, char *dst, size_t n);

/* Streams a multipart/form-data body of content_length bytes from read(ctx),
 * never asking for more than content_length bytes in all and stopping at
 * the close delimiter (the epilogue is left unread). content_type is the full
 * NUL-terminated Content-Type header; its boundary parameter (quoted or not)
 * must have 1..70 RFC 2046 characters. Text parts (no filename parameter) are
 * appended to *fields; file parts are written to mkstemp files under
 * lim->tmpdir through a fixed 64 KiB buffer and appended to *files. A part
 * whose filename is empty (no file chosen) or whose name is empty is read
 * and dropped. filename*=UTF-8''... (RFC 5987) wins over filename. Part
 * header blocks are limited to 8 KiB. lim must not be NULL.
 * Returns PARSE_OK with both lists in body order, or: PARSE_MALFORMED (not
 * multipart/form-data, bad boundary, bad part headers or delimiter line),
 * PARSE_TRUNCATED (input ended before the close delimiter), PARSE_TOO_LARGE
 * / PARSE_TOO_MANY (limits), PARSE_HEADER_TOO_LARGE (a part's header block
 * over 8 KiB), PARSE_REFUSED (lim->before_file said no), PARSE_BAD_UTF8
 * (names, text values, filenames), PARSE_BAD_ENCODING (bad filename*),
 * PARSE_IO (temp file creation or write failed, or read() returned more than
 * asked). On error both lists are NULL and no temp file remains on disk.
 * Allocates the lists and strings in a; registers temp file removal with
 * arena_on_free; uses ~140 KiB of heap for the duration of the call. */
enum parse_status multipart_parse(struct arena *a, const char *content_type, size_t content_length,
				  body_reader read, void *ctx, const struct multipart_limits *lim,
				  struct param **fields, struct upload **files);

#endif
