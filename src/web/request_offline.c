#include "web/request_offline.h"

#include "core/app.h"
#include "core/arena.h"
#include "db/db.h"
#include "http/request.h"

struct request *request_offline(const struct app *app)
{
	struct arena *a = arena_new();
	struct request *req = arena_alloc(a, sizeof(*req));
	req->arena = a;
	req->app = app;
	req->method = "CLI";
	req->path = req->raw_path = "-";
	req->request_id = "cli";
	req->remote_addr = "cli";
	if (app)
		req->db = db_ctx_new(app->db, a, req->request_id);
	return req;
}

void request_offline_free(struct request *req)
{
	buf_free(&req->res.body);
	arena_free(req->arena);
}
