/* The synthetic catalogue of `cousilab seed --practices N` (demo.h). */
#include <mongoc/mongoc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/organisation.h"
#include "core/app.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/buf.h"
#include "db/db.h"
#include "db/doc.h"
#include "practices/catalogue.h"
#include "practices/lookups.h"
#include "practices/demo.h"
#include "practices/practice.h"

enum { BATCH = 1000, MAX_THEMES = 32 };
#define DAY_MS INT64_C(86400000)

/* A growable list of borrowed strings. */
struct pool {
	const char **s;
	size_t n, cap;
};

static void pool_add(struct pool *p, const char *s)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->s = realloc(p->s, p->cap * sizeof(*p->s));
		if (!p->s)
			abort();
	}
	p->s[p->n++] = s;
}

/* The demo practices cut into sentences and list items, by theme, and
 * the vocabulary of titles: what synthetic practices are written from.
 * Strings live in the arena. */
struct corpus {
	struct arena *a;
	const char *themes[MAX_THEMES];
	size_t n_themes;
	struct pool sentences[MAX_THEMES], items[MAX_THEMES];
	struct pool actions, qualifiers, publics, first, last, kinds;
	json_t *subjects, *resources; /* borrowed from the data */
	json_t *orgs;                 /* the active organisations, owned by a */
};

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static void pool_of(struct pool *p, const json_t *array)
{
	size_t i;
	json_t *v;
	json_array_foreach(array, i, v)
		pool_add(p, json_string_value(v));
}

/* Adds the sentences of text (one Markdown paragraph or line) to p. */
static void add_sentences(struct corpus *c, struct pool *p, const char *text, size_t n)
{
	const char *end = text + n;
	while (text < end) {
		const char *s = text;
		while (s < end && !(strchr(".!?", *s) && (s + 1 == end || s[1] == ' ')))
			s++;
		s += s < end;
		if (s - text > 20)
			pool_add(p, arena_strndup(c->a, text, (size_t)(s - text)));
		text = s;
		while (text < end && *text == ' ')
			text++;
	}
}

/* Adds practice p's texts to the pools of its themes. */
static void add_practice(struct corpus *c, const json_t *p)
{
	static const char *const FIELDS[] = {"summary", "problem", "results", "description"};
	size_t i;
	json_t *theme;
	json_array_foreach(json_object_get(p, "themes"), i, theme) {
		const char **hit = bsearch(&(const char *){json_string_value(theme)}, c->themes,
					   c->n_themes, sizeof(char *), cmp_str);
		if (!hit)
			continue;
		size_t t = (size_t)(hit - c->themes);
		for (size_t f = 0; f < sizeof(FIELDS) / sizeof(*FIELDS); f++) {
			for (const char *line = json_str(p, FIELDS[f]); *line;) {
				size_t n = strcspn(line, "\n");
				size_t digits = strspn(line, "0123456789");
				if (n > 2 && line[0] == '-' && line[1] == ' ')
					pool_add(&c->items[t],
						 arena_strndup(c->a, line + 2, n - 2));
				else if (digits && line[digits] == '.' && line[digits + 1] == ' ')
					pool_add(&c->items[t],
						 arena_strndup(c->a, line + digits + 2,
							       n - digits - 2));
				else if (line[0] != '#')
					add_sentences(c, &c->sentences[t], line, n);
				line += n + (line[n] == '\n');
			}
		}
	}
}

/* Fills c from the data file. Returns 0, or -1 after printing why. */
static int corpus_init(struct corpus *c, struct db_ctx *db, const json_t *data)
{
	const json_t *syn = json_object_get(data, "synthetic");
	c->subjects = json_object_get(syn, "subjects");
	c->resources = json_object_get(syn, "resources");
	const char *key;
	json_t *v;
	json_object_foreach(c->subjects, key, v)
		if (c->n_themes < MAX_THEMES)
			c->themes[c->n_themes++] = key;
	qsort(c->themes, c->n_themes, sizeof(char *), cmp_str);
	json_object_foreach(c->resources, key, v)
		pool_add(&c->kinds, key);
	qsort(c->kinds.s, c->kinds.n, sizeof(char *), cmp_str);
	pool_of(&c->actions, json_object_get(syn, "actions"));
	pool_of(&c->qualifiers, json_object_get(syn, "qualifiers"));
	pool_of(&c->publics, json_object_get(syn, "publics"));
	pool_of(&c->first, json_object_get(syn, "first_names"));
	pool_of(&c->last, json_object_get(syn, "last_names"));
	size_t i;
	json_array_foreach(json_object_get(data, "practices"), i, v)
		add_practice(c, v);
	for (size_t t = 0; t < c->n_themes; t++)
		if (!c->sentences[t].n || !c->items[t].n ||
		    !json_array_size(json_object_get(c->subjects, c->themes[t]))) {
			fprintf(stderr, "seed: theme %s has no demo practice to draw from\n",
				c->themes[t]);
			return -1;
		}
	bson_error_t error;
	c->orgs = arena_json(db->arena, organisations_active(db, &error));
	if (!c->orgs || !json_array_size(c->orgs) || !c->actions.n || !c->publics.n ||
	    !c->first.n || !c->last.n || !c->kinds.n || !c->qualifiers.n) {
		fprintf(stderr, "seed: %s\n",
			c->orgs ? "the synthetic vocabulary is incomplete" : error.message);
		return -1;
	}
	return 0;
}

