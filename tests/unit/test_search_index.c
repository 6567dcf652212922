#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "practices/search.h"
#include "search/tokenize.h"

/* Ids "0000...0001" and so on, so that id order is number order. */
static const char *id_of(int n)
{
	static char ids[8][25];
	static unsigned next;
	char *id = ids[next++ % 8];
	snprintf(id, sizeof(ids[0]), "%024d", n);
	return id;
}

struct doc_spec {
	int n; /* id_of(n) */
	const char *title, *summary, *description, *toolbox;
	const char *theme, *branch, *org, *region, *maturity;
	bool toolbox_flag;
	int64_t published;
	int reuse;
	const char *labels;
};

static void put(struct search_index *ix, const struct doc_spec *s)
{
	const char *theme[] = {s->theme}, *branch[] = {s->branch}, *org[] = {s->org},
		   *region[] = {s->region};
	struct practice_entry e = {
		.id = id_of(s->n),
		.title = s->title,
		.summary = s->summary,
		.description = s->description,
		.toolbox_text = s->toolbox,
		.labels_text = s->labels,
		.themes = theme,
		.n_themes = s->theme ? 1 : 0,
		.branches = branch,
		.n_branches = s->branch ? 1 : 0,
		.organisations = org,
		.n_orgs = s->org ? 1 : 0,
		.regions = region,
		.n_regions = s->region ? 1 : 0,
		.maturity = s->maturity,
		.has_toolbox = s->toolbox_flag,
		.published_ms = s->published,
		.reuse_count = s->reuse,
	};
	assert_int_equal(practice_index_put(ix, &e), 0);
}

/* Runs q (page 1 of 100 unless set) and returns the result in arena a. */
static struct search_result run(struct search_index *ix, struct arena *a, struct practice_query q)
{
	struct search_result r;
	if (!q.page)
		q.page = 1;
	if (!q.page_size)
		q.page_size = 100;
	if (!q.has_toolbox)
		q.has_toolbox = -1; /* has_toolbox_filter calls search_run for 0 */
	assert_int_equal(practice_index_run(ix, &q, a, &r), 0);
	assert_true(r.n_ids <= q.page_size && r.n_ids <= r.total);
	return r;
}

/* Returns the page's ids as "n,n,n" (numbers from id_of). */
static const char *ids(struct arena *a, const struct search_result *r)
{
	char *s = arena_alloc(a, r->n_ids * 4 + 1), *p = s;
	for (size_t i = 0; i < r->n_ids; i++)
		p += sprintf(p, i ? ",%d" : "%d", atoi(r->ids[i]));
	return s;
}

static const char *search(struct search_index *ix, struct arena *a, const char *q)
{
	struct search_result r = run(ix, a, (struct practice_query){.q = q});
	return ids(a, &r);
}

/* Returns facet dim as "value=count value=count". */
static const char *facet(struct arena *a, const struct search_result *r, int dim)
{
	char *s = arena_alloc(a, 1024), *p = s;
	for (size_t i = 0; i < r->facets[dim].n; i++)
		p += sprintf(p, i ? " %s=%zu" : "%s=%zu", r->facets[dim].counts[i].value,
			     r->facets[dim].counts[i].count);
	return s;
}

static const struct doc_spec CORPUS[] = {
	{1, "Télétravail : une charte co-construite", "Encadrer le travail à distance",
	 "Une charte négociée avec les représentants du personnel.", "Modèle de charte",
	 "nouvelles-modalites", "maladie", "cpam31", "Occitanie", "deployee", true, 1000, 5, NULL},
	{2, "L'accueil des nouveaux arrivants", "Un parcours d'intégration en télétravail",
	 "Livret d'accueil, parrainage et visites.", "Livret", "recrutement", "famille", "caf31",
	 "Occitanie", "generalisee", true, 3000, 2, NULL},
	{3, "Plan de continuité d'activité", "Reprendre vite après une crise",
	 "Cellule de crise, astreintes et « télétravailleurs » équipés.", NULL, "continuite",
	 "retraite", "carsat-mp", "Occitanie", "experimentee", false, 2000, 9, NULL},
	{4, "Registre RGPD partagé", "Tenir le registre des traitements",
	 "Un registre commun aux caisses, avec charte de confidentialité.", "Tableur registre",
	 "rgpd", "maladie", "cpam31", "Bretagne", "idee", true, 4000, 0, NULL},
};

