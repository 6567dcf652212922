#include <mongoc/mongoc.h>

#include "core/log.h"
#include "db/db.h"
#include "http/reply.h"
#include "site/site.h"

/* The benchmark reference: constant, no database, no template. */
void site_ping(struct request *req)
{
	reply_text(req, 200, "text/plain; charset=utf-8", "pong\n");
}

/* For load balancers and supervisors: is this process able to serve? */
void site_healthz(struct request *req)
{
	bson_error_t error;
	bool up = db_ping(db_client(req), &error);
	if (!up)
		log_error(req->request_id, "healthz: database down: %s",
			  error.message);
	json_t *body = json_pack("{s:s, s:s}", "status", up ? "ok" : "unavailable",
				 "db", up ? "ok" : "down");
	reply_json(req, up ? 200 : 503, body);
	json_decref(body);
	reply_header(req, "Cache-Control", "no-store");
}
