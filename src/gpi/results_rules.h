/* The embargo and the laureates list of a Grand Prix edition (issue 13),
 * pure: what every reader of results (pages, API, feed, mails) asks
 * before it shows anything, and the one shape those readers show.
 *
 * Results are public from the first instant of the edition's ceremony
 * phase on, read from the edition as it is now: a ceremony moved later
 * puts the results back under embargo, one moved earlier publishes them
 * at its new start. Before that, only the grand jury of the edition, its
 * secretariat and admins see them. */
#ifndef COUSILAB_GPI_RESULTS_RULES_H
#define COUSILAB_GPI_RESULTS_RULES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "gpi/results.h"

struct user;

/* Returns the instant edition e's results are published at: the start of
 * its ceremony phase (UTC ms), or INT64_MAX when it has none (never).
 * Pure. */
int64_t gpi_results_publish_ms(const json_t *e);

/* Returns whether e's results are public at now_ms (now at or after
 * gpi_results_publish_ms). Pure. */
bool gpi_results_published(const json_t *e, int64_t now_ms);

/* Returns whether user sees edition year's results before they are
 * public: its grand jury, its secretariat, admins. NULL sees nothing.
 * Pure. */
bool gpi_results_insider(const struct user *user, int year);

/* Returns whether user (NULL: anonymous) may see e's results at now_ms:
 * published, or an insider. Pure. */
bool gpi_results_visible(const struct user *user, const json_t *e, int64_t now_ms);

/* Returns the index row of candidature id (borrowed until the caller's
 * list is released), or NULL when there is none. */
typedef const json_t *(*gpi_laureate_row_fn)(void *ctx, const char *id);

/* Returns the laureates of edition e (new reference to an array, empty
 * when no prize is awarded), in the palmarès order: each category of e
 * in its order with Or, Argent, Bronze, then the coup de cœur, then the
 * special prize. Each item: {category, category_name, prize, prize_label,
 * prize_title (the special prize's title, else ""), candidature_id,
 * title, organisation_id, project_id, project_slug, endowment_eur,
 * endowment_note (gpi_gold_endowment's for Or; 0 and null otherwise)}.
 * states maps a category code to its state (gpi_category_state; a
 * category absent has no prize yet), results is the edition's results
 * (gpi_edition_results) or NULL; row(ctx, id) gives a candidature's index
 * row, and a prize whose candidature has none is left out. All borrowed. Pure but for row. */
json_t *gpi_laureates_list(const json_t *e, const json_t *states, const json_t *results,
			   gpi_laureate_row_fn row, void *ctx);

/* Returns the people of candidature cand (a stored document) a public
 * page may name: [{name, role}] of its people minus those who withdrew
 * from publication (article 10). New reference. Pure. */
json_t *gpi_public_people(const json_t *cand);

#endif
