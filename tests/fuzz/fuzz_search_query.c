/* libFuzzer target: search_run on a small fixed index with fuzzed query
 * text (typos, plurals, hyphenated compounds), filters, sort and paging;
 * optionally a practice made of fuzzed text is put before and removed after.
 * Input: 4 control bytes (sort and has_toolbox, page, page_size, flags),
 * then '\n'-separated fields: q, theme, branch, organisation, region,
 * maturity, practice text. An absent field is NULL. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "practices/search.h"

#define CHECK(x)                 \
	do {                     \
		if (!(x))        \
			abort(); \
	} while (0)

enum { DOCS = 24, FIELDS = 7, EXTRA = DOCS + 1 };

static const char *const WORDS[] = {
	"Télétravail", "accueil",         "l'intégration", "RGPD",
	"registre",    "crise",           "continuité",    "charte",
	"usagers",     "formation",       "e-learning",    "cœur",
	"données",     "parcours",        "guide",         "«modèle»",
	"tableau",     "visio",           "recrutement",   "élan",
	"ÉTÉ",         "co-construction",
};
static const char *const THEMES[] = {"rgpd", "communication", "formation", "rse"};
static const char *const BRANCHES[] = {"maladie", "famille", "retraite"};
static const char *const ORGS[] = {"cpam31", "caf31", "carsat-mp", "urssaf-mp", "msa"};
static const char *const REGIONS[] = {"Occitanie", "Bretagne", "Île-de-France"};
static const char *const MATURITIES[] = {"idee", "experimentee", "deployee", "generalisee"};

static struct search_index *ix;
static char ids[EXTRA + 1][25];

#define PICK(list, n) list[(n) % (sizeof(list) / sizeof(*list))]

/* Returns a made-up title or text of k words from WORDS, in buf. */
static const char *sentence(char *buf, size_t cap, unsigned seed, int k)
{
	size_t len = 0;
	buf[0] = '\0';
	for (int i = 0; i < k; i++)
		len += (size_t)snprintf(buf + len, cap - len, "%s%s", i ? " " : "",
					PICK(WORDS, seed * 7 + (unsigned)i * 5 + (unsigned)i * i));
	return buf;
}

static void build_index(void)
{
	ix = practice_index_new();
	for (unsigned n = 0; n < DOCS; n++) {
		char title[256], desc[1024];
		const char *theme[] = {PICK(THEMES, n), PICK(THEMES, n / 3)};
		const char *branch[] = {PICK(BRANCHES, n)}, *org[] = {PICK(ORGS, n)},
			   *region[] = {PICK(REGIONS, n / 2)};
		snprintf(ids[n], sizeof(ids[n]), "%024x", n + 1);
		struct practice_entry e = {
			.id = ids[n],
			.title = sentence(title, sizeof(title), n, 3),
			.summary = WORDS[n % 5],
			.description = sentence(desc, sizeof(desc), n + 11, 12),
			.toolbox_text = n % 3 ? "Guide modèle" : NULL,
			.labels_text = n % 2 ? "RGPD Caf de la Haute-Garonne" : "Formation",
			.themes = theme,
			.n_themes = 1 + n % 2,
			.branches = branch,
			.n_branches = 1,
			.organisations = org,
			.n_orgs = 1,
			.regions = region,
			.n_regions = 1,
			.maturity = PICK(MATURITIES, n),
			.has_toolbox = n % 3 != 0,
			.published_ms = (int64_t)(n % 5) * 1000,
			.reuse_count = (int)(n % 4),
		};
		CHECK(practice_index_put(ix, &e) == 0);
	}
	snprintf(ids[EXTRA - 1], sizeof(ids[0]), "%024x", 0xfffu);
}

static bool known_id(const char *id)
{
	for (int i = 0; i < EXTRA; i++)
		if (!strcmp(ids[i], id))
			return true;
	return false;
}

