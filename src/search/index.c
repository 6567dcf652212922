/* Index construction and updates; queries are in search_run.c. */
#include "search/index_impl.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/xalloc.h"
#include "search/tokenize.h"

enum { ID_LEN = 24 };
#define IDMAP_EMPTY UINT32_MAX
#define IDMAP_GONE (UINT32_MAX - 1)

/* Below this many dead ordinals, compaction is not worth it. */
enum { COMPACT_MIN_DEAD = 32 };

/* A distinct term of one document, before it enters the dictionary. */
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
	return ix_lower_bound_in(ix, 0, ix->n_terms, s, len);
}

size_t ix_lower_bound_in(const struct search_index *ix, size_t lo, size_t hi, const char *s,
			 size_t len)
{
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
	for (uint32_t i = 0; i < ix->n_values; i++)
		if (ix->values[i].dim == dim && !strcmp(ix->values[i].text, value))
			return i;
	return NO_VALUE;
}

/* Returns the id of value in dimension dim, interning a copy if new. */
static uint32_t facet_intern(struct search_index *ix, int dim, const char *value)
{
	uint32_t id = ix_facet_value(ix, dim, value);
	if (id != NO_VALUE)
		return id;
	if (ix->n_values == ix->cap_values) {
		ix->cap_values = ix->cap_values ? ix->cap_values * 2 : 64;
		ix->values = xrealloc(ix->values, ix->cap_values * sizeof(*ix->values));
	}
	ix->values[ix->n_values] = (struct facet_value){xstrdup(value), dim};
	return ix->n_values++;
}

/* Returns room for n more facet value ids at the end of the pool. */
static uint32_t *pool_reserve(struct search_index *ix, size_t n)
{
	if (ix->n_pool + n > ix->cap_pool) {
		ix->cap_pool = ix->cap_pool + ix->cap_pool / 2 + n;
		ix->pool = xrealloc(ix->pool, ix->cap_pool * sizeof(*ix->pool));
	}
	return ix->pool + ix->n_pool;
}

