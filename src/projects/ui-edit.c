/* Creating and editing a project: the form pages (/projets/nouveau,
 * /projets/{slug}/modifier) and their API (POST /api/v1/projects, PUT
 * /api/v1/projects/{id}). */
#include <string.h>

#include "accounts/organisation.h"
#include "accounts/organisation_picker.h"
#include "accounts/roles.h"
#include "accounts/user.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "db/doc.h"
#include "http/form.h"
#include "http/reply.h"
#include "http/request.h"
#include "projects/access.h"
#include "projects/fields.h"
#include "projects/project.h"
#include "projects/route.h"
#include "projects/store.h"
#include "projects/ui.h"
#include "projects/view.h"
#include "web/db_reply.h"
#include "web/form_reply.h"
#include "web/page.h"

/* Returns the visibility choices, the one of values checked. New
 * reference. */
static json_t *visibility_choices(const json_t *values)
{
	const char *chosen = json_str(values, "visibility");
	json_t *out = json_array();
	for (int i = 0; i < PROJECT_VISIBILITY_COUNT; i++)
		json_array_append_new(
			out, json_pack("{s:s, s:s, s:b}", "code", PROJECT_VISIBILITIES[i][0],
				       "label", PROJECT_VISIBILITIES[i][1], "checked",
				       strcmp(chosen, PROJECT_VISIBILITIES[i][0]) == 0 ||
					       (!*chosen && i == PROJECT_VISIBILITY_STAFF)));
	return out;
}

/* Returns the form page's data from values (a project or what was typed)
 * and errors (may be NULL), owned by the request's arena (never
 * decref'd). */
static json_t *form_data(struct request *req, json_t *values, const json_t *errors,
			 const char *action, const char *heading, const char *cancel)
{
	bson_error_t error;
	json_t *dir = arena_json(req->arena, organisations_active(req->db, &error));
	json_t *partners = json_object_get(values, "external_partners");
	if (json_is_array(partners)) {
		const char *text = "";
		size_t i;
		json_t *v;
		json_array_foreach(partners, i, v)
			text = arena_printf(req->arena, "%s%s%s", text, i ? "\n" : "",
					    json_string_value(v));
		json_object_set_new(values, "external_partners", json_string(text));
	}
	const char *amounts[] = {"costs", "savings"};
	for (int i = 0; i < 2; i++) {
		json_t *a = json_object_get(values, amounts[i]);
		if (!json_is_object(a))
			continue;
		json_t *euros = json_object_get(a, "euros");
		json_object_set_new(values, arena_printf(req->arena, "%s_note", amounts[i]),
				    json_string(json_str(a, "note")));
		json_object_set_new(
			values, amounts[i],
			json_string(euros ? arena_printf(req->arena, "%lld",
							 (long long)json_integer_value(euros))
					  : ""));
	}
	return arena_json(
		req->arena,
		json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "action", action, "heading",
			  heading, "cancel", cancel, "lead_field",
			  organisation_picker_data(&PROJECT_LEAD_PICKER, values, errors, dir),
			  "partners_field",
			  organisation_picker_data(&PROJECT_PARTNERS_PICKER, values, errors, dir),
			  "themes", project_theme_choices(req, json_object_get(values, "themes")),
			  "visibilities", visibility_choices(values)));
}

/* Answers a project form that needs correcting. */
static void reply_form_invalid(struct form *f, const char *action, const char *heading,
			       const char *cancel)
{
	if (f->req->is_api) {
		form_reply_invalid(f, NULL, NULL, NULL, NULL);
		return;
	}
	json_t *values = arena_json(f->req->arena, json_deep_copy(f->values));
	form_reply_invalid(f, "projects/form", heading, "projects",
			   form_data(f->req, values, f->errors, action, heading, cancel));
}

void projects_new(struct request *req)
{
	json_t *values = arena_json(
		req->arena, json_pack("{s:s, s:s}", "visibility", "staff", "organisation_id",
				      req->user->organisation ? req->user->organisation : ""));
	page_reply(req, 200, "projects/form", "Nouveau projet", "projects",
		   form_data(req, values, NULL, "/projets/nouveau", "Nouveau projet", "/projets"));
}

/* Reads the origin of a new project typed on the form: an organisation's
 * own initiative (the default) or a Lab working group, named. New
 * reference. */
static json_t *read_origin(struct form *f)
{
	const char *kind = form_text(f, "origin_kind", 12, false);
	const char *label = form_text(f, "origin_label", PROJECT_SHORT_MAX, false);
	if (!*kind)
		kind = "organisme";
	if (strcmp(kind, "organisme") != 0 && strcmp(kind, "groupe") != 0)
		form_error(f, "origin_kind",
			   "Choisissez l’initiative d’un organisme ou un groupe "
			   "de travail du Lab.");
	else if (strcmp(kind, "groupe") == 0 && !*label)
		form_error(f, "origin_label", "Nommez le groupe de travail du Lab.");
	return json_pack("{s:s, s:s}", "kind", kind, "label", label);
}

