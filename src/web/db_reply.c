#include "web/db_reply.h"

#include "core/log.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"
#include "web/error_reply.h"

void db_fail(struct request *req, const char *what, const bson_error_t *error)
{
	log_error(req->request_id, "db: %s: %s (domain %u, code %u)", what, error->message,
		  error->domain, error->code);
	switch (db_error_kind(error)) {
	case DB_KIND_OUTAGE: reply_unavailable(req); break;
	case DB_KIND_CONFLICT:
		reply_error(req, 409, "conflict",
			    "Cette page a été modifiée entre-temps par quelqu’un d’autre. "
			    "Rechargez-la et recommencez.",
			    NULL);
		break;
	case DB_KIND_BUG:
		reply_error(req, 500, "internal",
			    "Une erreur interne est survenue. "
			    "Elle a été enregistrée.",
			    NULL);
		break;
	}
}
