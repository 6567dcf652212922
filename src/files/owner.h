/* Who may read a stored file is for the feature that owns it to say:
 * a file's metadata names its owner's kind ("practice", "project",
 * "candidature") and id (files/store.h), and each feature registers the
 * read check of its kind at startup. files/ never includes a feature; a
 * file of a kind nobody registered is nobody's to read. */
#ifndef COUSILAB_FILES_OWNER_H
#define COUSILAB_FILES_OWNER_H

struct request;

enum { FILES_OWNER_KINDS_MAX = 8 };

/* Returns 1 when req's visitor may read file file_id of owner owner_id
 * (which must hold it), 0 when not, or -1 after replying (503). */
typedef int (*files_read_check)(struct request *req, const char *owner_id, const char *file_id);

/* Registers check for the files of kind (static: it must outlive the
 * server); call before the server starts (not thread-safe). Aborts past
 * FILES_OWNER_KINDS_MAX or for a kind registered twice: startup bugs. */
void files_owner_register(const char *kind, files_read_check check);

/* Returns the check registered for kind, or NULL. No I/O. */
files_read_check files_owner_check(const char *kind);

#endif
