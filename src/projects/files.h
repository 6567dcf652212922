/* A project's files: documents uploaded to the project (its "Documents
 * et liens"), stored through the file store with owner kind
 * PROJECT_FILE_OWNER and the project's id, delivered by nginx from
 * /fichiers/<id>/<name> like toolboxes' files, to whoever may see the
 * project. A file resource is {id, title, description, url, file_id,
 * file_name, mime, size} in the project's "resources"; a file attached to
 * a journal post or a proposal's evidence is {file_id, file_name, mime,
 * size, url} there and in the project's "attachments", which the read
 * check and the bytes cap count too. */
#ifndef COUSILAB_PROJECT_FILES_H
#define COUSILAB_PROJECT_FILES_H

#include <bson/bson.h>
#include <jansson.h>

#include "files/upload_form.h"

struct form;
struct request;

#define PROJECT_FILE_OWNER "project"

/* Total bytes of files a project keeps: a cap of its own, since the
 * stored-bytes quotas are cousiSTORE's. */
#define PROJECT_FILES_BYTES_MAX ((long long)200 * 1024 * 1024)

/* Reads the route's multipart body with the projects' limits: its fields
 * become the form, its files *files. Returns true, or false after
 * replying (403 CSRF, 413 too large, 400). A JSON or urlencoded body was
 * read before dispatch: true, no file. */
bool project_upload_read(struct request *req, struct upload **files);

/* Returns the route's project (the request's arena's) when allowed(req, p)
 * holds, as project_of_route_for_or_reply does, with its multipart body
 * read as project_upload_read does; else NULL after replying (the body
 * drained). */
json_t *project_upload_of_route_or_reply(struct request *req,
					 bool (*allowed)(struct request *req, const json_t *p),
					 const char *refusal, struct upload **files);

/* Checks up as a project file (the toolboxes' content checks), stores it
 * and lists it in project p's "attachments" within the cap. Returns 1
 * with *file {file_id, file_name, mime, size, url} (the request's
 * arena's: never decref'd), 0
 * when refused (the reason on field of f), -1 with error set (nothing
 * left stored). */
int project_file_attach(struct request *req, const json_t *p, const struct upload *up,
			struct form *f, const char *field, json_t **file, bson_error_t *error);

/* The files/owner.h read check of PROJECT_FILE_OWNER: returns 1 when
 * req's visitor may see project owner_id and it holds file_id, 0 when
 * not (no such project, not visible: a 404 for the download), -1 after
 * replying 503. One read by _id. */
int projects_file_readable(struct request *req, const char *owner_id, const char *file_id);

#endif
