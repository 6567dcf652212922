/* The pure rules of a juror's scoring grid and of a category's ranking
 * (issue 13, article 4 and 7 of the rules): what a grid may hold, what a
 * submission needs, its weighted total, and how the secretariat's ranking
 * is compiled from submitted grids. Plain functions over plain data: no
 * I/O, so every boundary is a unit test (tests/unit/test_gpi_grid_rules.c).
 *
 * The grid is the edition's `criteria` [{code, label, weight}] (edition.h):
 * each criterion is scored as an integer from 0 to 5; the total is the sum
 * of score × weight. A draft may leave criteria blank; a submission needs
 * every one. */
#ifndef COUSILAB_GPI_GRID_RULES_H
#define COUSILAB_GPI_GRID_RULES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/field_error.h"
#include "gpi/edition_rules.h"

struct arena;

enum {
	GPI_SCORE_MIN = 0,
	GPI_SCORE_MAX = 5,
	GPI_SCORE_BLANK = -1, /* not scored yet (a draft may leave it) */
	GPI_SCORE_BAD = -2,   /* typed, but not an integer from 0 to 5 */
	GPI_GRID_COMMENT_MAX_CHARS = 4000,
	GPI_REOPEN_REASON_MAX_CHARS = 1000,
	/* A grid's errors: one per criterion's score and comment, plus one
	 * for the body as a whole. */
	GPI_GRID_MAX_ERRORS = 2 * GPI_CRITERIA_MAX + 2,
};

/* "Désaccord": the jurors of a candidature disagree strongly when its
 * highest and lowest submitted totals differ by more than this share of
 * the grid's maximum weighted total (30 %: with 7 criteria of weight 1,
 * a maximum of 35, more than 10.5 points apart, i.e. 11 or more). Spread
 * that wide means at least one juror read the dossier very differently:
 * the category jury should talk it over before naming finalists. */
enum { GPI_DISAGREEMENT_PERCENT = 30 };

/* The grid of an edition: its criteria in the edition's order (strings
 * borrowed from the edition). */
struct gpi_grid_scale {
	struct gpi_criterion criteria[GPI_CRITERIA_MAX];
	size_t n;
};

/* A grid as typed, aligned on a scale's criteria: scores[i] is the
 * score of criteria[i] (GPI_SCORE_BLANK or GPI_SCORE_BAD otherwise),
 * comments[i] its comment (trimmed, "" when none; never NULL). */
struct gpi_grid_input {
	int scores[GPI_CRITERIA_MAX];
	const char *comments[GPI_CRITERIA_MAX];
	bool submit;
	/* Set when the body named a criterion the edition has not (the API's
	 * mistake): refused as a whole. */
	const char *unknown_code;
};

/* Returns the scale of edition e (its `criteria`, strings borrowed from
 * e). Pure. */
struct gpi_grid_scale gpi_grid_scale_of(const json_t *e);

/* Returns the position of code among s's criteria, or -1. Pure. */
int gpi_grid_criterion_index(const struct gpi_grid_scale *s, const char *code);

/* Returns the score a form field or JSON value stands for: an integer
 * from 0 to 5 (a JSON integer, or a text of digits only, spaces around
 * allowed), GPI_SCORE_BLANK for an absent/null value or an empty text,
 * else GPI_SCORE_BAD (3.5, "4/5", true, 6, -1...). Pure. */
int gpi_grid_score_of_text(const char *text);
int gpi_grid_score_of_json(const json_t *v);

/* Reads an API body's `scores` {code: int} and `comments` {code: text}
 * (either may be absent or null) onto in, aligned on s. Strings are
 * borrowed from the JSON. A code not in s sets in->unknown_code; a value
 * that is not an integer or a text becomes GPI_SCORE_BAD / is refused as
 * a comment (in->comments[i] then NULL: gpi_grid_check reports it).
 * Pure. */
void gpi_grid_input_of_json(const struct gpi_grid_scale *s, const json_t *scores,
			    const json_t *comments, struct gpi_grid_input *in);

/* Checks in against s: each score blank or 0..5, a submission with every
 * criterion scored, each comment at most GPI_GRID_COMMENT_MAX_CHARS
 * characters. Writes each broken rule to out (at most
 * GPI_GRID_MAX_ERRORS), fields named "scores.<code>" and
 * "comments.<code>" (allocated in a; "scores" for an unknown criterion),
 * messages static French. Returns how many. Pure but for a. */
size_t gpi_grid_check(struct arena *a, const struct gpi_grid_scale *s,
		      const struct gpi_grid_input *in, struct field_error *out);

/* Returns the weighted total of scores (aligned on s; blank ones count 0).
 * Pure. */
int gpi_grid_total(const struct gpi_grid_scale *s, const int *scores);

/* Returns the highest total a grid of s can reach (5 × the sum of
 * weights). Pure. */
int gpi_grid_max_total(const struct gpi_grid_scale *s);

/* Returns the weighted total of a stored grid's `scores` {code: int}
 * against s (codes s has not are ignored, missing ones count 0). Pure. */
int gpi_grid_total_of_json(const struct gpi_grid_scale *s, const json_t *scores);

/* ---- The ranking of a category ---- */

/* One candidature as the ranking reads it: the totals of its submitted
 * grids (drafts never count) and how many grids are expected of it (the
 * category's jurors who are not recused from it). Borrowed. */
struct gpi_rank_input {
	const char *candidature_id;
	const int *totals;
	size_t n_totals;
	int expected;
};

/* One line of the ranking. The mean is sum / grids; min, max and mean
 * are 0 and rank 0 (unranked) when no grid is submitted. */
struct gpi_rank_row {
	const char *candidature_id; /* borrowed from the input */
	int rank;                   /* 1-based; equal means share a rank: 1, 1, 3 */
	long sum;
	int grids, expected, min, max;
	double mean;
	bool disagreement; /* max − min > GPI_DISAGREEMENT_PERCENT % of max_total */
};

/* Ranks in[0..n) into out[0..n): by mean total, highest first (means are
 * compared exactly, as fractions, so 7/3 and 14/6 tie), candidatures
 * without a submitted grid last and unranked; equal means keep equal
 * ranks (competition ranking: 1, 1, 3), and ties are listed by
 * candidature id so the order is stable. max_total is the grid's highest
 * total (gpi_grid_max_total). Pure; allocates nothing. */
void gpi_ranking(const struct gpi_rank_input *in, size_t n, int max_total,
		 struct gpi_rank_row *out);

/* Returns whether totals spread wider than the disagreement threshold:
 * (max − min) × 100 > GPI_DISAGREEMENT_PERCENT × max_total. Pure. */
bool gpi_disagreement(int min, int max, int max_total);

#endif
