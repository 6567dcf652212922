/* Request setup and reply output, used by the server loop (and the
 * streamed reply of http/reply_stream.c) only. */
#ifndef COUSILAB_REQUEST_IO_H
#define COUSILAB_REQUEST_IO_H

#include "http/request.h"

/* Fills req from its FastCGI parameters: method, decoded path, query,
 * and a form or JSON body. Returns 0, or -1 after setting req->refused
 * (400, 413) for the dispatch function to answer. Allocates in the
 * request arena. */
int request_prepare(struct request *req);

/* Reads up to n body bytes into dst; returns how many were read (fewer
 * only at the end of the body). */
size_t request_read(struct request *req, char *dst, size_t n);

/* Appends the status line and headers of req's reply (security headers
 * included; Content-Length of the buffered body when with_length) and
 * the blank line that ends them to head. */
void response_head(struct request *req, struct buf *head, bool with_length);

/* Writes status line, headers and body to out, unless the reply was
 * streamed (http/reply_stream.h): then it is out already. Allocates
 * nothing beyond a small header buffer. */
void response_send(struct request *req, FCGX_Stream *out);

#endif