static struct search_index *corpus(void)
{
	struct search_index *ix = practice_index_new();
	for (size_t i = 0; i < sizeof(CORPUS) / sizeof(*CORPUS); i++)
		put(ix, &CORPUS[i]);
	assert_int_equal(search_index_size(ix), 4);
	return ix;
}

static void tokenizer_folds_splits_and_drops_stopwords(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	size_t n;
	struct search_token *t = search_tokenize(a, "L'Accueil — «Télétravail» d’été, 2024 a€b x",
						 100, &n, NULL);
	const char *want[] = {"l", "accueil", "teletravail", "d", "ete", "2024", "a", "b", "x"};
	const bool kept[] = {false, true, true, false, true, true, false, false, false};
	assert_int_equal(n, 9);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(t[i].len, strlen(want[i]));
		assert_memory_equal(t[i].s, want[i], t[i].len);
		assert_int_equal(t[i].kept, kept[i]);
	}
	t = search_tokenize(a, "les pour avec cœur", 100, &n, NULL);
	assert_int_equal(n, 4);
	assert_false(t[0].kept || t[1].kept || t[2].kept);
	assert_memory_equal(t[3].s, "coeur", 5);
	/* Over-long words are cut at a character boundary; bad bytes split. */
	t = search_tokenize(a, "中中中中中中中中中中中\xff\xc3zz", 100, &n, NULL);
	assert_int_equal(n, 2);
	assert_int_equal(t[0].len, 30);
	assert_int_equal(t[1].len, 2);
	assert_memory_equal(t[1].s, "zz", 2);
	t = search_tokenize(a, "un deux trois", 2, &n, NULL);
	assert_int_equal(n, 2);
	arena_free(a);
}

static void accents_and_case_do_not_matter(void **state)
{
	(void)state;
	struct search_index *ix = corpus();
	struct arena *a = arena_new();
	assert_string_equal(search(ix, a, "Télétravail"), search(ix, a, "teletravail"));
	/* The last word is a prefix: télétravailleurs (3) too. */
	assert_string_equal(search(ix, a, "TELETRAVAIL"), "1,2,3");
	assert_string_equal(search(ix, a, "continuité"), "3");
	assert_string_equal(search(ix, a, "l'accueil"), "2");
	assert_string_equal(search(ix, a, "ACCUEIL!"), "2");
	arena_free(a);
	search_index_free(ix);
}

static void last_word_is_a_prefix_others_whole(void **state)
{
	(void)state;
	struct search_index *ix = corpus();
	struct arena *a = arena_new();
	/* "télétra" reaches télétravail and télétravailleurs. */
	assert_string_equal(search(ix, a, "télétra"), "1,2,3");
	assert_string_equal(search(ix, a, "télétra charte"), "");
	assert_string_equal(search(ix, a, "charte télétra"), "1");
	assert_string_equal(search(ix, a, "regis"), "4");
	assert_string_equal(search(ix, a, "regis traitements"), "");
	/* A stopword typed last is dropped, not taken as a prefix. */
	assert_string_equal(search(ix, a, "crise de"), "3");
	arena_free(a);
	search_index_free(ix);
}

static void every_word_must_match(void **state)
{
	(void)state;
	struct search_index *ix = corpus();
	struct arena *a = arena_new();
	assert_string_equal(search(ix, a, "charte"), "1,4");
	assert_string_equal(search(ix, a, "charte registre"), "4");
	assert_string_equal(search(ix, a, "charte crise"), "");
	assert_string_equal(search(ix, a, "charte inconnu"), "");
	/* Words repeated, or in any order, are the same query. */
	assert_string_equal(search(ix, a, "registre charte charte"), "4");
	arena_free(a);
	search_index_free(ix);
}

static void title_outranks_summary_toolbox_description(void **state)
{
	(void)state;
	struct search_index *ix = practice_index_new();
	struct arena *a = arena_new();
	const char *filler = "Une démarche partagée entre caisses du réseau";
	/* Newest first would give 1,2,3,4: relevance must reverse it. */
	put(ix,
	    &(struct doc_spec){1, filler, filler, "ergonomie des postes", filler, .published = 4});
	put(ix, &(struct doc_spec){2, filler, filler, filler, "Guide ergonomie", .published = 3});
	put(ix,
	    &(struct doc_spec){3, filler, "Ergonomie des postes", filler, filler, .published = 2});
	put(ix,
	    &(struct doc_spec){4, "Ergonomie des postes", filler, filler, filler, .published = 1});
	assert_string_equal(search(ix, a, "ergonomie"), "4,3,2,1");
	assert_string_equal(search(ix, a, "ergo"), "4,3,2,1");
	/* "poste" is "postes": its title, nothing but the words, comes first. */
	put(ix,
	    &(struct doc_spec){5, "Ergonomie partagée", "caisses", "réseau", NULL, .published = 5});
	put(ix,
	    &(struct doc_spec){6, "Ergonomie du poste", "caisses", "réseau", NULL, .published = 6});
	assert_string_equal(search(ix, a, "ergonomie postes"), "6,4,3,1");
	/* A title that is exactly the query comes first. */
	put(ix, &(struct doc_spec){7, "Ergonomie", NULL, NULL, NULL, .published = 0});
	assert_int_equal(search(ix, a, "ergonomie")[0], '7');
	arena_free(a);
	search_index_free(ix);
}

