/* Query evaluation: text match and ranking, filters, facet counts, then the
 * requested page. Runs under the index's read lock; all scratch memory and
 * the result live in the caller's arena. */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "search/index_impl.h"
#include "search/tokenize.h"

/* BM25F, with per-field weight and length normalisation from the schema. */
static const float K1 = 1.2f;
/* A long field may halve a word's weight, a short one at most double it. */
static const float NORM_MIN = 0.5f;
/* A word that merely starts with the typed prefix counts less than the
 * word itself, a word one typo away less still; a title holding every
 * word, or nothing but them, more. */
static const float PREFIX_ONLY = 0.8f, TYPO = 0.6f, TITLE_ALL = 1.5f, TITLE_EXACT = 2.0f;

/* Typos are forgiven in words this long (letters, or digits), one each. */
enum { TYPO_MIN_LETTERS = 5 };

/* Most dictionary ranges one query word matches: the word as a prefix
 * and its singular, or the words one edit away. */
enum { QRANGE_MAX = 16 };

/* Dictionary terms [lo, hi) a query word matches. */
struct qrange {
	size_t lo, hi;
	size_t exact_len; /* a term this long is the word itself, a longer one a completion */
	float weight;
};

struct qterm {
	const struct search_token *tok; /* as typed */
	bool prefix;
	bool corrected; /* matched nothing as typed: its ranges are the words one edit away */
	struct qrange r[QRANGE_MAX];
	size_t n_ranges;
	uint64_t postings; /* over the ranges: the rarest word goes first */
};

/* A matching document on its way to the page. */
struct hit {
	float score;
	uint32_t ord;
};

/* Everything one query accumulates. */
struct run {
	const struct search_index *ix;
	enum search_sort sort;
	int n_filters;
	int filter_dim[SEARCH_FACETS_MAX];
	uint32_t filter_value[SEARCH_FACETS_MAX]; /* NO_VALUE: unknown, nothing passes */
	size_t *counts;                           /* by facet value id */
	size_t total;
	struct hit *heap; /* the best `keep` hits so far, worst at the root */
	size_t n_heap, keep;
};

/* Returns the searchable words of q, cut to the query limits, in out[]
 * (pointing into arena a), and q folded in *folded; the last word typed
 * is a prefix. A hyphenated compound is one word, its parts joined. */
static size_t parse_terms(struct arena *a, const char *q, struct qterm *out, const char **folded)
{
	*folded = "";
	if (!q)
		return 0;
	size_t n = strnlen(q, SEARCH_QUERY_MAX_BYTES + 1);
	if (n > SEARCH_QUERY_MAX_BYTES) {
		n = SEARCH_QUERY_MAX_BYTES;
		for (int back = 0; back < 3 && n && ((unsigned char)q[n] & 0xC0) == 0x80; back++)
			n--; /* do not cut a character in two */
	}
	size_t ntok, m = 0;
	struct search_token *tok = search_tokenize(a, arena_strndup(a, q, n), SIZE_MAX, &ntok,
						   folded);
	for (size_t i = 0; i < ntok && m < SEARCH_QUERY_MAX_TERMS; i++) {
		if (!tok[i].kept || tok[i].part)
			continue;
		bool prefix = i == ntok - 1, dup = false;
		/* A word given twice is one condition, even when the second one,
		 * typed last, is a prefix: the whole word implies it. */
		for (size_t j = 0; j < m && !dup; j++)
			dup = out[j].tok->len == tok[i].len &&
			      !memcmp(out[j].tok->s, tok[i].s, tok[i].len);
		if (!dup)
			out[m++] = (struct qterm){.tok = &tok[i], .prefix = prefix};
	}
	return m;
}

/* Returns the index of the term s[0..len) within the terms [lo, hi) that
 * bracket its place, or NO_TERM. Pure. */
#define NO_TERM SIZE_MAX
static size_t find_term(const struct search_index *ix, size_t lo, size_t hi, const char *s,
			size_t len)
{
	size_t i = ix_lower_bound_in(ix, lo, hi, s, len);
	return i < hi && ix->terms[i]->len == len && !memcmp(ix->terms[i]->text, s, len) ? i
											 : NO_TERM;
}

