/* This host's own directories under $COUSILAB_CACHE_DIR for files:
 * the local copies of stored files and the uploads being received. */
#ifndef COUSILAB_FILES_LOCAL_H
#define COUSILAB_FILES_LOCAL_H

struct request;

/* Returns "<cache_dir>/<sub>" (arena), creating both directories when
 * missing (a failure is logged and met again by the caller's use of it).
 * sub "files": the local copies of stored files, that nginx serves as
 * /_fichiers/; "uploads": the uploads being received (private). */
const char *files_local_dir(struct request *req, const char *sub);

#endif
