/* Uploading a document to a project (POST /projets/{slug}/fichiers,
 * POST /api/v1/projects/{id}/files: multipart, field "file"), with the
 * content checks of toolboxes (files/rules.h, files/sniff.h), and who may
 * download it. */
#include "projects/files.h"

#include <string.h>

#include "core/app.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/log.h"
#include "db/db.h"
#include "db/doc.h"
#include "files/rules.h"
#include "files/store.h"
#include "files/upload_form.h"
#include "http/form.h"
#include "http/reply.h"
#include "http/request.h"
#include "http/urlencoded.h"
#include "projects/access.h"
#include "projects/project.h"
#include "projects/route.h"
#include "projects/store.h"
#include "projects/ui.h"
#include "web/db_reply.h"

/* The toolbox kinds whose files a project keeps as documents, tried in
 * order: the first that takes a file's type judges it. Videos stay
 * links: 500 Mo would eat a project's whole cap. */
static const char *const DOCUMENT_KINDS[] = {"guide", "presentation", "tableur"};
#define DOCUMENT_KINDS_COUNT (sizeof(DOCUMENT_KINDS) / sizeof(*DOCUMENT_KINDS))

/* Text fields of a project form that carries a file (the proposal's has
 * the most: csrf, stage, note, evidence_url). */
enum { PROJECT_UPLOAD_FIELDS_MAX = 8 };

/* Returns the largest document a project takes, in bytes. Pure. */
static size_t upload_limit(void)
{
	size_t max = 0;
	for (size_t i = 0; i < DOCUMENT_KINDS_COUNT; i++)
		if (file_kind_max_size(DOCUMENT_KINDS[i]) > max)
			max = file_kind_max_size(DOCUMENT_KINDS[i]);
	return max;
}

/* Returns NULL when up may be a project document (its sniffed type in
 * *type), else why not, in French (static or arena). */
static const char *refusal(struct arena *a, const struct upload *up, enum file_type *type)
{
	const char *why = file_name_refusal(a, up->filename);
	if (why)
		return why;
	*type = file_sniff(up->path, up->size);
	const char *kind = DOCUMENT_KINDS[0];
	for (size_t i = 0; i < DOCUMENT_KINDS_COUNT; i++)
		if (file_kind_limit(DOCUMENT_KINDS[i], *type)) {
			kind = DOCUMENT_KINDS[i];
			break;
		}
	return file_refusal(a, kind, *type, up->size);
}

/* The file to list, for add_file: in "resources" (a document) or
 * "attachments" (a journal post's or a proposal's), its refusal on field
 * of f. */
struct file_add {
	struct form *f;
	const char *field;
	const char *list;
	json_t *res;
};

/* The lists of a project that hold its files. */
static const char *const FILE_LISTS[] = {"resources", "attachments"};

/* Appends the file to p's list, within the documents' count and the
 * bytes cap over all of p's files. */
static enum project_edit_result add_file(struct request *req, const json_t *p, json_t *set,
					 void *ctx)
{
	(void)req;
	struct file_add *e = ctx;
	const json_t *list = json_object_get(p, e->list), *r;
	long long bytes = json_integer_value(json_object_get(e->res, "size"));
	size_t i;
	for (size_t l = 0; l < sizeof(FILE_LISTS) / sizeof(*FILE_LISTS); l++)
		json_array_foreach(json_object_get(p, FILE_LISTS[l]), i, r)
			bytes += json_integer_value(json_object_get(r, "size"));
	if (strcmp(e->list, "resources") == 0 && json_array_size(list) >= PROJECT_RESOURCES_MAX) {
		form_error(e->f, e->field, "Un projet garde au plus 50 documents et liens.");
		return PROJECT_EDIT_REFUSED;
	}
	if (bytes > PROJECT_FILES_BYTES_MAX) {
		form_error(
			e->f, e->field,
			"Ce fichier ne tient plus dans l’espace du projet "
			"(200 Mo au plus)\u202f: retirez-en un document ou proposez plutôt un lien.");
		return PROJECT_EDIT_REFUSED;
	}
	json_t *out = json_is_array(list) ? json_copy((json_t *)list) : json_array();
	json_array_append(out, e->res);
	json_object_set_new(set, e->list, out);
	return PROJECT_EDIT_WRITE;
}

/* Stores up (of type) as a file of project p and lists it, as e->res.
 * Returns 1 when added, 0 when refused (e->f says why), -1 with error set
 * (the stored file then deleted). */
