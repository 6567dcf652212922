/* A signed-in reader's own parts of a shared practice sheet (the route's
 * personal hook, web/router.h): their follow button and their
 * organisation's reuse declaration, around the body every member with
 * their roles shares. Runs on every signed-in view, so it reads a small
 * per-process copy of the few fields it needs, not the whole document. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/user.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/kvcache.h"
#include "db/doc.h"
#include "http/page_cache.h"
#include "http/params.h"
#include "practices/catalogue.h"
#include "practices/sheet.h"
#include "practices/ui.h"
#include "web/page.h"

/* What the reader's parts need of a published practice. */
static const char *const FACT_FIELDS[] = {
	"_id",      "slug",        "status",         "author_id", "organisation_ids",
	"adopters", "reuse_count", "comments_stamp",
};

enum { FACTS_ENTRIES = 1024, FACTS_MAX = 64 * 1024 };

/* Their compact JSON by "<page cache generation>:<slug>": an entry holds
 * while the generation has not moved (it moves whenever the catalogue
 * takes in a change, or this process writes) and PAGE_CACHE_TTL_MS at
 * most, like the shared body it goes with. */
static pthread_once_t memo_once = PTHREAD_ONCE_INIT;
static struct kvcache *memo;

static void memo_init(void)
{
	memo = kvcache_new(FACTS_ENTRIES, FACTS_MAX, PAGE_CACHE_TTL_MS);
}

/* Returns the facts of the published practice slug (owned by the
 * request's arena), or NULL when it is not published. */
static json_t *facts_of(struct request *req, const char *slug)
{
	pthread_once(&memo_once, memo_init);
	const char *key = arena_printf(req->arena, "%llu:%s",
				       (unsigned long long)page_cache_generation(), slug);
	size_t len;
	char *kept = kvcache_get(memo, key, doc_now_ms(), &len);
	json_t *facts = kept ? arena_json(req->arena, json_loadb(kept, len, 0, NULL)) : NULL;
	free(kept);
	if (facts)
		return facts;
	uint64_t gen = kvcache_generation(memo);
	json_t *p = arena_json(req->arena, catalogue_get(req, slug));
	if (!p)
		return NULL;
	facts = arena_json(req->arena, json_object());
	for (size_t i = 0; i < sizeof(FACT_FIELDS) / sizeof(*FACT_FIELDS); i++) {
		json_t *v = json_object_get(p, FACT_FIELDS[i]);
		if (v)
			json_object_set(facts, FACT_FIELDS[i], v);
	}
	char *text = json_dumps(facts, JSON_COMPACT);
	if (text)
		kvcache_put(memo, key, text, strlen(text), gen, doc_now_ms());
	free(text);
	return facts;
}

int practices_sheet_personal(struct request *req)
{
	json_t *p = facts_of(req, param_get(req->route_params, "slug"));
	/* Unpublished: only its author and the coordination see it, built
	 * for them. The author's own sheet is theirs alone too. */
	if (!p)
		return 1;
	json_t *data = arena_json(req->arena, json_object());
	if (strcmp(json_str(p, "author_id"), req->user->id) == 0 ||
	    reuse_sheet_data(req, p, data) || conversation_sheet_personal(req, p, data))
		return 1;
	return page_fragments(
		       req, data,
		       (const char *const[]){"comments/follow", "practices/reuse_mine", NULL})
		       ? 1
		       : 0;
}
