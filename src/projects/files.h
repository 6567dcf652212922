/* A project's files: documents uploaded to the project (its "Documents
 * et liens"), stored through the file store with owner kind
 * PROJECT_FILE_OWNER and the project's id, delivered by nginx from
 * /fichiers/<id>/<name> like toolboxes' files, to whoever may see the
 * project. A file resource is {id, title, description, url, file_id,
 * file_name, mime, size} in the project's "resources". */
#ifndef COUSILAB_PROJECT_FILES_H
#define COUSILAB_PROJECT_FILES_H

struct request;

#define PROJECT_FILE_OWNER "project"

/* Total bytes of files a project keeps: a cap of its own, since the
 * stored-bytes quotas are cousiSTORE's. */
#define PROJECT_FILES_BYTES_MAX ((long long)200 * 1024 * 1024)

/* The files/owner.h read check of PROJECT_FILE_OWNER: returns 1 when
 * req's visitor may see project owner_id and it holds file_id, 0 when
 * not (no such project, not visible: a 404 for the download), -1 after
 * replying 503. One read by _id. */
int projects_file_readable(struct request *req, const char *owner_id, const char *file_id);

#endif
