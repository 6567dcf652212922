/* The pages that ask before a team loses someone or gives up: leaving,
 * removing a member, withdrawing and declining an invitation. Each
 * answers 404 when the visitor could not do the action now (the same
 * checks as the POST it confirms, made silently), so the page never
 * offers a button that would only be refused. */
#include <string.h>

#include "accounts/user.h"
#include "core/arena.h"
#include "db/doc.h"
#include "defi/team_access.h"
#include "defi/team_rules.h"
#include "defi/team_view.h"
#include "defi/ui.h"
#include "http/params.h"
#include "http/reply.h"
#include "web/confirm.h"
#include "web/error_reply.h"

/* Returns true when the team's people may change now for the visitor:
 * the rule of defi_team_require_changeable_or_reply, without replying. */
static bool may_change(const struct defi_team_ctx *t)
{
	return (t->window == DEFI_OPEN || t->coordinator) &&
	       (defi_members_may_change(t->status) || t->coordinator);
}

/* Replies the confirmation page c for t's team, or 404 when allowed is
 * false. The cancel link and the action are built
 * from the team's URL and suffix (a path below it). */
static void reply_for_team(struct request *req, struct defi_team_ctx *t, bool allowed,
			   struct confirm_page c, const char *suffix)
{
	if (!allowed) {
		reply_not_found(req);
	} else {
		const char *url = defi_team_url(req, t->year, t->id);
		c.subject = json_str(t->team, "name");
		c.action = arena_printf(req->arena, "%s/%s", url, suffix);
		c.cancel = url;
		confirm_page_reply(req, &c);
	}
}

void defi_team_leave_confirm(struct request *req)
{
	struct defi_team_ctx t;
	if (!defi_team_open(req, &t))
		return;
	reply_for_team(
		req, &t, t.member && !t.captain && may_change(&t),
		(struct confirm_page){
			.title = "Quitter cette équipe\u202f?",
			.consequence =
				"Vous ne ferez plus partie de l’équipe et votre place dans "
				"cette édition du Défi sera libérée. Pour revenir, il faudra "
				"qu’on vous invite de nouveau.",
			.button = "Quitter l’équipe",
		},
		"quitter");
}

void defi_team_remove_confirm(struct request *req)
{
	struct defi_team_ctx t;
	if (!defi_team_open(req, &t))
		return;
	const char *user_id = param_get(req->route_params, "user_id");
	bool allowed = (t.captain || t.coordinator) && may_change(&t) &&
		       defi_member_index(t.team, user_id) >= 0 &&
		       strcmp(user_id, json_str(t.team, "captain_id")) != 0;
	bson_error_t error = {0};
	struct user *u = allowed ? user_find_id(req->db, user_id, &error) : NULL;
	const char *name = u && u->name ? u->name : "Ce membre";
	reply_for_team(
		req, &t, allowed,
		(struct confirm_page){
			.title = "Retirer ce membre de l’équipe\u202f?",
			.consequence = arena_printf(
				req->arena,
				"%s ne fera plus partie de l’équipe "
				"et sa place dans cette édition du Défi sera libérée. Si l’équipe compte "
				"alors trop peu de membres confirmés, sa candidature redevient "
				"incomplète.",
				name),
			.button = "Retirer le membre",
		},
		arena_printf(req->arena, "membres/%s/retirer", user_id));
}

void defi_team_withdraw_confirm(struct request *req)
{
	struct defi_team_ctx t;
	if (!defi_team_open(req, &t))
		return;
	reply_for_team(
		req, &t, (t.captain || t.coordinator) && defi_withdraw_allowed(t.status),
		(struct confirm_page){
			.title = "Désister cette équipe\u202f?",
			.consequence =
				"L’équipe se retire du Défi\u202f: ce choix est définitif, sa "
				"candidature ne pourra plus être déposée ni retenue.",
			.button = "Se désister",
		},
		"desister");
}

void defi_team_decline_confirm(struct request *req)
{
	struct defi_team_ctx t;
	if (!defi_team_open(req, &t))
		return;
	reply_for_team(
		req, &t, t.invited,
		(struct confirm_page){
			.title = "Décliner cette invitation\u202f?",
			.consequence =
				"L’invitation sera retirée\u202f: pour rejoindre cette équipe "
				"plus tard, il faudra qu’on vous invite de nouveau.",
			.button = "Décliner l’invitation",
		},
		"decliner");
}