static void filters_and_facet_counts(void **state)
{
	(void)state;
	struct search_index *ix = corpus();
	struct arena *a = arena_new();
	struct search_result r = run(ix, a, (struct practice_query){.q = "charte"});
	assert_int_equal(r.total, 2);
	assert_string_equal(r.facets[PRACTICE_FACET_THEME].name, "theme");
	assert_string_equal(facet(a, &r, PRACTICE_FACET_THEME), "nouvelles-modalites=1 rgpd=1");
	assert_string_equal(facet(a, &r, PRACTICE_FACET_BRANCH), "maladie=2");
	assert_string_equal(facet(a, &r, PRACTICE_FACET_REGION), "Bretagne=1 Occitanie=1");
	assert_string_equal(facet(a, &r, PRACTICE_FACET_HAS_TOOLBOX), "true=2");

	/* A facet's own filter leaves its counts alone; the others narrow it. */
	r = run(ix, a, (struct practice_query){.region = "Occitanie"});
	assert_string_equal(ids(a, &r), "2,3,1");
	assert_string_equal(facet(a, &r, PRACTICE_FACET_REGION), "Occitanie=3 Bretagne=1");
	assert_string_equal(facet(a, &r, PRACTICE_FACET_BRANCH), "famille=1 maladie=1 retraite=1");
	assert_string_equal(facet(a, &r, PRACTICE_FACET_HAS_TOOLBOX), "true=2 false=1");

	r = run(ix, a, (struct practice_query){.region = "Occitanie", .branch = "maladie"});
	assert_string_equal(ids(a, &r), "1");
	assert_string_equal(facet(a, &r, PRACTICE_FACET_REGION), "Bretagne=1 Occitanie=1");
	assert_string_equal(facet(a, &r, PRACTICE_FACET_BRANCH), "famille=1 maladie=1 retraite=1");
	assert_string_equal(facet(a, &r, PRACTICE_FACET_ORGANISATION), "cpam31=1");
	assert_string_equal(facet(a, &r, PRACTICE_FACET_MATURITY), "deployee=1");

	r = run(ix, a,
		(struct practice_query){
			.theme = "rgpd", .maturity = "idee", .organisation = "cpam31"});
	assert_string_equal(ids(a, &r), "4");
	/* Unknown values match nothing but still get the other facets. */
	r = run(ix, a, (struct practice_query){.theme = "inconnu"});
	assert_int_equal(r.total, 0);
	assert_string_equal(facet(a, &r, PRACTICE_FACET_THEME),
			    "continuite=1 nouvelles-modalites=1 recrutement=1 rgpd=1");
	assert_string_equal(facet(a, &r, PRACTICE_FACET_BRANCH), "");
	/* An empty filter is no filter. */
	r = run(ix, a, (struct practice_query){.theme = ""});
	assert_int_equal(r.total, 4);
	arena_free(a);
	search_index_free(ix);
}

static void has_toolbox_filter(void **state)
{
	(void)state;
	struct search_index *ix = corpus();
	struct arena *a = arena_new();
	struct practice_query q = {.page = 1, .page_size = 10, .has_toolbox = 0};
	struct search_result r;
	assert_int_equal(practice_index_run(ix, &q, a, &r), 0);
	assert_string_equal(ids(a, &r), "3");
	assert_string_equal(facet(a, &r, PRACTICE_FACET_HAS_TOOLBOX), "true=3 false=1");
	assert_string_equal(facet(a, &r, PRACTICE_FACET_THEME), "continuite=1");
	q.has_toolbox = 1;
	q.q = "télétravail";
	assert_int_equal(practice_index_run(ix, &q, a, &r), 0);
	assert_string_equal(ids(a, &r), "1,2");
	arena_free(a);
	search_index_free(ix);
}

