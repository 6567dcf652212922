/* A practice's toolbox: an ordered list of resources, each an uploaded
 * file kept in the file store or an http(s) link. In the practice's
 * "toolbox" array a resource is
 *   {id (24 hex), kind, title, description, url}
 *   {id, kind, title, description, file_id, file_name, mime, size,
 *    quota_user (whose stored-bytes quota counts it: practices/quota.h)}.
 * A toolbox file's metadata names its practice (files.owner_kind
 * TOOLBOX_FILE_OWNER, owner_id), so a download finds the practice, and
 * with it the reader's rights, from the file id alone. */
#ifndef COUSILAB_TOOLBOX_H
#define COUSILAB_TOOLBOX_H

#include <bson/bson.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/field_error.h"
#include "files/sniff.h"
#include "http/params.h"

struct arena;
struct db_ctx;
struct user;
struct app;
struct request;

/* The owner kind of toolbox files (files/owner.h). */
#define TOOLBOX_FILE_OWNER "practice"
struct upload;

enum {
	TOOLBOX_RESOURCE_TITLE_MAX_CHARS = 150,
	TOOLBOX_RESOURCE_DESCRIPTION_MAX_CHARS = 1000,
	TOOLBOX_RESOURCE_URL_MAX_CHARS = 2000,
	TOOLBOX_RESOURCE_FILE_NAME_MAX = 120, /* bytes, extension included */
	TOOLBOX_MAX_RESOURCES = 30,
	TOOLBOX_RESOURCE_MAX_ERRORS = 4,
};

/* The kinds as stored, with their French labels: "modele" → "Modèle".
 * "lien" takes a URL only; the others a file (see files/rules.h) or a
 * URL (a video on a platform, a guide on an intranet). */
extern const char *const TOOLBOX_KINDS[][2];
extern const size_t TOOLBOX_KINDS_COUNT;

/* A resource as submitted: texts trimmed, "" when absent. */
struct toolbox_resource_input {
	const char *kind, *title, *description, *url;
	bool has_file;
};

/* Returns true when url is an absolute http or https URL (scheme in any
 * case) with a host of letters, digits, '-' and '.' (or a bracketed IPv6
 * address), an optional port, no user info, then printable ASCII only,
 * and at most TOOLBOX_RESOURCE_URL_MAX_CHARS bytes. So javascript:, data: and
 * the like never pass. Pure. */
bool toolbox_resource_url_valid(const char *url);

/* Checks in for a toolbox that holds toolbox_size resources: known kind,
 * title given, exactly one of a file and a URL ("lien": a URL), a valid
 * URL, room left. The file itself is checked by file_refusal; lengths
 * are the form's job. Writes up to TOOLBOX_RESOURCE_MAX_ERRORS errors to out;
 * returns how many. Pure. */
size_t toolbox_resource_check(const struct toolbox_resource_input *in, size_t toolbox_size,
			      struct field_error *out);

/* Returns the name a file of type t sent as sent is stored and served
 * under: sent (already a basename) cut to TOOLBOX_RESOURCE_FILE_NAME_MAX bytes
 * on a character boundary, with t's extension appended when it does not
 * end with it, so that what is saved opens as what it is ("fichier.pdf"
 * when sent is empty). Arena. Pure. */
const char *toolbox_resource_file_name(struct arena *a, const char *sent, enum file_type t);

/* Returns where resource res is fetched: its download path
 * ("/fichiers/<file id>/<file name, percent-encoded>") for a file, its
 * own url for a link. Arena or borrowed from res. */
const char *toolbox_resource_url(struct arena *a, const json_t *res);

/* Returns a copy of resource res as the API shows it: with its url, a
 * file's download path included, and without whom the file is counted
 * for (quota_user, an account id). New reference. */
json_t *toolbox_resource_public(struct arena *a, const json_t *res);

/* Returns toolbox (NULL: empty) with each resource as toolbox_resource_public
 * shows it. New reference. */
json_t *toolbox_public(struct arena *a, const json_t *toolbox);

/* Returns the index of resource id in toolbox, or -1. Pure. */
long toolbox_find(const json_t *toolbox, const char *id);

