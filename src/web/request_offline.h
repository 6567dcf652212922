/* Commands run the features' code that requests run. */
#ifndef COUSILAB_REQUEST_OFFLINE_H
#define COUSILAB_REQUEST_OFFLINE_H

struct app;
struct request;

/* Returns a request for work done outside HTTP by the commands (user,
 * token, seed, migrate's backfills): its own arena and database context
 * (none when app is NULL), "cli" as address and request id. The
 * features' code they run takes a request; the background threads need
 * none (they take a struct db_ctx). Free it with request_offline_free. */
struct request *request_offline(const struct app *app);
void request_offline_free(struct request *req);

#endif