static void sorts(void **state)
{
	(void)state;
	struct search_index *ix = corpus();
	struct arena *a = arena_new();
	/* No words: relevance means newest first. */
	struct search_result r = run(ix, a, (struct practice_query){.q = NULL});
	assert_string_equal(ids(a, &r), "4,2,3,1");
	r = run(ix, a, (struct practice_query){.q = "  ", .sort = PRACTICE_SORT_MOST_REUSED});
	assert_string_equal(ids(a, &r), "3,1,2,4");
	r = run(ix, a, (struct practice_query){.q = "télétravail", .sort = SEARCH_SORT_NEWEST});
	assert_string_equal(ids(a, &r), "2,3,1");
	r = run(ix, a, (struct practice_query){.q = "télétravail", .sort = SEARCH_SORT_RELEVANCE});
	assert_string_equal(ids(a, &r), "1,2,3");
	arena_free(a);
	search_index_free(ix);
}

static void pagination_is_stable_and_complete(void **state)
{
	(void)state;
	struct search_index *ix = practice_index_new();
	struct arena *a = arena_new();
	/* 40 practices, 4 publication dates: ties are broken by id. */
	for (int n = 40; n >= 1; n--)
		put(ix,
		    &(struct doc_spec){n, "Fiche pratique", .published = n % 4, .reuse = n % 3});
	const char *all = "3,7,11,15,19,23,27,31,35,39,2,6,10,14,18,22,26,30,34,38,"
			  "1,5,9,13,17,21,25,29,33,37,4,8,12,16,20,24,28,32,36,40";
	for (int sort = SEARCH_SORT_RELEVANCE; sort <= SEARCH_SORT_NEWEST; sort++) {
		const char *q = sort == SEARCH_SORT_RELEVANCE ? "fiche" : NULL;
		char joined[256] = "";
		for (size_t page = 1; page <= 6; page++) {
			struct search_result r = run(
				ix, a,
				(struct practice_query){
					.q = q, .sort = sort, .page = page, .page_size = 7});
			assert_int_equal(r.total, 40);
			assert_int_equal(r.n_ids, page < 6 ? 7 : 5);
			if (page > 1)
				strcat(joined, ",");
			strcat(joined, ids(a, &r));
		}
		assert_string_equal(joined, all);
	}
	struct search_result r = run(ix, a, (struct practice_query){.page = 7, .page_size = 7});
	assert_int_equal(r.total, 40);
	assert_int_equal(r.n_ids, 0);
	r = run(ix, a, (struct practice_query){.page = SIZE_MAX, .page_size = 100});
	assert_int_equal(r.n_ids, 0);
	r = run(ix, a, (struct practice_query){.sort = PRACTICE_SORT_MOST_REUSED, .page_size = 5});
	assert_string_equal(ids(a, &r), "11,23,35,2,14");
	arena_free(a);
	search_index_free(ix);
}

static void invalid_pages_are_refused(void **state)
{
	(void)state;
	struct search_index *ix = corpus();
	struct arena *a = arena_new();
	struct search_result r;
	struct practice_query q = {.page = 0, .page_size = 10, .has_toolbox = -1};
	assert_int_equal(practice_index_run(ix, &q, a, &r), -1);
	q.page = 1;
	q.page_size = 0;
	assert_int_equal(practice_index_run(ix, &q, a, &r), -1);
	q.page_size = SEARCH_PAGE_MAX + 1;
	assert_int_equal(practice_index_run(ix, &q, a, &r), -1);
	assert_int_equal(r.total, 0);
	q.page_size = SEARCH_PAGE_MAX;
	assert_int_equal(practice_index_run(ix, &q, a, &r), 0);
	arena_free(a);
	search_index_free(ix);
}