/* Returns the FNV-1a hash of s[0..len). Pure. */
static uint32_t hash_bytes(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* Returns the idmap slot holding id, or the empty slot where it would go. */
static size_t idmap_slot(const struct search_index *ix, const char *id)
{
	size_t mask = ix->idmap_cap - 1, i = hash_bytes(id, ID_LEN) & mask;
	for (;; i = (i + 1) & mask) {
		uint32_t ord = ix->idmap[i];
		if (ord == IDMAP_EMPTY)
			return i;
		if (ord != IDMAP_GONE && !memcmp(ix->docs[ord].id, id, ID_LEN))
			return i;
	}
}

/* Rebuilds the id map from the live documents, sized for growth. */
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

/* Renumbers the live documents densely, moving their facet values down the
 * pool. Returns old ordinal -> new one (NO_VALUE: dead), to free. */
static uint32_t *compact_docs(struct search_index *ix)
{
	uint32_t *remap = xmalloc((ix->n_ord + 1) * sizeof(*remap));
	uint32_t live = 0;
	size_t pooled = 0;
	for (uint32_t ord = 0; ord < ix->n_ord; ord++) {
		struct doc *d = &ix->docs[ord];
		if (!d->alive) {
			remap[ord] = NO_VALUE;
			continue;
		}
		remap[ord] = live;
		/* Both only move down: memmove, in ordinal order. */
		memmove(ix->pool + pooled, ix->pool + d->vals, d->nvals * sizeof(*ix->pool));
		d->vals = (uint32_t)pooled;
		pooled += d->nvals;
		ix->docs[live++] = *d;
	}
	ix->n_ord = live;
	ix->n_pool = pooled;
	return remap;
}

/* Rewrites every posting list through remap, freeing terms left empty. */
static void compact_terms(struct search_index *ix, const uint32_t *remap)
{
	size_t kept = 0;
	for (size_t i = 0; i < ix->n_terms; i++) {
		struct term *t = ix->terms[i];
		uint32_t n = 0;
		for (uint32_t j = 0; j < t->n; j++) {
			uint32_t p = t->post[j], to = remap[p >> POST_ORD_SHIFT];
			if (to != NO_VALUE)
				t->post[n++] = to << POST_ORD_SHIFT | (p & POST_TF_MASK);
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
		ix->terms[kept++] = t;
	}
	ix->n_terms = kept;
}

/* Drops the facet values no live document has any more, renumbering the
 * others in the pool. */
static void compact_values(struct search_index *ix)
{
	uint32_t *remap = xmalloc((ix->n_values + 1) * sizeof(*remap));
	memset(remap, 0xff, (ix->n_values + 1) * sizeof(*remap)); /* NO_VALUE: unused */
	for (size_t i = 0; i < ix->n_pool; i++)
		remap[ix->pool[i]] = 0;
	uint32_t kept = 0;
	for (uint32_t v = 0; v < ix->n_values; v++) {
		if (remap[v] == NO_VALUE) {
			free(ix->values[v].text);
			continue;
		}
		remap[v] = kept;
		ix->values[kept++] = ix->values[v];
	}
	ix->n_values = kept;
	for (size_t i = 0; i < ix->n_pool; i++)
		ix->pool[i] = remap[ix->pool[i]];
	free(remap);
}

/* Drops what replaced and removed documents left: dead ordinals, their
 * postings, words and facet values nobody has any more. O(size of the
 * index), once per N/4 updates. */
static void compact(struct search_index *ix)
{
	uint32_t *remap = compact_docs(ix);
	compact_terms(ix, remap);
	free(remap);
	compact_values(ix);
	idmap_rebuild(ix);
}

/* Marks the document in idmap slot `slot` dead and forgets its lengths. */
static void kill_doc(struct search_index *ix, size_t slot)
{
	struct doc *d = &ix->docs[ix->idmap[slot]];
	d->alive = false;
	for (int f = 0; f < FIELD_COUNT; f++)
		ix->len_sum[f] -= d->len[f];
	atomic_fetch_sub(&ix->n_live, 1);
	ix->idmap[slot] = IDMAP_GONE;
}

/* Compacts once dead ordinals are a quarter of all (and not just a few). */
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

/* Appends a posting; the caller's ordinal is the highest yet, so the list
 * stays sorted. */
static void term_append(struct term *t, uint32_t posting)
{
	if (t->n == t->cap) {
		/* Most words occur in few documents: grow gently from 1. */
		t->cap = t->cap < 4 ? t->cap + 1 : t->cap + t->cap / 2;
		t->post = xrealloc(t->post, t->cap * sizeof(*t->post));
	}
	t->post[t->n++] = posting;
}

/* Returns the distinct terms of d's first n_fields fields with their
 * frequencies per field, in arena a; *n gets their count and len[] the
 * words kept per field (0 past n_fields). */
static struct doc_term *doc_terms(struct arena *a, const struct search_doc *d, size_t n_fields,
				  size_t *n, uint16_t len[FIELD_COUNT])
{
	struct search_token *tok[FIELD_COUNT];
	size_t ntok[FIELD_COUNT] = {0}, total = 0;
	for (size_t f = 0; f < n_fields; f++) {
		tok[f] = search_tokenize(a, d->fields[f], SIZE_MAX, &ntok[f], NULL);
		total += ntok[f];
	}

	/* Open addressing: slot holds 1 + the term's index, 0 when free. */
	size_t cap = 16;
	while (cap < 2 * total)
		cap *= 2;
	uint32_t *slot = arena_alloc(a, cap * sizeof(*slot));
	struct doc_term *out = arena_alloc(a, (total + 1) * sizeof(*out));
	size_t m = 0;
	memset(len, 0, FIELD_COUNT * sizeof(*len));
	for (size_t f = 0; f < n_fields; f++) {
		size_t kept = 0;
		uint32_t field_one = 1u << (2 * f);
		for (size_t i = 0; i < ntok[f]; i++) {
			const struct search_token *t = &tok[f][i];
			if (!t->kept)
				continue;
			kept += !t->compound; /* a length in words, as written */
			size_t h = hash_bytes(t->s, t->len) & (cap - 1);
			while (slot[h] &&
			       cmp_bytes(out[slot[h] - 1].s, out[slot[h] - 1].len, t->s, t->len))
				h = (h + 1) & (cap - 1);
			if (!slot[h]) {
				out[m] = (struct doc_term){t->s, t->len, field_one};
				slot[h] = (uint32_t)++m;
			} else if ((out[slot[h] - 1].tf & field_one * 3) != field_one * 3) {
				out[slot[h] - 1].tf += field_one; /* 2-bit count, up to 3 */
			}
		}
		len[f] = kept > UINT16_MAX ? UINT16_MAX : (uint16_t)kept;
	}
	*n = m;
	return out;
}

enum { DOC_VALUES_MAX = UINT8_MAX };

/* Appends value's id in dimension dim to the document's values vals[0..n)
 * unless already there (facets count documents, not mentions) or n has
 * reached limit. Returns the new count. */
static size_t add_value(struct search_index *ix, int dim, const char *value, uint32_t *vals,
			size_t n, size_t limit)
{
	if (!value || !*value || n >= limit)
		return n;
	uint32_t id = facet_intern(ix, dim, value);
	for (size_t i = 0; i < n; i++)
		if (vals[i] == id)
			return n;
	vals[n] = id;
	return n + 1;
}

/* Appends d's facet values from e to the pool, interning new ones. A
 * dimension leaves one place for each dimension after it, so a document
 * with hundreds of values in one still shows in the others' counts. */
static void doc_facets(struct search_index *ix, struct doc *d, const struct search_doc *e)
{
	size_t n_dims = ix->schema->n_facets;
	uint32_t *vals = pool_reserve(ix, DOC_VALUES_MAX);
	size_t n = 0;
	for (size_t dim = 0; dim < n_dims; dim++) {
		const struct search_values *list = &e->facets[dim];
		size_t limit = DOC_VALUES_MAX - (n_dims - 1 - dim);
		for (size_t i = 0; list->v && i < list->n; i++)
			n = add_value(ix, (int)dim, list->v[i], vals, n, limit);
	}
	d->vals = (uint32_t)ix->n_pool;
	d->nvals = (uint8_t)n;
	ix->n_pool += n;
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

struct search_index *search_index_new(const struct search_schema *schema)
{
	struct search_index *ix = xcalloc(1, sizeof(*ix));
	ix->schema = schema;
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
	free(ix->docs);
	free(ix->idmap);
	for (uint32_t i = 0; i < ix->n_values; i++)
		free(ix->values[i].text);
	free(ix->values);
	free(ix->pool);
	pthread_rwlock_destroy(&ix->lock);
	free(ix);
}

int search_index_put(struct search_index *ix, const struct search_doc *e)
{
	if (!valid_id(e->id))
		return -1;
	/* The text work happens before taking the lock. */
	struct arena *a = arena_new();
	uint16_t len[FIELD_COUNT];
	size_t n;
	struct doc_term *dt = doc_terms(a, e, ix->schema->n_fields, &n, len);

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
	d->date_ms = e->date_ms;
	d->rank = e->rank;
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
