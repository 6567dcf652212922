#include "http/server.h"

#include <errno.h>
#include <fcgiapp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/deadline.h"
#include "core/log.h"
#include "core/scan_watch.h"
#include "core/xalloc.h"
#include "http/request_io.h"

/* Workers stop accepting well before the 5 s a supervisor waits. */
enum { DRAIN_LIMIT_MS = 4500 };

struct worker {
	pthread_t thread;
	const struct app *app;
	void (*dispatch)(struct request *req);
	int listen_fd;
	atomic_bool *stopping;
};

/* Handles one accepted request end to end: prepare, dispatch, send, log. */
static void serve_one(const struct worker *w, FCGX_Request *fr)
{
	struct request req = {0};
	char ignored[1];
	scan_watch_take(ignored, sizeof(ignored)); /* none from before */
	req.started_us = now_us();
	req.arena = arena_new();
	req.app = w->app;
	req.in = fr->in;
	req.out = fr->out;
	req.env = fr->envp;
	req.res.status = 200;
	request_prepare(&req);
	w->dispatch(&req);
	response_send(&req, fr->out);
	char search[32] = "";
	if (req.search_us)
		snprintf(search, sizeof(search), " search=%lluus",
			 (unsigned long long)req.search_us);
	char scans[96] = "", first[64];
	unsigned n_scans = scan_watch_take(first, sizeof(first));
	if (n_scans)
		snprintf(scans, sizeof(scans), " scans=%u(%s)", n_scans, first);
	log_msg("info", req.request_id, "%s %s %d %lluus%s%s%s", req.method,
		req.raw_path ? req.raw_path : "-", req.res.status,
		(unsigned long long)(now_us() - req.started_us),
		!req.cache_hit ? ""
		: req.user     ? " cache=member"
			       : " cache=hit",
		search, scans);
	buf_free(&req.res.body);
	arena_free(req.arena);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	FCGX_Request fr;
	FCGX_InitRequest(&fr, w->listen_fd, 0);
	while (!atomic_load(w->stopping)) {
		if (FCGX_Accept_r(&fr) < 0) {
			if (atomic_load(w->stopping))
				break;
			log_error(NULL, "accept failed: %s", strerror(errno));
			/* Out of descriptors and the like: wait, don't spin. */
			nanosleep(&(struct timespec){.tv_nsec = 100000000}, NULL);
			continue;
		}
		serve_one(w, &fr);
		FCGX_Finish_r(&fr);
	}
	FCGX_Free(&fr, 1);
	return NULL;
}

/* Joins every worker, giving up at the drain deadline. Returns how many
 * did not finish in time. */
static int join_workers(struct worker *workers, int n)
{
	struct timespec deadline = deadline_in_ms(CLOCK_REALTIME, DRAIN_LIMIT_MS);
	int late = 0;
	for (int i = 0; i < n; i++)
		if (pthread_timedjoin_np(workers[i].thread, NULL, &deadline))
			late++;
	return late;
}

/* Fills set with the signals that stop the server. */
static void stop_signal_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
}

void server_block_signals(void)
{
	sigset_t stop_signals;
	stop_signal_set(&stop_signals);
	pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int server_run(const struct app *app, const struct server_config *cfg)
{
	sigset_t stop_signals;
	stop_signal_set(&stop_signals);
	server_block_signals();

	if (FCGX_Init() != 0) {
		log_error(NULL, "FCGX_Init failed");
		return 1;
	}
	int fd = FCGX_OpenSocket(cfg->socket_path, 1024);
	if (fd < 0) {
		log_error(NULL, "cannot listen on %s: %s", cfg->socket_path, strerror(errno));
		return 1;
	}
	if (chmod(cfg->socket_path, cfg->socket_mode) != 0)
		log_error(NULL, "chmod %s: %s", cfg->socket_path, strerror(errno));

	atomic_bool stopping = false;
	struct worker *workers = xcalloc((size_t)cfg->threads, sizeof(*workers));
	int started = 0;
	for (; started < cfg->threads; started++) {
		workers[started] = (struct worker){.app = app,
						   .dispatch = cfg->dispatch,
						   .listen_fd = fd,
						   .stopping = &stopping};
		if (pthread_create(&workers[started].thread, NULL, worker_main,
				   &workers[started]) != 0) {
			log_error(NULL, "pthread_create: %s", strerror(errno));
			break;
		}
	}
	log_info(NULL, "listening on %s with %d threads", cfg->socket_path, started);

	int sig = 0;
	if (started > 0)
		sigwait(&stop_signals, &sig);
	log_info(NULL, "signal %d: draining", sig);
	atomic_store(&stopping, true);
	if (cfg->on_stop)
		cfg->on_stop(cfg->stop_ctx);
	/* Wakes the threads blocked in accept(); those serving a request
	 * finish it first. */
	shutdown(fd, SHUT_RDWR);
	int late = join_workers(workers, started);
	if (late) {
		/* Shared state is still in use: exit without tearing it down. */
		log_error(NULL, "%d workers still busy at the drain deadline", late);
		unlink(cfg->socket_path);
		_exit(0);
	}
	close(fd);
	unlink(cfg->socket_path);
	free(workers);
	log_info(NULL, "stopped");
	return 0;
}
