#include "core/kvcache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

/* One slot of the fixed pool. Free slots are chained through next. */
struct kv_entry {
	char *key; /* NULL when the slot is free */
	void *value;
	size_t len;
	int64_t stored_ms;
	uint32_t hash;
	int32_t next;    /* next in the bucket's chain, or in the free list */
	bool referenced; /* read since the clock hand last passed */
};

struct kvcache {
	pthread_mutex_t lock;
	size_t capacity, max_value, count, hand;
	int64_t max_age_ms;
	uint64_t generation;
	struct kv_entry *entries;
	int32_t *buckets; /* head slot of each chain, or -1 */
	size_t n_buckets; /* a power of two, at least 2 × capacity */
	int32_t free_head;
};

/* FNV-1a: keys are short ids; a stable, cheap spread is all we need. */
static uint32_t hash_of(const char *key)
{
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

struct kvcache *kvcache_new(size_t capacity, size_t max_value, int64_t max_age_ms)
{
	struct kvcache *c = xcalloc(1, sizeof(*c));
	pthread_mutex_init(&c->lock, NULL);
	c->capacity = capacity ? capacity : 1;
	c->max_value = max_value;
	c->max_age_ms = max_age_ms;
	c->entries = xcalloc(c->capacity, sizeof(*c->entries));
	for (c->n_buckets = 2; c->n_buckets < 2 * c->capacity; c->n_buckets *= 2)
		;
	c->buckets = xmalloc(c->n_buckets * sizeof(*c->buckets));
	for (size_t i = 0; i < c->n_buckets; i++)
		c->buckets[i] = -1;
	for (size_t i = 0; i < c->capacity; i++)
		c->entries[i].next = i + 1 < c->capacity ? (int32_t)(i + 1) : -1;
	c->free_head = 0;
	return c;
}

/* Returns the slot of key, or -1; *link gets the chain link pointing at it
 * (for unlinking). Caller holds the lock. */
static int32_t find(struct kvcache *c, const char *key, uint32_t h, int32_t **link)
{
	int32_t *l = &c->buckets[h & (c->n_buckets - 1)];
	while (*l >= 0) {
		struct kv_entry *e = &c->entries[*l];
		if (e->hash == h && strcmp(e->key, key) == 0) {
			*link = l;
			return *l;
		}
		l = &e->next;
	}
	return -1;
}

/* Unlinks slot i (whose chain link is *link) and returns it to the free
 * list. Caller holds the lock. */
static void release(struct kvcache *c, int32_t *link, int32_t i)
{
	struct kv_entry *e = &c->entries[i];
	*link = e->next;
	free(e->key);
	free(e->value);
	*e = (struct kv_entry){.next = c->free_head};
	c->free_head = i;
	c->count--;
}

/* Frees the slot of key if present. Caller holds the lock. */
static void remove_key(struct kvcache *c, const char *key, uint32_t h)
{
	int32_t *link;
	int32_t i = find(c, key, h, &link);
	if (i >= 0)
		release(c, link, i);
}

/* Evicts the first entry the clock hand finds unreferenced, clearing the
 * reference bits it passes. Caller holds the lock; the table is full. */
static void evict_one(struct kvcache *c)
{
	for (;;) {
		struct kv_entry *e = &c->entries[c->hand];
		c->hand = (c->hand + 1) % c->capacity;
		if (!e->key)
			continue;
		if (e->referenced) {
			e->referenced = false;
			continue;
		}
		remove_key(c, e->key, e->hash);
		return;
	}
}

void *kvcache_get(struct kvcache *c, const char *key, int64_t now_ms, size_t *len)
{
	uint32_t h = hash_of(key);
	void *out = NULL;
	pthread_mutex_lock(&c->lock);
	int32_t *link;
	int32_t i = find(c, key, h, &link);
	if (i >= 0 && now_ms - c->entries[i].stored_ms > c->max_age_ms) {
		release(c, link, i);
	} else if (i >= 0) {
		struct kv_entry *e = &c->entries[i];
		e->referenced = true;
		out = xmalloc(e->len ? e->len : 1);
		memcpy(out, e->value, e->len);
		*len = e->len;
	}
	pthread_mutex_unlock(&c->lock);
	return out;
}

uint64_t kvcache_generation(struct kvcache *c)
{
	pthread_mutex_lock(&c->lock);
	uint64_t g = c->generation;
	pthread_mutex_unlock(&c->lock);
	return g;
}

bool kvcache_put(struct kvcache *c, const char *key, const void *value, size_t len,
		 uint64_t generation, int64_t now_ms)
{
	if (len > c->max_value)
		return false;
	uint32_t h = hash_of(key);
	/* Copied outside the lock: readers never wait on a memcpy. */
	void *copy = xmalloc(len ? len : 1);
	memcpy(copy, value, len);
	char *k = xstrdup(key);
	pthread_mutex_lock(&c->lock);
	bool stored = generation == c->generation;
	if (stored) {
		remove_key(c, key, h);
		if (c->count == c->capacity)
			evict_one(c);
		int32_t i = c->free_head;
		struct kv_entry *e = &c->entries[i];
		c->free_head = e->next;
		int32_t *bucket = &c->buckets[h & (c->n_buckets - 1)];
		*e = (struct kv_entry){.key = k,
				       .value = copy,
				       .len = len,
				       .stored_ms = now_ms,
				       .hash = h,
				       .next = *bucket};
		*bucket = i;
		c->count++;
	}
	pthread_mutex_unlock(&c->lock);
	if (!stored) {
		free(k);
		free(copy);
	}
	return stored;
}

void kvcache_drop(struct kvcache *c, const char *key)
{
	uint32_t h = hash_of(key);
	pthread_mutex_lock(&c->lock);
	remove_key(c, key, h);
	c->generation++;
	pthread_mutex_unlock(&c->lock);
}

void kvcache_clear(struct kvcache *c)
{
	pthread_mutex_lock(&c->lock);
	for (size_t b = 0; b < c->n_buckets; b++)
		while (c->buckets[b] >= 0)
			release(c, &c->buckets[b], c->buckets[b]);
	c->generation++;
	pthread_mutex_unlock(&c->lock);
}

size_t kvcache_count(struct kvcache *c)
{
	pthread_mutex_lock(&c->lock);
	size_t n = c->count;
	pthread_mutex_unlock(&c->lock);
	return n;
}

void kvcache_free(struct kvcache *c)
{
	if (!c)
		return;
	kvcache_clear(c);
	pthread_mutex_destroy(&c->lock);
	free(c->buckets);
	free(c->entries);
	free(c);
}
