/* A bound on concurrent argon2 work. Each hash or check takes 19 MiB and
 * tens of milliseconds of a core: unbounded, a burst of sign-ups or
 * logins occupies every worker and the site stops answering even /ping.
 * The gate lets a few run at once (about one per core on the usual eight
 * workers) and some more wait, for a bounded time; the others are
 * refused at once, so some workers always stay free for pages. */
#ifndef COUSILAB_PASSWORD_GATE_H
#define COUSILAB_PASSWORD_GATE_H

#include <sodium.h>
#include <stdbool.h>

struct form;
struct password_gate;
struct request;

/* How long a password waits for a slot before the request is refused. */
enum { PASSWORD_GATE_WAIT_MS = 2000 };

/* Returns how many hashes may run at once on a server of `threads`
 * workers: a quarter of them, at least one. Pure. */
int password_gate_slots(int threads);

/* Returns how many may wait for a slot: half of the workers, and always
 * fewer than the workers left, so that at least one of them (a quarter
 * of eight) never waits on a password, while logins arriving together
 * still queue rather than fail. Pure. */
int password_gate_queue(int threads);

/* Returns a new gate letting `slots` run and `queue` wait, each up to
 * wait_ms. Heap; free with password_gate_free. */
struct password_gate *password_gate_new(int slots, int queue, long wait_ms);
void password_gate_free(struct password_gate *g);

/* Takes a slot of g, waiting as described. Returns true when taken (give
 * it back with password_gate_leave), false when refused. A NULL gate
 * (command-line tools) always lets in. Thread-safe. */
bool password_gate_enter(struct password_gate *g);
void password_gate_leave(struct password_gate *g);

/* The request's gate (req->app's), for the handlers. Returns as
 * password_gate_enter. */
bool password_work_begin(struct request *req);
void password_work_end(struct request *req);

/* For a request refused because the gate stayed full: sets Retry-After
 * and returns the French sentence to show next to the password field
 * (static); the caller answers 503 with the form as typed. */
const char *password_work_busy(struct request *req);

/* Hashes pw into hash through the request's gate. Returns 0; 1 after
 * recording the busy sentence on f's field (the caller answers 503 with
 * the form as typed, Retry-After set); -1 after replying 500. */
int password_work_hash_or_reply(struct form *f, const char *field, const char *pw,
				char hash[crypto_pwhash_STRBYTES]);

#endif
