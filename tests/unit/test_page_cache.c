/* The page cache: what it keeps, for how long, and what it refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "http/page_cache.h"
#include "http/reply.h"

enum { T0 = 1000000 };

/* A request as a handler leaves it: 200, a body, one extra header. */
static struct request *built(const char *body)
{
	struct arena *a = arena_new();
	struct request *req = arena_alloc(a, sizeof(*req));
	req->arena = a;
	req->res.status = 200;
	req->res.content_type = "text/html; charset=utf-8";
	buf_puts(&req->res.body, body);
	reply_header(req, "Content-Language", "fr");
	reply_header(req, "Link", "</pratiques>; rel=up");
	return req;
}

/* An empty request to be answered from the cache. */
static struct request *asking(void)
{
	return built("");
}

static void request_free(struct request *req)
{
	buf_free(&req->res.body);
	arena_free(req->arena);
}

static void a_kept_reply_comes_back_whole(void **state)
{
	(void)state;
	uint64_t gen = page_cache_generation();
	struct request *req = built("<p>vingt pratiques</p>");
	page_cache_keep(req, "GET http://x/pratiques", gen, T0);
	struct request *again = asking();
	again->res.headers = NULL;
	assert_true(page_cache_fetch(again, "GET http://x/pratiques", gen, T0 + 10));
	assert_int_equal(again->res.status, 200);
	assert_string_equal(again->res.content_type, "text/html; charset=utf-8");
	assert_string_equal(again->res.body.data, "<p>vingt pratiques</p>");
	const struct header *h = again->res.headers;
	assert_non_null(h);
	assert_non_null(h->next);
	assert_null(h->next->next);
	/* Same headers, same order. */
	assert_string_equal(h->name, req->res.headers->name);
	assert_string_equal(h->next->name, req->res.headers->next->name);
	assert_false(page_cache_fetch(again, "GET http://x/pratiques?page=2", gen, T0 + 10));
	request_free(again);
	request_free(req);
}

static void a_reply_goes_stale_with_time_or_a_change(void **state)
{
	(void)state;
	uint64_t gen = page_cache_generation();
	struct request *req = built("fiche");
	page_cache_keep(req, "GET http://x/pratiques/a", gen, T0);
	struct request *again = asking();
	assert_true(page_cache_fetch(again, "GET http://x/pratiques/a", gen,
				     T0 + PAGE_CACHE_TTL_MS - 1));
	assert_false(page_cache_fetch(again, "GET http://x/pratiques/a", gen,
				      T0 + PAGE_CACHE_TTL_MS));
	page_cache_keep(req, "GET http://x/pratiques/a", gen, T0);
	page_cache_bump();
	assert_int_equal(page_cache_generation(), gen + 1);
	assert_false(page_cache_fetch(again, "GET http://x/pratiques/a",
				      page_cache_generation(), T0 + 1));
	request_free(again);
	request_free(req);
}

static void personal_failed_or_huge_replies_are_not_kept(void **state)
{
	(void)state;
	uint64_t gen = page_cache_generation();
	struct request *again = asking();

	struct request *cookie = built("avec jeton");
	reply_header(cookie, "Set-Cookie", "csrf=0123; Path=/");
	page_cache_keep(cookie, "GET http://x/cookie", gen, T0);
	assert_false(page_cache_fetch(again, "GET http://x/cookie", gen, T0));
	request_free(cookie);

	struct request *missing = built("introuvable");
	missing->res.status = 404;
	page_cache_keep(missing, "GET http://x/404", gen, T0);
	assert_false(page_cache_fetch(again, "GET http://x/404", gen, T0));
	request_free(missing);

	struct request *huge = built("");
	char *big = malloc(PAGE_CACHE_ENTRY_MAX + 2);
	memset(big, 'x', PAGE_CACHE_ENTRY_MAX + 1);
	big[PAGE_CACHE_ENTRY_MAX + 1] = '\0';
	buf_puts(&huge->res.body, big);
	free(big);
	page_cache_keep(huge, "GET http://x/huge", gen, T0);
	assert_false(page_cache_fetch(again, "GET http://x/huge", gen, T0));
	request_free(huge);
	request_free(again);
}

/* Filling the budget with live replies refuses more; once they are stale
 * they make room. */
static void the_byte_budget_holds(void **state)
{
	(void)state;
	page_cache_bump();
	uint64_t gen = page_cache_generation();
	size_t size = PAGE_CACHE_ENTRY_MAX - 1024;
	char *text = malloc(size + 1);
	memset(text, 'p', size);
	text[size] = '\0';
	struct request *req = built(text);
	free(text);
	char key[64];
	int attempts = 2 * PAGE_CACHE_BUDGET / PAGE_CACHE_ENTRY_MAX, refused = 0;
	struct request *again = asking();
	for (int i = 0; i < attempts; i++) {
		snprintf(key, sizeof(key), "GET http://x/budget/%d", i);
		page_cache_keep(req, key, gen, T0);
		refused += !page_cache_fetch(again, key, gen, T0);
	}
	size_t kept = 0;
	for (int i = 0; i < attempts; i++) {
		snprintf(key, sizeof(key), "GET http://x/budget/%d", i);
		kept += page_cache_fetch(again, key, gen, T0);
	}
	assert_true(refused > 0);
	assert_true(kept > 0);
	assert_true(kept <= PAGE_CACHE_BUDGET / size);
	/* Later, the old ones are stale: a new reply finds room. */
	snprintf(key, sizeof(key), "GET http://x/budget/late");
	page_cache_keep(req, key, gen, T0 + PAGE_CACHE_TTL_MS);
	assert_true(page_cache_fetch(again, key, gen, T0 + PAGE_CACHE_TTL_MS));
	request_free(again);
	request_free(req);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_kept_reply_comes_back_whole),
		cmocka_unit_test(a_reply_goes_stale_with_time_or_a_change),
		cmocka_unit_test(personal_failed_or_huge_replies_are_not_kept),
		cmocka_unit_test(the_byte_budget_holds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
