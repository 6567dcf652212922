/* Internals shared by search/index.c (updates) and search/run.c (queries).
 * Not for other modules: include search/index.h. */
#ifndef COUSILAB_SEARCH_INDEX_IMPL_H
#define COUSILAB_SEARCH_INDEX_IMPL_H

#include <pthread.h>
#include <stdatomic.h>

#include "search/index.h"

/* Field 0 is the title (search_schema); every posting has room for
 * SEARCH_FIELDS_MAX fields whatever the schema uses, so its layout is
 * fixed at compile time. */
enum { FIELD_TITLE = 0, FIELD_COUNT = SEARCH_FIELDS_MAX };

/* A posting is (ordinal << 10) | term frequency per field, 2 bits each
 * (capped at 3: relevance saturates anyway). Ordinals only grow, so a
 * posting list appended to stays sorted. */
enum { POST_ORD_SHIFT = 2 * FIELD_COUNT, ORD_LIMIT = 1u << (32 - POST_ORD_SHIFT) };
#define POST_TF_MASK ((1u << POST_ORD_SHIFT) - 1)
#define POST_TF(p, field) (((p) >> (2 * (field))) & 3u)

/* A dictionary entry: one malloc for the entry and its text, one for the
 * postings. Postings of removed documents stay until the next compaction. */
struct term {
	uint32_t *post;
	uint32_t n, cap;
	uint8_t len;
	char text[]; /* NUL-terminated */
};

/* A document, by ordinal. Replaced and removed ones are kept, not alive,
 * until compaction renumbers the ordinals. */
struct doc {
	int64_t date_ms;
	uint32_t vals; /* its facet value ids: ix->pool[vals .. vals + nvals) */
	int32_t rank;
	uint16_t len[FIELD_COUNT]; /* words kept per field */
	uint8_t nvals;
	bool alive;
	char id[25];
};

/* A facet value, interned: ids are global over all dimensions, so a
 * document's values are one flat list. Never shrinks (values no document
 * uses any more just count 0). */
struct facet_value {
	char *text;
	int dim;
};

struct search_index {
	const struct search_schema *schema;
	pthread_rwlock_t lock;
	struct term **terms; /* sorted by text, byte order */
	size_t n_terms, cap_terms;
	struct doc *docs;
	uint32_t n_ord, cap_docs;
	atomic_size_t n_live;
	uint32_t *idmap; /* open addressing: id -> ordinal */
	size_t idmap_cap, idmap_used;
	uint64_t len_sum[FIELD_COUNT]; /* over live documents */
	struct facet_value *values;
	uint32_t n_values, cap_values;
	uint32_t *pool; /* facet value ids of the documents, in ordinal order */
	size_t n_pool, cap_pool;
};

#define NO_VALUE UINT32_MAX /* no such facet value, no such ordinal */

/* Returns the index of the first term >= s[0..len) in byte order. Pure. */
size_t ix_lower_bound(const struct search_index *ix, const char *s, size_t len);

/* The same within the terms [lo, hi), which must bracket that place (the
 * range of the terms starting with a prefix of s does). Pure. */
size_t ix_lower_bound_in(const struct search_index *ix, size_t lo, size_t hi, const char *s,
			 size_t len);

/* Returns the index of the first term at or after from that does not start
 * with s[0..len). Pure. */
size_t ix_prefix_end(const struct search_index *ix, size_t from, const char *s, size_t len);

/* Returns the id of value in facet dimension dim, or NO_VALUE. Pure;
 * linear, there are a few hundred values. */
uint32_t ix_facet_value(const struct search_index *ix, int dim, const char *value);

#endif
