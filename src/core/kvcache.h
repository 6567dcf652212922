/* A bounded, thread-safe table of byte strings by string key, for
 * in-process copies of database documents. At most `capacity` entries,
 * each at most `max_value` bytes and `max_age_ms` old: memory stays bounded
 * whatever the database holds. When full, a clock sweep evicts an entry not
 * read since the hand last passed it (an approximation of LRU that costs
 * one bit per entry and no list updates on reads).
 *
 * Callers keep it coherent with the database: a loader notes the
 * generation before reading the database and puts the result with it; any
 * drop or clear in between bumps the generation and the put is refused, so
 * a value read before a change can never be kept after the change was
 * applied. */
#ifndef COUSILAB_KVCACHE_H
#define COUSILAB_KVCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kvcache;

/* Returns a new empty table (caller frees with kvcache_free); capacity is
 * at least 1. Never NULL (aborts on OOM). */
struct kvcache *kvcache_new(size_t capacity, size_t max_value, int64_t max_age_ms);
void kvcache_free(struct kvcache *c);

/* Returns a heap copy of key's value (caller frees) with its length in
 * *len, or NULL when absent or older than max_age_ms at now_ms (then it is
 * dropped, which does not bump the generation: it changed nothing). */
void *kvcache_get(struct kvcache *c, const char *key, int64_t now_ms, size_t *len);

/* Returns the current generation, for a later kvcache_put. */
uint64_t kvcache_generation(struct kvcache *c);

/* Stores a copy of value under key, stamped now_ms, replacing any older
 * value and evicting another entry when full. Returns false, storing
 * nothing, when the generation moved past generation or the value is
 * larger than max_value. */
bool kvcache_put(struct kvcache *c, const char *key, const void *value, size_t len,
		 uint64_t generation, int64_t now_ms);

/* Drops key if present; always bumps the generation. */
void kvcache_drop(struct kvcache *c, const char *key);

/* Drops every entry and bumps the generation. */
void kvcache_clear(struct kvcache *c);

/* Returns the number of entries held. */
size_t kvcache_count(struct kvcache *c);

#endif
