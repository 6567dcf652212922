/* Account mail, through the outbox: queued here, sent by the sender
 * thread, so a relay outage delays mail but loses none. */
#ifndef COUSILAB_NOTIFY_H
#define COUSILAB_NOTIFY_H

#include <jansson.h>

struct request;

/* Queues mail template for to with data (borrowed; "name" and links are
 * the template's business) and wakes the sender. Returns 0, or -1 after
 * logging. */
int notify_user(struct request *req, const char *to, const char *template,
		json_t *data);

/* Returns the absolute URL of path on this site (arena), for mail links. */
const char *site_url(struct request *req, const char *path);

#endif
