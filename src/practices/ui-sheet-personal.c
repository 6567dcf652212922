/* A signed-in reader's own parts of a shared practice sheet (the route's
 * personal hook, http/router.h): their follow button and their
 * organisation's reuse declaration, around the body every member with
 * their roles shares. Runs on every signed-in view, so it reads a small
 * per-process copy of the few fields it needs, not the whole document. */
#include <pthread.h>
#include <string.h>

#include "accounts/user.h"
#include "core/xalloc.h"
#include "db/doc.h"
#include "http/page_cache.h"
#include "http/params.h"
#include "practices/catalogue.h"
#include "practices/sheet.h"
#include "practices/ui.h"
#include "view/page.h"

/* What the reader's parts need of a published practice. */
static const char *const FACT_FIELDS[] = {
	"_id", "slug", "status", "author_id", "organisation_ids", "adopters", "reuse_count",
	"comments_stamp",
};

enum { FACTS_SLOTS = 256 };

/* Direct-mapped by slug; an entry holds while the page cache's generation
 * has not moved (it moves whenever the catalogue takes in a change, or
 * this process writes) and for PAGE_CACHE_TTL_MS at most, like the shared
 * body it goes with. */
static struct {
	pthread_mutex_t lock;
	struct facts_slot {
		char *slug;
		uint64_t gen, at_ms;
		json_t *facts; /* read-only once kept */
	} slots[FACTS_SLOTS];
} memo = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* Returns slug's slot (FNV-1a). */
static struct facts_slot *slot_of(const char *slug)
{
	uint64_t h = 1469598103934665603u;
	for (const unsigned char *p = (const unsigned char *)slug; *p; p++)
		h = (h ^ *p) * 1099511628211u;
	return &memo.slots[h % FACTS_SLOTS];
}

/* Returns the facts of the published practice slug (new reference), or
 * NULL when it is not published. */
static json_t *facts_of(struct request *req, const char *slug)
{
	uint64_t gen = page_cache_generation(), now = (uint64_t)doc_now_ms();
	struct facts_slot *s = slot_of(slug);
	json_t *facts = NULL;
	pthread_mutex_lock(&memo.lock);
	if (s->facts && s->gen == gen && now - s->at_ms < PAGE_CACHE_TTL_MS &&
	    strcmp(s->slug, slug) == 0)
		facts = json_incref(s->facts);
	pthread_mutex_unlock(&memo.lock);
	if (facts)
		return facts;
	json_t *p = catalogue_get(req, slug);
	if (!p)
		return NULL;
	facts = json_object();
	for (size_t i = 0; i < sizeof(FACT_FIELDS) / sizeof(*FACT_FIELDS); i++) {
		json_t *v = json_object_get(p, FACT_FIELDS[i]);
		if (v)
			json_object_set(facts, FACT_FIELDS[i], v);
	}
	json_decref(p);
	pthread_mutex_lock(&memo.lock);
	json_decref(s->facts);
	free(s->slug);
	*s = (struct facts_slot){xstrdup(slug), gen, now, json_incref(facts)};
	pthread_mutex_unlock(&memo.lock);
	return facts;
}

int practices_sheet_personal(struct request *req)
{
	json_t *p = facts_of(req, param_get(req->route_params, "slug"));
	/* Unpublished: only its author and the coordination see it, built
	 * for them. The author's own sheet is theirs alone too. */
	if (!p)
		return 1;
	json_t *data = json_object();
	int rc = 1;
	if (strcmp(json_str(p, "author_id"), req->user->id) != 0 &&
	    reuse_sheet_data(req, p, data) == 0 && conversation_sheet_personal(req, p, data) == 0)
		rc = page_fragments(req, data, (const char *const[]){"practices/follow",
								     "practices/reuse_mine", NULL})
			? 1 : 0;
	json_decref(data);
	json_decref(p);
	return rc;
}
