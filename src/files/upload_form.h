/* Reading a multipart/form-data form that carries files, for every
 * feature that takes uploads (practices' toolboxes, projects' documents,
 * journal and evidence): the text fields become the request's form, the
 * files temp files in the files' local upload folder, and the CSRF token
 * must come in a field before any file so that no byte of a forged
 * request is kept. */
#ifndef COUSILAB_FILES_UPLOAD_FORM_H
#define COUSILAB_FILES_UPLOAD_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "http/multipart.h"
#include "http/params.h"

struct request;

#define FILES_UPLOAD_MIB ((size_t)1024 * 1024)

/* Returns true for a multipart/form-data body, which only its handler
 * reads (the router parses every other body before dispatch). */
bool upload_form_is_multipart(const struct request *req);

/* Reads and drops what is left of a multipart body after done bytes:
 * nginx must be able to send it all before it reads the reply. */
void upload_form_drain(struct request *req, size_t done);

/* Streams a multipart/form-data body of at most max_fields text parts of
 * max_value bytes each and max_files file parts of max_file_size bytes
 * each: its text fields become req->form (so that form.h reads them),
 * its files *files, in body order. Any other body was parsed before
 * dispatch: PARSE_OK, no file. Returns PARSE_OK, or the parser's status
 * with *files NULL and the body drained: PARSE_TOO_LARGE at once, before
 * anything is parsed, when the Content-Length is over what such a form may
 * take (multipart_body_max), else when a part is over its limit as it
 * streams; PARSE_REFUSED when the body's CSRF token is missing or wrong
 * (no file byte kept). Temp files go with
 * the request arena. */
enum parse_status upload_form_read(struct request *req, size_t max_fields, size_t max_value,
				   size_t max_files, size_t max_file_size, struct upload **files);

/* Replies to a body upload_form_read refused with st: 403 for the CSRF
 * token, 413 for a file over max_file_size, 500 when it could not be
 * kept, 400 otherwise. */
void upload_form_reply_unreadable(struct request *req, enum parse_status st, size_t max_file_size);

/* Returns the first upload of field name in files, or NULL. Borrowed. */
const struct upload *upload_form_file(const struct upload *files, const char *name);

#endif
