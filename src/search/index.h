/* In-process full-text and faceted search over any feature's documents.
 *
 * The database cannot do $text and scans collections, so search runs here:
 * a term dictionary kept sorted (a prefix is a binary-search range) with
 * compact postings, updated one document at a time. A feature describes
 * its documents once (a schema: weighted text fields, facet dimensions)
 * and feeds the index through an adapter of its own (practices/search.h
 * for cousiSTORE). One index serves every request thread: search_run
 * takes a read lock, put/remove a write lock (writers preferred), so a
 * reader never sees a half-updated document. Text is French: see
 * search/tokenize.h for folding, stopwords, plurals and compounds. */
#ifndef COUSILAB_SEARCH_INDEX_H
#define COUSILAB_SEARCH_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

/* Text fields and facet dimensions a schema may have: postings pack 2 bits
 * of term frequency per field into 32 bits with the document's ordinal. */
enum { SEARCH_FIELDS_MAX = 5, SEARCH_FACETS_MAX = 8 };

/* How a feature's documents are searched. Static data, outliving its
 * indexes. */
struct search_schema {
	size_t n_fields; /* 1..SEARCH_FIELDS_MAX */
	/* Field 0 is the title: a title holding every word of a query ranks
	 * higher. weight: how much a word found there counts (BM25F);
	 * length_norm: 0..1, how much a long field dilutes it. */
	struct {
		float weight, length_norm;
	} fields[SEARCH_FIELDS_MAX];
	size_t n_facets;                            /* 0..SEARCH_FACETS_MAX */
	const char *facet_names[SEARCH_FACETS_MAX]; /* as search_result reports them */
};

/* The values of one document in one facet dimension; NULL and "" are
 * skipped, repeats count once. */
struct search_values {
	const char *const *v;
	size_t n;
};

/* What the index keeps of a document: its id, the words of its fields
 * (not the text), its facet values and its sort keys. Strings are UTF-8
 * (bad bytes separate words); NULL counts as empty. */
struct search_doc {
	const char *id; /* 24 lowercase hex digits, as ObjectIds print */
	const char *fields[SEARCH_FIELDS_MAX];
	struct search_values facets[SEARCH_FACETS_MAX];
	int64_t date_ms; /* SEARCH_SORT_NEWEST, and every tie */
	int32_t rank;    /* SEARCH_SORT_RANK: a count the feature ranks by (reuses) */
};

struct search_index;

/* Returns a new empty index of documents shaped by schema (kept by
 * pointer), owned by the caller (search_index_free). Allocates; aborts on
 * out-of-memory. */
struct search_index *search_index_new(const struct search_schema *schema);

/* Frees ix and everything it holds; NULL is fine. No search may be running. */
void search_index_free(struct search_index *ix);

/* Adds d, or replaces the document with the same id. Returns 0, or -1
 * when d->id is malformed (or 4 million documents are indexed). Costs
 * O(size of d + log N), plus a memmove of the dictionary's pointers per
 * word never seen before and, once per N/4 updates, a compaction of what
 * was replaced or removed (O(index size), under the write lock). A
 * document keeps 255 facet values at most; past that, each later
 * dimension still keeps its first value. */
int search_index_put(struct search_index *ix, const struct search_doc *d);

/* Removes the document with that id; unknown ids are ignored. */
void search_index_remove(struct search_index *ix, const char *id);

/* Returns the number of documents indexed. */
size_t search_index_size(const struct search_index *ix);

enum search_sort { SEARCH_SORT_RELEVANCE, SEARCH_SORT_NEWEST, SEARCH_SORT_RANK };

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
	/* Exact value wanted per facet dimension (schema order); NULL or ""
	 * = any. */
	const char *filters[SEARCH_FACETS_MAX];
	enum search_sort sort; /* relevance is newest first when q has no word */
	size_t page;           /* from 1 */
	size_t page_size;      /* 1..SEARCH_PAGE_MAX */
};

struct search_facet_count {
	const char *value;
	size_t count;
};

struct search_facet {
	const char *name;                  /* the schema's */
	struct search_facet_count *counts; /* count > 0 only; by count desc, then value */
	size_t n;
};

struct search_result {
	size_t n_terms; /* searchable words in q: 0 means browsing, newest first */
	/* When a word of q matched nothing as typed and was taken for a word one
	 * edit away: q folded, with those words corrected (to run as the new q);
	 * else NULL. */
	const char *suggestion;
	size_t total;     /* matches after filters */
	const char **ids; /* the page: ties broken by newest then id, so pages are stable */
	size_t n_ids;
	/* Per dimension of the schema, counts over the text matches with the
	 * OTHER filters applied: a facet's own filter does not restrict its
	 * own counts. */
	struct search_facet facets[SEARCH_FACETS_MAX];
};

/* Runs q over ix. Returns 0 with *out filled, everything in it allocated in
 * arena a, or -1 (*out zeroed) for an invalid query: page 0, page_size 0 or
 * above SEARCH_PAGE_MAX. A page past the end is empty, not an error. */
int search_run(struct search_index *ix, const struct search_query *q, struct arena *a,
	       struct search_result *out);

#endif
