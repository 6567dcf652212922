/* The organisations directory ("organisations", _id = code), read through
 * an in-process cache since every form and page lists or names them. */
#ifndef COUSILAB_ORGANISATION_H
#define COUSILAB_ORGANISATION_H

#include <bson/bson.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct db_ctx;
struct request;

/* Returns every organisation in French order of names (core/collate.h),
 * as a JSON array of objects (_id, code, name, type, branch, region,
 * department, domains, status, plus "sort_key", the name's collate_key,
 * and "match_words", the collate_words of its name and code). New
 * reference; NULL with error set when the database fails. */
json_t *organisations_all(struct request *req, bson_error_t *error);

/* Adds "sort_key" and "match_words" (see above) to the organisations of
 * list and returns them in French order, as a new array; list is
 * released. What the directory cache does on each load. */
json_t *organisations_in_french_order(json_t *list);

/* Returns every organisation as an object keyed by code (new reference),
 * or NULL with error set. For pages that look many up. */
json_t *organisations_by_code(struct db_ctx *db, bson_error_t *error);

/* Returns the active organisations only (same form), shared by every
 * caller until the directory changes: read it, never modify it. New
 * reference. */
json_t *organisations_active(struct request *req, bson_error_t *error);

/* Returns the organisation with that code from list, or NULL. Borrowed. */
json_t *organisation_in(json_t *list, const char *code);

/* Makes every process reload the directory after a change. */
int organisations_changed(struct request *req, bson_error_t *error);

/* The stored codes with their French labels: types, branches, and the
 * regions (whose codes are their names). */
extern const char *const ORGANISATION_TYPES[][2];
extern const char *const ORGANISATION_BRANCHES[][2];
extern const char *const ORGANISATION_REGIONS[][2];
extern const size_t ORGANISATION_TYPES_COUNT;
extern const size_t ORGANISATION_BRANCHES_COUNT;
extern const size_t ORGANISATION_REGIONS_COUNT;

/* The French labels of the stored type and branch codes ("caf" → "CAF",
 * "recouvrement" → "Recouvrement"). Static; the code itself if unknown. */
const char *organisation_type_label(const char *type);
const char *organisation_branch_label(const char *branch);

#endif
