/* Index construction and updates; queries are in search_run.c. */
#include "practices/search_index_impl.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/xalloc.h"
#include "practices/tokenize.h"

enum { ID_LEN = 24, IDMAP_EMPTY = UINT32_MAX, IDMAP_GONE = UINT32_MAX - 1 };

/* Compaction once this many dead ordinals make up a quarter of them. */
enum { COMPACT_MIN_DEAD = 32 };

/* A distinct term of one practice, before it enters the dictionary. */
struct doc_term {
	const char *s;
	size_t len;
	uint32_t tf; /* POST_TF bits */
};

/* Returns <0, 0 or >0 as a[0..alen) sorts before, with or after b[0..blen)
 * in byte order (strcmp order). Pure. */
static int cmp_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);
	return c ? c : (alen > blen) - (alen < blen);
}

size_t ix_lower_bound(const struct search_index *ix, const char *s, size_t len)
{
	size_t lo = 0, hi = ix->n_terms;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct term *t = ix->terms[mid];
		if (cmp_bytes(t->text, t->len, s, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t ix_prefix_end(const struct search_index *ix, size_t from, const char *s, size_t len)
{
	size_t lo = from, hi = ix->n_terms;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct term *t = ix->terms[mid];
		if (t->len >= len && !memcmp(t->text, s, len))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

uint32_t ix_facet_value(const struct search_index *ix, int dim, const char *value)
{
	const struct facet_values *fv = &ix->facets[dim];
	for (uint32_t i = 0; i < fv->n; i++)
		if (!strcmp(fv->v[i], value))
			return i;
	return NO_VALUE;
}

/* Returns the id of value in dimension dim, interning a copy if new. */
static uint32_t facet_intern(struct search_index *ix, int dim, const char *value)
{
	uint32_t id = ix_facet_value(ix, dim, value);
	if (id != NO_VALUE)
		return id;
	struct facet_values *fv = &ix->facets[dim];
	if (fv->n == fv->cap) {
		fv->cap = fv->cap ? fv->cap * 2 : 8;
		fv->v = xrealloc(fv->v, fv->cap * sizeof(*fv->v));
	}
	fv->v[fv->n] = xstrdup(value);
	return fv->n++;
}

static uint64_t hash_id(const char *id)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */
	for (size_t i = 0; i < ID_LEN; i++)
		h = (h ^ (unsigned char)id[i]) * 1099511628211u;
	return h;
}

/* Returns the idmap slot holding id, or the empty slot where it would go. */
static size_t idmap_slot(const struct search_index *ix, const char *id)
{
	size_t mask = ix->idmap_cap - 1, i = hash_id(id) & mask;
	for (;; i = (i + 1) & mask) {
		uint32_t ord = ix->idmap[i];
		if (ord == IDMAP_EMPTY)
			return i;
		if (ord != IDMAP_GONE && !memcmp(ix->docs[ord].id, id, ID_LEN))
			return i;
	}
}

/* Rebuilds the id map from the live practices, sized for growth. */
static void idmap_rebuild(struct search_index *ix)
{
	size_t cap = 16;
	while (cap < 2 * (atomic_load(&ix->n_live) + 1))
		cap *= 2;
	free(ix->idmap);
	ix->idmap = xmalloc(cap * sizeof(*ix->idmap));
	memset(ix->idmap, 0xff, cap * sizeof(*ix->idmap)); /* IDMAP_EMPTY */
	ix->idmap_cap = cap;
	ix->idmap_used = 0;
	for (uint32_t ord = 0; ord < ix->n_ord; ord++) {
		if (ix->docs[ord].alive) {
			ix->idmap[idmap_slot(ix, ix->docs[ord].id)] = ord;
			ix->idmap_used++;
		}
	}
}

/* Drops dead ordinals: renumbers the live practices densely, rewrites every
 * posting list (dropping terms left without any) and the id map. O(size of
 * the index), once per N/4 updates. */
static void compact(struct search_index *ix)
{
	uint32_t *remap = xmalloc((ix->n_ord + 1) * sizeof(*remap));
	uint32_t live = 0;
	for (uint32_t ord = 0; ord < ix->n_ord; ord++) {
		if (ix->docs[ord].alive) {
			remap[ord] = live;
			ix->docs[live++] = ix->docs[ord];
		} else {
			remap[ord] = NO_VALUE;
			free(ix->docs[ord].vals);
		}
	}
	ix->n_ord = live;

	size_t kept_terms = 0;
	for (size_t i = 0; i < ix->n_terms; i++) {
		struct term *t = ix->terms[i];
		uint32_t n = 0;
		for (uint32_t j = 0; j < t->n; j++) {
			uint32_t p = t->post[j], to = remap[p >> POST_ORD_SHIFT];
			if (to != NO_VALUE)
				t->post[n++] = to << POST_ORD_SHIFT | (p & 0xff);
		}
		if (!n) {
			free(t->post);
			free(t);
			continue;
		}
		if (t->cap > 2 * n) {
			t->cap = n;
			t->post = xrealloc(t->post, n * sizeof(*t->post));
		}
		t->n = n;
		ix->terms[kept_terms++] = t;
	}
	ix->n_terms = kept_terms;
	free(remap);
	idmap_rebuild(ix);
}

/* Marks the practice in idmap slot `slot` dead and forgets its lengths. */
static void kill_doc(struct search_index *ix, size_t slot)
{
	struct doc *d = &ix->docs[ix->idmap[slot]];
	d->alive = false;
	for (int f = 0; f < FIELD_COUNT; f++)
		ix->len_sum[f] -= d->len[f];
	atomic_fetch_sub(&ix->n_live, 1);
	ix->idmap[slot] = IDMAP_GONE;
}

static void maybe_compact(struct search_index *ix)
{
	uint32_t dead = ix->n_ord - (uint32_t)atomic_load(&ix->n_live);
	if (dead >= COMPACT_MIN_DEAD && dead >= ix->n_ord / 4)
		compact(ix);
}

/* Returns the dictionary entry for s[0..len), inserting an empty one at
 * its sorted place if missing (O(terms) memmove: new words are rare once
 * the vocabulary has settled). */
static struct term *term_get(struct search_index *ix, const char *s, size_t len)
{
	size_t i = ix_lower_bound(ix, s, len);
	if (i < ix->n_terms && !cmp_bytes(ix->terms[i]->text, ix->terms[i]->len, s, len))
		return ix->terms[i];
	if (ix->n_terms == ix->cap_terms) {
		ix->cap_terms = ix->cap_terms ? ix->cap_terms * 2 : 1024;
		ix->terms = xrealloc(ix->terms, ix->cap_terms * sizeof(*ix->terms));
	}
	memmove(ix->terms + i + 1, ix->terms + i, (ix->n_terms - i) * sizeof(*ix->terms));
	ix->n_terms++;
	struct term *t = xcalloc(1, sizeof(*t) + len + 1);
	memcpy(t->text, s, len);
	t->len = (uint8_t)len;
	return ix->terms[i] = t;
}

static void term_append(struct term *t, uint32_t posting)
{
	if (t->n == t->cap) {
		/* Most words occur in few practices: grow gently from 1. */
		t->cap = t->cap < 4 ? t->cap + 1 : t->cap + t->cap / 2;
		t->post = xrealloc(t->post, t->cap * sizeof(*t->post));
	}
	t->post[t->n++] = posting;
}

static int cmp_doc_term(const void *pa, const void *pb)
{
	const struct doc_term *a = pa, *b = pb;
	return cmp_bytes(a->s, a->len, b->s, b->len);
}

/* Returns the distinct terms of e, sorted, with their frequencies per field,
 * in arena a; *n gets their count and len[] the words kept per field. */
static struct doc_term *doc_terms(struct arena *a, const struct practice_entry *e,
				  size_t *n, uint16_t len[FIELD_COUNT])
{
	const char *fields[FIELD_COUNT] = {
		[FIELD_TITLE] = e->title, [FIELD_SUMMARY] = e->summary,
		[FIELD_TOOLBOX] = e->toolbox_text, [FIELD_DESCRIPTION] = e->description,
	};
	struct token *tok[FIELD_COUNT];
	size_t ntok[FIELD_COUNT], total = 0;
	for (int f = 0; f < FIELD_COUNT; f++) {
		tok[f] = tokenize(a, fields[f], SIZE_MAX, &ntok[f]);
		total += ntok[f];
	}

	struct doc_term *all = arena_alloc(a, (total + 1) * sizeof(*all));
	size_t m = 0;
	for (int f = 0; f < FIELD_COUNT; f++) {
		size_t kept = 0;
		for (size_t i = 0; i < ntok[f]; i++) {
			if (!tok[f][i].kept)
				continue;
			all[m++] = (struct doc_term){tok[f][i].s, tok[f][i].len, 1u << (2 * f)};
			kept++;
		}
		len[f] = kept > UINT16_MAX ? UINT16_MAX : (uint16_t)kept;
	}
	qsort(all, m, sizeof(*all), cmp_doc_term);

	size_t out = 0;
	for (size_t i = 0; i < m; i++) {
		if (out && !cmp_doc_term(&all[out - 1], &all[i])) {
			/* Same word again: add 1 to its field's 2-bit count, up to 3. */
			uint32_t field_one = all[i].tf, *tf = &all[out - 1].tf;
			if ((*tf & field_one * 3) != field_one * 3)
				*tf += field_one;
		} else {
			all[out++] = all[i];
		}
	}
	*n = out;
	return all;
}

/* Appends value's id in dimension dim to vals unless already there
 * (facets count practices, not mentions). Returns the new count. */
static size_t add_value(struct search_index *ix, int dim, const char *value,
			uint32_t *vals, size_t n, size_t from)
{
	if (!value || !*value || n - from >= UINT8_MAX)
		return n;
	uint32_t id = facet_intern(ix, dim, value);
	for (size_t i = from; i < n; i++)
		if (vals[i] == id)
			return n;
	vals[n] = id;
	return n + 1;
}

/* Fills d's facet values from e, interning new ones. */
static void doc_facets(struct search_index *ix, struct doc *d, const struct practice_entry *e)
{
	const char *const *lists[] = {e->themes, e->branches, e->organisations, e->regions};
	const size_t counts[] = {e->n_themes, e->n_branches, e->n_orgs, e->n_regions};
	size_t cap = 2;
	for (int dim = 0; dim < 4; dim++)
		cap += lists[dim] ? counts[dim] : 0;
	uint32_t *vals = xmalloc(cap * sizeof(*vals));
	size_t n = 0;
	for (int dim = 0; dim < 4; dim++) {
		size_t from = n;
		for (size_t i = 0; lists[dim] && i < counts[dim]; i++)
			n = add_value(ix, dim, lists[dim][i], vals, n, from);
		d->nvals[dim] = (uint8_t)(n - from);
	}
	d->nvals[FACET_MATURITY] = (uint8_t)(add_value(ix, FACET_MATURITY, e->maturity, vals, n, n) - n);
	n += d->nvals[FACET_MATURITY];
	vals[n++] = facet_intern(ix, FACET_HAS_TOOLBOX, e->has_toolbox ? "true" : "false");
	d->nvals[FACET_HAS_TOOLBOX] = 1;
	d->vals = xrealloc(vals, n * sizeof(*vals));
}

/* Returns true for 24 lowercase hex digits, as ObjectIds print. */
static bool valid_id(const char *id)
{
	if (!id)
		return false;
	for (size_t i = 0; i < ID_LEN; i++) {
		char c = id[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return id[ID_LEN] == '\0';
}

struct search_index *search_index_new(void)
{
	struct search_index *ix = xcalloc(1, sizeof(*ix));
	pthread_rwlockattr_t attr;
	pthread_rwlockattr_init(&attr);
	/* A steady stream of searches must not starve publication. */
	pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&ix->lock, &attr);
	pthread_rwlockattr_destroy(&attr);
	atomic_init(&ix->n_live, 0);
	idmap_rebuild(ix);
	return ix;
}

void search_index_free(struct search_index *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->n_terms; i++) {
		free(ix->terms[i]->post);
		free(ix->terms[i]);
	}
	free(ix->terms);
	for (uint32_t ord = 0; ord < ix->n_ord; ord++)
		free(ix->docs[ord].vals);
	free(ix->docs);
	free(ix->idmap);
	for (int dim = 0; dim < FACET_COUNT; dim++) {
		for (uint32_t i = 0; i < ix->facets[dim].n; i++)
			free(ix->facets[dim].v[i]);
		free(ix->facets[dim].v);
	}
	pthread_rwlock_destroy(&ix->lock);
	free(ix);
}

int search_index_put(struct search_index *ix, const struct practice_entry *e)
{
	if (!valid_id(e->id))
		return -1;
	/* The text work happens before taking the lock. */
	struct arena *a = arena_new();
	uint16_t len[FIELD_COUNT];
	size_t n;
	struct doc_term *dt = doc_terms(a, e, &n, len);

	pthread_rwlock_wrlock(&ix->lock);
	if (ix->n_ord == ORD_LIMIT)
		compact(ix);
	if (ix->n_ord == ORD_LIMIT) {
		pthread_rwlock_unlock(&ix->lock);
		arena_free(a);
		return -1;
	}
	size_t slot = idmap_slot(ix, e->id);
	if (ix->idmap[slot] != IDMAP_EMPTY) {
		kill_doc(ix, slot); /* replaced: its slot takes the new ordinal */
	} else {
		if ((ix->idmap_used + 1) * 4 > ix->idmap_cap * 3) {
			idmap_rebuild(ix);
			slot = idmap_slot(ix, e->id);
		}
		ix->idmap_used++;
	}

	if (ix->n_ord == ix->cap_docs) {
		ix->cap_docs = ix->cap_docs ? ix->cap_docs + ix->cap_docs / 2 : 64;
		ix->docs = xrealloc(ix->docs, ix->cap_docs * sizeof(*ix->docs));
	}
	uint32_t ord = ix->n_ord++;
	struct doc *d = &ix->docs[ord];
	memset(d, 0, sizeof(*d));
	memcpy(d->id, e->id, ID_LEN);
	d->published_ms = e->published_ms;
	d->reuse_count = e->reuse_count;
	d->alive = true;
	memcpy(d->len, len, sizeof(len));
	doc_facets(ix, d, e);
	for (size_t i = 0; i < n; i++)
		term_append(term_get(ix, dt[i].s, dt[i].len), ord << POST_ORD_SHIFT | dt[i].tf);
	for (int f = 0; f < FIELD_COUNT; f++)
		ix->len_sum[f] += len[f];
	ix->idmap[slot] = ord;
	atomic_fetch_add(&ix->n_live, 1);
	maybe_compact(ix);
	pthread_rwlock_unlock(&ix->lock);
	arena_free(a);
	return 0;
}

void search_index_remove(struct search_index *ix, const char *id)
{
	if (!valid_id(id))
		return;
	pthread_rwlock_wrlock(&ix->lock);
	size_t slot = idmap_slot(ix, id);
	if (ix->idmap[slot] != IDMAP_EMPTY) {
		kill_doc(ix, slot);
		maybe_compact(ix);
	}
	pthread_rwlock_unlock(&ix->lock);
}

size_t search_index_size(const struct search_index *ix)
{
	return atomic_load(&ix->n_live);
}
