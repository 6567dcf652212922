/* In-process full-text and faceted search over the published practices.
 *
 * The database cannot do $text and scans collections, so search runs here:
 * a term dictionary kept sorted (a prefix is a binary-search range) with
 * compact postings, updated one practice at a time. One index serves every
 * request thread: search_run takes a read lock, put/remove a write lock
 * (writers preferred), so a reader never sees a half-updated practice. */
#ifndef COUSILAB_SEARCH_INDEX_H
#define COUSILAB_SEARCH_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

/* What the index needs from a published practice. Strings are UTF-8 (bad
 * bytes separate words); NULL counts as empty. The index keeps the id, the
 * facet values and the words, not the text. */
struct practice_entry {
	const char *id; /* 24 lowercase hex digits, as ObjectIds print */
	const char *title, *summary, *description;
	const char *toolbox_text; /* resource titles joined by " " */
	/* Names of what it is filed under (theme and organisation names),
	 * joined by " ": searchable words, weighed between summary and toolbox. */
	const char *labels_text;
	const char *const *themes;        size_t n_themes;   /* theme codes: "rgpd" */
	const char *const *branches;      size_t n_branches; /* "maladie", "famille"... */
	const char *const *organisations; size_t n_orgs;     /* organisation codes */
	const char *const *regions;       size_t n_regions;  /* French region names */
	const char *maturity; /* "idee", "experimentee", "deployee", "generalisee" */
	bool has_toolbox;
	int64_t published_ms;
	int reuse_count;
};

struct search_index;

/* Returns a new empty index, owned by the caller (search_index_free).
 * Allocates; aborts on out-of-memory. */
struct search_index *search_index_new(void);

/* Frees ix and everything it holds; NULL is fine. No search may be running. */
void search_index_free(struct search_index *ix);

/* Adds e, or replaces the practice with the same id. Returns 0, or -1 when
 * e->id is malformed (or 4 million practices are indexed). Costs
 * O(size of e + log N), plus a memmove of the dictionary's pointers per
 * word never seen before and, once per N/4 updates, a compaction of what
 * was replaced or removed (O(index size), under the write lock). */
int search_index_put(struct search_index *ix, const struct practice_entry *e);

/* Removes the practice with that id; unknown ids are ignored. */
void search_index_remove(struct search_index *ix, const char *id);

/* Returns the number of practices indexed. */
size_t search_index_size(const struct search_index *ix);

enum search_sort { SORT_RELEVANCE, SORT_NEWEST, SORT_MOST_REUSED };

/* Query limits: a longer q is cut, never refused. */
enum { SEARCH_QUERY_MAX_BYTES = 200, SEARCH_QUERY_MAX_TERMS = 10, SEARCH_PAGE_MAX = 100 };

struct search_query {
	/* Free text; NULL or no searchable word lists everything. Every word
	 * must match (whole word, or its singular: see tokenize.h), the last
	 * one also as a prefix. A word of 5 letters or more that no document
	 * has matches the words one edit away (a letter missing, added,
	 * changed, or two swapped), ranked lower, and the result suggests the
	 * corrected query. */
	const char *q;
	const char *theme, *branch, *organisation, *region, *maturity; /* exact; NULL or "" = any */
	int has_toolbox;       /* -1 any, 0 no, 1 yes */
	enum search_sort sort; /* relevance is newest first when q has no word */
	size_t page;           /* from 1 */
	size_t page_size;      /* 1..SEARCH_PAGE_MAX */
};

struct facet_count {
	const char *value; /* has_toolbox: "true" or "false" */
	size_t count;
};

enum { FACET_THEME, FACET_BRANCH, FACET_ORGANISATION, FACET_REGION, FACET_MATURITY,
       FACET_HAS_TOOLBOX, FACET_COUNT };

struct facet {
	const char *name; /* "theme", "branch", "organisation", "region", "maturity", "has_toolbox" */
	struct facet_count *counts; /* count > 0 only; by count desc, then value */
	size_t n;
};

struct search_result {
	size_t n_terms;   /* searchable words in q: 0 means browsing, newest first */
	/* When a word of q matched nothing as typed and was taken for a word one
	 * edit away: q folded, with those words corrected (to run as the new q);
	 * else NULL. */
	const char *suggestion;
	size_t total;     /* matches after filters */
	const char **ids; /* the page: ties broken by newest then id, so pages are stable */
	size_t n_ids;
	/* Counts over the text matches with the OTHER filters applied: a
	 * facet's own filter does not restrict its own counts. */
	struct facet facets[FACET_COUNT];
};

/* Runs q over ix. Returns 0 with *out filled, everything in it allocated in
 * arena a, or -1 (*out zeroed) for an invalid query: page 0, page_size 0 or
 * above SEARCH_PAGE_MAX. A page past the end is empty, not an error. */
int search_run(struct search_index *ix, const struct search_query *q, struct arena *a,
	       struct search_result *out);

#endif
