#include "accounts/members.h"
#include "accounts/admin_ops.h"

#include <mongoc/mongoc.h>
#include <string.h>

#include "accounts/organisation.h"
#include "accounts/password.h"
#include "accounts/role_scope.h"
#include "accounts/rules.h"
#include "accounts/session.h"
#include "accounts/user.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "db/db.h"
#include "db/doc.h"

/* Returns NULL when a passes the sign-up rules, else why not (arena). */
static const char *account_problem(struct db_ctx *db, const struct common_passwords *common,
				   const struct account_new *a)
{
	bson_error_t error;
	json_t *active = arena_json(db->arena, organisations_active(db, &error));
	if (!active)
		return arena_printf(db->arena, "base de données\u202f: %s", error.message);
	struct account_signup s = {a->name, a->email, a->organisation, a->job ? a->job : "",
				   a->password};
	struct field_error errors[ACCOUNT_RULES_MAX_ERRORS];
	size_t n = account_signup_check(&s, organisation_in(active, a->organisation) != NULL,
					common, errors);
	if (!*a->name || !*a->email || !*a->organisation)
		return "le nom, l’adresse et l’organisme sont obligatoires";
	return n ? arena_printf(db->arena, "%s : %s", errors[0].field, errors[0].message) : NULL;
}

const char *account_create(struct db_ctx *db, const struct common_passwords *common,
			   const struct audit_actor *by, const struct account_new *a,
			   const char **why)
{
	if ((*why = account_problem(db, common, a)))
		return NULL;
	char hash[crypto_pwhash_STRBYTES];
	if (password_hash(a->password, hash) != 0) {
		*why = "le mot de passe n’a pas pu être chiffré";
		return NULL;
	}
	const char *id = doc_new_id(db->arena);
	bson_error_t error;
	int claimed = user_email_claim(db, a->email, id, &error);
	if (claimed <= 0) {
		*why = claimed == 0 ? "cette adresse a déjà un compte"
				    : arena_printf(db->arena, "base de données\u202f: %s",
						   error.message);
		return NULL;
	}
	int64_t now = doc_now_ms();
	bson_t *doc = BCON_NEW("_id", BCON_UTF8(id), "email", BCON_UTF8(a->email), "name",
			       BCON_UTF8(a->name), "organisation", BCON_UTF8(a->organisation),
			       "job", BCON_UTF8(a->job ? a->job : ""), "password_hash",
			       BCON_UTF8(hash), "status", BCON_UTF8("active"), "created_at",
			       BCON_DATE_TIME(now), "confirmed_at", BCON_DATE_TIME(now),
			       "updated_at", BCON_DATE_TIME(now));
	sodium_memzero(hash, sizeof(hash));
	/* Every account is an agent; a second grant when asked. */
	bson_t *none = bson_new();
	bson_t *agent = bson_new();
	user_roles_edit(none, agent, "roles", ROLE_AGENT, NULL, true);
	user_roles_edit(agent, doc, "roles", a->role, NULL, true);
	bson_destroy(agent);
	bson_destroy(none);
	bool ok = mongoc_collection_insert_one(db_collection(db, "users"), doc, NULL, NULL,
					       &error) &&
		  members_add(db, a->organisation, id, &error) == 0;
	bson_destroy(doc);
	if (!ok) {
		*why = error.code == 11000 ? "cette adresse a déjà un compte"
					   : arena_printf(db->arena, "base de données\u202f: %s",
							  error.message);
		return NULL;
	}
	audit_write(db, by, "account.create", id, a->email);
	if (a->role != ROLE_AGENT)
		audit_write(db, by, "role.add", id, role_name(a->role));
	return id;
}

int account_set_role(struct db_ctx *db, const struct audit_actor *by, const struct user *u,
		     enum role r, const char *scope, bool add, const char **why)
{
	if (r == ROLE_AGENT || r == ROLE_PUBLIC || r >= ROLE_COUNT) {
		*why = "ce rôle ne se donne ni ne se retire";
		return -1;
	}
	if (scope && !role_scope_valid(scope)) {
		*why = "portée invalide\u202f: des segments de a-z, 0-9, - ou _ séparés par"
		       " «\u202f:\u202f» (par exemple gpi:2026:rh)";
		return -1;
	}
	bson_t *set = bson_new();
	bson_t inner;
	bson_append_document_begin(set, "$set", -1, &inner);
	user_roles_edit(u->doc, &inner, "roles", r, scope, add);
	BSON_APPEND_DATE_TIME(&inner, "updated_at", doc_now_ms());
	bson_append_document_end(set, &inner);
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(u->id));
	bson_error_t error;
	if (user_update(db, filter, set, &error)) {
		*why = arena_printf(db->arena, "base de données\u202f: %s", error.message);
		return -1;
	}
	audit_write(db, by, add ? "role.add" : "role.remove", u->id,
		    scope ? arena_printf(db->arena, "%s %s", role_name(r), scope) : role_name(r));
	return 0;
}
