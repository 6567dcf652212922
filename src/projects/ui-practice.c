/* "Publier comme bonne pratique": POST /projets/{slug}/pratique and
 * POST /api/v1/projects/{id}/practice (see projects/practice.h). A
 * project gets one practice: the request first claims the unique _id
 * "practice:<project id>" in "project_claims", so two clicks make one
 * draft; the claim is given back when no draft could be made. */
#include <string.h>

#include "core/arena.h"
#include "core/arena_json.h"
#include "core/log.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/reply.h"
#include "http/request.h"
#include "projects/access.h"
#include "projects/practice.h"
#include "projects/project.h"
#include "projects/route.h"
#include "projects/store.h"
#include "projects/ui.h"
#include "web/db_reply.h"
#include "web/error_reply.h"
#include "web/practice_link.h"

#define CLAIMS "project_claims"

const char *project_practice_maturity(const char *stage)
{
	static const char *const MATURITY[PROJECT_STAGE_COUNT] = {
		[PROJECT_STAGE_IDEE] = "idee",
		[PROJECT_STAGE_PROTOTYPE] = "idee",
		[PROJECT_STAGE_EXPERIMENTATION] = "experimentee",
		[PROJECT_STAGE_BRANCHE] = "deployee",
		[PROJECT_STAGE_INSTITUTION] = "generalisee",
	};
	int s = project_stage_from(stage);
	return s < 0 ? "idee" : MATURITY[s];
}

int project_practice_data_or_reply(struct request *req, const json_t *p, json_t *data)
{
	const char *id = json_str(p, "practice_id");
	if (!*id) {
		json_object_set_new(data, "can_publish_practice",
				    json_boolean(project_may_edit(req, p)));
		return 0;
	}
	bson_error_t error;
	json_t *practice = practice_link()->describe(req, id, &error);
	if (!practice && error.code) {
		db_fail(req, "reading a project's practice", &error);
		return -1;
	}
	if (practice)
		json_object_set_new(data, "practice", practice);
	return 0;
}

/* Returns first (when not empty) then the strings of array field of p,
 * in the arena; *n gets how many. */
static const char **strings_of(struct arena *a, const char *first, const json_t *p,
			       const char *field, size_t *n)
{
	const json_t *list = json_object_get(p, field);
	const char **out = arena_alloc(a, (json_array_size(list) + 1) * sizeof(*out));
	*n = 0;
	if (*first)
		out[(*n)++] = first;
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
		if (json_is_string(v))
			out[(*n)++] = json_string_value(v);
	return out;
}

/* Returns the project's files and links as toolbox resources, in the
 * arena; *n gets how many. */
static struct practice_link_resource *resources_of(struct arena *a, const json_t *p, size_t *n)
{
	const json_t *list = json_object_get(p, "resources");
	struct practice_link_resource *out = arena_alloc(a, (json_array_size(list) + 1) *
								    sizeof(*out));
	*n = 0;
	size_t i;
	json_t *r;
	json_array_foreach(list, i, r) {
		const char *file_id = json_str(r, "file_id"), *url = json_str(r, "url");
		if (!*file_id && !*url)
			continue;
		out[(*n)++] = (struct practice_link_resource){
			.title = json_str(r, "title"),
			.description = json_str(r, "description"),
			.url = *url ? url : NULL,
			.file_id = *file_id ? file_id : NULL};
	}
	return out;
}

/* project_update's edit: records the practice made from the project. */
static enum project_edit_result set_practice(struct request *req, const json_t *p, json_t *set,
					     void *ctx)
{
	(void)req;
	(void)p;
	json_object_set_new(set, "practice_id", json_string(ctx));
	return PROJECT_EDIT_WRITE;
}

/* Makes the draft of project p. Returns its id (arena), or NULL after
 * replying. */
static const char *make_draft(struct request *req, const json_t *p)
{
	struct arena *a = req->arena;
	struct practice_link_draft d = {
		.title = json_str(p, "title"),
		.summary = json_str(p, "summary"),
		.problem = json_str(p, "problem"),
		.description = json_str(p, "solution"),
		.maturity = project_practice_maturity(json_str(p, "stage")),
		.source_kind = "project",
		.source_id = json_str(p, "_id"),
		.source_slug = json_str(p, "slug"),
		.source_title = json_str(p, "title"),
	};
	/* The lead organisation, then the partners. */
	d.organisations = strings_of(a, json_str(p, "organisation_id"), p,
				     "partner_organisation_ids", &d.n_organisations);
	d.themes = strings_of(a, "", p, "themes", &d.n_themes);
	d.resources = resources_of(a, p, &d.n_resources);
	bson_error_t error;
	const char *id = practice_link()->draft(req, &d, &error);
	if (id)
		return id;
	const char *refused = practice_link()->refused_message(&error);
	if (refused) {
		reply_error(req, 422, "invalid", refused,
			    arena_json(req->arena, json_pack("{s:s}", "practice", refused)));
	} else {
		db_fail(req, "making a practice from a project", &error);
	}
	return NULL;
}

