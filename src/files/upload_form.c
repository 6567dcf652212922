#include "files/upload_form.h"

#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "files/local.h"
#include "http/request.h"
#include "http/request_io.h"
#include "web/csrf.h"
#include "web/error_reply.h"

bool upload_form_is_multipart(const struct request *req)
{
	return req->content_type && strncasecmp(req->content_type, "multipart/form-data", 19) == 0;
}

void upload_form_drain(struct request *req, size_t done)
{
	char buf[16 * 1024];
	while (upload_form_is_multipart(req) && done < req->content_length) {
		size_t left = req->content_length - done;
		size_t got = request_read(req, buf, left < sizeof(buf) ? left : sizeof(buf));
		if (!got)
			break;
		done += got;
	}
}

/* The request body as the parser reads it, counting what it took. */
struct counted_body {
	struct request *req;
	size_t read;
};

/* A body_reader over struct counted_body. Returns the bytes read. */
static size_t read_counted(void *ctx, char *dst, size_t n)
{
	struct counted_body *b = ctx;
	size_t got = request_read(b->req, dst, n);
	b->read += got;
	return got;
}

/* A multipart_limits.before_file hook: the CSRF token must come in a
 * field before the file. */
static bool csrf_before_file(void *ctx, const struct param *fields)
{
	return csrf_fields_ok(ctx, fields);
}

enum parse_status upload_form_read(struct request *req, size_t max_fields, size_t max_value,
				   size_t max_files, size_t max_file_size, struct upload **files)
{
	*files = NULL;
	if (!upload_form_is_multipart(req))
		return PARSE_OK;
	struct multipart_limits lim = {
		.max_fields = max_fields,
		.max_value = max_value,
		.max_files = max_files,
		.max_file_size = max_file_size,
		.tmpdir = files_local_dir(req->app, req->arena, req->request_id, "uploads"),
		.before_file = csrf_before_file,
		.before_file_ctx = req,
	};
	/* No form within the limits is that long: refused before its first
	 * byte is parsed, nothing written; drained for nginx. */
	if (req->content_length > multipart_body_max(&lim)) {
		upload_form_drain(req, 0);
		return PARSE_TOO_LARGE;
	}
	struct counted_body body = {req, 0};
	struct param *fields = NULL;
	enum parse_status st = multipart_parse(req->arena, req->content_type, req->content_length,
					       read_counted, &body, &lim, &fields, files);
	upload_form_drain(req, body.read);
	if (st == PARSE_OK && !csrf_fields_ok(req, fields)) /* a body with no file */
		st = PARSE_REFUSED;
	if (st == PARSE_OK)
		req->form = fields;
	else
		*files = NULL;
	return st;
}

void upload_form_reply_unreadable(struct request *req, enum parse_status st, size_t max_file_size)
{
	if (st == PARSE_TOO_LARGE) {
		reply_error(
			req, 413, "too_large",
			arena_printf(
				req->arena,
				"Un fichier dépasse "
				"la taille autorisée (%zu Mo au plus). Choisissez-en un plus petit, ou "
				"proposez plutôt un lien.",
				max_file_size / FILES_UPLOAD_MIB),
			NULL);
	} else if (st == PARSE_REFUSED) {
		csrf_refuse(req);
	} else if (st == PARSE_IO) {
		reply_error(req, 500, "upload_failed",
			    "Le fichier n’a pas pu être reçu. "
			    "Réessayez dans quelques instants.",
			    NULL);
	} else {
		reply_error(req, 400, "bad_form", parse_status_message(st), NULL);
	}
}

const struct upload *upload_form_file(const struct upload *files, const char *name)
{
	for (; files; files = files->next)
		if (strcmp(files->field, name) == 0)
			return files;
	return NULL;
}