static void check_result(const struct practice_query *q, const struct search_result *r)
{
	size_t size = search_index_size(ix);
	CHECK(r->total <= size);
	CHECK(r->n_ids <= q->page_size && r->n_ids <= r->total);
	size_t offset = (q->page - 1) * q->page_size;
	size_t want = offset >= r->total ? 0 : r->total - offset;
	CHECK(r->n_ids == (want < q->page_size ? want : q->page_size));
	for (size_t i = 0; i < r->n_ids; i++) {
		CHECK(known_id(r->ids[i]));
		for (size_t j = 0; j < i; j++)
			CHECK(strcmp(r->ids[i], r->ids[j]));
	}
	for (int dim = 0; dim < PRACTICE_FACET_COUNT; dim++) {
		const struct search_facet *f = &r->facets[dim];
		CHECK(f->name);
		for (size_t i = 0; i < f->n; i++) {
			CHECK(f->counts[i].count > 0 && f->counts[i].count <= size);
			if (i)
				CHECK(f->counts[i - 1].count > f->counts[i].count ||
				      (f->counts[i - 1].count == f->counts[i].count &&
				       strcmp(f->counts[i - 1].value, f->counts[i].value) < 0));
		}
	}
	/* A suggested query is text, offered only for words that matched. */
	if (r->suggestion) {
		CHECK(r->n_terms > 0);
		CHECK(utf8_valid(r->suggestion, strlen(r->suggestion)));
	}
	/* Every match has exactly one has_toolbox value. */
	size_t with_toolbox = 0;
	for (size_t i = 0; i < r->facets[PRACTICE_FACET_HAS_TOOLBOX].n; i++)
		with_toolbox += r->facets[PRACTICE_FACET_HAS_TOOLBOX].counts[i].count;
	CHECK(q->has_toolbox < 0 ? with_toolbox == r->total : with_toolbox >= r->total);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ix)
		build_index();
	if (size < 4)
		return 0;
	char *text = xmalloc(size - 4 + 1), *fields[FIELDS] = {0};
	memcpy(text, data + 4, size - 4);
	text[size - 4] = '\0';
	char *p = text;
	for (int i = 0; i < FIELDS && p; i++) {
		fields[i] = p;
		p = strchr(p, '\n');
		if (p)
			*p++ = '\0';
	}

	struct practice_query q = {
		.q = fields[0],
		.theme = fields[1],
		.branch = fields[2],
		.organisation = fields[3],
		.region = fields[4],
		.maturity = fields[5],
		.sort = (enum search_sort)(data[0] % 3),
		.has_toolbox = (data[0] / 3) % 3 - 1,
		.page = data[1] % 6,
		.page_size = data[2] % 110,
	};
	bool extra = data[3] & 1;
	if (extra) {
		const char *theme[] = {fields[1]};
		struct practice_entry e = {
			.id = ids[EXTRA - 1],
			.title = fields[6],
			.description = fields[0],
			.toolbox_text = fields[6],
			.labels_text = fields[6],
			.themes = theme,
			.n_themes = 1,
			.maturity = fields[5],
			.has_toolbox = data[3] & 2,
			.published_ms = data[3],
		};
		CHECK(practice_index_put(ix, &e) == 0);
		CHECK(search_index_size(ix) == DOCS + 1);
	}

	struct arena *a = arena_new();
	struct search_result r, again;
	int rc = practice_index_run(ix, &q, a, &r);
	if (!q.page || !q.page_size || q.page_size > SEARCH_PAGE_MAX) {
		CHECK(rc == -1 && r.total == 0 && r.n_ids == 0);
	} else {
		CHECK(rc == 0);
		check_result(&q, &r);
		/* Same query, same answer: pages are stable. */
		CHECK(practice_index_run(ix, &q, a, &again) == 0);
		CHECK(again.total == r.total && again.n_ids == r.n_ids);
		for (size_t i = 0; i < r.n_ids; i++)
			CHECK(!strcmp(again.ids[i], r.ids[i]));
	}
	arena_free(a);

	if (extra) {
		search_index_remove(ix, ids[EXTRA - 1]);
		CHECK(search_index_size(ix) == DOCS);
	}
	free(text);
	return 0;
}
