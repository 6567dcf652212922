/* Request setup and reply output, used by the server loop only. */
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

/* Writes status line, headers (security headers included) and body to
 * out. Allocates nothing beyond a small header buffer. */
void response_send(struct request *req, FCGX_Stream *out);

#endif
