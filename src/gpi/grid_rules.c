/* The grid's and the ranking's pure rules (grid_rules.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/utf8.h"
#include "gpi/grid_rules.h"

struct gpi_grid_scale gpi_grid_scale_of(const json_t *e)
{
	struct gpi_grid_scale s = {.n = 0};
	const json_t *c;
	size_t i;
	json_array_foreach(json_object_get(e, "criteria"), i, c) {
		if (s.n == GPI_CRITERIA_MAX)
			break;
		json_int_t w = json_integer_value(json_object_get(c, "weight"));
		s.criteria[s.n++] = (struct gpi_criterion){
			json_string_value(json_object_get(c, "code")),
			json_string_value(json_object_get(c, "label")),
			w >= 1 ? (int)w : 1,
		};
	}
	return s;
}

int gpi_grid_criterion_index(const struct gpi_grid_scale *s, const char *code)
{
	for (size_t i = 0; code && i < s->n; i++)
		if (s->criteria[i].code && strcmp(s->criteria[i].code, code) == 0)
			return (int)i;
	return -1;
}

int gpi_grid_score_of_text(const char *text)
{
	if (!text)
		return GPI_SCORE_BLANK;
	while (isspace((unsigned char)*text))
		text++;
	size_t n = strlen(text);
	while (n && isspace((unsigned char)text[n - 1]))
		n--;
	if (n == 0)
		return GPI_SCORE_BLANK;
	/* One digit: "05" or "+3" is not how anyone types a mark out of 5. */
	if (n != 1 || text[0] < '0' + GPI_SCORE_MIN || text[0] > '0' + GPI_SCORE_MAX)
		return GPI_SCORE_BAD;
	return text[0] - '0';
}

int gpi_grid_score_of_json(const json_t *v)
{
	if (!v || json_is_null(v))
		return GPI_SCORE_BLANK;
	if (json_is_string(v))
		return gpi_grid_score_of_text(json_string_value(v));
	if (!json_is_integer(v))
		return GPI_SCORE_BAD;
	json_int_t x = json_integer_value(v);
	return x >= GPI_SCORE_MIN && x <= GPI_SCORE_MAX ? (int)x : GPI_SCORE_BAD;
}

void gpi_grid_input_of_json(const struct gpi_grid_scale *s, const json_t *scores,
			    const json_t *comments, struct gpi_grid_input *in)
{
	for (size_t i = 0; i < s->n; i++) {
		in->scores[i] = GPI_SCORE_BLANK;
		in->comments[i] = "";
	}
	in->unknown_code = NULL;
	const char *code;
	const json_t *v;
	if (scores && !json_is_null(scores) && !json_is_object(scores))
		in->unknown_code = "scores";
	json_object_foreach((json_t *)scores, code, v) {
		int i = gpi_grid_criterion_index(s, code);
		if (i < 0)
			in->unknown_code = code;
		else
			in->scores[i] = gpi_grid_score_of_json(v);
	}
	if (comments && !json_is_null(comments) && !json_is_object(comments))
		in->unknown_code = "comments";
	json_object_foreach((json_t *)comments, code, v) {
		int i = gpi_grid_criterion_index(s, code);
		if (i < 0)
			in->unknown_code = code;
		else if (json_is_null(v))
			in->comments[i] = "";
		else
			in->comments[i] = json_string_value(v); /* NULL: not a text */
	}
}

