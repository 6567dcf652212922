/* The finalists and the prizes (issue 13, articles 6 to 9 of the rules),
 * as pure rules over index rows (gpi/candidature.h) and the category
 * states (gpi/results.h). No I/O: tests/unit/test_gpi_final_rules.c.
 *
 * Decided here:
 * - The pool of a category is its admissible candidatures: status
 *   recevable, or finaliste / non-retenue once finalists were recorded
 *   (recording them again, before the notifications, corrects them).
 * - Finalists: exactly three of the pool, distinct, or the whole pool
 *   when it holds fewer than three (article 6.2).
 * - Or, Argent and Bronze go to the category's finalists only, at most
 *   one prize each; a prize may stay empty (not awarded).
 * - The coup de cœur goes to a finalist of any category, the special
 *   prize to any admissible candidature, with a title (article 8).
 * - The Gold endowment (article 9) is attributable only when the
 *   candidature states the use of the money; otherwise the prize stands
 *   and the endowment is "non attribuable", with the reason. */
#ifndef COUSILAB_GPI_FINAL_RULES_H
#define COUSILAB_GPI_FINAL_RULES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/field_error.h"
#include "gpi/results.h"

enum {
	GPI_FINALISTS = 3,           /* per category, article 6.2 */
	GPI_MINUTES_MAX = 10000,     /* characters */
	GPI_SPECIAL_TITLE_MAX = 120, /* characters */
	GPI_NOTICE_DAYS = 30,        /* invitations at least this long before the audition */
};

/* Returns true when row (an index row) is in its category's pool:
 * recevable, finaliste or non-retenue. Pure. */
bool gpi_in_pool(const json_t *row);

/* Returns how many finalists a pool of pool_size candidatures must have:
 * three, or all of them when fewer. Pure. */
size_t gpi_finalists_expected(size_t pool_size);

/* Checks the finalists ids (a JSON value from a form or the API) against
 * rows (the index rows of the category). Returns 0, or 1 with *err set
 * (field "candidature_ids", a static French message). Pure. */
int gpi_finalists_check(const json_t *rows, const json_t *ids, struct field_error *err);

/* Checks the category's awards ids[prize] (NULL or "" for none) against
 * state (its finalists). Returns the number of errors written to errs
 * (fields "or", "argent", "bronze"), 0 when the awards may be recorded.
 * Pure. */
int gpi_awards_check(const json_t *state, const char *const ids[GPI_CATEGORY_PRIZES],
		     struct field_error errs[GPI_CATEGORY_PRIZES]);

/* Checks a coup de cœur for id ("" withdraws it): a finalist in one of
 * states (the edition's category states, an array). Returns 0, or 1 with
 * *err set (field "candidature_id"). Pure. */
int gpi_coup_de_coeur_check(const json_t *states, const char *id, struct field_error *err);

/* Checks a special prize for row (the candidature's index row, NULL when
 * there is no such candidature in the edition) titled title; id "" (row
 * NULL) withdraws it. Returns the number of errors (fields
 * "candidature_id", "title"), 0 when it may be recorded. Pure. */
int gpi_special_check(const char *id, const json_t *row, const char *title,
		      struct field_error errs[2]);

/* The Gold endowment of a candidature. */
struct gpi_endowment {
	int64_t eur;      /* the edition's endowment, or 0 */
	const char *note; /* NULL, or why it is not attributable (French, static) */
};

/* Returns the Gold endowment of the candidature of row under edition
 * edition (its gold_endowment_eur). Pure. */
struct gpi_endowment gpi_gold_endowment(const json_t *edition, const json_t *row);

/* Returns true when finalists invited at now_ms hear of their audition,
 * starting at audition_start_ms, less than GPI_NOTICE_DAYS days before
 * it: the site then warns (article 6.2). Pure. */
bool gpi_notice_late(int64_t now_ms, int64_t audition_start_ms);

#endif