static void put_replaces_and_remove_removes(void **state)
{
	(void)state;
	struct search_index *ix = corpus();
	struct arena *a = arena_new();
	struct doc_spec d = CORPUS[3];
	d.title = "Registre des activités de traitement";
	d.description = "Sans charte.";
	d.theme = "donnees";
	put(ix, &d);
	assert_int_equal(search_index_size(ix), 4);
	/* Practice 3's "activité" is the singular. */
	assert_string_equal(search(ix, a, "activites"), "4,3");
	assert_string_equal(search(ix, a, "partage"), "");
	assert_string_equal(search(ix, a, "charte"), "1,4");
	struct search_result r = run(ix, a, (struct practice_query){.q = NULL});
	assert_string_equal(facet(a, &r, PRACTICE_FACET_THEME),
			    "continuite=1 donnees=1 nouvelles-modalites=1 recrutement=1");

	search_index_remove(ix, id_of(1));
	search_index_remove(ix, id_of(1));
	search_index_remove(ix, id_of(99));
	search_index_remove(ix, "not an id");
	assert_int_equal(search_index_size(ix), 3);
	assert_string_equal(search(ix, a, "charte"), "4");
	r = run(ix, a, (struct practice_query){.q = NULL});
	assert_int_equal(r.total, 3);
	assert_string_equal(facet(a, &r, PRACTICE_FACET_BRANCH), "famille=1 maladie=1 retraite=1");

	struct practice_entry bad = {.id = "0123456789ABCDEF01234567"};
	assert_int_equal(practice_index_put(ix, &bad), -1);
	bad.id = "0123";
	assert_int_equal(practice_index_put(ix, &bad), -1);
	bad.id = NULL;
	assert_int_equal(practice_index_put(ix, &bad), -1);
	put(ix, &CORPUS[0]);
	assert_string_equal(search(ix, a, "charte"), "1,4");
	arena_free(a);
	search_index_free(ix);
}

static void many_updates_compact_without_losing_anything(void **state)
{
	(void)state;
	struct search_index *ix = practice_index_new();
	struct arena *a = arena_new();
	char title[64], theme[16];
	for (int round = 0; round < 50; round++) {
		/* Practice 1 changes theme every round: old values must go. */
		snprintf(theme, sizeof(theme), "t%d", round);
		for (int n = 1; n <= 20; n++) {
			snprintf(title, sizeof(title), "Fiche %s tour%d",
				 n % 2 ? "impaire" : "paire", round);
			put(ix, &(struct doc_spec){n, title, .published = n,
						   .theme = n == 1  ? theme
							    : n % 2 ? "a"
								    : "b"});
		}
		search_index_remove(ix, id_of(20));
	}
	assert_int_equal(search_index_size(ix), 19);
	assert_string_equal(search(ix, a, "impaire tour49"), "19,17,15,13,11,9,7,5,3,1");
	assert_string_equal(search(ix, a, "tour48"), "");
	assert_string_equal(search(ix, a, "paire"), "18,16,14,12,10,8,6,4,2");
	struct search_result r = run(ix, a, (struct practice_query){.q = "tour"});
	assert_int_equal(r.total, 19);
	assert_string_equal(facet(a, &r, PRACTICE_FACET_THEME), "a=9 b=9 t49=1");
	arena_free(a);
	search_index_free(ix);
}

static void facets_count_practices_not_mentions(void **state)
{
	(void)state;
	struct search_index *ix = practice_index_new();
	struct arena *a = arena_new();
	const char *themes[] = {"rgpd", "", "rgpd", NULL, "rse"};
	struct practice_entry e = {.id = id_of(1),
				   .title = "Registre",
				   .themes = themes,
				   .n_themes = 5,
				   .maturity = ""};
	assert_int_equal(practice_index_put(ix, &e), 0);
	struct search_result r = run(ix, a, (struct practice_query){.q = "registre"});
	assert_string_equal(facet(a, &r, PRACTICE_FACET_THEME), "rgpd=1 rse=1");
	assert_string_equal(facet(a, &r, PRACTICE_FACET_MATURITY), "");
	assert_string_equal(facet(a, &r, PRACTICE_FACET_HAS_TOOLBOX), "false=1");
	arena_free(a);
	search_index_free(ix);
	search_index_free(NULL);
}

static void hostile_queries(void **state)
{
	(void)state;
	struct search_index *ix = corpus();
	struct arena *a = arena_new();
	/* No searchable word at all: browse everything, newest first. */
	assert_string_equal(search(ix, a, "le la les de des du et à"), "4,2,3,1");
	assert_string_equal(search(ix, a, "?!,;:«»…—'\"()[]{}<>$*."), "4,2,3,1");
	assert_string_equal(search(ix, a, ""), "4,2,3,1");
	assert_string_equal(search(ix, a, "\xff\xfe\xc3\x28\xed\xa0\x80\xf4\x90\x80\x80"),
			    "4,2,3,1");
	/* Bad bytes separate words. */
	assert_string_equal(search(ix, a, "charte\xff\xffregistre"), "4");

	/* 10 KB: cut at 200 bytes, the words before still count. */
	char big[10 * 1024 + 1];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "charte ", 7);
	assert_string_equal(search(ix, a, big), "");
	memcpy(big, "charte registre ", 16);
	memset(big + 16, ' ', 200);
	assert_string_equal(search(ix, a, big), "4");
	/* A cut inside "é" neither crashes nor keeps half a character. */
	memset(big, 'a', 199);
	memcpy(big + 199, "é", 2);
	big[201] = '\0';
	assert_string_equal(search(ix, a, big), "");
	/* Beyond 10 distinct words the rest is ignored, not an error. */
	assert_string_equal(search(ix, a,
				   "registre rgpd registre partagé tenir traitements "
				   "commun caisses charte confidentialité tableur zzz"),
			    "4");
	arena_free(a);
	search_index_free(ix);
}

