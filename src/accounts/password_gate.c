#include "accounts/password_gate.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "accounts/password.h"
#include "core/app.h"
#include "core/deadline.h"
#include "core/xalloc.h"
#include "http/form.h"
#include "http/reply.h"
#include "http/request.h"
#include "web/error_reply.h"

struct password_gate {
	pthread_mutex_t lock;
	pthread_cond_t freed; /* signalled when a slot is given back */
	int slots, queue;     /* limits */
	int running, waiting;
	long wait_ms;
};

int password_gate_slots(int threads)
{
	return threads / 4 > 1 ? threads / 4 : 1;
}

int password_gate_queue(int threads)
{
	int spare = threads - password_gate_slots(threads) - 1;
	return threads / 2 < spare ? threads / 2 : spare > 0 ? spare : 0;
}

struct password_gate *password_gate_new(int slots, int queue, long wait_ms)
{
	struct password_gate *g = xcalloc(1, sizeof(*g));
	pthread_mutex_init(&g->lock, NULL);
	deadline_cond_init(&g->freed);
	g->slots = slots;
	g->queue = queue;
	g->wait_ms = wait_ms;
	return g;
}

void password_gate_free(struct password_gate *g)
{
	if (!g)
		return;
	pthread_cond_destroy(&g->freed);
	pthread_mutex_destroy(&g->lock);
	free(g);
}

bool password_gate_enter(struct password_gate *g)
{
	if (!g)
		return true;
	struct timespec until = deadline_in_ms(CLOCK_MONOTONIC, g->wait_ms);
	pthread_mutex_lock(&g->lock);
	bool entered = g->running < g->slots;
	if (!entered && g->waiting < g->queue) {
		g->waiting++;
		int rc = 0;
		while (g->running >= g->slots && rc == 0)
			rc = pthread_cond_timedwait(&g->freed, &g->lock, &until);
		g->waiting--;
		entered = g->running < g->slots;
	}
	if (entered)
		g->running++;
	pthread_mutex_unlock(&g->lock);
	return entered;
}

void password_gate_leave(struct password_gate *g)
{
	if (!g)
		return;
	pthread_mutex_lock(&g->lock);
	g->running--;
	pthread_cond_signal(&g->freed);
	pthread_mutex_unlock(&g->lock);
}

bool password_work_begin(struct request *req)
{
	return password_gate_enter(req->app->password_gate);
}

void password_work_end(struct request *req)
{
	password_gate_leave(req->app->password_gate);
}

const char *password_work_busy(struct request *req)
{
	reply_header(req, "Retry-After", "5");
	return "Le service est très sollicité en ce moment\u202f: réessayez dans quelques secondes.";
}

int password_work_hash_or_reply(struct form *f, const char *field, const char *pw,
				char hash[crypto_pwhash_STRBYTES])
{
	if (!password_work_begin(f->req)) {
		form_error(f, field, password_work_busy(f->req));
		return 1;
	}
	int rc = password_hash(pw, hash);
	password_work_end(f->req);
	if (rc != 0)
		reply_error(f->req, 500, "internal", "Le mot de passe n’a pas pu être chiffré.",
			    NULL);
	return rc ? -1 : 0;
}
