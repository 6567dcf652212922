#include "audit/audit.h"

#include <mongoc/mongoc.h>

#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "db/doc.h"
#include "db/lookup.h"
#include "http/request.h"
#include "web/visitor.h"

/* Returns s, or fallback when s is NULL. */
static const char * or (const char *s, const char *fallback)
{
	return s ? s : fallback;
}

void audit_write(struct db_ctx *db, const struct audit_actor *by, const char *action,
		 const char *target, const char *detail)
{
	const char *actor_id = or (by->id, "");
	bson_t *doc = BCON_NEW("_id", BCON_UTF8(doc_new_id(db->arena)), "at",
			       BCON_DATE_TIME(doc_now_ms()), "action", BCON_UTF8(action), "target",
			       BCON_UTF8(or (target, "")), "detail", BCON_UTF8(or (detail, "")),
			       "actor_id", BCON_UTF8(actor_id), "actor_email",
			       BCON_UTF8(or (by->email, "")), "ip", BCON_UTF8(or (by->ip, "-")),
			       "request_id", BCON_UTF8(or (by->request_id, "-")));
	bson_error_t error;
	if (!mongoc_collection_insert_one(db_collection(db, "audit"), doc, NULL, NULL, &error))
		log_error(db->log_id, "audit %s on %s not recorded: %s", action, or (target, "-"),
			  error.message);
	/* Listed under its actor for the account's data export. */
	else if (*actor_id && lookup_add_id(db, arena_printf(db->arena, "audit_by:%s", actor_id),
					    doc_string(db->arena, doc, "_id"), &error))
		log_error(db->log_id, "audit %s not listed under its actor: %s", action,
			  error.message);
	bson_destroy(doc);
}

/* Returns the actor as (or actor_email when as is NULL) at ip, in the
 * work tagged request_id; all borrowed. */
static struct audit_actor actor(const struct user *as, const char *actor_email, const char *ip,
				const char *request_id)
{
	struct visitor_identity u = {"", actor_email ? actor_email : ""};
	if (as)
		u = visitor()->identity(as);
	return (struct audit_actor){u.id, u.email, ip, request_id};
}

struct audit_actor audit_actor_of(struct request *req, const char *actor_email)
{
	return actor(req->user, actor_email, req->remote_addr, req->request_id);
}

struct audit_actor audit_actor_cli(const struct user *as)
{
	return actor(as, NULL, "cli", "cli");
}

void audit_record(struct request *req, const char *action, const char *target, const char *detail,
		  const char *actor_email)
{
	struct audit_actor by = audit_actor_of(req, actor_email);
	audit_write(req->db, &by, action, target, detail);
}