size_t gpi_grid_check(struct arena *a, const struct gpi_grid_scale *s,
		      const struct gpi_grid_input *in, struct field_error *out)
{
	size_t n = 0;
	if (in->unknown_code)
		out[n++] = (struct field_error){
			"scores", "Cette grille ne compte que les critères de l’édition."};
	if (s->n == 0)
		out[n++] = (struct field_error){"scores", "Cette édition n’a pas de grille."};
	for (size_t i = 0; i < s->n && n + 2 <= GPI_GRID_MAX_ERRORS; i++) {
		const char *code = s->criteria[i].code;
		int score = in->scores[i];
		if (score == GPI_SCORE_BAD)
			out[n++] = (struct field_error){arena_printf(a, "scores.%s", code),
							"Notez de 0 à 5, en nombre entier."};
		else if (score == GPI_SCORE_BLANK && in->submit)
			out[n++] = (struct field_error){
				arena_printf(a, "scores.%s", code),
				"Notez ce critère avant de soumettre la grille."};
		const char *c = in->comments[i];
		if (!c)
			out[n++] = (struct field_error){arena_printf(a, "comments.%s", code),
							"Le commentaire doit être un texte."};
		else if (!utf8_valid(c, strlen(c)) || utf8_chars(c) > GPI_GRID_COMMENT_MAX_CHARS)
			out[n++] = (struct field_error){
				arena_printf(a, "comments.%s", code),
				"Un commentaire tient en 4 000 caractères au plus."};
	}
	return n;
}

int gpi_grid_total(const struct gpi_grid_scale *s, const int *scores)
{
	int total = 0;
	for (size_t i = 0; i < s->n; i++)
		if (scores[i] >= GPI_SCORE_MIN)
			total += scores[i] * s->criteria[i].weight;
	return total;
}

int gpi_grid_max_total(const struct gpi_grid_scale *s)
{
	int max = 0;
	for (size_t i = 0; i < s->n; i++)
		max += GPI_SCORE_MAX * s->criteria[i].weight;
	return max;
}

int gpi_grid_total_of_json(const struct gpi_grid_scale *s, const json_t *scores)
{
	/* One pass over the few stored scores, each matched among the few
	 * criteria: the ranking totals thousands of grids, and this hashes
	 * nothing. */
	int total = 0;
	const char *code;
	const json_t *v;
	json_object_foreach((json_t *)scores, code, v) {
		int i = gpi_grid_criterion_index(s, code);
		int score = i < 0 ? GPI_SCORE_BLANK : gpi_grid_score_of_json(v);
		if (score >= GPI_SCORE_MIN)
			total += score * s->criteria[i].weight;
	}
	return total;
}

bool gpi_disagreement(int min, int max, int max_total)
{
	return (long)(max - min) * 100 > (long)GPI_DISAGREEMENT_PERCENT * max_total;
}

/* Returns <0 when a ranks before b: the higher mean, compared as
 * fractions sum/grids (no rounding can split a tie); rows without a grid
 * last; then by id. */
static int compare_rows(const void *x, const void *y)
{
	const struct gpi_rank_row *a = x, *b = y;
	if ((a->grids == 0) != (b->grids == 0))
		return a->grids == 0 ? 1 : -1;
	if (a->grids && b->grids) {
		long long l = (long long)a->sum * b->grids, r = (long long)b->sum * a->grids;
		if (l != r)
			return l > r ? -1 : 1;
	}
	return strcmp(a->candidature_id, b->candidature_id);
}

static bool same_mean(const struct gpi_rank_row *a, const struct gpi_rank_row *b)
{
	return (long long)a->sum * b->grids == (long long)b->sum * a->grids;
}

void gpi_ranking(const struct gpi_rank_input *in, size_t n, int max_total, struct gpi_rank_row *out)
{
	for (size_t i = 0; i < n; i++) {
		struct gpi_rank_row r = {.candidature_id = in[i].candidature_id,
					 .grids = (int)in[i].n_totals,
					 .expected = in[i].expected};
		for (size_t k = 0; k < in[i].n_totals; k++) {
			int t = in[i].totals[k];
			r.sum += t;
			if (k == 0 || t < r.min)
				r.min = t;
			if (k == 0 || t > r.max)
				r.max = t;
		}
		r.mean = r.grids ? (double)r.sum / r.grids : 0;
		r.disagreement = r.grids > 1 && gpi_disagreement(r.min, r.max, max_total);
		out[i] = r;
	}
	qsort(out, n, sizeof(*out), compare_rows);
	for (size_t i = 0; i < n && out[i].grids; i++)
		out[i].rank = i > 0 && same_mean(&out[i], &out[i - 1]) ? out[i - 1].rank
								       : (int)i + 1;
}