/* Records on the claim key the practice id made for it, so that a retry
 * after a failed link finishes it instead of making a second draft.
 * Returns 0, or -1 with error set. */
static int claim_record(struct request *req, const char *key, const char *id, bson_error_t *error)
{
	bson_t *update = BCON_NEW("$set", "{", "practice_id", BCON_UTF8(id), "}");
	return doc_upsert_id(req->db, CLAIMS, key, update, error);
}

/* Returns the practice made under claim key ("" while it is being made,
 * or after its maker failed), or NULL with error set. Arena. */
static const char *claimed_practice(struct request *req, const char *key, bson_error_t *error)
{
	bson_t *doc = doc_find_id(req->db, CLAIMS, key, error);
	if (!doc)
		return error->code ? NULL : "";
	const char *id = doc_string(req->arena, doc, "practice_id");
	bson_destroy(doc);
	return id ? id : "";
}

/* Links project pid to practice id and answers: 201 with the practice's
 * id under the API, else the practice's sheet, to be completed and
 * submitted. */
static void link_and_reply(struct request *req, const json_t *p, const char *id)
{
	const char *pid = json_str(p, "_id");
	bson_error_t error;
	if (project_update(req, pid, set_practice, (void *)id, &error) != 1 ||
	    project_event_add(req, pid, "practice", NULL, NULL,
			      "Publié comme bonne pratique\u202f: brouillon créé dans cousiSTORE",
			      NULL, &error)) {
		db_fail(req, "linking a project to its practice", &error);
		return;
	}
	if (req->is_api) {
		reply_json(req, 201,
			   arena_json(req->arena,
				      json_pack("{s:s, s:s}", "id", id, "project_id", pid)));
		return;
	}
	json_t *practice = arena_json(req->arena, practice_link()->describe(req, id, &error));
	reply_redirect(
		req, practice
			     ? arena_printf(req->arena, "/pratiques/%s", json_str(practice, "slug"))
			     : arena_printf(req->arena, "/projets/%s", json_str(p, "slug")));
}

void projects_publish_practice(struct request *req)
{
	json_t *p = project_of_route_or_reply(req);
	if (!p)
		return;
	const char *key = arena_printf(req->arena, "practice:%s", json_str(p, "_id"));
	bson_error_t error;
	int claimed = 0;
	const char *made = NULL;
	if (!project_may_edit(req, p)) {
		project_forbidden(req, "Seuls l’équipe du projet et la coordination du Lab peuvent "
				       "le publier comme bonne pratique.");
	} else if (*json_str(p, "practice_id")) {
		reply_error(req, 409, "conflict",
			    "Ce projet a déjà été publié comme bonne "
			    "pratique\u202f: retrouvez-la sur la page du projet.",
			    NULL);
	} else if ((claimed = doc_claim_id(req->db, CLAIMS, key, &error)) < 0) {
		db_fail(req, "claiming a project's practice", &error);
	} else if (claimed == 0) {
		/* Made before, but perhaps not linked: finish that. */
		made = claimed_practice(req, key, &error);
		if (!made)
			db_fail(req, "reading a project's practice claim", &error);
		else if (!*made)
			reply_error(req, 409, "conflict",
				    "Ce projet est déjà en cours de "
				    "publication comme bonne pratique.",
				    NULL);
		else
			link_and_reply(req, p, made);
	} else if (!(made = make_draft(req, p))) {
		if (doc_delete_id(req->db, CLAIMS, key, &error))
			log_error(req->request_id, "claim %s kept: %s", key, error.message);
	} else if (claim_record(req, key, made, &error)) {
		/* The draft exists: the claim stays, so no retry makes another. */
		log_error(req->request_id, "practice %s made for %s, claim not updated", made, key);
		db_fail(req, "recording a project's practice", &error);
	} else {
		link_and_reply(req, p, made);
	}
}
