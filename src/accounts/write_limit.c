#include "accounts/write_limit.h"

#include "accounts/throttle.h"
#include "accounts/ui.h"
#include "accounts/user.h"
#include "core/app.h"
#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "http/request.h"
#include "web/db_reply.h"
#include "web/error_reply.h"
#include "web/router.h"

int write_limit_check_or_reply(struct request *req, const char **slot)
{
	/* Signing out must always work, even for someone over the limit. */
	if (!req->user || (req->route && req->route->handler == accounts_logout))
		return 0;
	struct throttle_claim c;
	bson_error_t error;
	int rc = throttle_claim(req, arena_printf(req->arena, "write:user:%s", req->user->id),
				(int)req->app->config.writes_per_minute, WRITE_LIMIT_WINDOW_S, &c,
				&error);
	if (rc > 0) {
		*slot = c.slot_id;
		return 0;
	}
	if (rc < 0)
		db_fail(req, "counting a write", &error);
	else
		reply_error(
			req, 429, "too_many_requests",
			throttle_refusal(req, "Trop de requêtes en peu de temps.", c.retry_after_s),
			NULL);
	return -1;
}

void write_limit_refund(struct request *req, const char *slot)
{
	bson_error_t error;
	if (throttle_release(req, slot, &error))
		log_error(req->request_id, "refunding a write: %s", error.message);
}
