/* A project's documents and links ("resources": [{id, title,
 * description, url}]), which "Publier comme bonne pratique" copies into
 * the draft practice's toolbox. */
#include <string.h>

#include "core/arena.h"
#include "core/arena_json.h"
#include "db/doc.h"
#include "http/form.h"
#include "http/request.h"
#include "projects/access.h"
#include "projects/project.h"
#include "projects/route.h"
#include "projects/store.h"
#include "projects/ui.h"
#include "web/db_reply.h"
#include "web/error_reply.h"

/* The resource to add, or the id of the one to remove. */
struct resource_edit {
	struct form *f;
	json_t *add;
	const char *remove;
};

static enum project_edit_result edit_resources(struct request *req, const json_t *p, json_t *set,
					       void *ctx)
{
	struct resource_edit *e = ctx;
	json_t *out = arena_json(req->arena, json_array()), *r;
	size_t i;
	bool found = false;
	json_array_foreach(json_object_get(p, "resources"), i, r) {
		if (e->remove && strcmp(json_str(r, "id"), e->remove) == 0)
			found = true;
		else
			json_array_append(out, r);
	}
	if (e->add && json_array_size(out) >= PROJECT_RESOURCES_MAX) {
		form_error(e->f, "url", "Un projet garde au plus 50 documents et liens.");
		return PROJECT_EDIT_REFUSED;
	}
	if (e->remove && !found)
		return PROJECT_EDIT_REFUSED;
	if (e->add)
		json_array_append(out, e->add);
	json_object_set(set, "resources", out);
	return PROJECT_EDIT_WRITE;
}

/* Runs e on the route's project for a visitor who may edit it, and
 * answers. */
static void change_resources(struct request *req, struct resource_edit *e, json_t *p)
{
	bson_error_t error;
	const char *pid = json_str(p, "_id");
	int rc = form_valid(e->f) ? project_update(req, pid, edit_resources, e, &error) : 0;
	if (rc == 1)
		project_done(req, pid, e->add ? 201 : 200, "documents");
	else if (rc == 0 && e->remove)
		reply_not_found(req);
	else if (rc == 0)
		project_invalid(e->f, p, "resource");
	else
		db_fail(req, "changing a project's documents", &error);
}

void projects_resource_add(struct request *req)
{
	json_t *p = project_of_route_for_or_reply(
		req, project_may_edit,
		"Seuls l’équipe du projet et la coordination du Lab "
		"ajoutent des documents.");
	if (!p)
		return;
	struct form f;
	form_begin(&f, req);
	const char *title = form_text(&f, "title", PROJECT_TITLE_MAX, true);
	const char *url = form_text(&f, "url", PROJECT_URL_MAX, true);
	const char *description = form_paragraphs(&f, "description", PROJECT_NOTE_MAX, false);
	if (*url && !project_url_valid(url))
		form_error(&f, "url", "Saisissez une adresse web commençant par https://.");
	struct resource_edit e = {
		&f,
		arena_json(req->arena,
			   json_pack("{s:s, s:s, s:s, s:s}", "id", doc_new_id(req->arena), "title",
				     title, "description", description, "url", url)),
		NULL};
	change_resources(req, &e, p);
	form_end(&f);
}

void projects_resource_remove(struct request *req)
{
	json_t *p = project_of_route_for_or_reply(
		req, project_may_edit,
		"Seuls l’équipe du projet et la coordination du Lab "
		"retirent des documents.");
	if (!p)
		return;
	struct form f;
	form_begin(&f, req);
	struct resource_edit e = {&f, NULL, request_param(req, "rid")};
	if (!e.remove)
		reply_not_found(req);
	else
		change_resources(req, &e, p);
	form_end(&f);
}
