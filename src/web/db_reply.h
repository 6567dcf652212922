/* Answering a request whose database call failed. db/ says what kind of
 * failure it was (db_error_kind) and knows nothing of HTTP; this is where
 * the kind becomes a reply. */
#ifndef COUSILAB_DB_REPLY_H
#define COUSILAB_DB_REPLY_H

#include <bson/bson.h>

struct request;

/* Logs error with context and replies 503 (outage: the unavailable page,
 * which keeps a submitted form's values), 409 (conflict) or 500 as
 * db_error_kind says. */
void db_fail(struct request *req, const char *what, const bson_error_t *error);

#endif
