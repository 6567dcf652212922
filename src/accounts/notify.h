/* Account mail, through the outbox: queued here, sent by the sender
 * thread, so a relay outage delays mail but loses none. */
#ifndef COUSILAB_NOTIFY_H
#define COUSILAB_NOTIFY_H

#include <jansson.h>

struct app;
struct arena;
struct db_ctx;

/* Queues mail template for to with data (borrowed; "name" and links are
 * the template's business) through db, and wakes app's sender. Returns
 * 0, or -1 after logging. */
int notify_user(const struct app *app, struct db_ctx *db, const char *to, const char *template,
		json_t *data);

/* notify_user under the outbox _id id (NULL: a random one), which claims
 * the mail (mail_queue_once). Returns 0 when queued now, 1 when it was
 * queued before, -1 after logging. */
int notify_user_once(const struct app *app, struct db_ctx *db, const char *id, const char *to,
		     const char *template, json_t *data);

/* Returns the absolute URL of path on app's site, allocated in a, for
 * mail links. */
const char *notify_site_url(const struct app *app, struct arena *a, const char *path);

#endif
