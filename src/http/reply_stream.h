/* A reply sent while it is being made, for downloads too big to build in
 * memory first (the ZIP of a category's dossiers): the status line and
 * headers go out at once, with no Content-Length (nginx then sends the
 * body chunked), and each write goes straight to FastCGI. Once begun, a
 * reply can no longer turn into an error page: a handler checks all it
 * can before it begins, and after a failure it can only stop writing (the
 * reader sees a truncated download, and the failure is the handler's to
 * log). */
#ifndef COUSILAB_REPLY_STREAM_H
#define COUSILAB_REPLY_STREAM_H

#include <stdbool.h>
#include <stddef.h>

struct request;

/* Sends the status line and the headers set so far (security headers
 * included), with content_type, Content-Disposition disposition (NULL:
 * none), and X-Accel-Buffering: no, so that nginx passes the body on as
 * it comes instead of spooling it to a temp file. Marks the reply
 * streamed: the buffered body is never sent. Returns false when the
 * stream failed (the reader is gone). */
bool reply_stream_begin(struct request *req, int status, const char *content_type,
			const char *disposition);

/* Sends data[0..len) as the next bytes of the body (nothing for HEAD).
 * Returns false when the stream failed. */
bool reply_stream_write(struct request *req, const void *data, size_t len);

#endif
