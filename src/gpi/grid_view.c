/* A grid's JSON and form rows (grid_view.h). */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/paris_time.h"
#include "db/doc.h"
#include "gpi/grid_store.h"
#include "gpi/grid_view.h"

static const char *const STATE_CODES[] = {
	[GPI_GRID_NONE] = "none", [GPI_GRID_DRAFT] = "draft", [GPI_GRID_SUBMITTED] = "submitted"};

json_t *gpi_grid_json(const struct gpi_grid_scale *s, const char *candidature_id,
		      const json_t *grid, bool closed)
{
	enum gpi_grid_state state = gpi_grid_state_of(grid);
	const json_t *scores = json_object_get(grid, "scores");
	const json_t *comments = json_object_get(grid, "comments");
	int scored = 0;
	for (size_t i = 0; i < s->n; i++)
		scored += gpi_grid_score_of_json(json_object_get(scores, s->criteria[i].code)) >=
			  GPI_SCORE_MIN;
	json_t *out = json_pack(
		"{s:s, s:s, s:b, s:b, s:o, s:o, s:i, s:i, s:i, s:i}", "candidature_id",
		candidature_id, "status", STATE_CODES[state], "locked",
		closed || state == GPI_GRID_SUBMITTED, "scoring_closed", closed, "scores",
		json_is_object(scores) ? json_copy((json_t *)scores) : json_object(), "comments",
		json_is_object(comments) ? json_copy((json_t *)comments) : json_object(), "total",
		gpi_grid_total_of_json(s, scores), "max_total", gpi_grid_max_total(s), "scored",
		scored, "criteria_count", (int)s->n);
	json_int_t at = json_integer_value(json_object_get(grid, "submitted_at"));
	if (at) {
		char rfc[PARIS_TIME_RFC3339_MAX], fr[PARIS_TIME_LONG_MAX];
		json_object_set_new(out, "submitted_at",
				    json_string(paris_time_format_rfc3339(at, rfc)));
		json_object_set_new(out, "submitted_fr",
				    json_string(paris_time_format_long(at, fr, sizeof(fr))));
	} else {
		json_object_set_new(out, "submitted_at", json_null());
		json_object_set_new(out, "submitted_fr", json_null());
	}
	return out;
}

/* The text of a stored score for the form: "" when not scored. */
static const char *stored_score(struct arena *a, const json_t *grid, const char *code)
{
	int v = gpi_grid_score_of_json(json_object_get(json_object_get(grid, "scores"), code));
	return v >= GPI_SCORE_MIN ? arena_printf(a, "%d", v) : "";
}

json_t *gpi_grid_form_rows(struct arena *a, const struct gpi_grid_scale *s, const json_t *grid,
			   const json_t *values, const json_t *errors)
{
	json_t *rows = json_array();
	for (size_t i = 0; i < s->n; i++) {
		const char *code = s->criteria[i].code;
		const char *score_name = arena_printf(a, "scores.%s", code);
		const char *comment_name = arena_printf(a, "comments.%s", code);
		const char *score = values ? json_str(values, score_name)
					   : stored_score(a, grid, code);
		const char *comment = values ? json_str(values, comment_name)
					     : json_str(json_object_get(grid, "comments"), code);
		json_t *options = json_array();
		for (int v = GPI_SCORE_MIN; v <= GPI_SCORE_MAX; v++) {
			const char *text = arena_printf(a, "%d", v);
			json_array_append_new(options, json_pack("{s:s, s:b}", "value", text,
								 "selected", !strcmp(score, text)));
		}
		json_array_append_new(
			rows,
			json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:o, s:s*, s:s*}", "code",
				  code, "label", s->criteria[i].label ? s->criteria[i].label : code,
				  "weight", s->criteria[i].weight, "score_name", score_name,
				  "comment_name", comment_name, "score_text", score, "comment",
				  comment, "options", options, "score_error",
				  json_string_value(json_object_get(errors, score_name)),
				  "comment_error",
				  json_string_value(json_object_get(errors, comment_name))));
	}
	return rows;
}

const char *gpi_mean_fr(struct arena *a, double mean)
{
	char *text = arena_printf(a, "%.2f", mean);
	char *dot = strchr(text, '.');
	if (dot)
		*dot = ',';
	return text;
}