/* Adds the terms [lo, hi) to t's ranges, unless empty. */
static void add_range(const struct search_index *ix, struct qterm *t, size_t lo, size_t hi,
		      size_t exact_len, float weight)
{
	if (lo >= hi || t->n_ranges == QRANGE_MAX)
		return;
	t->r[t->n_ranges++] = (struct qrange){lo, hi, exact_len, weight};
	for (size_t j = lo; j < hi; j++)
		t->postings += ix->terms[j]->n;
}

/* The ranges of the terms starting with w[0..j), for j = 0..len: nested,
 * each found within the one before. */
struct prefixes {
	size_t lo[SEARCH_TERM_MAX + 1], hi[SEARCH_TERM_MAX + 1];
};

static void prefix_ranges(const struct search_index *ix, const char *w, size_t len,
			  struct prefixes *p)
{
	p->lo[0] = 0;
	p->hi[0] = ix->n_terms;
	for (size_t j = 1; j <= len; j++) {
		p->lo[j] = ix_lower_bound_in(ix, p->lo[j - 1], p->hi[j - 1], w, j);
		p->hi[j] = p->lo[j] < p->hi[j - 1] ? ix_prefix_end(ix, p->lo[j], w, j) : p->lo[j];
	}
}

/* Takes the dictionary term of variant v[0..len) of t's word (stemmed the
 * way the index stores it) as one of t's ranges if there is one. v agrees
 * with the word on its first `same` bytes, so only the terms starting
 * with them are searched. Keeps the QRANGE_MAX most frequent. */
static void try_variant(const struct search_index *ix, struct qterm *t, const struct prefixes *p,
			const char *v, size_t len, size_t same)
{
	char stem[SEARCH_TERM_MAX + 2];
	size_t slen = search_stem(v, len, stem);
	/* Stemming rewrites at most the last two bytes. */
	size_t k = same < len - 2 ? same : len - 2;
	if (p->lo[k] >= p->hi[k])
		return;
	size_t i = find_term(ix, p->lo[k], p->hi[k], stem, slen);
	if (i == NO_TERM)
		return;
	size_t least = 0;
	for (size_t r = 0; r < t->n_ranges; r++) {
		if (t->r[r].lo == i)
			return;
		if (ix->terms[t->r[r].lo]->n < ix->terms[t->r[least].lo]->n)
			least = r;
	}
	if (t->n_ranges < QRANGE_MAX) {
		add_range(ix, t, i, i + 1, slen, TYPO);
	} else if (ix->terms[i]->n > ix->terms[t->r[least].lo]->n) {
		t->postings += ix->terms[i]->n - ix->terms[t->r[least].lo]->n;
		t->r[least] = (struct qrange){i, i + 1, slen, TYPO};
	}
}

/* Returns true when w[0..len) holds only ASCII letters and digits. */
static bool is_ascii_word(const char *w, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!((w[i] >= 'a' && w[i] <= 'z') || (w[i] >= '0' && w[i] <= '9')))
			return false;
	return true;
}

/* Gives t, a word of TYPO_MIN_LETTERS or more that matched nothing, the
 * terms one edit away as its ranges: a letter deleted, two swapped, one
 * changed or one inserted. About 75 variants per letter, but only those
 * whose unchanged beginning starts some term are looked up, within the
 * terms starting with it. */
