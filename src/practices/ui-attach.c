/* Files attached in the practice creation form: rows of kind, title and
 * file that become the new practice's first toolbox resources, checked
 * with the toolbox's own rules before the practice is created. */
#include <stdio.h>
#include <string.h>

#include "accounts/user.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/labels.h"
#include "db/doc.h"
#include "files/rules.h"
#include "http/form.h"
#include "http/multipart.h"
#include "http/request.h"
#include "practices/quota.h"
#include "practices/store.h"
#include "practices/toolbox.h"

/* Returns the name of row i's field part ("kind", "title", or "" for the
 * file itself), arena-owned. */
static const char *row_field(struct arena *a, size_t i, const char *part)
{
	return *part ? arena_printf(a, "attachment-%zu-%s", i, part)
		     : arena_printf(a, "attachment-%zu", i);
}

/* Returns the upload sent as field name, or NULL. */
static const struct upload *upload_named(const struct upload *files, const char *name)
{
	for (; files; files = files->next)
		if (strcmp(files->field, name) == 0)
			return files;
	return NULL;
}

/* Returns the row field a toolbox_resource_check error on field belongs to: the
 * file's own field for what concerns the file or a URL. */
static const char *error_field(struct arena *a, size_t i, const char *field)
{
	bool own = strcmp(field, "kind") == 0 || strcmp(field, "title") == 0;
	return row_field(a, i, own ? field : "");
}

/* Reads and checks row i into *out. Returns true when it holds a file. */
static bool read_row(struct request *req, struct form *f, const struct upload *files, size_t i,
		     size_t kept, struct toolbox_attachment *out)
{
	struct arena *a = req->arena;
	const char *kind = form_text(f, row_field(a, i, "kind"), 32, false);
	const char *title = form_text(f, row_field(a, i, "title"), TOOLBOX_RESOURCE_TITLE_MAX_CHARS,
				      false);
	const struct upload *up = upload_named(files, row_field(a, i, ""));
	if (!up) {
		if (*title || *kind)
			form_error(f, row_field(a, i, ""),
				   "Choisissez le fichier de cette ressource, "
				   "ou effacez son type et son titre.");
		return false;
	}
	*out = (struct toolbox_attachment){
		.in = {.kind = kind,
		       .title = title,
		       .description = "",
		       .url = NULL,
		       .has_file = true},
		.up = up,
		.type = FILE_UNKNOWN,
	};
	struct field_error errors[TOOLBOX_RESOURCE_MAX_ERRORS];
	size_t n = toolbox_resource_check(&out->in, kept, errors);
	for (size_t e = 0; e < n; e++)
		form_error(f, error_field(a, i, errors[e].field), errors[e].message);
	const char *why = file_name_refusal(a, up->filename);
	if (!why && label_find(TOOLBOX_KINDS, TOOLBOX_KINDS_COUNT, kind)) {
		out->type = file_sniff(up->path, up->size);
		why = file_refusal(a, kind, out->type, up->size);
	}
	if (why)
		form_error(f, row_field(a, i, ""), why);
	return true;
}

size_t toolbox_attachments_read(struct request *req, struct form *f, const struct upload *files,
				struct toolbox_attachment out[TOOLBOX_ATTACH_MAX])
{
	size_t n = 0;
	int64_t bytes = 0;
	for (size_t i = 1; i <= TOOLBOX_ATTACH_MAX; i++)
		if (read_row(req, f, files, i, n, &out[n]))
			bytes += (int64_t)out[n++].up->size;
	if (!n)
		return 0;
	/* Refused here, before the practice exists, when the files cannot all
	 * fit. The quota is claimed file by file when they are stored: a
	 * failure to read it now only defers the refusal to then. */
	struct quota_totals used = {0, 0};
	bson_error_t error;
	if (quota_read(req->db, req->user->id, &used, &error) == 0 && !quota_fits(&used, 0, bytes))
		form_error(f, row_field(req->arena, 1, ""), toolbox_quota_message(req));
	return n;
}

json_t *toolbox_attachment_rows(const json_t *values, const json_t *errors,
				const struct upload *files)
{
	json_t *rows = json_array();
	char kind[32], title[32], file[32];
	for (size_t i = 1; i <= TOOLBOX_ATTACH_MAX; i++) {
		snprintf(kind, sizeof(kind), "attachment-%zu-kind", i);
		snprintf(title, sizeof(title), "attachment-%zu-title", i);
		snprintf(file, sizeof(file), "attachment-%zu", i);
		const struct upload *sent = upload_named(files, file);
		json_t *row = json_pack(
			"{s:i, s:o, s:s, s:s?, s:s?, s:s?, s:s?}", "n", (int)i, "kinds",
			toolbox_kind_options(json_str(values, kind), true), "title",
			json_str(values, title), "kind_error",
			json_string_value(json_object_get(errors, kind)), "title_error",
			json_string_value(json_object_get(errors, title)), "file_error",
			json_string_value(json_object_get(errors, file)), "sent_name",
			sent ? sent->filename : NULL);
		json_array_append_new(rows, row);
	}
	return rows;
}

size_t toolbox_attachments_add(struct request *req, const char *practice_id,
			       const struct toolbox_attachment *att, size_t n, bson_error_t *error)
{
	for (size_t i = 0; i < n; i++) {
		/* Read again each time: each addition saves a new version of the
		 * toolbox over the one it was given. */
		json_t *p = arena_json(req->arena, practice_load(req->db, practice_id, error));
		json_t *res = p ? toolbox_add(req->app, req->db, req->user, p, &att[i].in,
					      att[i].up, att[i].type, error)
				: NULL;
		if (!p && !error->code)
			bson_set_error(error, 0, 1, "practice %s vanished", practice_id);
		if (!res)
			return i;
	}
	return n;
}
