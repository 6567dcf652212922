/* Administration of accounts (/admin/utilisateurs): the searchable list,
 * one account's page, its roles, deactivation and reactivation. */
#include <string.h>

#include "accounts/admin_ops.h"
#include "accounts/organisation.h"
#include "accounts/role_scope.h"
#include "accounts/session.h"
#include "accounts/ui.h"
#include "accounts/user.h"
#include "accounts/user_list.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/log.h"
#include "core/paris_time.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/form.h"
#include "http/reply.h"
#include "web/admin.h"
#include "web/confirm.h"
#include "web/db_reply.h"
#include "web/error_reply.h"
#include "web/page.h"
#include "web/pager.h"

static const char *const STATUSES[][2] = {
	{"pending", "en attente de confirmation"},
	{"active", "actif"},
	{"deactivated", "désactivé"},
	{"deleted", "supprimé"},
};
enum { N_STATUSES = sizeof(STATUSES) / sizeof(*STATUSES) };

/* Notices shown after a redirect, by ?info= code. */
static const char *const NOTICES[][2] = {
	{"role-ajoute", "Le rôle a été attribué."},
	{"role-retire", "Le rôle a été retiré."},
	{"desactive", "Le compte est désactivé\u202f: ses sessions et ses jetons d’accès "
		      "ont été supprimés."},
	{"reactive", "Le compte est réactivé."},
};
enum { N_NOTICES = sizeof(NOTICES) / sizeof(*NOTICES) };

static const char *const LIST_FILTERS[] = {"q", "role", "statut", NULL};

/* Returns <option> data for the roles given here (every account is an
 * agent), marking selected (may be NULL). New reference. */
static json_t *role_options(const char *selected)
{
	json_t *options = json_array();
	for (int r = ROLE_COORDINATOR; r < ROLE_COUNT; r++)
		json_array_append_new(
			options,
			json_pack("{s:s, s:s, s:b}", "value", role_name((enum role)r), "label",
				  role_label((enum role)r), "selected",
				  selected && strcmp(selected, role_name((enum role)r)) == 0));
	return options;
}

/* Returns the French labels of u's roles beyond agent, comma-separated,
 * or "Agent" (arena). */
static const char *roles_text(struct request *req, const struct user *u)
{
	const char *text = "";
	for (int r = ROLE_COORDINATOR; r < ROLE_COUNT; r++)
		if (u->roles & (1u << r))
			text = arena_printf(req->arena, "%s%s%s", text, *text ? ", " : "",
					    role_label((enum role)r));
	return *text ? text : role_label(ROLE_AGENT);
}

/* Returns the French form of date field key of doc, or "" (arena). */
static const char *date_fr(struct request *req, const bson_t *doc, const char *key)
{
	int64_t ms = doc_int(doc, key, 0);
	char text[PARIS_TIME_LONG_MAX] = "";
	if (ms > 0)
		paris_time_format_long(ms, text, sizeof(text));
	return arena_strdup(req->arena, text);
}

/* Returns the name of organisation code from orgs, or the code. Borrowed. */
static const char *organisation_name(json_t *orgs, const char *code)
{
	json_t *o = code ? organisation_in(orgs, code) : NULL;
	return o ? json_str(o, "name") : code ? code : "";
}

/* The list's search and filters: needle is the folded search text or
 * NULL, role -1 for any. */
struct user_filters {
	const char *needle;
	int role;
	json_t *orgs;
};

/* Returns the list row of doc when it passes the search and the role
 * filter, else NULL. New reference. */
static json_t *user_row(struct request *req, const bson_t *doc, void *ctx)
{
	const struct user_filters *f = ctx;
	struct user *u = user_from_doc(req->arena, doc);
	if (!u->id || (f->role > 0 && !(u->roles & (1u << f->role))) ||
	    (f->needle && !strstr(admin_fold(req->arena, u->name ? u->name : ""), f->needle) &&
	     !strstr(admin_fold(req->arena, u->email ? u->email : ""), f->needle)))
		return NULL;
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", u->id, "name",
			 u->name ? u->name : "", "email", u->email ? u->email : "", "organisation",
			 organisation_name(f->orgs, u->organisation), "roles", roles_text(req, u),
			 "status", label_or_code(STATUSES, N_STATUSES, u->status), "created",
			 date_fr(req, u->doc, "created_at"));
}

