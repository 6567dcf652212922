#include "accounts/notify.h"

#include "core/app.h"
#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "mail/outbox.h"
#include "mail/sender.h"

const char *notify_site_url(const struct app *app, struct arena *a, const char *path)
{
	return arena_printf(a, "%s%s", app->config.base_url, path);
}

int notify_user(const struct app *app, struct db_ctx *db, const char *to, const char *template,
		json_t *data)
{
	return notify_user_once(app, db, NULL, to, template, data) < 0 ? -1 : 0;
}

int notify_user_once(const struct app *app, struct db_ctx *db, const char *id, const char *to,
		     const char *template, json_t *data)
{
	bson_error_t error;
	int rc = mail_queue_once(db_client(db), db_name(db), app->views, id, to, template, data,
				 &error);
	if (rc < 0) {
		log_error(db->log_id, "mail %s to %s not queued: %s", template, to, error.message);
		return -1;
	}
	if (rc == 0 && app->mail)
		mail_sender_wake(app->mail);
	return rc;
}
