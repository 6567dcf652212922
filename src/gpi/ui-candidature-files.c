/* A candidature's files: the dossier PDF (checked by content, header and
 * trailer, at most the edition's limit; a new one replaces the old, which
 * stays in the history) and the optional MP4 video (checked by content,
 * its duration read from moov/mvhd, after the article 10 image-rights box
 * is ticked). Both streamed to a temp file by upload_form, then to the
 * file store as owner kind "candidature", whose read check is here. */
#include <string.h>

#include "accounts/user.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/log.h"
#include "db/db.h"
#include "db/doc.h"
#include "files/mp4.h"
#include "files/rules.h"
#include "files/sniff.h"
#include "files/store.h"
#include "files/upload_form.h"
#include "gpi/candidature.h"
#include "gpi/candidature_page.h"
#include "gpi/edition.h"
#include "gpi/ui.h"
#include "http/form.h"
#include "http/reply.h"
#include "http/request.h"
#include "http/params.h"
#include "web/db_reply.h"
#include "web/error_reply.h"

/* Text fields an upload form carries: csrf and image_rights. */
enum { UPLOAD_FIELDS_MAX = 4, UPLOAD_VALUE_MAX = 128 };

/* Replies 422 with why next to field (the API's name: "file" or
 * "image_rights") of the upload form of which: under /api/ the JSON
 * error; elsewhere c's page again, the message beside the form's field,
 * the image-rights box as it was ticked. */
static void refuse_file(struct request *req, const struct gpi_cand_ctx *c, enum gpi_limit which,
			const char *field, const char *why)
{
	if (req->is_api) {
		reply_error(req, 422, "invalid", why,
			    arena_json(req->arena, json_pack("{s:s}", field, why)));
		return;
	}
	/* The page holds two upload forms: each file input has its own name. */
	const char *key = strcmp(field, "file") != 0         ? field
			  : which == GPI_LIMIT_DOSSIER_BYTES ? "dossier_file"
							     : "video_file";
	const char *rights = param_get(req->form, "image_rights");
	gpi_cand_page_invalid(req, c, arena_json(req->arena, json_pack("{s:s}", key, why)),
			      arena_json(req->arena, json_pack("{s:b}", "image_rights",
							       rights && !strcmp(rights, "on"))));
}

/* Returns the French refusal of a file over max bytes for upload which
 * (arena). */
static const char *too_large(struct request *req, enum gpi_limit which, size_t max)
{
	return arena_printf(req->arena,
			    which == GPI_LIMIT_DOSSIER_BYTES
				    ? "Ce dossier dépasse la taille autorisée (%s au plus)\u202f: "
				      "allégez le PDF, par exemple en compressant ses images."
				    : "Cette vidéo dépasse la taille autorisée (%s au plus)\u202f: "
				      "réduisez sa résolution ou sa durée.",
			    gpi_size_fr(req->arena, (json_int_t)max));
}

/* Opens the route's candidature for an upload of at most max_bytes
 * (limit which of its edition) and reads the body: returns the upload of
 * field "file", or NULL after replying (and draining the body). */
static const struct upload *upload_or_reply(struct request *req, struct gpi_cand_ctx *c,
					    enum gpi_limit which)
{
	if (!gpi_cand_open(req, NULL, c)) {
		upload_form_drain(req, 0);
		return NULL;
	}
	if (!gpi_cand_require_changeable_or_reply(req, c)) {
		upload_form_drain(req, 0);
		gpi_cand_close(c);
		return NULL;
	}
	size_t max = (size_t)gpi_edition_limit(c->edition, which);
	struct upload *files = NULL;
	enum parse_status st = upload_form_read(req, UPLOAD_FIELDS_MAX, UPLOAD_VALUE_MAX, 1, max,
						&files);
	if (st == PARSE_TOO_LARGE && !req->is_api) {
		refuse_file(req, c, which, "file", too_large(req, which, max));
		gpi_cand_close(c);
		return NULL;
	}
	if (st != PARSE_OK) {
		upload_form_reply_unreadable(req, st, max);
		gpi_cand_close(c);
		return NULL;
	}
	const struct upload *up = upload_form_file(files, "file");
	const char *why = up ? file_name_refusal(req->arena, up->filename)
			     : "Choisissez un fichier.";
	if (!why && up->size == 0)
		why = "Ce fichier est vide.";
	if (why) {
		refuse_file(req, c, which, "file", why);
		gpi_cand_close(c);
		return NULL;
	}
	return up;
}

/* What an upload writes into the candidature. */
struct stored_file {
	const char *key; /* "dossier" or "video" */
	json_t *file;    /* {file_id, name, bytes, [seconds,] at} */
	int64_t at;
};

static int put_file(json_t *cand, void *ctx)
{
	const struct stored_file *s = ctx;
	json_t *old = json_object_get(cand, s->key);
	if (strcmp(s->key, "dossier") == 0 && json_is_object(old)) {
		json_t *history = json_object_get(cand, "dossier_history");
		if (!json_is_array(history)) {
			history = json_array();
			json_object_set_new(cand, "dossier_history", history);
		}
		json_t *kept = json_deep_copy(old);
		json_object_set_new(kept, "replaced_at", json_integer(s->at));
		json_array_append_new(history, kept);
	}
	json_object_set(cand, s->key, s->file);
	if (strcmp(s->key, "video") == 0)
		json_object_set_new(cand, "image_rights_at", json_integer(s->at));
	return 0;
}

