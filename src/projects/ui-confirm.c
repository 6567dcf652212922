/* The pages that ask before a project loses a member or a document, or
 * is abandoned. Each answers 404 when the visitor could not do the
 * action (the checks of the POST it confirms, made silently), so a
 * project's existence is never confirmed to someone who may not act. */
#include <string.h>

#include "accounts/user.h"
#include "core/arena.h"
#include "db/doc.h"
#include "http/reply.h"
#include "http/request.h"
#include "projects/access.h"
#include "projects/project.h"
#include "projects/route.h"
#include "projects/ui.h"
#include "web/confirm.h"
#include "web/error_reply.h"

/* Returns the element of p's array key whose field equals value
 * (borrowed from p), or NULL. */
static const json_t *find_in(const json_t *p, const char *key, const char *field, const char *value)
{
	const json_t *e;
	size_t i;
	json_array_foreach(json_object_get(p, key), i, e)
		if (value && strcmp(json_str(e, field), value) == 0)
			return e;
	return NULL;
}

/* Replies c about p when allowed, else 404; fills c's subject and cancel
 * link from p and action from suffix (a path below the project's page). */
static void reply_for_project(struct request *req, json_t *p, bool allowed, struct confirm_page c,
			      const char *suffix, const char *anchor)
{
	if (!allowed) {
		reply_not_found(req);
	} else {
		const char *url = arena_printf(req->arena, "/projets/%s", json_str(p, "slug"));
		c.subject = json_str(p, "title");
		c.action = arena_printf(req->arena, "%s/%s", url, suffix);
		c.cancel = arena_printf(req->arena, "%s#%s", url, anchor);
		confirm_page_reply(req, &c);
	}
}

void projects_member_remove_confirm(struct request *req)
{
	json_t *p = project_of_route_or_reply(req);
	if (!p)
		return;
	const char *uid = request_param(req, "user_id");
	const json_t *m = find_in(p, "members", "user_id", uid);
	bool self = strcmp(uid, req->user->id) == 0;
	reply_for_project(
		req, p, m && (self || project_may_manage_team(req, p)),
		(struct confirm_page){
			.title = self ? "Quitter l’équipe de ce projet\u202f?"
				      : "Retirer ce membre de l’équipe du projet\u202f?",
			.consequence =
				self ? "Vous ne ferez plus partie de l’équipe du projet. Pour "
				       "revenir, un porteur devra vous y ajouter de nouveau."
				     : arena_printf(
					       req->arena,
					       "%s ne fera plus partie de l’équipe "
					       "du projet. Un porteur pourra l’y ajouter de nouveau.",
					       json_str(m, "name")),
			.button = self ? "Quitter l’équipe" : "Retirer le membre",
		},
		arena_printf(req->arena, "membres/%s/retirer", uid), "equipe");
}

void projects_resource_remove_confirm(struct request *req)
{
	json_t *p = project_of_route_or_reply(req);
	if (!p)
		return;
	const char *rid = request_param(req, "rid");
	const json_t *r = find_in(p, "resources", "id", rid);
	reply_for_project(
		req, p, r && project_may_edit(req, p),
		(struct confirm_page){
			.title = "Retirer ce document du projet\u202f?",
			.consequence = arena_printf(req->arena,
						    "Le lien vers «\u202f%s\u202f» "
						    "n’apparaîtra plus sur la page du projet.",
						    json_str(r, "title")),
			.button = "Retirer le document",
		},
		arena_printf(req->arena, "documents/%s/retirer", rid), "documents");
}

void projects_abandon_confirm(struct request *req)
{
	json_t *p = project_of_route_or_reply(req);
	if (!p)
		return;
	const char *reason = request_param(req, "raison");
	reply_for_project(
		req, p, project_may_edit(req, p),
		(struct confirm_page){
			.title = "Abandonner ce projet\u202f?",
			.consequence =
				"Le projet sera marqué «\u202fabandonné\u202f» avec la raison "
				"donnée, visible de tous ceux qui le consultent. L’équipe ou la "
				"coordination du Lab pourra le réactiver ensuite.",
			.button = "Abandonner le projet",
			.fields = (const char *const[]){"state", "abandoned", "reason",
							reason ? reason : "", "confirmed", "1",
							NULL},
		},
		"etat", "etat");
}