static void corpus_free(struct corpus *c)
{
	struct pool *pools[] = {&c->actions, &c->qualifiers, &c->publics,
				&c->first,   &c->last,       &c->kinds};
	for (size_t t = 0; t < c->n_themes; t++) {
		free(c->sentences[t].s);
		free(c->items[t].s);
	}
	for (size_t i = 0; i < sizeof(pools) / sizeof(*pools); i++)
		free(pools[i]->s);
}

/* splitmix64: practice i gets the same draws whatever N is. */
static uint64_t next(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15u);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

static size_t below(uint64_t *rng, size_t n)
{
	return (size_t)(next(rng) % n);
}

static const char *pick(uint64_t *rng, const struct pool *p)
{
	return p->s[below(rng, p->n)];
}

/* Appends n sentences of theme t to b, space-separated. */
static void sentences(struct buf *b, uint64_t *rng, const struct corpus *c, size_t t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (b->len && b->data[b->len - 1] != '\n')
			buf_putc(b, ' ');
		buf_puts(b, pick(rng, &c->sentences[t]));
	}
}

/* Appends string field key (BSON_APPEND_UTF8 evaluates val twice: a
 * random pick would get another pick's length). */
static void put(bson_t *doc, const char *key, const char *val)
{
	bson_append_utf8(doc, key, -1, val, -1);
}

/* Appends b's text as field key, then empties b. */
static void put_text(bson_t *doc, const char *key, struct buf *b)
{
	put(doc, key, b->data ? b->data : "");
	buf_reset(b);
}

static void put_strings(bson_t *doc, const char *key, const char *const *v, size_t n)
{
	bson_t arr;
	char idx[16];
	const char *k;
	BSON_APPEND_ARRAY_BEGIN(doc, key, &arr);
	for (size_t i = 0; i < n; i++) {
		bson_uint32_to_string((uint32_t)i, &k, idx, sizeof(idx));
		put(&arr, k, v[i]);
	}
	bson_append_array_end(doc, &arr);
}

/* Appends 0 to 3 link resources to doc's toolbox. */
static void put_toolbox(bson_t *doc, uint64_t *rng, const struct corpus *c, long i,
			const char *slug)
{
	size_t n = below(rng, 100) < 55 ? 1 + below(rng, 3) : 0;
	bson_t arr, res;
	char idx[16], id[25];
	const char *k;
	BSON_APPEND_ARRAY_BEGIN(doc, "toolbox", &arr);
	for (size_t r = 0; r < n; r++) {
		const char *kind = pick(rng, &c->kinds);
		const json_t *titles = json_object_get(c->resources, kind);
		snprintf(id, sizeof(id), "5eed%04zx%016lx", r + 1, (unsigned long)i);
		bson_uint32_to_string((uint32_t)r, &k, idx, sizeof(idx));
		BSON_APPEND_DOCUMENT_BEGIN(&arr, k, &res);
		put(&res, "id", id);
		put(&res, "kind", kind);
		put(&res, "title",
		    json_string_value(json_array_get(titles, below(rng, json_array_size(titles)))));
		put(&res, "description", "");
		char url[160];
		snprintf(url, sizeof(url), "https://www.example.org/cousistore/%s/%zu", slug,
			 r + 1);
		put(&res, "url", url);
		bson_append_document_end(&arr, &res);
	}
	bson_append_array_end(doc, &arr);
}

