/* The FastCGI server: N worker threads accepting on one unix socket. */
#ifndef COUSILAB_SERVER_H
#define COUSILAB_SERVER_H

#include <sys/types.h>

struct app;
struct request;

struct server_config {
	/* Answers one prepared request, by building req->res (its reply
	 * goes out when it returns); a malformed request comes with
	 * req->refused set. Called from every worker thread at once. */
	void (*dispatch)(struct request *req);
	const char *socket_path;
	mode_t socket_mode;
	int threads;
	/* Called once when the stop signal arrives, before the drain, so that
	 * background threads wind down while requests finish. May be NULL. */
	void (*on_stop)(void *ctx);
	void *stop_ctx;
};

/* Blocks SIGTERM and SIGINT in the calling thread and so in every thread
 * it creates afterwards (libmongoc monitors, the mail sender, workers),
 * so that only server_run's sigwait receives them: libfcgi's own handler,
 * or a thread with the default action, would otherwise swallow the signal
 * or kill the process mid-request. Call it before creating any thread. */
void server_block_signals(void);

/* Serves until SIGTERM or SIGINT, then lets requests in flight finish and
 * returns 0 (1 if the socket could not be opened). Must be called from the
 * main thread before any other thread exists, since it sets the signal
 * mask that worker threads inherit. */
int server_run(const struct app *app, const struct server_config *cfg);

#endif
