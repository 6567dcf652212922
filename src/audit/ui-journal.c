/* The audit log, read-only (/admin/journal): newest first, filtered by
 * action, actor, target and Paris-time date range. */
#include <stdio.h>
#include <string.h>

#include "audit/ui.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/fold.h"
#include "core/labels.h"
#include "core/paris_time.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/form.h"
#include "web/admin.h"
#include "web/db_reply.h"
#include "web/form_reply.h"
#include "web/page.h"
#include "web/pager.h"

static const char *const ACTIONS[][2] = {
	{"account.signup", "Inscription"},
	{"account.confirm", "Adresse confirmée"},
	{"account.create", "Compte créé"},
	{"login.success", "Connexion"},
	{"login.failed", "Échec de connexion"},
	{"login.throttled", "Connexion freinée (trop d’essais)"},
	{"login.deactivated", "Connexion d’un compte désactivé"},
	{"logout", "Déconnexion"},
	{"password.reset_requested", "Réinitialisation du mot de passe demandée"},
	{"password.reset", "Mot de passe réinitialisé"},
	{"role.add", "Rôle ajouté"},
	{"role.remove", "Rôle retiré"},
	{"user.deactivate", "Compte désactivé"},
	{"user.reactivate", "Compte réactivé"},
	{"org.create", "Organisme créé"},
	{"org.update", "Organisme modifié"},
	{"org.deactivate", "Organisme désactivé"},
	{"org.reactivate", "Organisme réactivé"},
	{"mail.retry", "Courriel relancé"},
	{"account.update", "Informations du compte modifiées"},
	{"account.delete", "Compte supprimé"},
	{"password.change", "Mot de passe changé"},
	{"password.check_failed", "Mot de passe actuel erroné"},
	{"session.end", "Session terminée"},
	{"token.create", "Jeton d’accès créé"},
	{"token.revoke", "Jeton d’accès révoqué"},
	{"data.export", "Export des données personnelles"},
	{"comment.hide", "Commentaire masqué"},
	{"practice.export", "Export du catalogue des pratiques"},
	{"practice.submit", "Pratique soumise"},
	{"practice.publish", "Pratique publiée"},
	{"practice.return", "Pratique renvoyée à son auteur"},
	{"practice.archive", "Pratique archivée"},
	{"practice.reuse.declare", "Réutilisation déclarée"},
	{"practice.reuse.update", "Réutilisation mise à jour"},
};
enum { N_ACTIONS = sizeof(ACTIONS) / sizeof(*ACTIONS) };

static const char *const FILTERS[] = {"action", "acteur", "cible", "du", "au", NULL};

const char *audit_action_label(const char *action)
{
	return label_or_code(ACTIONS, N_ACTIONS, action);
}

/* Returns, in ms, the instant Paris midnight starts the day text
 * ("YYYY-MM-DD") plus days_after days, or -1 when text is no such date. */
static int64_t paris_midnight_ms(const char *text, int days_after)
{
	int64_t ms;
	if (paris_time_parse_local(text, NULL, &ms) != PARIS_TIME_OK)
		return -1;
	/* Noon of the day after is on that day whatever the offset. */
	struct paris_time_fields day = paris_time_split(ms + ((int64_t)days_after * 24 + 12) *
								     3600 * 1000);
	day.hour = day.minute = day.second = 0;
	return paris_time_from_local(&day, &ms) == PARIS_TIME_OK ? ms : -1;
}

/* Returns true when the folded text contains needle (NULL: no filter). */
static bool contains(struct request *req, const char *text, const char *needle)
{
	return !needle || strstr(text_fold(req->arena, text ? text : ""), needle);
}

/* Returns the admin page about an entry's target, or NULL: organisations
 * by code, accounts by their 24-hex id. */
static const char *target_link(struct request *req, const char *action, const char *target)
{
	if (!*target)
		return NULL;
	if (strncmp(action, "org.", 4) == 0)
		return arena_printf(req->arena, "/admin/organisations/%s", target);
	if (strncmp(action, "mail.", 5) != 0 && strlen(target) == 24 &&
	    strspn(target, "0123456789abcdef") == 24)
		return arena_printf(req->arena, "/admin/utilisateurs/%s", target);
	return NULL;
}