void admin_users(struct request *req)
{
	const char *q = request_param(req, "q");
	const char *role_param = request_param(req, "role");
	const char *status = request_param(req, "statut");
	struct user_filters f = {
		.needle = q && *q ? admin_fold(req->arena, q) : NULL,
		.role = role_param && *role_param ? role_from_name(role_param) : -1,
	};
	if (!label_find(STATUSES, N_STATUSES, status))
		status = NULL;
	bson_error_t error;
	f.orgs = arena_json(req->arena, organisations_all(req->db, &error));
	if (!f.orgs) {
		db_fail(req, "listing organisations", &error);
		return;
	}
	bson_t *filter = status ? BCON_NEW("status", BCON_UTF8(status)) : bson_new();
	bson_t *projection = BCON_NEW("password_hash", BCON_INT32(0));
	const struct pager_list list = {
		.collection = "users",
		.date_field = "created_at",
		.filter = filter,
		.projection = projection,
		.row = user_row,
		.ctx = &f,
		.row_filters = f.needle || f.role > 0,
		.path = "/admin/utilisateurs",
		.query = pager_filter_query(req, LIST_FILTERS),
	};
	json_t *data = arena_json(req->arena, admin_data("users"));
	int rc = pager_list_page(req, &list, -1, data, &error);
	bson_destroy(projection);
	bson_destroy(filter);
	if (rc) {
		db_fail(req, "listing accounts", &error);
		return;
	}
	json_object_set_new(data, "filters",
			    json_pack("{s:s, s:o, s:o, s:b}", "q", q ? q : "", "roles",
				      role_options(role_param), "statuses",
				      admin_options(STATUSES, N_STATUSES, status), "active",
				      f.needle || f.role > 0 || status));
	page_reply(req, 200, "admin/users", "Utilisateurs", NULL, data);
}

/* Returns the account named by the route's {id}, read from the database
 * (changes are made from it), or NULL after replying 404 or a database
 * error. */
static struct user *route_user_or_reply(struct request *req)
{
	bson_error_t error;
	const char *id = request_param(req, "id");
	struct user *u = id ? user_load(req->db, id, &error) : NULL;
	if (!u && id && error.code)
		db_fail(req, "looking up an account", &error);
	else if (!u)
		reply_error(req, 404, "not_found", "Ce compte n’existe pas.", NULL);
	return u;
}

/* Returns how many ids user_id's list holds (sessions may include some
 * that expired since), or -1 with error set. */
static int64_t count_owned(struct request *req, const char *list, const char *user_id,
			   bson_error_t *error)
{
	json_t *ids = user_list_get(req->db, list, user_id, true, error);
	return ids ? (int64_t)json_array_size(ids) : -1;
}

/* Returns the scopes of u's grants of role r, as {code, label} (labels
 * arena-allocated), and sets *everywhere when one grant is unscoped. New
 * reference. */
static json_t *role_scopes(struct request *req, const struct user *u, enum role r, bool *everywhere)
{
	json_t *scopes = json_array();
	struct role_grants g;
	int held;
	const char *scope;
	*everywhere = false;
	role_grants_begin(&g, u->doc);
	while (role_grants_next(&g, &held, &scope))
		if (held == (int)r && !scope)
			*everywhere = true;
		else if (held == (int)r && role_scope_valid(scope))
			json_array_append_new(scopes,
					      json_pack("{s:s, s:s}", "code", scope, "label",
							role_scope_label(req->arena, scope)));
	return scopes;
}

/* Returns the roles table of u's page: one row per grantable role, with
 * the scopes it is held in when it is not held everywhere. */
static json_t *role_rows(struct request *req, const struct user *u, bool self)
{
	json_t *rows = json_array();
	for (int r = ROLE_COORDINATOR; r < ROLE_COUNT; r++) {
		bool held = (u->roles & (1u << r)) != 0, everywhere;
		json_t *scopes = role_scopes(req, u, (enum role)r, &everywhere);
		json_array_append_new(
			rows, json_pack("{s:s, s:s, s:b, s:b, s:b, s:o}", "name",
					role_name((enum role)r), "label", role_label((enum role)r),
					"held", held, "scoped", held && !everywhere, "locked",
					held && self && r == ROLE_ADMIN, "scopes", scopes));
	}
	return rows;
}