/* Returns the suggestion of q over ix, "" for none. */
static const char *suggested(struct search_index *ix, struct arena *a, const char *q)
{
	struct search_result r = run(ix, a, (struct practice_query){.q = q});
	return r.suggestion ? r.suggestion : "";
}

static void stems_strip_plurals_only(void **state)
{
	(void)state;
	static const char *const CASES[][2] = {
		{"postes", "poste"},
		{"poste", "poste"},
		{"journaux", "journal"},
		{"locaux", "local"},
		{"bureaux", "bureau"},
		{"jeux", "jeu"},
		{"processus", "processu"},
		{"outils", "outil"},
		/* Too short, -ss, digits: left alone. */
		{"cas", "cas"},
		{"bus", "bus"},
		{"stress", "stress"},
		{"covid19", "covid19"},
		{"taux", "tau"},
		{"eaux", "eau"},
	};
	for (size_t i = 0; i < sizeof(CASES) / sizeof(*CASES); i++) {
		char out[SEARCH_TERM_MAX + 1];
		size_t len = search_stem(CASES[i][0], strlen(CASES[i][0]), out);
		assert_int_equal(len, strlen(out));
		assert_string_equal(out, CASES[i][1]);
	}
	/* The tokenizer stems, but keeps the word as written. */
	struct arena *a = arena_new();
	size_t n;
	const char *folded;
	struct search_token *t = search_tokenize(a, "Les Journaux", 10, &n, &folded);
	assert_string_equal(folded, "les journaux");
	assert_int_equal(n, 2);
	assert_int_equal(t[1].len, 7);
	assert_memory_equal(t[1].s, "journal", 7);
	assert_int_equal(t[1].word_len, 8);
	assert_memory_equal(t[1].word, "journaux", 8);
	assert_int_equal(t[1].at, 4);
	assert_int_equal(t[1].span, 8);
	arena_free(a);
}

static void plurals_find_the_singular_and_back(void **state)
{
	(void)state;
	struct search_index *ix = practice_index_new();
	struct arena *a = arena_new();
	put(ix, &(struct doc_spec){1, "Aménager les postes de travail", .published = 1});
	put(ix, &(struct doc_spec){2, "Un poste partagé", .published = 2});
	put(ix, &(struct doc_spec){3, "Des journaux internes", .published = 3});
	put(ix, &(struct doc_spec){4, "Le journal du réseau", .published = 4});
	put(ix, &(struct doc_spec){5, "Les bureaux flexibles", .published = 5});
	put(ix, &(struct doc_spec){6, "Un bureau flexible", .published = 6});
	put(ix, &(struct doc_spec){7, "Processus de recrutement", .published = 7});
	put(ix, &(struct doc_spec){8, "Postal et courrier", .published = 8});
	/* Last word (a prefix) or not, singular or plural: the same practices. */
	assert_string_equal(search(ix, a, "postes"), "2,1");
	assert_string_equal(search(ix, a, "poste"), "2,1");
	assert_string_equal(search(ix, a, "postes partagés"), "2");
	assert_string_equal(search(ix, a, "poste travail"), "1");
	assert_string_equal(search(ix, a, "journaux"), "4,3");
	assert_string_equal(search(ix, a, "journal"), "4,3");
	assert_string_equal(search(ix, a, "bureaux flexibles"), "6,5");
	assert_string_equal(search(ix, a, "bureau flexible"), "6,5");
	/* A word whose singular ends in -s is found typed whole or in part. */
	assert_string_equal(search(ix, a, "processus"), "7");
	assert_string_equal(search(ix, a, "processus recrutement"), "7");
	assert_string_equal(search(ix, a, "proces"), "7");
	/* Prefixes still reach every completion. */
	assert_string_equal(search(ix, a, "pos"), "8,2,1");
	assert_string_equal(search(ix, a, "journ"), "4,3");
	arena_free(a);
	search_index_free(ix);
}

