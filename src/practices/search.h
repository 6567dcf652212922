/* cousiSTORE's adapter to the search engine (search/index.h): which words
 * of a published practice are searched and how much each counts, which
 * facets the list page offers, and the query the pages speak. The
 * catalogue (catalogue.h) owns the one index of published practices. */
#ifndef COUSILAB_PRACTICE_SEARCH_H
#define COUSILAB_PRACTICE_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "search/index.h"

/* What the index needs from a published practice. Strings are UTF-8;
 * NULL counts as empty. */
struct practice_entry {
	const char *id; /* 24 lowercase hex digits, as ObjectIds print */
	const char *title, *summary, *description;
	const char *toolbox_text; /* resource titles joined by " " */
	/* Names of what it is filed under (theme and organisation names),
	 * joined by " ": searchable words, weighed between summary and toolbox. */
	const char *labels_text;
	const char *const *themes;
	size_t n_themes; /* theme codes: "rgpd" */
	const char *const *branches;
	size_t n_branches; /* "maladie", "famille"... */
	const char *const *organisations;
	size_t n_orgs; /* organisation codes */
	const char *const *regions;
	size_t n_regions;     /* French region names */
	const char *maturity; /* "idee", "experimentee", "deployee", "generalisee" */
	bool has_toolbox;
	int64_t published_ms;
	int reuse_count;
};

/* The facets of a practice search, in search_result.facets order; their
 * names are "theme", "branch", "organisation", "region", "maturity" and
 * "has_toolbox" (values "true" and "false"). */
enum practice_facet {
	PRACTICE_FACET_THEME,
	PRACTICE_FACET_BRANCH,
	PRACTICE_FACET_ORGANISATION,
	PRACTICE_FACET_REGION,
	PRACTICE_FACET_MATURITY,
	PRACTICE_FACET_HAS_TOOLBOX,
	PRACTICE_FACET_COUNT
};

/* The orders the pages offer: SEARCH_SORT_RANK ranks by reuses. */
#define PRACTICE_SORT_MOST_REUSED SEARCH_SORT_RANK

/* A search as the pages and the API ask it (see search_query for q,
 * sort and the page). */
struct practice_query {
	const char *q;
	const char *theme, *branch, *organisation, *region, *maturity; /* exact; NULL or "" = any */
	int has_toolbox;                                               /* -1 any, 0 no, 1 yes */
	enum search_sort sort; /* relevance is newest first when q has no word */
	size_t page;           /* from 1 */
	size_t page_size;      /* 1..SEARCH_PAGE_MAX */
};

/* Returns a new empty index of practices, owned by the caller
 * (search_index_free). Allocates. */
struct search_index *practice_index_new(void);

/* Adds e to ix, or replaces the practice with the same id. Returns 0, or
 * -1 when e->id is malformed (see search_index_put). */
int practice_index_put(struct search_index *ix, const struct practice_entry *e);

/* Runs q over ix, an index of practice_index_new. Returns what search_run
 * returns: 0 with *out in arena a, or -1 for an invalid page. */
int practice_index_run(struct search_index *ix, const struct practice_query *q, struct arena *a,
		       struct search_result *out);

#endif
