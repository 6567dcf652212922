/* The bounded table behind the in-process caches of sessions and users:
 * what it returns, what it evicts when full, and the generation that keeps
 * a value read before a change from being stored after it. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/kvcache.h"

enum { T0 = 1000000, AGE = 60000 };

/* Puts text under key at the current generation. */
static bool put(struct kvcache *c, const char *key, const char *text, int64_t now)
{
	return kvcache_put(c, key, text, strlen(text) + 1, kvcache_generation(c), now);
}

/* Asserts that key holds text at now. */
static void assert_holds(struct kvcache *c, const char *key, const char *text, int64_t now)
{
	size_t len = 0;
	char *v = kvcache_get(c, key, now, &len);
	assert_non_null(v);
	assert_int_equal(len, strlen(text) + 1);
	assert_string_equal(v, text);
	free(v);
}

static void assert_absent(struct kvcache *c, const char *key, int64_t now)
{
	size_t len;
	assert_null(kvcache_get(c, key, now, &len));
}

static void returns_copies_and_replaces(void **state)
{
	(void)state;
	struct kvcache *c = kvcache_new(4, 100, AGE);
	assert_absent(c, "users/a", T0);
	assert_true(put(c, "users/a", "alice", T0));
	assert_true(put(c, "sessions/a", "other", T0));
	assert_holds(c, "users/a", "alice", T0);
	assert_true(put(c, "users/a", "alice v2", T0));
	assert_holds(c, "users/a", "alice v2", T0);
	assert_int_equal(kvcache_count(c), 2);
	kvcache_free(c);
}

static void refuses_values_too_large(void **state)
{
	(void)state;
	struct kvcache *c = kvcache_new(4, 8, AGE);
	assert_false(put(c, "k", "far too long for it", T0));
	assert_absent(c, "k", T0);
	assert_int_equal(kvcache_count(c), 0);
	kvcache_free(c);
}

static void forgets_entries_past_their_age(void **state)
{
	(void)state;
	struct kvcache *c = kvcache_new(4, 100, AGE);
	assert_true(put(c, "k", "v", T0));
	assert_holds(c, "k", "v", T0 + AGE);
	assert_absent(c, "k", T0 + AGE + 1);
	assert_int_equal(kvcache_count(c), 0);
	kvcache_free(c);
}

/* Full, it keeps the entries read since the hand last passed and evicts
 * one that was not: never grows past its capacity. */
static void evicts_an_unread_entry_when_full(void **state)
{
	(void)state;
	struct kvcache *c = kvcache_new(3, 100, AGE);
	assert_true(put(c, "a", "1", T0));
	assert_true(put(c, "b", "2", T0));
	assert_true(put(c, "c", "3", T0));
	/* First sweep: every bit is clear, the hand takes the first slot. */
	assert_true(put(c, "d", "4", T0));
	assert_int_equal(kvcache_count(c), 3);
	assert_absent(c, "a", T0);
	/* b is read, c is not: c goes next, b stays. */
	assert_holds(c, "b", "2", T0);
	assert_true(put(c, "e", "5", T0));
	assert_int_equal(kvcache_count(c), 3);
	assert_holds(c, "b", "2", T0);
	assert_absent(c, "c", T0);
	assert_holds(c, "d", "4", T0);
	assert_holds(c, "e", "5", T0);
	kvcache_free(c);
}

/* A value loaded before a drop (a change logged meanwhile) is refused. */
static void refuses_a_put_from_before_a_drop(void **state)
{
	(void)state;
	struct kvcache *c = kvcache_new(4, 100, AGE);
	uint64_t before = kvcache_generation(c);
	kvcache_drop(c, "sessions/x");
	assert_false(kvcache_put(c, "sessions/x", "stale", 6, before, T0));
	assert_absent(c, "sessions/x", T0);
	assert_true(put(c, "sessions/x", "fresh", T0));
	before = kvcache_generation(c);
	kvcache_clear(c);
	assert_int_equal(kvcache_count(c), 0);
	assert_false(kvcache_put(c, "sessions/y", "stale", 6, before, T0));
	kvcache_free(c);
}

/* Many keys through a small table: chains and the free list stay sound. */
static void survives_churn(void **state)
{
	(void)state;
	struct kvcache *c = kvcache_new(16, 100, AGE);
	char key[32], value[32];
	for (int i = 0; i < 2000; i++) {
		snprintf(key, sizeof(key), "k%d", i % 97);
		snprintf(value, sizeof(value), "v%d", i);
		assert_true(put(c, key, value, T0));
		assert_holds(c, key, value, T0);
		if (i % 7 == 0)
			kvcache_drop(c, key);
		assert_true(kvcache_count(c) <= 16);
	}
	kvcache_free(c);
}

struct worker {
	struct kvcache *c;
	int id;
};

static void *hammer(void *arg)
{
	struct worker *w = arg;
	char key[32], value[32];
	for (int i = 0; i < 20000; i++) {
		snprintf(key, sizeof(key), "k%d", (i * 31 + w->id) % 200);
		snprintf(value, sizeof(value), "%s", key);
		if (i % 3 == 0) {
			put(w->c, key, value, T0);
		} else if (i % 11 == 0) {
			kvcache_drop(w->c, key);
		} else {
			size_t len;
			char *v = kvcache_get(w->c, key, T0, &len);
			/* A key never holds another key's value. */
			if (v && strcmp(v, key) != 0)
				abort();
			free(v);
		}
	}
	return NULL;
}

/* Eight threads, like the app's workers: no torn entries, bound kept. */
static void is_safe_across_threads(void **state)
{
	(void)state;
	struct kvcache *c = kvcache_new(64, 100, AGE);
	pthread_t threads[8];
	struct worker workers[8];
	for (int i = 0; i < 8; i++) {
		workers[i] = (struct worker){c, i};
		assert_int_equal(pthread_create(&threads[i], NULL, hammer, &workers[i]), 0);
	}
	for (int i = 0; i < 8; i++)
		pthread_join(threads[i], NULL);
	assert_true(kvcache_count(c) <= 64);
	kvcache_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(returns_copies_and_replaces),
		cmocka_unit_test(refuses_values_too_large),
		cmocka_unit_test(forgets_entries_past_their_age),
		cmocka_unit_test(evicts_an_unread_entry_when_full),
		cmocka_unit_test(refuses_a_put_from_before_a_drop),
		cmocka_unit_test(survives_churn),
		cmocka_unit_test(is_safe_across_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
