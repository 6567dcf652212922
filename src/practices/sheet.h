/* The practice sheet is assembled from sections owned by their features:
 * each fills its part of the template data for one practice (a JSON
 * object from the catalogue or the store) and renders through its own
 * partial. Each returns 0, or -1 after replying (503 and the like). */
#ifndef COUSILAB_SHEET_H
#define COUSILAB_SHEET_H

#include <jansson.h>

struct request;

/* views/practices/toolbox.mustache: data "toolbox" (resources with
 * download links or URLs) and "can_edit_toolbox". */
int toolbox_sheet_data(struct request *req, const json_t *practice, json_t *data);

/* views/practices/reuse.mustache: data "adopters" and "reuse" (the user's
 * organisation's declaration and the form). */
int reuse_sheet_data(struct request *req, const json_t *practice, json_t *data);

/* views/comments/thread.mustache: data "comments", "following" and
 * "conversation" (comments_fill). */
int conversation_sheet_data(struct request *req, const json_t *practice, json_t *data);

/* What only the signed-in reader sees of the conversation of published
 * practice: data "following" and "conversation" for
 * views/comments/follow.mustache. Returns 0, or 1 when their sheet
 * differs from other members' (a comment they may still edit) or on a
 * database error; never replies. */
int conversation_sheet_personal(struct request *req, const json_t *practice, json_t *data);

#endif