/* The folded actor and target searches (NULL: any). */
struct entry_filters {
	const char *actor, *target;
};

/* Returns the table row of audit entry doc when it passes the actor and
 * target searches, else NULL. New reference. */
static json_t *entry_row(struct request *req, const bson_t *doc, void *ctx)
{
	const struct entry_filters *f = ctx;
	const char *action = doc_string(req->arena, doc, "action");
	const char *target = doc_string(req->arena, doc, "target");
	const char *actor = doc_string(req->arena, doc, "actor_email");
	if (!contains(req, actor, f->actor) || !contains(req, target, f->target))
		return NULL;
	char at[PARIS_TIME_LONG_MAX];
	paris_time_format_long(doc_int(doc, "at", 0), at, sizeof(at));
	const char *detail = doc_string(req->arena, doc, "detail");
	const char *ip = doc_string(req->arena, doc, "ip");
	action = action ? action : "";
	target = target ? target : "";
	json_t *row = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "at", at, "actor",
				actor ? actor : "", "action", action, "label",
				audit_action_label(action), "target", target, "detail",
				detail ? detail : "", "ip", ip ? ip : "");
	const char *link = target_link(req, action, target);
	if (link)
		json_object_set_new(row, "target_link", json_string(link));
	return row;
}

/* Returns the request's non-empty parameter name, or NULL. */
static const char *filter_param(struct request *req, const char *name)
{
	const char *v = request_param(req, name);
	return v && *v ? v : NULL;
}

void audit_journal(struct request *req)
{
	const char *action = filter_param(req, "action");
	const char *actor = filter_param(req, "acteur");
	const char *target = filter_param(req, "cible");
	const char *from = filter_param(req, "du"), *to = filter_param(req, "au");
	int64_t from_ms = from ? paris_midnight_ms(from, 0) : -1;
	int64_t to_ms = to ? paris_midnight_ms(to, 1) : -1;
	json_t *errors = arena_json(req->arena, json_object());
	if (from && from_ms < 0)
		json_object_set_new(
			errors, "du",
			json_string(
				"Saisissez une date au format AAAA-MM-JJ, par exemple 2026-03-31."));
	if (to && to_ms < 0)
		json_object_set_new(
			errors, "au",
			json_string(
				"Saisissez une date au format AAAA-MM-JJ, par exemple 2026-03-31."));

	bson_t *filter = bson_new();
	if (action)
		BSON_APPEND_UTF8(filter, "action", action);
	if (from_ms >= 0 || to_ms >= 0) {
		bson_t range;
		BSON_APPEND_DOCUMENT_BEGIN(filter, "at", &range);
		if (from_ms >= 0)
			BSON_APPEND_DATE_TIME(&range, "$gte", from_ms);
		if (to_ms >= 0)
			BSON_APPEND_DATE_TIME(&range, "$lt", to_ms);
		bson_append_document_end(filter, &range);
	}
	struct entry_filters f = {actor ? text_fold(req->arena, actor) : NULL,
				  target ? text_fold(req->arena, target) : NULL};
	const struct pager_list list = {
		.collection = "audit",
		.date_field = "at",
		.filter = filter,
		.row = entry_row,
		.ctx = &f,
		.row_filters = actor || target,
		.path = "/admin/journal",
		.query = pager_filter_query(req, FILTERS),
	};
	json_t *data = arena_json(req->arena, admin_data("journal"));
	bson_error_t error;
	int rc = pager_list_page(req, &list, -1, data, &error);
	bson_destroy(filter);
	if (rc) {
		db_fail(req, "reading the audit log", &error);
		return;
	}
	json_object_set_new(data, "actions", admin_options(ACTIONS, N_ACTIONS, action));
	json_object_set_new(data, "values",
			    json_pack("{s:s, s:s, s:s, s:s}", "acteur", actor ? actor : "", "cible",
				      target ? target : "", "du", from ? from : "", "au",
				      to ? to : ""));
	json_object_set_new(data, "filtered",
			    json_boolean(action || actor || target || from || to));
	int status = 200;
	const char *title = "Journal d'audit";
	if (json_object_size(errors)) {
		title = form_summary(req, data, errors, NULL, "", title);
		status = 422;
	}
	json_object_set(data, "errors", errors);
	page_reply(req, status, "admin/journal", title, NULL, data);
}
