/* Downloads of stored files: the app checks the reader's rights and fills
 * the local cache, then nginx sends the bytes (X-Accel-Redirect). */
#ifndef COUSILAB_FILES_UI_H
#define COUSILAB_FILES_UI_H

struct request;

/* The file id, for whoever its owner's read check lets have it
 * (files/owner.h; 404 for anyone else, as for a missing file). {name} is
 * for the browser only: the stored name is what the reply's
 * Content-Disposition gives. */
void files_download(struct request *req);

#endif