/* Adds the resource in (checked) to practice (a practice_load result) as
 * its last one: when up is not NULL, first counts its size in the user's
 * stored-bytes quota, then stores that upload of type t (checked by
 * file_refusal) with the practice as owner. Returns the new resource
 * (owned by db's arena), or NULL with error set (quota_refused(error): no
 * room left in the quota); then nothing stays stored or counted. */
json_t *toolbox_add(const struct app *app, struct db_ctx *db, const struct user *by,
		    const json_t *practice, const struct toolbox_resource_input *in,
		    const struct upload *up, enum file_type t, bson_error_t *error);

/* Swaps resource id of practice with its neighbour (delta -1: up, +1:
 * down); *toolbox gets the toolbox as it now is (owned by db's arena),
 * whatever the result. Returns 0, 1 when there is no such resource or it is
 * already at that end, -1 with error set. */
int toolbox_move(struct db_ctx *db, const struct user *by, const json_t *practice, const char *id,
		 int delta, json_t **toolbox, bson_error_t *error);

/* Removes resource id from practice, then deletes its file from the
 * store and the cache and gives its size back to its uploader's quota;
 * *toolbox as for toolbox_move. Returns 0, 1 when
 * there is no such resource, -1 with error set (a file left behind after
 * the toolbox changed is only logged: no reader can reach it any more). */
int toolbox_remove(const struct app *app, struct db_ctx *db, const struct user *by,
		   const json_t *practice, const char *id, json_t **toolbox, bson_error_t *error);

/* ---- Form pieces (ui-toolbox.c), for the toolbox and creation forms ---- */

/* Returns the kind options of a form's <select>, selected (may be NULL)
 * marked, files_only leaving out the kinds that take no file. New
 * reference. */
json_t *toolbox_kind_options(const char *selected, bool files_only);

/* The one upload limit the parser can apply before it knows the kind:
 * the largest of all kinds, in bytes. The kind's own limit is checked
 * after. Pure. */
size_t toolbox_upload_limit(void);

/* Returns why a file was refused for the user's stored-bytes quota, with
 * how much of it is used (arena). */
const char *toolbox_quota_message(struct request *req);

/* ---- Files attached in the practice creation form (ui-attach.c) ---- */

enum { TOOLBOX_ATTACH_MAX = 3 };

/* One attached file, checked: the resource it makes, its upload and the
 * type its bytes were sniffed as. */
struct toolbox_attachment {
	struct toolbox_resource_input in;
	const struct upload *up;
	enum file_type type;
};

struct form;

/* Reads row i (1..TOOLBOX_ATTACH_MAX) of the creation form's attachments
 * from f and files: fields "attachment-<i>-kind", "attachment-<i>-title"
 * and the file part "attachment-<i>". A row without a file is skipped (a
 * kind or title alone is refused). Checks every kept row as the toolbox
 * would (kind, title, file name, type, size) and, together, the user's
 * stored-bytes quota, adding errors to f under the rows' field names.
 * Writes the rows to out; returns how many. Allocates in the arena. */
size_t toolbox_attachments_read(struct request *req, struct form *f, const struct upload *files,
				struct toolbox_attachment out[TOOLBOX_ATTACH_MAX]);

/* Returns the rows of views/practices/attachments.mustache: each row's
 * number, kind options, typed title and errors from values and errors
 * (both may be NULL), and the name of a file sent with a refused form
 * (files may be NULL), which the browser does not keep. New reference. */
json_t *toolbox_attachment_rows(const json_t *values, const json_t *errors,
				const struct upload *files);

/* Adds the n checked attachments to practice practice_id (just created)
 * in order. Returns how many were added; on a failure, error is set and
 * the rest are not tried (quota_refused(error): the quota filled up
 * meanwhile). */
size_t toolbox_attachments_add(struct request *req, const char *practice_id,
			       const struct toolbox_attachment *att, size_t n, bson_error_t *error);

/* The read check of toolbox files (files/owner.h, registered by main.c):
 * returns 1 when req's visitor may see practice owner (published, from
 * the catalogue; else a draft they may view) and it holds file id, 0
 * when not, -1 after replying 503. */
int toolbox_file_readable_or_reply(struct request *req, const char *owner, const char *id);

#endif
