/* A project's team (members with their project role) and its journal
 * (dated Markdown posts by the team). */
#include <string.h>

#include "accounts/roles.h"
#include "accounts/user.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "db/doc.h"
#include "http/form.h"
#include "http/request.h"
#include "projects/access.h"
#include "projects/files.h"
#include "projects/project.h"
#include "projects/route.h"
#include "projects/store.h"
#include "projects/ui.h"
#include "web/db_reply.h"
#include "web/error_reply.h"

/* A change of the team: the member to put (with role) or to take out. */
struct team_edit {
	struct form *f;
	const struct user *user;
	const char *role; /* NULL: remove */
};

/* Returns true when members still has a porteur other than user_id. */
static bool other_porteur(const json_t *members, const char *user_id)
{
	json_t *m;
	size_t i;
	json_array_foreach(members, i, m)
		if (strcmp(json_str(m, "role"), "porteur") == 0 &&
		    strcmp(json_str(m, "user_id"), user_id) != 0)
			return true;
	return false;
}

static enum project_edit_result edit_team(struct request *req, const json_t *p, json_t *set,
					  void *ctx)
{
	struct team_edit *e = ctx;
	const json_t *members = json_object_get(p, "members");
	json_t *out = arena_json(req->arena, json_array()), *m;
	size_t i;
	bool was = false, was_porteur = false;
	json_array_foreach(members, i, m) {
		if (strcmp(json_str(m, "user_id"), e->user->id) == 0) {
			was = true;
			was_porteur = strcmp(json_str(m, "role"), "porteur") == 0;
		} else
			json_array_append(out, m);
	}
	const char *refusal = NULL;
	if (!e->role && !was)
		refusal = "Cette personne ne fait pas partie de l’équipe.";
	else if ((!e->role || strcmp(e->role, "porteur") != 0) && was_porteur &&
		 !other_porteur(members, e->user->id))
		refusal = "Le projet garde au moins un porteur ou une porteuse\u202f: "
			  "nommez-en un autre d’abord.";
	else if (e->role && json_array_size(out) >= PROJECT_MEMBERS_MAX)
		refusal = "Une équipe compte au plus 50 membres.";
	if (refusal) {
		form_error(e->f, "user_id", refusal);
		return PROJECT_EDIT_REFUSED;
	}
	if (e->role)
		json_array_append_new(out, json_pack("{s:s, s:s, s:s}", "user_id", e->user->id,
						     "name", e->user->name, "role", e->role));
	json_object_set(set, "members", out);
	return PROJECT_EDIT_WRITE;
}

/* Runs a change of p's team for user (NULL: none found, error recorded
 * by the caller) and answers it. */
static void change_team(struct request *req, json_t *p, struct form *f, struct user *user,
			const char *role)
{
	const char *pid = json_str(p, "_id");
	struct team_edit e = {f, user, role};
	bson_error_t error;
	int rc = form_valid(f) && user ? project_update(req, pid, edit_team, &e, &error) : 0;
	if (rc == 1 &&
	    project_event_add(req, pid, "member", NULL, NULL,
			      arena_printf(req->arena, "%s %s", user->name,
					   role ? "rejoint l’équipe" : "quitte l’équipe"),
			      NULL, &error))
		rc = -1;
	if (rc == 1)
		project_done(req, pid, role ? 201 : 200, "equipe");
	else if (rc == 0)
		project_invalid(f, p, "team");
	else
		db_fail(req, "changing a project's team", &error);
}

void projects_member_add(struct request *req)
{
	json_t *p = project_of_route_for_or_reply(
		req, project_may_manage_team,
		"Seuls les porteurs du projet et la coordination du Lab "
		"composent l’équipe.");
	if (!p)
		return;
	struct form f;
	form_begin(&f, req);
	const char *id = form_text(&f, "user_id", 64, false);
	const char *email = form_text(&f, "email", 254, false);
	const char *role = form_text(&f, "role", 10, true);
	if (*role && strcmp(role, "porteur") != 0 && strcmp(role, "membre") != 0)
		form_error(&f, "role", "Choisissez porteur ou membre.");
	bson_error_t error = {0};
	struct user *user = NULL;
	if (*id)
		user = user_find_id(req->db, id, &error);
	else if (*email)
		user = user_find_email(req->db, user_email_normalize(req->arena, email), &error);
	if (!user && error.code) {
		db_fail(req, "finding a member", &error);
	} else {
		if (!user || !user_is_active(user))
			form_error(
				&f, *id ? "user_id" : "email",
				"Aucun compte actif n’a cette adresse\u202f: la personne doit d’abord "
				"s’inscrire.");
		change_team(req, p, &f, user && user_is_active(user) ? user : NULL, role);
	}
	form_end(&f);
}

void projects_member_remove(struct request *req)
{
	json_t *p = project_of_route_or_reply(req);
	if (!p)
		return;
	const char *uid = request_param(req, "user_id");
	bool self = req->user && uid && strcmp(uid, req->user->id) == 0;
	if (!self && !project_may_manage_team(req, p)) {
		project_forbidden(req, "Seuls les porteurs du projet et la coordination du Lab "
				       "composent l’équipe.");
		return;
	}
	struct form f;
	form_begin(&f, req);
	bson_error_t error = {0};
	struct user *user = uid ? user_find_id(req->db, uid, &error) : NULL;
	if (!user && error.code)
		db_fail(req, "finding a member", &error);
	else if (!user)
		reply_not_found(req);
	else
		change_team(req, p, &f, user, NULL);
	form_end(&f);
}

static enum project_edit_result touch(struct request *req, const json_t *p, json_t *set, void *ctx)
{
	(void)req;
	(void)p;
	(void)ctx;
	json_object_set_new(set, "last_activity_at", project_date(doc_now_ms()));
	return PROJECT_EDIT_WRITE;
}

void projects_journal_post(struct request *req)
{
	struct upload *files = NULL;
	json_t *p = project_upload_of_route_or_reply(
		req, project_may_edit,
		"Seuls l’équipe du projet et la coordination du Lab écrivent "
		"dans son journal.",
		&files);
	if (!p)
		return;
	struct form f;
	form_begin(&f, req);
	const char *title = form_text(&f, "title", PROJECT_TITLE_MAX, true);
	const char *body = form_paragraphs(&f, "body", PROJECT_TEXT_MAX, true);
	const struct upload *up = upload_form_file(files, "file");
	const char *pid = json_str(p, "_id");
	bson_error_t error;
	json_t *file = NULL;
	/* The file is kept once the text is valid, before the post names it. */
	int rc = form_valid(&f) && up ? project_file_attach(req, p, up, &f, "file", &file, &error)
				      : 0;
	if (rc == -1) {
		/* the store failed: replied below */
	} else if (form_valid(&f)) {
		json_t *post = arena_json(
			req->arena, json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:[O*]}",
					      "project_id", pid, "title", title, "body", body,
					      "by_id", req->user->id, "by_name", req->user->name,
					      "at", project_date(doc_now_ms()), "files", file));
		rc = project_insert_child(req->db, "project_posts",
					  arena_printf(req->arena, "project-posts:%s", pid), post,
					  &error) &&
				     project_update(req, pid, touch, NULL, &error) == 1 &&
				     !project_event_add(req, pid, "journal", NULL, NULL, title,
							NULL, &error)
			     ? 1
			     : -1;
	}
	if (rc == 1)
		project_done(req, pid, 201, "journal");
	else if (rc == 0)
		project_invalid(&f, p, "journal");
	else
		db_fail(req, "posting in a project's journal", &error);
	form_end(&f);
}
