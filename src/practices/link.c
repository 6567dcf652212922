/* Drafts made from another feature's work, and what that feature shows of
 * its practice (see web/practice_link.h). A draft goes through the same
 * store, quotas and toolbox as one typed in the form; the files of the
 * source are copied, so that the practice's rights, not the source's,
 * decide who reads them once it is published. */
#include "practices/link.h"

#include <string.h>

#include "core/app.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/labels.h"
#include "core/log.h"
#include "db/db.h"
#include "db/doc.h"
#include "files/local.h"
#include "files/sniff.h"
#include "files/store.h"
#include "http/multipart.h"
#include "http/request.h"
#include "practices/catalogue.h"
#include "practices/practice.h"
#include "practices/quota.h"
#include "practices/store.h"
#include "practices/toolbox.h"
#include "practices/ui.h"

/* Records on practice id where it comes from, so its sheet links back.
 * Not an edit of the practice (no version): where it was made. */
static int record_source(struct request *req, const char *id, const struct practice_link_draft *d,
			 bson_error_t *error)
{
	bson_t *update = BCON_NEW("$set", "{", "source", "{", "kind", BCON_UTF8(d->source_kind),
				  "id", BCON_UTF8(d->source_id), "slug", BCON_UTF8(d->source_slug),
				  "title", BCON_UTF8(d->source_title), "}", "}");
	if (doc_upsert_id(req->db, "practices", id, update, error))
		return -1;
	return catalogue_changed(req->db, id, error);
}

/* Returns the toolbox kind a copied file of type t is listed under. */
static const char *kind_of(enum file_type t)
{
	switch (t) {
	case FILE_MP4: return "video";
	case FILE_ODS:
	case FILE_XLSX: return "tableur";
	case FILE_ODP:
	case FILE_PPTX: return "presentation";
	default: return "guide";
	}
}

/* Adds a copy of r to the toolbox of the practice id: a link as it is, a
 * file read back from the store into this host's cache and stored again
 * with the practice as owner (counted in the user's bytes quota). Returns
 * 0, 1 when the file no longer exists, -1 with error set. */
static int add_resource(struct request *req, const char *id, const struct practice_link_resource *r,
			bson_error_t *error)
{
	struct toolbox_resource_input in = {.kind = "lien",
					    .title = r->title,
					    .description = r->description ? r->description : "",
					    .url = r->url};
	struct upload up = {0};
	enum file_type t = FILE_UNKNOWN;
	if (r->file_id) {
		const char *dir = files_local_dir(req->app, req->arena, req->request_id, "files");
		int rc = file_store_materialize(db_client(req->db), req->app->db->name, r->file_id,
						dir, error);
		if (rc)
			return rc;
		bson_t *meta = file_store_meta(db_client(req->db), req->app->db->name, r->file_id,
					       error);
		if (!meta)
			return error->code ? -1 : 1;
		up.filename = doc_string(req->arena, meta, "name");
		up.size = (size_t)doc_int(meta, "size", 0);
		bson_destroy(meta);
		up.path = arena_printf(req->arena, "%s/%s", dir, r->file_id);
		t = file_sniff(up.path, up.size);
		in.kind = kind_of(t);
		in.url = NULL;
		in.has_file = true;
	}
	json_t *practice = practice_load(req->db, id, error);
	if (!practice)
		return -1;
	json_t *res = toolbox_add(req->app, req->db, req->user, practice, &in,
				  r->file_id ? &up : NULL, t, error);
	json_decref(practice);
	return res ? 0 : -1;
}

static const char *draft(struct request *req, const struct practice_link_draft *d,
			 bson_error_t *error)
{
	struct practice_input in = {
		.title = d->title,
		.summary = d->summary,
		.problem = d->problem,
		.description = d->description,
		.results = "",
		.public_ = "",
		.maturity = d->maturity,
		.contact = "",
		.organisations = d->organisations,
		.n_organisations = d->n_organisations,
		.themes = d->themes,
		.n_themes = d->n_themes,
	};
	const char *id = practice_create(req->db, req->user, &in, error);
	if (!id || record_source(req, id, d, error))
		return NULL;
	/* The draft exists from here on: a resource that cannot be copied
	 * is logged and left for the author to add, rather than failing a
	 * request whose retry would make a second draft. */
	for (size_t i = 0; i < d->n_resources; i++) {
		bson_error_t e;
		if (add_resource(req, id, &d->resources[i], &e))
			log_error(req->request_id, "practice %s: resource \"%s\" not copied: %s",
				  id, d->resources[i].title, e.message);
	}
	return id;
}

static const char *refused_message(const bson_error_t *error)
{
	if (!quota_refused(error))
		return NULL;
	return "Vous avez déjà le nombre maximal de pratiques en cours (brouillons, soumises "
	       "ou renvoyées). Soumettez-en une à la coordination, ou attendez qu’une soit "
	       "publiée ou archivée, pour en créer une nouvelle.";
}

/* Returns the adopters of p as a linked page lists them: [{name,
 * stage_label}]. New reference. */
static json_t *adopters_of(const json_t *p)
{
	json_t *out = json_array();
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(p, "adopters"), i, a)
		json_array_append_new(out, json_pack("{s:s, s:s}", "name", json_str(a, "name"),
						     "stage_label", json_str(a, "stage_label")));
	return out;
}

static json_t *describe(struct request *req, const char *id, bson_error_t *error)
{
	memset(error, 0, sizeof(*error));
	if (catalogue_sync(req, error))
		return NULL;
	json_t *p = arena_json(req->arena, catalogue_get(req, id));
	if (!p && req->user) {
		p = arena_json(req->arena, practice_load(req->db, id, error));
		if (p && !practice_allowed(req->user, json_str(p, "author_id"),
					   practice_status_of(p), PRACTICE_VIEW))
			p = NULL;
	}
	if (!p)
		return NULL;
	enum practice_status s = practice_status_of(p);
	json_t *out = json_pack("{s:s, s:s, s:s, s:s, s:b, s:I, s:o}", "slug", json_str(p, "slug"),
				"title", json_str(p, "title"), "status", PRACTICE_STATUSES[s][0],
				"status_label", PRACTICE_STATUSES[s][1], "published",
				s == PRACTICE_PUBLISHED, "reuse_count",
				(json_int_t)json_integer_value(json_object_get(p, "reuse_count")),
				"adopters", adopters_of(p));
	return out;
}

static json_t *published(struct request *req, const char *id)
{
	json_t *card = catalogue_card(req, id);
	json_t *out = card ? json_pack("{s:s, s:s}", "slug", json_str(card, "slug"), "title",
				       json_str(card, "title"))
			   : NULL;
	json_decref(card);
	return out;
}

const struct practice_link_ops practices_link_ops = {
	.draft = draft,
	.refused_message = refused_message,
	.describe = describe,
	.published = published,
};