static void correct(const struct search_index *ix, struct qterm *t)
{
	static const char ALPHABET[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	const char *w = t->tok->word;
	size_t len = t->tok->word_len;
	if (len < TYPO_MIN_LETTERS || len >= SEARCH_TERM_MAX || !is_ascii_word(w, len))
		return;
	struct prefixes p;
	prefix_ranges(ix, w, len, &p);
	char v[SEARCH_TERM_MAX + 1];
	for (size_t i = 0; i < len; i++) {
		/* Every variant below keeps w[0..i); past a beginning no term
		 * has, none can match (stemming aside: try_variant checks). */
		if (p.lo[i < len - 3 ? i : len - 3] >= p.hi[i < len - 3 ? i : len - 3])
			break;
		memcpy(v, w, i);
		memcpy(v + i, w + i + 1, len - i - 1); /* deleted */
		try_variant(ix, t, &p, v, len - 1, i);
		if (i + 1 < len && w[i] != w[i + 1]) { /* swapped */
			memcpy(v, w, len);
			v[i] = w[i + 1];
			v[i + 1] = w[i];
			try_variant(ix, t, &p, v, len, i);
		}
		for (const char *c = ALPHABET; *c; c++) {
			memcpy(v, w, len);
			if (*c != w[i]) { /* changed */
				v[i] = *c;
				try_variant(ix, t, &p, v, len, i);
			}
			v[i] = *c; /* inserted */
			memcpy(v + i + 1, w + i, len - i);
			try_variant(ix, t, &p, v, len + 1, i);
		}
	}
	for (const char *c = ALPHABET; *c; c++) { /* appended */
		memcpy(v, w, len);
		v[len] = *c;
		try_variant(ix, t, &p, v, len + 1, len);
	}
	t->corrected = t->n_ranges > 0;
}

/* Finds each word's dictionary ranges, forgiving a typo in a word that
 * has none, then orders words rarest first. */
static void resolve_terms(const struct search_index *ix, struct qterm *t, size_t nt)
{
	for (size_t i = 0; i < nt; i++) {
		const struct search_token *k = t[i].tok;
		t[i].n_ranges = 0;
		t[i].postings = 0;
		if (t[i].prefix) {
			/* As typed, as a prefix: its completions. */
			size_t lo = ix_lower_bound(ix, k->word, k->word_len);
			add_range(ix, &t[i], lo, ix_prefix_end(ix, lo, k->word, k->word_len),
				  k->word_len, 1);
		}
		/* The word itself, as the index stores it (a plural as its
		 * singular). Typed as a prefix, the range above already holds
		 * it unless stemming changed it. */
		if (!t[i].prefix || k->len != k->word_len || memcmp(k->s, k->word, k->len)) {
			size_t at = find_term(ix, 0, ix->n_terms, k->s, k->len);
			if (at != NO_TERM)
				add_range(ix, &t[i], at, at + 1, k->len, 1);
		}
		if (!t[i].postings)
			correct(ix, &t[i]);
	}
	for (size_t i = 1; i < nt; i++)
		for (size_t j = i; j > 0 && t[j].postings < t[j - 1].postings; j--) {
			struct qterm tmp = t[j];
			t[j] = t[j - 1];
			t[j - 1] = tmp;
		}
}

/* Returns folded query f with each corrected word replaced by the most
 * frequent term one edit away, trimmed, in arena a. */
static const char *suggestion(const struct search_index *ix, struct arena *a, const char *f,
			      const struct qterm *t, size_t nt)
{
	size_t flen = strlen(f);
	char *out = arena_alloc(a, flen + nt * (SEARCH_TERM_MAX + 1) + 1), *o = out;
	size_t from = 0;
	for (;;) {
		/* The next corrected word in the text: t is in rarity order. */
		const struct qterm *next = NULL;
		for (size_t i = 0; i < nt; i++)
			if (t[i].corrected && t[i].tok->at >= from &&
			    (!next || t[i].tok->at < next->tok->at))
				next = &t[i];
		if (!next)
			break;
		const struct term *best = ix->terms[next->r[0].lo];
		for (size_t r = 1; r < next->n_ranges; r++)
			if (ix->terms[next->r[r].lo]->n > best->n)
				best = ix->terms[next->r[r].lo];
		memcpy(o, f + from, next->tok->at - from);
		o += next->tok->at - from;
		memcpy(o, best->text, best->len);
		o += best->len;
		from = next->tok->at + next->tok->span;
	}
	memcpy(o, f + from, flen - from);
	o += flen - from;
	while (o > out && o[-1] == ' ')
		o--;
	*o = '\0';
	while (*out == ' ')
		out++;
	return out;
}

/* Returns log2(x), x >= 1, within 0.09 (Mitchell's approximation: exponent
 * plus mantissa - 1). idf needs its shape, not precision; this is monotonic
 * and keeps libm out of the build. */
static float log2_approx(float x)
{
	uint32_t bits;
	memcpy(&bits, &x, sizeof(bits));
	return (float)((int)(bits >> 23) - 127) + (float)(bits & 0x7FFFFF) / (float)(1u << 23);
}

/* Returns BM25F's saturated weight of posting p in document d, whose
 * fields schema s describes. Pure. */
static float posting_weight(const struct search_schema *s, uint32_t p, const struct doc *d,
			    const float inv_avg[FIELD_COUNT])
{
	float w = 0;
	for (int f = 0; f < FIELD_COUNT; f++) {
		uint32_t tf = POST_TF(p, f);
		if (!tf)
			continue;
		float b = s->fields[f].length_norm;
		float norm = 1 - b + b * d->len[f] * inv_avg[f];
		w += s->fields[f].weight * (float)tf / (norm < NORM_MIN ? NORM_MIN : norm);
	}
	return w / (K1 + w);
}

/* Returns the ordinals of the live documents holding every term (*n of
 * them), with their relevance in *score (indexed by ordinal) when rank is
 * set. Scratch and result in arena a. */
static uint32_t *text_match(const struct search_index *ix, struct arena *a, const struct qterm *t,
			    size_t nt, bool rank, float **score, size_t *n)
{
	*score = NULL;
	*n = 0;
	if (!t[0].postings)
		return NULL; /* a word no document has */
	size_t n_ord = ix->n_ord, live = atomic_load(&ix->n_live);
	uint16_t *mask = arena_alloc(a, n_ord * sizeof(*mask) + 1);
	uint16_t *title = arena_alloc(a, n_ord * sizeof(*title) + 1);
	float *sc = rank ? arena_alloc(a, n_ord * sizeof(*sc) + 1) : NULL;
	uint32_t *cand = arena_alloc(
		a, (t[0].postings < n_ord ? t[0].postings : n_ord) * sizeof(*cand) + 1);
	size_t nc = 0;
	float inv_avg[FIELD_COUNT];
	for (int f = 0; f < FIELD_COUNT; f++)
		inv_avg[f] = ix->len_sum[f] ? (float)live / (float)ix->len_sum[f] : 0;

	for (size_t i = 0; i < nt; i++) {
		uint16_t need = (uint16_t)((1u << i) - 1), bit = (uint16_t)(1u << i);
		/* One idf per query word, prefix or not, so that a rare completion
		 * does not outrank the common one the user is typing. df and N
		 * include dead postings not yet compacted: at most a quarter. */
		float df = t[i].postings < n_ord ? (float)t[i].postings : (float)n_ord;
		float idf = log2_approx(1 + ((float)n_ord - df + 0.5f) / (df + 0.5f));
		for (size_t r = 0; r < t[i].n_ranges; r++) {
			for (size_t j = t[i].r[r].lo; j < t[i].r[r].hi; j++) {
				const struct term *term = ix->terms[j];
				float w = idf * t[i].r[r].weight *
					  (term->len == t[i].r[r].exact_len ? 1 : PREFIX_ONLY);
				for (uint32_t k = 0; k < term->n; k++) {
					uint32_t p = term->post[k], ord = p >> POST_ORD_SHIFT;
					if (i == 0) {
						if (!ix->docs[ord].alive)
							continue;
						if (!mask[ord])
							cand[nc++] = ord;
					} else if ((mask[ord] & need) != need) {
						continue;
					}
					mask[ord] |= bit;
					if (POST_TF(p, FIELD_TITLE))
						title[ord] |= bit;
					if (rank)
						sc[ord] += w * posting_weight(ix->schema, p,
									      &ix->docs[ord],
									      inv_avg);
				}
			}
		}
	}

	uint16_t all = (uint16_t)((1u << nt) - 1);
	size_t m = 0;
	for (size_t i = 0; i < nc; i++) {
		uint32_t ord = cand[i];
		if (mask[ord] != all)
			continue;
		if (rank && title[ord] == all)
			sc[ord] *= ix->docs[ord].len[FIELD_TITLE] == nt ? TITLE_EXACT : TITLE_ALL;
		cand[m++] = ord;
	}
	*score = sc;
	*n = m;
	return cand;
}

/* Returns >0 when a ranks before b, <0 after; never 0 for two documents. */
static int hit_cmp(const struct run *r, const struct hit *a, const struct hit *b)
{
	const struct doc *x = &r->ix->docs[a->ord], *y = &r->ix->docs[b->ord];
	if (r->sort == SEARCH_SORT_RELEVANCE && a->score != b->score)
		return a->score > b->score ? 1 : -1;
	if (r->sort == SEARCH_SORT_RANK && x->rank != y->rank)
		return x->rank > y->rank ? 1 : -1;
	if (x->date_ms != y->date_ms)
		return x->date_ms > y->date_ms ? 1 : -1;
	return memcmp(y->id, x->id, sizeof(x->id));
}

/* Restores the heap (worst at the root) below position i of h[0..n). */
static void sift_down(const struct run *r, struct hit *h, size_t n, size_t i)
{
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			return;
		if (c + 1 < n && hit_cmp(r, &h[c + 1], &h[c]) < 0)
			c++;
		if (hit_cmp(r, &h[c], &h[i]) >= 0)
			return;
		struct hit tmp = h[c];
		h[c] = h[i];
		h[i] = tmp;
		i = c;
	}
}

