/* The search engine as another feature would use it: its own schema
 * (teams of a hackathon: name and pitch, facets edition and status), its
 * own facet names and rank, independent of cousiSTORE's adapter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "search/index.h"

static const struct search_schema TEAMS = {
	.n_fields = 2,
	.fields = {{4.0f, 0.3f}, {1.0f, 0.75f}},
	.n_facets = 2,
	.facet_names = {"edition", "status"},
};

/* Adds team n (id "00..0n") with its words, edition, status, date and votes. */
static void put_team(struct search_index *ix, int n, const char *name, const char *pitch,
		     const char *edition, const char *status, int64_t date, int votes)
{
	char id[25];
	snprintf(id, sizeof(id), "%024d", n);
	const char *ed[] = {edition}, *st[] = {status};
	struct search_doc d = {
		.id = id,
		.fields = {name, pitch},
		.facets = {{ed, 1}, {st, 1}},
		.date_ms = date,
		.rank = votes,
	};
	assert_int_equal(search_index_put(ix, &d), 0);
}

/* Runs q and returns the page's team numbers as "n,n" in arena a. */
static const char *ranked(struct search_index *ix, struct arena *a, struct search_query q,
			  struct search_result *r)
{
	q.page = 1;
	q.page_size = 10;
	assert_int_equal(search_run(ix, &q, a, r), 0);
	char *s = arena_alloc(a, r->n_ids * 4 + 1), *p = s;
	*p = '\0';
	for (size_t i = 0; i < r->n_ids; i++)
		p += sprintf(p, i ? ",%d" : "%d", atoi(r->ids[i]));
	return s;
}

static void another_schema_searches_its_own_fields_and_facets(void **state)
{
	(void)state;
	struct search_index *ix = search_index_new(&TEAMS);
	struct arena *a = arena_new();
	put_team(ix, 1, "Les Covoitureurs", "Un service de co-voiturage entre agents", "2026",
		 "inscrite", 100, 3);
	put_team(ix, 2, "Dossiers sans papier", "Numériser les pièces justificatives", "2026",
		 "retenue", 200, 9);
	put_team(ix, 3, "Accueil augmenté", "Le covoiturage vers les accueils ruraux", "2025",
		 "retenue", 300, 1);

	struct search_result r;
	/* Name first: a word in the name outranks the same word in a pitch. */
	assert_string_equal(ranked(ix, a, (struct search_query){.q = "covoitureurs"}, &r), "1");
	/* The hyphenated compound matches the word written whole. */
	assert_string_equal(
		ranked(ix, a, (struct search_query){.q = "covoiturage", .sort = SEARCH_SORT_NEWEST},
		       &r),
		"3,1");
	assert_string_equal(r.facets[0].name, "edition");
	assert_string_equal(r.facets[1].name, "status");
	assert_null(r.facets[2].name); /* the schema has two dimensions */
	assert_int_equal(r.facets[0].n, 2);

	/* A facet's own filter does not narrow its own counts. */
	ranked(ix, a, (struct search_query){.filters = {"2026"}}, &r);
	assert_int_equal(r.total, 2);
	assert_int_equal(r.facets[0].n, 2);
	assert_string_equal(r.facets[1].counts[0].value, "inscrite");

	/* The feature's rank key (votes here), then newest. */
	assert_string_equal(ranked(ix, a, (struct search_query){.sort = SEARCH_SORT_RANK}, &r),
			    "2,1,3");
	assert_string_equal(ranked(ix, a, (struct search_query){.q = NULL}, &r), "3,2,1");
	/* Typos and plurals are the engine's, so every feature has them. */
	assert_string_equal(ranked(ix, a, (struct search_query){.q = "numeriser piece"}, &r), "2");
	assert_string_equal(ranked(ix, a, (struct search_query){.q = "dossier papiers"}, &r), "2");
	ranked(ix, a, (struct search_query){.q = "acceuil"}, &r);
	assert_string_equal(r.suggestion, "accueil");

	arena_free(a);
	search_index_free(ix);
}

/* A document whose first dimension has more values than a document may
 * keep still counts in the next one. */
static void every_dimension_keeps_a_value(void **state)
{
	(void)state;
	struct search_index *ix = search_index_new(&TEAMS);
	struct arena *a = arena_new();
	enum { MANY = 300 };
	const char *editions[MANY];
	for (int i = 0; i < MANY; i++)
		editions[i] = arena_printf(a, "e%03d", i);
	const char *st[] = {"retenue"};
	struct search_doc d = {.id = "000000000000000000000001",
			       .fields = {"Equipe"},
			       .facets = {{editions, MANY}, {st, 1}}};
	assert_int_equal(search_index_put(ix, &d), 0);
	struct search_result r;
	ranked(ix, a, (struct search_query){.q = "equipe"}, &r);
	assert_int_equal(r.facets[0].n, 254);
	assert_int_equal(r.facets[1].n, 1);
	assert_string_equal(r.facets[1].counts[0].value, "retenue");
	arena_free(a);
	search_index_free(ix);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(another_schema_searches_its_own_fields_and_facets),
		cmocka_unit_test(every_dimension_keeps_a_value),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
