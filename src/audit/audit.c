#include "audit/audit.h"

#include <mongoc/mongoc.h>

#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "db/doc.h"
#include "db/lookup.h"
#include "http/request.h"
#include "web/visitor.h"

void audit_record(struct request *req, const char *action, const char *target,
		  const char *detail, const char *actor_email)
{
	struct visitor_identity u = {"", actor_email ? actor_email : ""};
	if (req->user)
		u = visitor()->identity(req->user);
	bson_t *doc = BCON_NEW("_id", BCON_UTF8(doc_new_id(req->arena)),
			       "at", BCON_DATE_TIME(doc_now_ms()),
			       "action", BCON_UTF8(action),
			       "target", BCON_UTF8(target ? target : ""),
			       "detail", BCON_UTF8(detail ? detail : ""),
			       "actor_id", BCON_UTF8(u.id),
			       "actor_email", BCON_UTF8(u.email),
			       "ip", BCON_UTF8(req->remote_addr ? req->remote_addr : "-"),
			       "request_id", BCON_UTF8(req->request_id ? req->request_id : "-"));
	bson_error_t error;
	if (!mongoc_collection_insert_one(db_collection(req->db, "audit"), doc, NULL, NULL,
					  &error))
		log_error(req->request_id, "audit %s on %s not recorded: %s", action,
			  target ? target : "-", error.message);
	/* Listed under its actor for the account's data export. */
	else if (*u.id &&
		 lookup_add_id(req->db, arena_printf(req->arena, "audit_by:%s", u.id),
			       doc_string(req->arena, doc, "_id"), &error))
		log_error(req->request_id, "audit %s not listed under its actor: %s", action,
			  error.message);
	bson_destroy(doc);
}