/* Keeps hit h if it is among the best r->keep so far. */
static void offer(struct run *r, struct hit h)
{
	if (r->n_heap < r->keep) {
		size_t i = r->n_heap++;
		r->heap[i] = h;
		while (i && hit_cmp(r, &r->heap[i], &r->heap[(i - 1) / 2]) < 0) {
			struct hit tmp = r->heap[i];
			r->heap[i] = r->heap[(i - 1) / 2];
			r->heap[(i - 1) / 2] = tmp;
			i = (i - 1) / 2;
		}
	} else if (r->keep && hit_cmp(r, &h, &r->heap[0]) > 0) {
		r->heap[0] = h;
		sift_down(r, r->heap, r->n_heap, 0);
	}
}

/* Applies the filters to one text match: counts it in every facet when it
 * passes them all, in the one facet whose filter alone rejects it, or
 * nowhere; a match passing every filter becomes a candidate for the page. */
static void consider(struct run *r, uint32_t ord, float score)
{
	const struct doc *d = &r->ix->docs[ord];
	const uint32_t *v = r->ix->pool + d->vals;
	int failed = -1;
	for (int k = 0; k < r->n_filters; k++) {
		unsigned i = 0;
		while (i < d->nvals && v[i] != r->filter_value[k])
			i++;
		if (i == d->nvals) {
			if (failed >= 0)
				return;
			failed = r->filter_dim[k];
		}
	}
	if (failed >= 0) {
		for (unsigned i = 0; i < d->nvals; i++)
			if (r->ix->values[v[i]].dim == failed)
				r->counts[v[i]]++;
		return;
	}
	for (unsigned i = 0; i < d->nvals; i++)
		r->counts[v[i]]++;
	r->total++;
	offer(r, (struct hit){score, ord});
}

