/* The FastCGI server: N worker threads accepting on one unix socket. */
#ifndef COUSILAB_SERVER_H
#define COUSILAB_SERVER_H

#include <sys/types.h>

struct app;

struct server_config {
	const char *socket_path;
	mode_t socket_mode;
	int threads;
};

/* Serves until SIGTERM or SIGINT, then lets requests in flight finish and
 * returns 0 (1 if the socket could not be opened). Must be called from the
 * main thread before any other thread exists, since it sets the signal
 * mask that worker threads inherit. */
int server_run(const struct app *app, const struct server_config *cfg);

#endif