/* Renders u's page with status, and error (may be NULL) above it. */
static void user_page(struct request *req, const struct user *u, int status, const char *error_text)
{
	bson_error_t error;
	int64_t sessions = count_owned(req, USER_SESSIONS, u->id, &error);
	int64_t tokens = sessions < 0 ? -1 : count_owned(req, USER_TOKENS, u->id, &error);
	json_t *orgs = tokens < 0 ? NULL
				  : arena_json(req->arena, organisations_all(req->db, &error));
	if (!orgs) {
		db_fail(req, "reading an account", &error);
		return;
	}
	bool self = strcmp(u->id, req->user->id) == 0;
	const char *st = u->status ? u->status : "";
	json_t *account = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:b, s:b, s:b}", "id",
		u->id, "name", u->name ? u->name : "", "email", u->email ? u->email : "", "job",
		u->job ? u->job : "", "organisation_code", u->organisation ? u->organisation : "",
		"organisation", organisation_name(orgs, u->organisation), "status",
		label_or_code(STATUSES, N_STATUSES, u->status), "created",
		date_fr(req, u->doc, "created_at"), "confirmed",
		date_fr(req, u->doc, "confirmed_at"), "updated", date_fr(req, u->doc, "updated_at"),
		"sessions", (json_int_t)sessions, "tokens", (json_int_t)tokens, "self", self,
		"can_deactivate",
		!self && (strcmp(st, "active") == 0 || strcmp(st, "pending") == 0),
		"can_reactivate", strcmp(st, "deactivated") == 0);
	json_t *data = arena_json(req->arena, admin_data("users"));
	json_object_set_new(data, "account", account);
	json_object_set_new(data, "roles", role_rows(req, u, self));
	const char *info = request_param(req, "info");
	if (label_find(NOTICES, N_NOTICES, info))
		json_object_set_new(data, "notice",
				    json_string(label_or_code(NOTICES, N_NOTICES, info)));
	if (error_text)
		json_object_set_new(data, "error", json_string(error_text));
	page_reply(req, status, "admin/user", u->name && *u->name ? u->name : u->email, NULL, data);
}

void admin_user(struct request *req)
{
	struct user *u = route_user_or_reply(req);
	if (u)
		user_page(req, u, 200, NULL);
}

void admin_user_roles(struct request *req)
{
	struct user *u = route_user_or_reply(req);
	if (!u)
		return;
	struct form f;
	form_begin(&f, req);
	const char *name = form_text(&f, "role", 32, true);
	const char *action = form_text(&f, "action", 8, true);
	form_end(&f);
	int r = role_from_name(name);
	bool add = strcmp(action, "add") == 0;
	const char *refusal = NULL;
	if (r < ROLE_COORDINATOR)
		refusal = "Choisissez un rôle de la liste.";
	else if (!add && strcmp(action, "remove") != 0)
		refusal = "Choisissez d’attribuer ou de retirer le rôle.";
	else if (!add && r == ROLE_ADMIN && strcmp(u->id, req->user->id) == 0)
		refusal = "Vous ne pouvez pas retirer votre propre rôle d’administration\u202f: "
			  "demandez-le à un autre administrateur.";
	if (refusal) {
		user_page(req, u, 422, refusal);
		return;
	}
	const char *why;
	bool held = (u->roles & (1u << r)) != 0;
	struct audit_actor by = audit_actor_of(req, NULL);
	if (held != add && account_set_role(req->db, &by, u, (enum role)r, NULL, add, &why)) {
		log_error(req->request_id, "setting role %s of %s: %s", name, u->id, why);
		reply_error(req, 503, "unavailable",
			    "Le rôle n’a pas pu être modifié. Réessayez dans un instant.", NULL);
		return;
	}
	reply_redirect(req, arena_printf(req->arena, "/admin/utilisateurs/%s?info=%s", u->id,
					 add ? "role-ajoute" : "role-retire"));
}