/* qsort order of facet counts: count descending, then value. */
static int cmp_facet_count(const void *pa, const void *pb)
{
	const struct search_facet_count *a = pa, *b = pb;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return strcmp(a->value, b->value);
}

/* Fills out's facets from r's counts, values copied into arena a. */
static void facets_out(const struct run *r, struct arena *a, struct search_result *out)
{
	const struct search_index *ix = r->ix;
	for (uint32_t i = 0; i < ix->n_values; i++)
		if (r->counts[i])
			out->facets[ix->values[i].dim].n++;
	size_t n_dims = ix->schema->n_facets;
	for (size_t dim = 0; dim < n_dims; dim++) {
		out->facets[dim].name = ix->schema->facet_names[dim];
		out->facets[dim].counts = arena_alloc(
			a, out->facets[dim].n * sizeof(struct search_facet_count) + 1);
		out->facets[dim].n = 0;
	}
	for (uint32_t i = 0; i < ix->n_values; i++) {
		if (!r->counts[i])
			continue;
		struct search_facet *f = &out->facets[ix->values[i].dim];
		f->counts[f->n++] = (struct search_facet_count){arena_strdup(a, ix->values[i].text),
								r->counts[i]};
	}
	for (size_t dim = 0; dim < n_dims; dim++)
		qsort(out->facets[dim].counts, out->facets[dim].n,
		      sizeof(struct search_facet_count), cmp_facet_count);
}