static int store(struct request *req, const json_t *p, const struct upload *up, enum file_type type,
		 struct file_add *e, bson_error_t *error)
{
	const char *pid = json_str(p, "_id");
	const char *fid = file_store_put(db_client(req->db), req->app->db->name, req->arena,
					 up->path, up->size, up->filename, type, PROJECT_FILE_OWNER,
					 pid, error);
	if (!fid)
		return -1;
	json_object_set_new(e->res, "file_id", json_string(fid));
	json_object_set_new(e->res, "file_name", json_string(up->filename));
	json_object_set_new(e->res, "mime", json_string(file_type_info(type)->mime));
	json_object_set_new(e->res, "size", json_integer((json_int_t)up->size));
	json_object_set_new(e->res, "url",
			    json_string(arena_printf(req->arena, "/fichiers/%s/%s", fid,
						     url_encode(req->arena, up->filename))));
	int rc = project_update(req, pid, add_file, e, error);
	if (rc != 1) {
		bson_error_t ignored;
		if (file_store_delete(db_client(req->db), req->app->db->name, fid, &ignored) < 0)
			log_error(req->request_id, "project %s: file %s left behind: %s", pid, fid,
				  ignored.message);
	}
	return rc;
}

void projects_file_add(struct request *req)
{
	struct upload *files = NULL;
	json_t *p = project_upload_of_route_or_reply(
		req, project_may_edit,
		"Seuls l’équipe du projet et la coordination du Lab "
		"ajoutent des documents.",
		&files);
	if (!p)
		return;
	struct form f;
	form_begin(&f, req);
	const struct upload *up = upload_form_file(files, "file");
	const char *title = form_text(&f, "title", PROJECT_TITLE_MAX, false);
	const char *description = form_paragraphs(&f, "description", PROJECT_NOTE_MAX, false);
	enum file_type type = FILE_UNKNOWN;
	const char *why = up ? refusal(req->arena, up, &type) : "Choisissez un fichier.";
	if (why)
		form_error(&f, "file", why);
	struct file_add e = {&f, "file", "resources",
			     arena_json(req->arena, json_pack("{s:s, s:s, s:s}", "id",
							      doc_new_id(req->arena), "title",
							      *title ? title
							      : up   ? up->filename
								     : "",
							      "description", description))};
	bson_error_t error;
	int rc = form_valid(&f) ? store(req, p, up, type, &e, &error) : 0;
	if (rc == 1 && req->is_api)
		reply_json(req, 201, e.res);
	else if (rc == 1)
		project_done(req, json_str(p, "_id"), 201, "documents");
	else if (rc == 0)
		project_invalid(&f, p, "file");
	else
		db_fail(req, "adding a project's document", &error);
	form_end(&f);
}

json_t *project_upload_of_route_or_reply(struct request *req,
					 bool (*allowed)(struct request *req, const json_t *p),
					 const char *refusal, struct upload **files)
{
	json_t *p = project_of_route_for_or_reply(req, allowed, refusal);
	if (!p) {
		upload_form_drain(req, 0);
		return NULL;
	}
	return project_upload_read(req, files) ? p : NULL;
}

bool project_upload_read(struct request *req, struct upload **files)
{
	enum parse_status st = upload_form_read(req, PROJECT_UPLOAD_FIELDS_MAX,
						PROJECT_TEXT_MAX * 4, 1, upload_limit(), files);
	if (st != PARSE_OK)
		upload_form_reply_unreadable(req, st, upload_limit());
	return st == PARSE_OK;
}

int project_file_attach(struct request *req, const json_t *p, const struct upload *up,
			struct form *f, const char *field, json_t **file, bson_error_t *error)
{
	enum file_type type = FILE_UNKNOWN;
	const char *why = refusal(req->arena, up, &type);
	if (why) {
		form_error(f, field, why);
		return 0;
	}
	struct file_add e = {f, field, "attachments", arena_json(req->arena, json_object())};
	int rc = store(req, p, up, type, &e, error);
	if (rc == 1)
		*file = e.res;
	return rc;
}

/* Returns true when project p holds file_id in one of its file lists. */
static bool holds(const json_t *p, const char *file_id)
{
	const json_t *r;
	size_t i;
	for (size_t l = 0; l < sizeof(FILE_LISTS) / sizeof(*FILE_LISTS); l++)
		json_array_foreach(json_object_get(p, FILE_LISTS[l]), i, r)
			if (strcmp(json_str(r, "file_id"), file_id) == 0)
				return true;
	return false;
}

int projects_file_readable(struct request *req, const char *owner_id, const char *file_id)
{
	bson_error_t error;
	json_t *p = project_load(req, owner_id, &error);
	if (!p && error.code) {
		db_fail(req, "loading a project", &error);
		return -1;
	}
	return p && holds(p, file_id) && project_visible(req, p);
}
