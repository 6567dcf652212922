/* Whole replies to GETs, kept in process for a moment (cgit's response
 * cache). The catalogue pages cost about a millisecond of CPU to build and
 * are the same for every visitor who is not signed in, so a route marked
 * with a cache hook in the route table answers them from here.
 *
 * Signed-in visitors share pages too, with holes: the body is built once
 * for a nameless member holding the same roles, leaving a hole wherever a
 * visitor's own part goes (their name in the header, their CSRF token,
 * their follow button...). The holes' places are kept next to the body,
 * never marked inside it, so nothing a user writes can pose as one; each
 * request fills them with fragments rendered for its own visitor
 * (request.fragments), and a body is only ever kept under the key of the
 * roles it was built for.
 *
 * A reply is served again while all of these hold:
 *   - the visitor sends no session cookie and no bearer token, or is
 *     signed in with a session and asks for the variant of their roles;
 *   - it is younger than PAGE_CACHE_TTL_MS, which bounds how stale data
 *     written by another process can be (comments, reuses...);
 *   - the generation has not moved: this process bumps it after every
 *     successful write it handles and whenever the catalogue takes in a
 *     change, so what this host knows shows at once.
 * Only 200 replies without Set-Cookie are kept; pages built for the cache
 * carry no CSRF token (request.shared_reply). Memory is bounded: a fixed
 * number of slots and a byte budget. */
#ifndef COUSILAB_PAGE_CACHE_H
#define COUSILAB_PAGE_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "http/request.h"

enum {
	PAGE_CACHE_TTL_MS = 1000,
	PAGE_CACHE_SLOTS = 256,
	PAGE_CACHE_ENTRY_MAX = 256 * 1024,
	PAGE_CACHE_BUDGET = 6 * 1024 * 1024,
	PAGE_CACHE_HOLES_MAX = 512, /* per reply; more: not kept */
	PAGE_CACHE_HOLE_NAME_MAX = 47,
};

/* Returns the current generation. No allocation. */
uint64_t page_cache_generation(void);

/* Makes every reply kept so far stale. Thread-safe, no allocation. */
void page_cache_bump(void);

/* Returns the cache key of req: method, scheme, host and URI, in the
 * request arena. */
const char *page_cache_key(struct request *req);

/* Fills req->res (body copied into it, headers and holes into the arena;
 * headers already set come after the kept ones) with the reply kept under
 * key if it was built at generation gen less than PAGE_CACHE_TTL_MS before
 * now_ms. Returns true on a hit. */
bool page_cache_fetch(struct request *req, const char *key, uint64_t gen, uint64_t now_ms);

/* Keeps a copy of req's reply (its holes included) under key, built at
 * generation gen at now_ms, unless it is not a 200, sets a cookie, is over
 * PAGE_CACHE_ENTRY_MAX or PAGE_CACHE_HOLES_MAX or does not fit the budget
 * once stale replies are dropped. Allocates the copy (owned by the cache). */
void page_cache_keep(const struct request *req, const char *key, uint64_t gen, uint64_t now_ms);

/* Puts in each hole of req's body the fragment of the same name from
 * req->fragments, and clears the holes. Returns 0, or -1 with the body
 * untouched when a hole has no fragment. Reallocates the body. */
int page_cache_fill(struct request *req);

#endif