/* Sorts the kept hits best first and copies the page's ids into arena a. */
static void page_out(struct run *r, struct arena *a, size_t offset, size_t page_size,
		     struct search_result *out)
{
	for (size_t n = r->n_heap; n > 1; n--) {
		struct hit tmp = r->heap[0];
		r->heap[0] = r->heap[n - 1];
		r->heap[n - 1] = tmp;
		sift_down(r, r->heap, n - 1, 0);
	}
	/* Popping the worst to the back left the best at the front. */
	size_t end = r->n_heap < offset + page_size ? r->n_heap : offset + page_size;
	out->n_ids = end > offset ? end - offset : 0;
	out->ids = arena_alloc(a, out->n_ids * sizeof(*out->ids) + 1);
	for (size_t i = 0; i < out->n_ids; i++)
		out->ids[i] = arena_strdup(a, r->ix->docs[r->heap[offset + i].ord].id);
}

/* Sets up r's filters, facet counters and page heap for q. */
static void run_init(struct run *r, const struct search_index *ix, const struct search_query *q,
		     struct arena *a, size_t offset)
{
	*r = (struct run){.ix = ix, .sort = q->sort};
	for (size_t dim = 0; dim < ix->schema->n_facets; dim++) {
		const char *want = q->filters[dim];
		if (!want || !*want)
			continue;
		r->filter_dim[r->n_filters] = (int)dim;
		r->filter_value[r->n_filters++] = ix_facet_value(ix, (int)dim, want);
	}
	r->counts = arena_alloc(a, ix->n_values * sizeof(*r->counts) + 1);
	size_t live = atomic_load(&ix->n_live);
	r->keep = offset >= live ? 0 : offset + q->page_size < live ? offset + q->page_size : live;
	r->heap = arena_alloc(a, r->keep * sizeof(*r->heap) + 1);
}

int search_run(struct search_index *ix, const struct search_query *q, struct arena *a,
	       struct search_result *out)
{
	memset(out, 0, sizeof(*out));
	if (!q->page || !q->page_size || q->page_size > SEARCH_PAGE_MAX)
		return -1;
	/* A huge page number is past every match: an empty page. */
	size_t offset = q->page - 1 < SIZE_MAX / 2 / q->page_size ? (q->page - 1) * q->page_size
								  : SIZE_MAX / 2;
	struct qterm terms[SEARCH_QUERY_MAX_TERMS];
	const char *folded;
	size_t nt = parse_terms(a, q->q, terms, &folded);
	out->n_terms = nt;

	pthread_rwlock_rdlock(&ix->lock);
	struct run r;
	run_init(&r, ix, q, a, offset);
	if (nt) {
		bool rank = q->sort == SEARCH_SORT_RELEVANCE;
		float *score;
		size_t n;
		resolve_terms(ix, terms, nt);
		uint32_t *cand = text_match(ix, a, terms, nt, rank, &score, &n);
		for (size_t i = 0; i < n; i++)
			consider(&r, cand[i], rank ? score[cand[i]] : 0);
		bool corrected = false;
		for (size_t i = 0; i < nt; i++)
			corrected |= terms[i].corrected;
		if (corrected && n)
			out->suggestion = suggestion(ix, a, folded, terms, nt);
	} else {
		for (uint32_t ord = 0; ord < ix->n_ord; ord++)
			if (ix->docs[ord].alive)
				consider(&r, ord, 0);
	}
	out->total = r.total;
	page_out(&r, a, offset, q->page_size, out);
	facets_out(&r, a, out);
	pthread_rwlock_unlock(&ix->lock);
	return 0;
}
