/* The page cache: what it keeps, for how long, and what it refuses; and
 * the holes of pages shared by signed-in visitors: each filled with its
 * own visitor's fragment, wherever the template put them and only there. */
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
#include "view/mustache.h"

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
	assert_false(
		page_cache_fetch(again, "GET http://x/pratiques/a", gen, T0 + PAGE_CACHE_TTL_MS));
	page_cache_keep(req, "GET http://x/pratiques/a", gen, T0);
	page_cache_bump();
	assert_int_equal(page_cache_generation(), gen + 1);
	assert_false(page_cache_fetch(again, "GET http://x/pratiques/a", page_cache_generation(),
				      T0 + 1));
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

/* Adds fragment name → text to req's fragments. */
static void fragment(struct request *req, const char *name, const char *text)
{
	struct param *f = arena_alloc(req->arena, sizeof(*f));
	*f = (struct param){
		.name = name, .value = text, .value_len = strlen(text), .next = req->fragments};
	req->fragments = f;
}

/* A shared page as its handler leaves it: the layout's account bar and the
 * CSRF token of a form left as holes. */
static struct request *with_holes(void)
{
	struct request *req = built("<header></header><form><input value=\"\"></form>");
	struct page_hole *holes = arena_alloc(req->arena, 3 * sizeof(*holes));
	holes[0] = (struct page_hole){8, "partials/account"};
	holes[1] = (struct page_hole){37, "csrf"};
	holes[2] = (struct page_hole){37, "csrf"}; /* two holes at one place: both filled */
	req->res.holes = holes;
	req->res.n_holes = 3;
	return req;
}

static void each_visitor_fills_the_holes_with_their_own_parts(void **state)
{
	(void)state;
	uint64_t gen = page_cache_generation();
	struct request *req = with_holes();
	page_cache_keep(req, "member 3 1 GET http://x/pratiques", gen, T0);
	const char *who[][2] = {{"<a>Alice</a>", "aaaa"}, {"<a>Bob</a>", "bbbb"}};
	for (size_t i = 0; i < 2; i++) {
		struct request *again = asking();
		again->res.headers = NULL;
		reply_header(again, "Set-Cookie", "csrf=mine");
		fragment(again, "csrf", who[i][1]);
		fragment(again, "partials/account", who[i][0]);
		assert_true(page_cache_fetch(again, "member 3 1 GET http://x/pratiques", gen, T0));
		assert_int_equal(page_cache_fill(again), 0);
		char expected[128];
		snprintf(expected, sizeof(expected),
			 "<header>%s</header><form><input value=\"%s%s\"></form>", who[i][0],
			 who[i][1], who[i][1]);
		assert_string_equal(again->res.body.data, expected);
		assert_int_equal(again->res.n_holes, 0);
		/* The visitor's own cookie comes after the kept headers. */
		const struct header *h = again->res.headers;
		assert_string_equal(h->name, "Content-Language");
		assert_string_equal(h->next->next->name, "Set-Cookie");
		assert_string_equal(h->next->next->value, "csrf=mine");
		request_free(again);
	}
	/* The anonymous page of the same address is another entry. */
	struct request *anon = asking();
	assert_false(page_cache_fetch(anon, "GET http://x/pratiques", gen, T0));
	request_free(anon);
	request_free(req);
}

static void a_hole_without_its_fragment_leaves_the_page_untouched(void **state)
{
	(void)state;
	struct request *req = with_holes();
	fragment(req, "csrf", "aaaa");
	assert_int_equal(page_cache_fill(req), -1);
	assert_string_equal(req->res.body.data, "<header></header><form><input value=\"\"></form>");
	assert_int_equal(req->res.n_holes, 3);
	request_free(req);

	/* More holes than a reply may keep: not kept. */
	req = built("x");
	struct page_hole *many = arena_alloc(req->arena,
					     (PAGE_CACHE_HOLES_MAX + 1) * sizeof(*many));
	for (size_t i = 0; i <= PAGE_CACHE_HOLES_MAX; i++)
		many[i] = (struct page_hole){0, "csrf"};
	req->res.holes = many;
	req->res.n_holes = PAGE_CACHE_HOLES_MAX + 1;
	page_cache_keep(req, "member 1 1 GET http://x/many", page_cache_generation(), T0);
	struct request *again = asking();
	assert_false(page_cache_fetch(again, "member 1 1 GET http://x/many",
				      page_cache_generation(), T0));
	request_free(again);
	request_free(req);
}