void admin_user_role_remove_confirm(struct request *req)
{
	struct user *u = route_user_or_reply(req);
	if (!u)
		return;
	const char *name = request_param(req, "role");
	int r = name ? role_from_name(name) : -1;
	if (r < ROLE_COORDINATOR || !(u->roles & (1u << r))) {
		reply_error(req, 404, "not_found", "Ce compte n’a pas ce rôle.", NULL);
		return;
	}
	if (r == ROLE_ADMIN && strcmp(u->id, req->user->id) == 0) {
		user_page(req, u, 422,
			  "Vous ne pouvez pas retirer votre propre rôle "
			  "d’administration\u202f: demandez-le à un autre administrateur.");
		return;
	}
	const char *page = arena_printf(req->arena, "/admin/utilisateurs/%s", u->id);
	confirm_page_reply(
		req,
		&(struct confirm_page){
			.title = "Retirer ce rôle\u202f?",
			.subject = arena_printf(req->arena, "%s : %s", u->name ? u->name : u->email,
						role_label((enum role)r)),
			.consequence =
				"Le compte perdra aussitôt les droits de ce rôle, dans tous ses "
				"périmètres. Vous pourrez le lui attribuer de nouveau.",
			.action = arena_printf(req->arena, "%s/roles", page),
			.button = "Retirer le rôle",
			.cancel = page,
			.fields = (const char *const[]){"role", name, "action", "remove", NULL},
		});
}

/* Sets u's status to "deactivated" or back to "active". Returns 0 or -1
 * with error set. */
static int store_status(struct request *req, const struct user *u, bool deactivate,
			bson_error_t *error)
{
	int64_t now = doc_now_ms();
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(u->id));
	bson_t *update = BCON_NEW("$set", "{", "status",
				  BCON_UTF8(deactivate ? "deactivated" : "active"), "updated_at",
				  BCON_DATE_TIME(now), "}");
	if (user_update(req->db, filter, update, error))
		return -1;
	/* No way back in: every session and every API token goes. */
	return deactivate && (session_end_all(req, u->id, NULL, error) ||
			      api_token_revoke_all(req, u->id, error))
		       ? -1
		       : 0;
}

/* Deactivates or reactivates the route's account. */
/* Returns why the signed-in admin cannot deactivate (or reactivate) u,
 * or NULL. Static text. */
static const char *status_refusal(const struct request *req, const struct user *u, bool deactivate)
{
	const char *st = u->status ? u->status : "";
	if (deactivate && strcmp(u->id, req->user->id) == 0)
		return "Vous ne pouvez pas désactiver votre propre compte\u202f: "
		       "demandez-le à un autre administrateur.";
	if (strcmp(st, "deleted") == 0)
		return "Ce compte a été supprimé\u202f: il ne peut être ni désactivé ni réactivé.";
	if (deactivate && strcmp(st, "deactivated") == 0)
		return "Ce compte est déjà désactivé.";
	if (!deactivate && strcmp(st, "deactivated") != 0)
		return "Ce compte n’est pas désactivé.";
	return NULL;
}

static void change_status(struct request *req, bool deactivate)
{
	struct user *u = route_user_or_reply(req);
	if (!u)
		return;
	const char *refusal = status_refusal(req, u, deactivate);
	if (refusal) {
		user_page(req, u, 422, refusal);
		return;
	}
	bson_error_t error;
	if (store_status(req, u, deactivate, &error)) {
		db_fail(req, deactivate ? "deactivating an account" : "reactivating an account",
			&error);
		return;
	}
	audit_record(req, deactivate ? "user.deactivate" : "user.reactivate", u->id, u->email,
		     NULL);
	reply_redirect(req, arena_printf(req->arena, "/admin/utilisateurs/%s?info=%s", u->id,
					 deactivate ? "desactive" : "reactive"));
}

void admin_user_deactivate(struct request *req)
{
	change_status(req, true);
}

void admin_user_reactivate(struct request *req)
{
	change_status(req, false);
}

void admin_user_deactivate_confirm(struct request *req)
{
	struct user *u = route_user_or_reply(req);
	if (!u)
		return;
	const char *refusal = status_refusal(req, u, true);
	if (refusal) {
		user_page(req, u, 422, refusal);
		return;
	}
	const char *page = arena_printf(req->arena, "/admin/utilisateurs/%s", u->id);
	confirm_page_reply(
		req,
		&(struct confirm_page){
			.title = "Désactiver ce compte\u202f?",
			.subject = arena_printf(req->arena, "%s (%s)", u->name ? u->name : "",
						u->email),
			.consequence =
				"Toutes ses sessions sont fermées aussitôt et ses jetons d’accès à "
				"l’API supprimés\u202f: personne ne pourra plus s’y connecter. Vous "
				"pourrez le réactiver, mais pas rendre ses jetons.",
			.action = arena_printf(req->arena, "%s/desactiver", page),
			.button = "Désactiver le compte",
			.cancel = page,
		});
}