/* Stores up (of type) for candidature c under s->key and replies: 201
 * with the candidature's JSON, or its page. */
static void store_and_reply(struct request *req, struct gpi_cand_ctx *c, const struct upload *up,
			    enum file_type type, struct stored_file *s)
{
	bson_error_t error = {0};
	const char *fid = file_store_put(db_client(req->db), db_name(req->db), req->arena, up->path,
					 up->size, up->filename, type, "candidature", c->id,
					 &error);
	if (!fid) {
		db_fail(req, "storing a Grand Prix file", &error);
		return;
	}
	json_object_set_new(s->file, "file_id", json_string(fid));
	json_object_set_new(s->file, "name", json_string(up->filename));
	json_object_set_new(s->file, "bytes", json_integer((json_int_t)up->size));
	json_object_set_new(s->file, "at", json_integer(s->at));
	json_t *saved = NULL;
	if (gpi_candidature_write(req->db, c->id, req->user->id, 0, put_file, s, &saved, &error)) {
		bson_error_t ignored = {0};
		if (file_store_delete(db_client(req->db), db_name(req->db), fid, &ignored) < 0)
			log_error(req->request_id, "candidature %s: file %s left behind: %s", c->id,
				  fid, ignored.message);
		db_fail(req, "attaching a file to a Grand Prix candidature", &error);
		return;
	}
	gpi_cand_replace(c, saved);
	audit_record(req, arena_printf(req->arena, "gpi.candidature.%s", s->key), c->id,
		     up->filename, NULL);
	if (req->is_api) {
		reply_json(req, 201, arena_json(req->arena, gpi_cand_api(req->arena, c->cand)));
	} else {
		reply_redirect(req, arena_printf(req->arena, "%s?info=%s",
						 gpi_cand_url(req, c->year, c->id), s->key));
	}
}

void gpi_candidature_dossier(struct request *req)
{
	struct gpi_cand_ctx c;
	const struct upload *up = upload_or_reply(req, &c, GPI_LIMIT_DOSSIER_BYTES);
	if (!up)
		return;
	const char *why = file_pdf_refusal(file_pdf_check(up->path, up->size));
	if (why) {
		refuse_file(req, &c, GPI_LIMIT_DOSSIER_BYTES, "file", why);
	} else {
		struct stored_file s = {"dossier", arena_json(req->arena, json_object()),
					doc_now_ms()};
		store_and_reply(req, &c, up, FILE_PDF, &s);
	}
	gpi_cand_close(&c);
}

void gpi_candidature_video(struct request *req)
{
	struct gpi_cand_ctx c;
	const struct upload *up = upload_or_reply(req, &c, GPI_LIMIT_VIDEO_BYTES);
	if (!up)
		return;
	struct form f;
	form_begin(&f, req);
	const char *rights = form_text(&f, "image_rights", 8, false);
	form_end(&f);
	uint32_t max_s = (uint32_t)gpi_edition_limit(c.edition, GPI_LIMIT_VIDEO_SECONDS);
	struct mp4_info info = {0};
	const char *why = NULL;
	if (strcmp(rights, "on") != 0)
		refuse_file(req, &c, GPI_LIMIT_VIDEO_BYTES, "image_rights",
			    "Cochez la case attestant que vous détenez les droits à l’image de "
			    "toutes les personnes qui apparaissent dans la vidéo (article 10).");
	else if ((why = mp4_refusal(req->arena, mp4_probe_file(up->path, &info), &info, max_s)))
		refuse_file(req, &c, GPI_LIMIT_VIDEO_BYTES, "file", why);
	else {
		struct stored_file s = {"video", arena_json(req->arena, json_object()),
					doc_now_ms()};
		json_object_set_new(s.file, "seconds",
				    json_integer((json_int_t)mp4_seconds(&info)));
		store_and_reply(req, &c, up, FILE_MP4, &s);
	}
	gpi_cand_close(&c);
}

/* Returns true when candidature cand holds file_id: its dossier, a
 * replaced dossier, or its video. */
static bool holds(const json_t *cand, const char *file_id)
{
	if (strcmp(json_str(json_object_get(cand, "dossier"), "file_id"), file_id) == 0 ||
	    strcmp(json_str(json_object_get(cand, "video"), "file_id"), file_id) == 0)
		return true;
	json_t *old;
	size_t i;
	json_array_foreach(json_object_get(cand, "dossier_history"), i, old)
		if (strcmp(json_str(old, "file_id"), file_id) == 0)
			return true;
	return false;
}

int gpi_candidature_file_readable(struct request *req, const char *owner_id, const char *file_id)
{
	bson_error_t error = {0};
	json_t *cand = arena_json(req->arena, gpi_candidature_load(req->db, owner_id, &error));
	if (!cand && error.code) {
		db_fail(req, "reading a Grand Prix candidature", &error);
		return -1;
	}
	struct gpi_audience a = cand ? gpi_audience_of(req->db, cand) : (struct gpi_audience){0};
	return cand && holds(cand, file_id) && gpi_candidature_may_see(req->user, &a);
}