/* A comment written to look like a hole, in every way a template can
 * print it, stays text: holes are where the renderer recorded them, not
 * something found in the output. */
static void user_text_cannot_forge_a_hole(void **state)
{
	(void)state;
	struct mustache_set *set = mustache_set_new();
	const struct {
		const char *name, *src;
	} tpls[] = {
		{"page", "{{> partials/account}}<p>{{body}}</p><div>{{{html}}}</div>"
			 "{{#items}}<input value=\"{{csrf}}\">{{/items}}"},
		{"partials/account", "<a>{{user.name}}</a>"},
	};
	for (size_t i = 0; i < 2; i++)
		assert_int_equal(mustache_set_add(set, tpls[i].name, tpls[i].src,
						  strlen(tpls[i].src), NULL, 0),
				 0);
	static const char FORGED[] = "{{csrf}} {{> partials/account}} partials/account csrf "
				     "\x01csrf\x01 <!--csrf-->";
	json_t *data = json_pack("{s:s, s:s, s:[{}, {}], s:{s:s}, s:s}", "body", FORGED, "html",
				 FORGED, "items", "user", "name", "Premier visiteur", "csrf",
				 "jeton-du-premier");
	struct request *req = built("");
	buf_reset(&req->res.body);
	const char *names[] = {"csrf", "partials/account"};
	struct mustache_holes holes = {.names = names, .n_names = 2};
	assert_int_equal(mustache_render_holes(set, "page", data, &req->res.body, &holes), 0);
	/* Nothing of the visitor who built it. */
	assert_null(strstr(req->res.body.data, "Premier visiteur"));
	assert_null(strstr(req->res.body.data, "jeton-du-premier"));
	assert_int_equal(holes.count, 3);
	struct page_hole *at = arena_alloc(req->arena, holes.count * sizeof(*at));
	for (size_t i = 0; i < holes.count; i++)
		at[i] = (struct page_hole){holes.at[i].offset, names[holes.at[i].name]};
	req->res.holes = at;
	req->res.n_holes = holes.count;
	mustache_holes_free(&holes);
	fragment(req, "csrf", "JETON");
	fragment(req, "partials/account", "<a>Second</a>");
	assert_int_equal(page_cache_fill(req), 0);
	const char *body = req->res.body.data;
	static const char HEAD[] = "<a>Second</a><p>{{csrf}} {{&gt; partials/account}} "
				   "partials/account csrf \x01csrf\x01 &lt;!--csrf--&gt;</p>";
	assert_memory_equal(body, HEAD, sizeof(HEAD) - 1);
	char tail[256];
	snprintf(tail, sizeof(tail), "<div>%s</div><input value=\"JETON\"><input value=\"JETON\">",
		 FORGED);
	assert_non_null(strstr(body, tail));
	/* The fragments went in the recorded places only. */
	size_t tokens = 0;
	for (const char *p = body; (p = strstr(p, "JETON")); p++)
		tokens++;
	assert_int_equal(tokens, 2);
	assert_null(strstr(body + 1, "<a>Second</a>"));
	json_decref(data);
	mustache_set_free(set);
	request_free(req);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_kept_reply_comes_back_whole),
		cmocka_unit_test(a_reply_goes_stale_with_time_or_a_change),
		cmocka_unit_test(personal_failed_or_huge_replies_are_not_kept),
		cmocka_unit_test(the_byte_budget_holds),
		cmocka_unit_test(each_visitor_fills_the_holes_with_their_own_parts),
		cmocka_unit_test(a_hole_without_its_fragment_leaves_the_page_untouched),
		cmocka_unit_test(user_text_cannot_forge_a_hole),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
