#include "accounts/notify.h"

#include "core/app.h"
#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "http/request.h"
#include "mail/outbox.h"
#include "mail/sender.h"

const char *site_url(struct request *req, const char *path)
{
	return arena_printf(req->arena, "%s%s", req->app->config.base_url, path);
}

int notify_user(struct request *req, const char *to, const char *template,
		json_t *data)
{
	bson_error_t error;
	if (mail_queue(db_client(req->db), req->app->db->name, req->app->views, to,
		       template, data, &error) != 0) {
		log_error(req->request_id, "mail %s to %s not queued: %s", template, to,
			  error.message);
		return -1;
	}
	if (req->app->mail)
		mail_sender_wake(req->app->mail);
	return 0;
}
