/* A category's ranking, compiled by the secretariat from the jurors'
 * submitted grids (issue 13, article 7): the glue between the grid index
 * (grid_store.h), the candidature index and the juries (jury.h), ranked
 * by the pure gpi_ranking (grid_rules.h). Reads only in-process indexes:
 * 500 candidatures × 12 grids compile in a few milliseconds (each
 * compilation logs its time, "gpi ranking ... ms", which the bench
 * reads). */
#ifndef COUSILAB_GPI_RANKING_H
#define COUSILAB_GPI_RANKING_H

#include <bson/bson.h>
#include <jansson.h>

struct db_ctx;

/* Returns the ranking of edition e's category over its candidatures a
 * juror scores (recevable, then finaliste and non-retenue):
 *   {category, max_total, disagreement_percent, items: [{candidature_id,
 *    title, organisation_id, rank (0: no grid yet), mean (number, 2
 *    decimals), grids, expected, min, max, disagreement (bool)}]}
 * in rank order. expected counts the category's jurors not recused from
 * that candidature. Owned by db's arena (the request's: a handler may
 * trim it), or NULL with error set when an index cannot be loaded. */
json_t *gpi_ranking_compile(struct db_ctx *db, const json_t *e, const char *category,
			    bson_error_t *error);

#endif