static void one_typo_is_forgiven_in_long_words(void **state)
{
	(void)state;
	struct search_index *ix = corpus();
	struct arena *a = arena_new();
	/* Swapped, missing, extra, changed: télétravail (1, 2), not the
	 * télétravailleurs of 3, which is further away. */
	assert_string_equal(search(ix, a, "teletravial"), "1,2");
	assert_string_equal(suggested(ix, a, "Télétravial"), "teletravail");
	assert_string_equal(search(ix, a, "teletravai charte"), "1");
	assert_string_equal(search(ix, a, "teletravaill charte"), "1");
	assert_string_equal(suggested(ix, a, "  La télétravaill, charte ? "),
			    "la teletravail, charte ?");
	assert_string_equal(search(ix, a, "charte telitravail"), "1");
	assert_string_equal(search(ix, a, "chrte"), "1,4");
	assert_string_equal(suggested(ix, a, "chrte registre"), "charte registre");
	/* A typo ranks below the word itself. */
	put(ix, &(struct doc_spec){5, "Crises", "Une crise", .published = 0});
	put(ix, &(struct doc_spec){6, "Crises", "Une chartes", .published = 5});
	assert_string_equal(search(ix, a, "crise charte"), "6");
	assert_string_equal(search(ix, a, "crises chrte"), "6");
	/* Not under 5 letters, not two typos, and never when the word exists. */
	assert_string_equal(search(ix, a, "crse"), "");
	assert_string_equal(search(ix, a, "teltravial"), "");
	assert_string_equal(suggested(ix, a, "teltravial"), "");
	assert_string_equal(suggested(ix, a, "charte"), "");
	assert_string_equal(suggested(ix, a, "telet"), "");
	/* Every word must still match: a correction that leaves no practice
	 * suggests nothing. */
	assert_string_equal(search(ix, a, "teletravial registre"), "");
	assert_string_equal(suggested(ix, a, "teletravial registre"), "");
	arena_free(a);
	search_index_free(ix);
}

static void hyphenated_compounds_match_joined_words(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	size_t n;
	struct search_token *t = search_tokenize(a, "co-voiturage d'Île-de-France", 20, &n, NULL);
	const char *want[] = {"co",  "voiturage", "covoiturage", "d",
			      "ile", "de",        "france",      "iledefrance"};
	assert_int_equal(n, 8);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(t[i].len, strlen(want[i]));
		assert_memory_equal(t[i].s, want[i], t[i].len);
		assert_int_equal(t[i].compound, i == 2 || i == 7);
		assert_int_equal(t[i].part, i != 2 && i != 3 && i != 7);
	}
	assert_int_equal(t[2].at, 0);
	assert_int_equal(t[2].span, 12);
	/* Cut short by max inside a compound: the parts stand alone. */
	t = search_tokenize(a, "co-voiturage", 2, &n, NULL);
	assert_int_equal(n, 2);
	assert_false(t[0].part || t[1].part);

	struct search_index *ix = practice_index_new();
	put(ix, &(struct doc_spec){1, "Le covoiturage des agents", .published = 1});
	put(ix, &(struct doc_spec){2, "Co-voiturages entre caisses", .published = 2});
	put(ix, &(struct doc_spec){3, "Voiturage", .published = 3});
	put(ix, &(struct doc_spec){4, "Co-construire une charte", .published = 4});
	assert_string_equal(search(ix, a, "co-voiturage"), "1,2");
	assert_string_equal(search(ix, a, "covoiturage"), "1,2");
	assert_string_equal(search(ix, a, "Co‑voiturage agents"), "1"); /* U+2011 */
	assert_string_equal(search(ix, a, "co-voit"), "1,2");
	assert_string_equal(search(ix, a, "covoit"), "1,2");
	/* Each part is a word of its own too. */
	assert_string_equal(search(ix, a, "voiturage"), "3,2");
	assert_string_equal(search(ix, a, "coconstruire charte"), "4");
	assert_string_equal(suggested(ix, a, "co-voitrage"), "covoiturage");
	arena_free(a);
	search_index_free(ix);
}