/* Writes synthetic practice number i into doc, its id into id. */
static void make_practice(bson_t *doc, const struct corpus *c, long i, int64_t now, char id[25])
{
	static const char *const MATURITIES[] = {
		"idee",     "experimentee", "experimentee", "deployee",
		"deployee", "deployee",     "generalisee",
	};
	uint64_t rng = (uint64_t)i * 0x2545F4914F6CDD1Du + 42;
	struct arena *a = arena_new();
	struct buf b = BUF_INIT;
	size_t t = below(&rng, c->n_themes), t2 = below(&rng, c->n_themes);
	const json_t *subjects = json_object_get(c->subjects, c->themes[t]);

	snprintf(id, 25, "5eed0000%016lx", (unsigned long)i);
	buf_printf(&b, "%s %s", pick(&rng, &c->actions),
		   json_string_value(
			   json_array_get(subjects, below(&rng, json_array_size(subjects)))));
	if (next(&rng) % 2)
		buf_printf(&b, " %s", pick(&rng, &c->qualifiers));
	const char *title = arena_strdup(a, b.data);
	const char *slug = arena_printf(a, "%s-%ld", practice_slugify(a, title), i);
	put(doc, "_id", id);
	put(doc, "slug", slug);
	put(doc, "status", "published");
	put_text(doc, "title", &b);
	sentences(&b, &rng, c, t, 2);
	put_text(doc, "summary", &b);
	sentences(&b, &rng, c, t, 1 + below(&rng, 3));
	put_text(doc, "problem", &b);
	buf_puts(&b, "### Contexte\n\n");
	sentences(&b, &rng, c, next(&rng) % 3 ? t : t2, 2 + below(&rng, 5));
	buf_puts(&b, "\n\n### Mise en œuvre\n\n");
	for (size_t k = 3 + below(&rng, 3); k > 0; k--)
		buf_printf(&b, "- %s\n", pick(&rng, &c->items[t]));
	buf_puts(&b, "\n### Conditions de réussite\n\n");
	sentences(&b, &rng, c, t, 2);
	put_text(doc, "description", &b);
	sentences(&b, &rng, c, t, 1 + below(&rng, 2));
	put_text(doc, "results", &b);
	put(doc, "public", pick(&rng, &c->publics));
	put(doc, "maturity", MATURITIES[below(&rng, 7)]);
	const char *first = pick(&rng, &c->first), *last = pick(&rng, &c->last);
	buf_printf(&b, "%s %s — %s.%s@example.org", first, last, practice_slugify(a, first),
		   practice_slugify(a, last));
	put_text(doc, "contact", &b);

	size_t n_orgs = below(&rng, 20) < 14 ? 1 : below(&rng, 5) ? 2 : 3;
	const char *orgs[3], *branches[3];
	size_t n_branches = 0;
	for (size_t k = 0; k < n_orgs; k++) {
		const json_t *o = json_array_get(c->orgs, below(&rng, json_array_size(c->orgs)));
		orgs[k] = json_str(o, "code");
		const char *branch = json_str(o, "branch");
		bool seen = false;
		for (size_t j = 0; j < n_branches; j++)
			seen |= strcmp(branches[j], branch) == 0;
		if (!seen)
			branches[n_branches++] = branch;
	}
	n_orgs -= n_orgs == 2 && strcmp(orgs[0], orgs[1]) == 0;
	put_strings(doc, "organisation_ids", orgs, n_orgs);
	put_strings(doc, "branches", branches, n_branches);
	const char *themes[] = {c->themes[t], c->themes[t2]};
	put_strings(doc, "themes", themes, t != t2 && below(&rng, 3) == 0 ? 2 : 1);
	put_toolbox(doc, &rng, c, i, slug);

	put(doc, "author_id", "");
	put(doc, "author_name", arena_printf(a, "%s %s", first, last));
	BSON_APPEND_INT32(doc, "version", 1);
	double u = (double)(next(&rng) >> 11) / 9007199254740992.0;
	BSON_APPEND_INT32(doc, "reuse_count", (int32_t)(u * u * u * 30));
	int64_t published = now - (int64_t)below(&rng, 3 * 365) * DAY_MS -
			    (int64_t)below(&rng, (size_t)DAY_MS);
	BSON_APPEND_DATE_TIME(doc, "created_at",
			      published - (int64_t)(1 + below(&rng, 60)) * DAY_MS);
	BSON_APPEND_DATE_TIME(doc, "submitted_at",
			      published - (int64_t)(1 + below(&rng, 5)) * DAY_MS);
	BSON_APPEND_DATE_TIME(doc, "published_at", published);
	BSON_APPEND_DATE_TIME(doc, "updated_at", now);
	buf_free(&b);
	arena_free(a);
}

int practices_synthetic_load(const struct app *app, long n)
{
	json_t *data = practices_demo_data();
	if (!data)
		return -1;
	struct db_ctx *db = db_ctx_open(app->db, "seed");
	struct corpus c = {.a = db->arena};
	int rc = corpus_init(&c, db, data);
	mongoc_collection_t *coll = db_collection(db, "practices");
	bson_t *opts = BCON_NEW("ordered", BCON_BOOL(false));
	int64_t now = doc_now_ms(), started = now;
	long inserted = 0;
	char id[25];
	for (long i = 0; i < n && rc == 0; i += BATCH) {
		mongoc_bulk_operation_t *bulk = mongoc_collection_create_bulk_operation_with_opts(
			coll, opts);
		for (long k = i; k < n && k < i + BATCH; k++) {
			bson_t doc = BSON_INITIALIZER;
			make_practice(&doc, &c, k, now, id);
			mongoc_bulk_operation_insert(bulk, &doc);
			bson_destroy(&doc);
		}
		rc = doc_bulk_insert(bulk, &inserted);
		mongoc_bulk_operation_destroy(bulk);
	}
	bson_error_t error;
	/* Bulk inserts bypass the store: their slugs need their documents. */
	if (rc == 0 && inserted > 0)
		rc = practice_lookups_backfill(db);
	if (rc == 0 && n > 0 && catalogue_changed(db, CATALOGUE_ALL, &error)) {
		fprintf(stderr, "seed: catalogue stamp: %s\n", error.message);
		rc = -1;
	}
	if (rc == 0)
		printf("seed: %ld synthetic practices inserted, %ld already there, in %.1f s\n",
		       inserted, n - inserted, (double)(doc_now_ms() - started) / 1000);
	bson_destroy(opts);
	corpus_free(&c);
	db_ctx_close(db);
	json_decref(data);
	return rc;
}
