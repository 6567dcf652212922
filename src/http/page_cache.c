#include "http/page_cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/xalloc.h"
#include "http/params.h"

/* A hole of a kept body. */
struct kept_hole {
	size_t offset;
	char name[PAGE_CACHE_HOLE_NAME_MAX + 1];
};

/* One kept reply. Immutable once in a slot; extra headers are stored as
 * consecutive "name\0value\0" pairs. */
struct entry {
	char *key;
	uint64_t gen, built_ms;
	int status;
	char *content_type; /* NULL: none */
	char *headers;
	size_t headers_len;
	char *body;
	size_t body_len;
	struct kept_hole *holes; /* NULL when none */
	size_t n_holes;
	size_t bytes; /* what it counts against the budget */
};

/* Direct-mapped: a key has one slot, and a newer reply replaces whatever
 * was there. Each slot has its own lock so threads rarely wait. */
static struct slot {
	pthread_mutex_t lock;
	struct entry *entry;
} slots[PAGE_CACHE_SLOTS];

static pthread_once_t slots_once = PTHREAD_ONCE_INIT;
static atomic_uint_fast64_t generation = 1;
static atomic_size_t used_bytes;

static void slots_init(void)
{
	for (size_t i = 0; i < PAGE_CACHE_SLOTS; i++)
		pthread_mutex_init(&slots[i].lock, NULL);
}

uint64_t page_cache_generation(void)
{
	return atomic_load(&generation);
}

void page_cache_bump(void)
{
	atomic_fetch_add(&generation, 1);
}

const char *page_cache_key(struct request *req)
{
	const char *uri = request_env(req, "REQUEST_URI");
	const char *host = request_env(req, "HTTP_HOST");
	/* HEAD is answered from (and fills) the GET reply: the body is
	 * dropped when sending. */
	return arena_printf(req->arena, "GET %s://%s%s", req->https ? "https" : "http",
			    host ? host : "", uri ? uri : req->raw_path);
}

/* Returns the slot of key (FNV-1a). Pure. */
static struct slot *slot_of(const char *key)
{
	uint64_t h = 1469598103934665603u;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211u;
	pthread_once(&slots_once, slots_init);
	return &slots[h % PAGE_CACHE_SLOTS];
}

static void entry_free(struct entry *e)
{
	if (!e)
		return;
	atomic_fetch_sub(&used_bytes, e->bytes);
	free(e->key);
	free(e->content_type);
	free(e->headers);
	free(e->body);
	free(e->holes);
	free(e);
}

/* Returns true when e may answer a request for key at gen and now_ms. */
static bool fresh(const struct entry *e, const char *key, uint64_t gen, uint64_t now_ms)
{
	return e && e->gen == gen && now_ms - e->built_ms < PAGE_CACHE_TTL_MS &&
	       strcmp(e->key, key) == 0;
}

bool page_cache_fetch(struct request *req, const char *key, uint64_t gen, uint64_t now_ms)
{
	struct slot *s = slot_of(key);
	pthread_mutex_lock(&s->lock);
	struct entry *e = s->entry;
	bool hit = fresh(e, key, gen, now_ms);
	if (hit) {
		struct response *res = &req->res;
		res->status = e->status;
		res->content_type = e->content_type ? arena_strdup(req->arena, e->content_type)
						    : NULL;
		buf_reset(&res->body);
		buf_append(&res->body, e->body, e->body_len);
		/* Rebuilt in reverse, so the list keeps the original order. */
		const char *end = e->headers + e->headers_len;
		struct header *list = NULL, **tail = &list;
		for (const char *p = e->headers; p < end;) {
			struct header *h = arena_alloc(req->arena, sizeof(*h));
			h->name = arena_strdup(req->arena, p);
			p += strlen(p) + 1;
			h->value = arena_strdup(req->arena, p);
			p += strlen(p) + 1;
			h->next = NULL;
			*tail = h;
			tail = &h->next;
		}
		*tail = res->headers;
		res->headers = list;
		struct page_hole *holes = e->n_holes ? arena_alloc(req->arena,
								   e->n_holes * sizeof(*holes))
						     : NULL;
		for (size_t i = 0; i < e->n_holes; i++)
			holes[i] = (struct page_hole){e->holes[i].offset,
						      arena_strdup(req->arena, e->holes[i].name)};
		res->holes = holes;
		res->n_holes = e->n_holes;
	}
	pthread_mutex_unlock(&s->lock);
	return hit;
}

/* Returns a heap copy of res's extra headers as "name\0value\0" pairs, or
 * NULL when one of them sets a cookie: such a reply belongs to one visitor. */