static void labels_are_searchable(void **state)
{
	(void)state;
	struct search_index *ix = practice_index_new();
	struct arena *a = arena_new();
	put(ix,
	    &(struct doc_spec){1, "Gérer une violation de données en 72 heures",
			       "Notifier la CNIL à temps", .published = 1,
			       .labels = "RGPD Continuité d'activité CPAM de la Haute-Garonne"});
	put(ix, &(struct doc_spec){2, "Des données ouvertes", .published = 2,
				   .labels = "Numérique Caf du Gers"});
	put(ix, &(struct doc_spec){3, "Le RGPD expliqué", "Les données personnelles",
				   .published = 3, .labels = "Formation"});
	assert_string_equal(search(ix, a, "RGPD données"), "3,1");
	assert_string_equal(search(ix, a, "données haute-garonne"), "1");
	assert_string_equal(search(ix, a, "caf gers"), "2");
	/* A word of the title weighs more than the same word in a label. */
	put(ix, &(struct doc_spec){4, "Formation des managers", .published = 0, .labels = "RGPD"});
	assert_string_equal(search(ix, a, "formation"), "4,3");
	arena_free(a);
	search_index_free(ix);
}

static void browsing_has_no_terms(void **state)
{
	(void)state;
	struct search_index *ix = corpus();
	struct arena *a = arena_new();
	const char *none[] = {NULL, "", "  ", "le la les", "?!"};
	for (size_t i = 0; i < sizeof(none) / sizeof(*none); i++) {
		struct search_result r = run(ix, a, (struct practice_query){.q = none[i]});
		assert_int_equal(r.n_terms, 0);
		assert_null(r.suggestion);
		assert_string_equal(ids(a, &r), "4,2,3,1");
	}
	struct search_result r = run(ix, a, (struct practice_query){.q = "la charte registre"});
	assert_int_equal(r.n_terms, 2);
	arena_free(a);
	search_index_free(ix);
}

/* Replaces every practice with itself while others search: a reader must
 * always see all of them. */
enum { CONCURRENT_DOCS = 50 };
static struct search_index *shared_ix;
static atomic_bool stop;
static atomic_size_t bad_total = 0;

static void *reader(void *arg)
{
	(void)arg;
	long runs = 0;
	while (!atomic_load(&stop) || runs < 100) {
		struct arena *a = arena_new();
		struct practice_query q = {
			.q = "fiche commu", .page = 1, .page_size = 10, .has_toolbox = -1};
		struct search_result r;
		if (practice_index_run(shared_ix, &q, a, &r) || r.total != CONCURRENT_DOCS ||
		    r.n_ids != 10)
			atomic_store(&bad_total, r.total + 1); /* cmocka asserts stay in main */
		arena_free(a);
		runs++;
	}
	return NULL;
}

static void readers_never_see_half_updates(void **state)
{
	(void)state;
	shared_ix = practice_index_new();
	for (int n = 1; n <= CONCURRENT_DOCS; n++)
		put(shared_ix, &(struct doc_spec){n, "Fiche commune", .published = n});
	pthread_t th[2];
	atomic_store(&stop, false);
	for (int i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, reader, NULL);
	for (int round = 0; round < 40; round++)
		for (int n = 1; n <= CONCURRENT_DOCS; n++)
			put(shared_ix,
			    &(struct doc_spec){n, round % 2 ? "Fiche commune" : "Commune fiche",
					       .published = n});
	atomic_store(&stop, true);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(atomic_load(&bad_total), 0);
	search_index_free(shared_ix);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tokenizer_folds_splits_and_drops_stopwords),
		cmocka_unit_test(accents_and_case_do_not_matter),
		cmocka_unit_test(last_word_is_a_prefix_others_whole),
		cmocka_unit_test(every_word_must_match),
		cmocka_unit_test(title_outranks_summary_toolbox_description),
		cmocka_unit_test(filters_and_facet_counts),
		cmocka_unit_test(has_toolbox_filter),
		cmocka_unit_test(sorts),
		cmocka_unit_test(pagination_is_stable_and_complete),
		cmocka_unit_test(invalid_pages_are_refused),
		cmocka_unit_test(put_replaces_and_remove_removes),
		cmocka_unit_test(many_updates_compact_without_losing_anything),
		cmocka_unit_test(facets_count_practices_not_mentions),
		cmocka_unit_test(hostile_queries),
		cmocka_unit_test(stems_strip_plurals_only),
		cmocka_unit_test(plurals_find_the_singular_and_back),
		cmocka_unit_test(one_typo_is_forgiven_in_long_words),
		cmocka_unit_test(hyphenated_compounds_match_joined_words),
		cmocka_unit_test(labels_are_searchable),
		cmocka_unit_test(browsing_has_no_terms),
		cmocka_unit_test(readers_never_see_half_updates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
