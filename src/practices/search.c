/* cousiSTORE's search schema and its translation to the engine's
 * documents and queries (see search.h). */
#include "practices/search.h"

/* Title first; the theme and organisation names weigh like the toolbox,
 * between the summary and the description, which may be long and so
 * dilutes most. */
static const struct search_schema PRACTICE_SCHEMA = {
	.n_fields = 5,
	.fields = {{6.0f, 0.3f}, {3.0f, 0.5f}, {2.0f, 0.3f}, {2.0f, 0.5f}, {1.0f, 0.75f}},
	.n_facets = PRACTICE_FACET_COUNT,
	.facet_names =
		{
			[PRACTICE_FACET_THEME] = "theme",
			[PRACTICE_FACET_BRANCH] = "branch",
			[PRACTICE_FACET_ORGANISATION] = "organisation",
			[PRACTICE_FACET_REGION] = "region",
			[PRACTICE_FACET_MATURITY] = "maturity",
			[PRACTICE_FACET_HAS_TOOLBOX] = "has_toolbox",
		},
};

static const char *const TRUE_VALUE[] = {"true"}, *const FALSE_VALUE[] = {"false"};

struct search_index *practice_index_new(void)
{
	return search_index_new(&PRACTICE_SCHEMA);
}

int practice_index_put(struct search_index *ix, const struct practice_entry *e)
{
	struct search_doc d = {
		.id = e->id,
		.fields = {e->title, e->summary, e->labels_text, e->toolbox_text, e->description},
		.facets =
			{
				[PRACTICE_FACET_THEME] = {e->themes, e->n_themes},
				[PRACTICE_FACET_BRANCH] = {e->branches, e->n_branches},
				[PRACTICE_FACET_ORGANISATION] = {e->organisations, e->n_orgs},
				[PRACTICE_FACET_REGION] = {e->regions, e->n_regions},
				[PRACTICE_FACET_MATURITY] = {&e->maturity, 1},
				[PRACTICE_FACET_HAS_TOOLBOX] = {e->has_toolbox ? TRUE_VALUE
									       : FALSE_VALUE,
								1},
			},
		.date_ms = e->published_ms,
		.rank = e->reuse_count,
	};
	return search_index_put(ix, &d);
}

int practice_index_run(struct search_index *ix, const struct practice_query *q, struct arena *a,
		       struct search_result *out)
{
	struct search_query sq = {
		.q = q->q,
		.filters =
			{
				[PRACTICE_FACET_THEME] = q->theme,
				[PRACTICE_FACET_BRANCH] = q->branch,
				[PRACTICE_FACET_ORGANISATION] = q->organisation,
				[PRACTICE_FACET_REGION] = q->region,
				[PRACTICE_FACET_MATURITY] = q->maturity,
				[PRACTICE_FACET_HAS_TOOLBOX] = q->has_toolbox < 0 ? NULL
							       : q->has_toolbox   ? "true"
										  : "false",
			},
		.sort = q->sort,
		.page = q->page,
		.page_size = q->page_size,
	};
	return search_run(ix, &sq, a, out);
}