void projects_create(struct request *req)
{
	struct form f;
	form_begin(&f, req);
	json_t *p = project_fields_read(&f, false);
	json_object_set_new(p, "origin", read_origin(&f));
	json_object_set_new(p, "members",
			    json_pack("[{s:s, s:s, s:s}]", "user_id", req->user->id, "name",
				      req->user->name, "role", "porteur"));
	json_object_set_new(p, "coordinator_id", json_string(""));
	json_object_set_new(p, "example", json_false());
	bson_error_t error;
	const char *id = NULL;
	if (!form_valid(&f))
		reply_form_invalid(&f, "/projets/nouveau", "Nouveau projet", "/projets");
	else if (!(id = project_insert(req, p, &error)) ||
		 project_event_add(req, id, "move", NULL, "idee", "Création du projet", NULL,
				   &error))
		db_fail(req, "creating a project", &error);
	else
		project_done(req, id, 201, NULL);
	form_end(&f);
}

/* The fields to write, and who is to follow the project. */
struct fields_edit {
	json_t *fields;
};

static enum project_edit_result write_fields(struct request *req, const json_t *p, json_t *set,
					     void *ctx)
{
	(void)req;
	(void)p;
	struct fields_edit *e = ctx;
	json_object_update(set, e->fields);
	return PROJECT_EDIT_WRITE;
}

/* Reads "coordinator_id" for a coordinator's form: empty (nobody follows
 * the project) or a Lab coordinator's account. */
static void read_coordinator(struct form *f, json_t *fields)
{
	if (!form_sent(f, "coordinator_id") || !user_has_role(f->req->user, ROLE_COORDINATOR))
		return;
	const char *id = form_text(f, "coordinator_id", 64, false);
	bson_error_t error = {0};
	struct user *u = *id ? user_find_id(f->req->db, id, &error) : NULL;
	if (*id && (!u || !user_has_role(u, ROLE_COORDINATOR)))
		form_error(f, "coordinator_id",
			   "Choisissez un coordinateur ou une coordinatrice "
			   "du Lab.");
	json_object_set_new(fields, "coordinator_id", json_string(id));
}

/* Returns the edit page's paths for p (arena). */
static const char *edit_path(struct request *req, const json_t *p)
{
	return arena_printf(req->arena, "/projets/%s/modifier", json_str(p, "slug"));
}

void projects_edit(struct request *req)
{
	json_t *p = project_of_route_for_or_reply(
		req, project_may_edit,
		"Seuls l’équipe du projet et la coordination du Lab le "
		"modifient.");
	if (!p)
		return;
	json_t *values = arena_json(req->arena, json_deep_copy(p));
	json_t *data = form_data(req, values, NULL, edit_path(req, p), "Modifier le projet",
				 arena_printf(req->arena, "/projets/%s", json_str(p, "slug")));
	json_object_set(data, "values", values);
	json_object_set_new(data, "editing", json_true());
	page_reply(req, 200, "projects/form", "Modifier le projet", "projects", data);
}

void projects_update(struct request *req)
{
	json_t *p = project_of_route_for_or_reply(
		req, project_may_edit,
		"Seuls l’équipe du projet et la coordination du Lab le "
		"modifient.");
	if (!p)
		return;
	struct form f;
	form_begin(&f, req);
	struct fields_edit e = {project_fields_read(&f, req->is_api)};
	read_coordinator(&f, e.fields);
	bson_error_t error;
	const char *pid = json_str(p, "_id");
	if (!form_valid(&f)) {
		reply_form_invalid(&f, edit_path(req, p), "Modifier le projet",
				   arena_printf(req->arena, "/projets/%s", json_str(p, "slug")));
	} else if (project_update(req, pid, write_fields, &e, &error) < 0) {
		db_fail(req, "updating a project", &error);
	} else {
		if (json_object_get(e.fields, "coordinator_id"))
			audit_record(req, "project.coordinator", pid,
				     json_str(e.fields, "coordinator_id"), NULL);
		project_done(req, pid, 200, NULL);
	}
	form_end(&f);
}

/* Returns true when req's visitor is one of the Lab's coordinators. */
static bool coordinates(struct request *req, const json_t *p)
{
	(void)p;
	return user_has_role(req->user, ROLE_COORDINATOR);
}

void projects_follow(struct request *req)
{
	json_t *p = project_of_route_for_or_reply(req, coordinates,
						  "Seule la coordination du Lab suit les projets.");
	if (!p)
		return;
	struct fields_edit e = {
		arena_json(req->arena, json_pack("{s:s}", "coordinator_id", req->user->id))};
	bson_error_t error;
	const char *pid = json_str(p, "_id");
	if (project_update(req, pid, write_fields, &e, &error) < 0) {
		db_fail(req, "following a project", &error);
	} else {
		audit_record(req, "project.coordinator", pid, req->user->id, NULL);
		project_done(req, pid, 200, "equipe");
	}
}