static char *headers_copy(const struct response *res, size_t *len)
{
	struct buf b = BUF_INIT;
	for (const struct header *h = res->headers; h; h = h->next) {
		if (strcasecmp(h->name, "Set-Cookie") == 0) {
			buf_free(&b);
			return NULL;
		}
		buf_append(&b, h->name, strlen(h->name) + 1);
		buf_append(&b, h->value, strlen(h->value) + 1);
	}
	*len = b.len;
	return b.data ? b.data : xcalloc(1, 1);
}

/* Returns a heap copy of res's holes (NULL when none), or sets *refused
 * when they are too many or a name too long to keep. */
static struct kept_hole *holes_copy(const struct response *res, bool *refused)
{
	*refused = res->n_holes > PAGE_CACHE_HOLES_MAX;
	if (!res->n_holes || *refused)
		return NULL;
	struct kept_hole *out = xcalloc(res->n_holes, sizeof(*out));
	for (size_t i = 0; i < res->n_holes && !*refused; i++) {
		size_t len = strlen(res->holes[i].name);
		*refused = len > PAGE_CACHE_HOLE_NAME_MAX;
		out[i].offset = res->holes[i].offset;
		memcpy(out[i].name, res->holes[i].name, *refused ? 0 : len);
	}
	if (*refused) {
		free(out);
		return NULL;
	}
	return out;
}

/* Drops every reply that can no longer be served. */
static void drop_stale(uint64_t gen, uint64_t now_ms)
{
	for (size_t i = 0; i < PAGE_CACHE_SLOTS; i++) {
		struct slot *s = &slots[i];
		pthread_mutex_lock(&s->lock);
		struct entry *e = s->entry;
		if (e && (e->gen != gen || now_ms - e->built_ms >= PAGE_CACHE_TTL_MS)) {
			s->entry = NULL;
			entry_free(e);
		}
		pthread_mutex_unlock(&s->lock);
	}
}

void page_cache_keep(const struct request *req, const char *key, uint64_t gen, uint64_t now_ms)
{
	const struct response *res = &req->res;
	if (res->status != 200 || res->body.len > PAGE_CACHE_ENTRY_MAX)
		return;
	size_t headers_len = 0;
	char *headers = headers_copy(res, &headers_len);
	if (!headers)
		return;
	bool refused;
	struct kept_hole *holes = holes_copy(res, &refused);
	if (refused) {
		free(headers);
		return;
	}
	size_t key_len = strlen(key);
	size_t bytes = sizeof(struct entry) + key_len + headers_len + res->body.len +
		       res->n_holes * sizeof(*holes) + 64;
	struct slot *s = slot_of(key);
	if (atomic_load(&used_bytes) + bytes > PAGE_CACHE_BUDGET)
		drop_stale(gen, now_ms);
	if (atomic_load(&used_bytes) + bytes > PAGE_CACHE_BUDGET) {
		free(headers);
		free(holes);
		return;
	}
	struct entry *e = xcalloc(1, sizeof(*e));
	*e = (struct entry){
		.key = xstrdup(key),
		.gen = gen,
		.built_ms = now_ms,
		.status = res->status,
		.content_type = res->content_type ? xstrdup(res->content_type) : NULL,
		.headers = headers,
		.headers_len = headers_len,
		.body = xmalloc(res->body.len + 1),
		.body_len = res->body.len,
		.holes = holes,
		.n_holes = holes ? res->n_holes : 0,
		.bytes = bytes,
	};
	if (res->body.len)
		memcpy(e->body, res->body.data, res->body.len);
	atomic_fetch_add(&used_bytes, bytes);
	pthread_mutex_lock(&s->lock);
	struct entry *old = s->entry;
	s->entry = e;
	pthread_mutex_unlock(&s->lock);
	entry_free(old);
}

int page_cache_fill(struct request *req)
{
	struct response *res = &req->res;
	if (!res->n_holes)
		return 0;
	/* Checked whole first, so a failure leaves the body as it was. */
	const char *fragments[PAGE_CACHE_HOLES_MAX];
	if (res->n_holes > PAGE_CACHE_HOLES_MAX)
		return -1;
	for (size_t i = 0; i < res->n_holes; i++) {
		fragments[i] = param_get(req->fragments, res->holes[i].name);
		if (!fragments[i] || res->holes[i].offset > res->body.len ||
		    (i && res->holes[i].offset < res->holes[i - 1].offset))
			return -1;
	}
	struct buf out = BUF_INIT;
	size_t at = 0;
	for (size_t i = 0; i < res->n_holes; i++) {
		buf_append(&out, res->body.data + at, res->holes[i].offset - at);
		buf_puts(&out, fragments[i]);
		at = res->holes[i].offset;
	}
	buf_append(&out, res->body.data + at, res->body.len - at);
	buf_free(&res->body);
	res->body = out;
	res->holes = NULL;
	res->n_holes = 0;
	return 0;
}
