#include <mongoc/mongoc.h>

#include "core/app.h"
#include "core/arena_json.h"
#include "core/paris_time.h"
#include "db/db.h"
#include "db/doc.h"
#include "db/monitor.h"
#include "http/reply.h"
#include "site/ui.h"

/* The benchmark reference: constant, no database, no template. */
void site_ping(struct request *req)
{
	reply_text(req, 200, "text/plain; charset=utf-8", "pong\n");
}

/* For load balancers and supervisors: is this process able to serve? The
 * answer is the database monitor's, so it comes at once whatever the
 * database does; the monitor logs why and since when it is down. */
void site_healthz(struct request *req)
{
	struct db_state state;
	db_state_get(req->app->db, &state);
	json_t *body = arena_json(req->arena,
				  json_pack("{s:s, s:s}", "status", state.up ? "ok" : "unavailable",
					    "db", state.up ? "ok" : "down"));
	if (!state.up) {
		char since[PARIS_TIME_RFC3339_MAX];
		paris_time_format_rfc3339(state.since_ms, since);
		json_object_set_new(body, "since", json_string(since));
	}
	reply_json(req, state.up ? 200 : 503, body);
	reply_header(req, "Cache-Control", "no-store");
}
