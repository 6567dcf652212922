/* A project's indicators and their dated measurements. The project keeps
 * each indicator's definition with its count and latest measurement (what
 * the proof rule, the board and the export read); the measurements
 * themselves live in "project_indicators" (_id "<project>:<indicator>":
 * rev, measurements [{date, value}] in date order), written under a
 * revision claim. */
#ifndef COUSILAB_PROJECT_INDICATORS_H
#define COUSILAB_PROJECT_INDICATORS_H

#include <bson/bson.h>
#include <jansson.h>

struct request;

enum { PROJECT_MEASUREMENTS_MAX = 400 };

/* Returns p's indicators, each with its "measurements" array (date
 * order) instead of its count: one read by _id each. Owned by the
 * request's arena (never decref'd), or NULL with error set. */
json_t *project_indicators_full(struct request *req, const json_t *p, bson_error_t *error);

#endif
