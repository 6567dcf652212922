/* A juror's scoring grid of one candidature (issue 13), page and API
 * alike:
 *   GET  /grand-prix/{year}/candidatures/{id}/grille   the form, or the
 *        submitted grid read-only
 *   POST /grand-prix/{year}/candidatures/{id}/grille   save the draft or
 *        submit (the button pressed: action=brouillon|soumettre)
 *   GET  /api/v1/gpi/candidatures/{id}/grid            the caller's grid
 *   PUT  /api/v1/gpi/candidatures/{id}/grid            {scores, comments,
 *        submit}
 * Only a juror of the candidature's category who may see it (not
 * recused, the candidature before the jury: gpi_candidature_may_see) has
 * a grid: anyone else gets a 404, as for the candidature itself. A
 * submitted grid, or any grid once the category's scoring is closed, is
 * locked: 409. */
#include <string.h>

#include "accounts/user.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/paris_time.h"
#include "db/doc.h"
#include "gpi/candidature.h"
#include "gpi/candidature_page.h"
#include "gpi/grid_store.h"
#include "gpi/grid_view.h"
#include "gpi/jury.h"
#include "gpi/results.h"
#include "gpi/ui.h"
#include "http/form.h"
#include "http/reply.h"
#include "web/db_reply.h"
#include "web/error_reply.h"
#include "web/form_reply.h"
#include "web/page.h"

/* The grid a request is about: the candidature (its index row: the grid
 * needs its title, category and audience only), its
 * edition's scale, the juror's stored grid and the category's state. */
struct grid_ctx {
	struct gpi_cand_ctx c;
	struct gpi_grid_scale scale;
	json_t *grid; /* the request's arena's; NULL before the first save */
	bool closed;  /* the category's scoring is closed */
};

/* Opens the route's candidature for its juror into g. Returns true, or
 * false after replying 404 (not theirs to score) or the database's
 * failure. */
static bool grid_open_or_reply(struct request *req, struct grid_ctx *g)
{
	memset(g, 0, sizeof(*g));
	if (!gpi_cand_open_row(req, &g->c))
		return false;
	const char *category = json_str(g->c.cand, "category");
	if (!gpi_is_juror(req->user, g->c.year, category)) {
		reply_not_found(req);
		gpi_cand_close(&g->c);
		return false;
	}
	bson_error_t error;
	const json_t *state = gpi_category_state(req->db, g->c.year, category, &error);
	g->grid = state ? arena_json(req->arena,
				     gpi_grid_load(req->db, g->c.id, req->user->id, &error))
			: NULL;
	if (!state || (!g->grid && error.code)) {
		db_fail(req, "reading a juror's grid", &error);
		gpi_cand_close(&g->c);
		return false;
	}
	g->scale = gpi_grid_scale_of(g->c.edition);
	g->closed = gpi_state_scoring_closed(state);
	return true;
}

/* ---- Reading ---- */

/* Returns g's grid as the API shows it, owned by the request's arena. */
static json_t *grid_api(struct request *req, const struct grid_ctx *g)
{
	return arena_json(req->arena, gpi_grid_json(&g->scale, g->c.id, g->grid, g->closed));
}

void gpi_api_grid(struct request *req)
{
	struct grid_ctx g;
	if (!grid_open_or_reply(req, &g))
		return;
	reply_json(req, 200, grid_api(req, &g));
	gpi_cand_close(&g.c);
}

/* Replies the grid's page with status; f (may be NULL) holds what was
 * typed and the errors of a refused save, notice a line above the form. */
static void page(struct request *req, const struct grid_ctx *g, int status, struct form *f,
		 const char *notice)
{
	const char *title = arena_printf(req->arena, "Grille de notation\u202f: %s",
					 json_str(g->c.cand, "title"));
	json_t *data = arena_json(
		req->arena,
		json_pack("{s:O, s:o, s:s, s:s, s:s*}", "edition", g->c.edition, "criteria",
			  gpi_grid_form_rows(req->arena, &g->scale, g->grid, f ? f->values : NULL,
					     f ? f->errors : NULL),
			  "title", json_str(g->c.cand, "title"), "cand_url",
			  arena_printf(req->arena, "/grand-prix/%d/candidatures/%s", g->c.year,
				       g->c.id),
			  "notice", notice));
	json_object_update(data, grid_api(req, g));
	json_object_set_new(
		data, "action",
		json_string(arena_printf(req->arena, "/grand-prix/%d/candidatures/%s/grille",
					 g->c.year, g->c.id)));
	json_object_set_new(
		data, "jury_url",
		json_string(arena_printf(req->arena, "/grand-prix/%d/jury", g->c.year)));
	if (f && status == 422)
		form_reply_invalid(f, "gpi/grid", title, "gpi", data);
	else
		page_reply(req, status, "gpi/grid", title, "gpi", data);
}

/* What ?fait= says after a save. */
static const char *done_notice(struct request *req)
{
	const char *done = request_param(req, "fait");
	if (done && !strcmp(done, "brouillon"))
		return "Brouillon enregistré. Vous pourrez le reprendre avant de soumettre la grille.";
	if (done && !strcmp(done, "soumise"))
		return "Grille soumise. Elle est désormais verrouillée\u202f: seul le secrétariat "
		       "peut la rouvrir.";
	return NULL;
}

void gpi_grid_page(struct request *req)
{
	struct grid_ctx g;
	if (!grid_open_or_reply(req, &g))
		return;
	page(req, &g, 200, NULL, done_notice(req));
	gpi_cand_close(&g.c);
}

/* ---- Saving ---- */

/* Reads the submitted grid into in, aligned on s: the API's {scores,
 * comments, submit}, or the form's "scores.<code>" and "comments.<code>"
 * fields and the button pressed. Form fields' own errors go to f. */
static void read_input(struct form *f, const struct gpi_grid_scale *s, struct gpi_grid_input *in)
{
	const json_t *body = f->req->json;
	if (f->req->is_api) {
		gpi_grid_input_of_json(s, json_object_get(body, "scores"),
				       json_object_get(body, "comments"), in);
		const json_t *submit = json_object_get(body, "submit");
		if (submit && !json_is_boolean(submit))
			form_error(f, "submit",
				   "Indiquez true pour soumettre, false pour un brouillon.");
		in->submit = json_is_true(submit);
		return;
	}
	in->unknown_code = NULL;
	for (size_t i = 0; i < s->n; i++) {
		struct arena *a = f->req->arena;
		const char *code = s->criteria[i].code;
		in->scores[i] = gpi_grid_score_of_text(
			form_text(f, arena_printf(a, "scores.%s", code), 3, false));
		in->comments[i] = form_paragraphs(f, arena_printf(a, "comments.%s", code),
						  GPI_GRID_COMMENT_MAX_CHARS, false);
	}
	const char *action = form_text(f, "action", 20, false);
	in->submit = !strcmp(action, "soumettre");
}

/* Replies a refusal: 422 with the fields, or the page with them. */
static void refuse_invalid(struct request *req, const struct grid_ctx *g, struct form *f)
{
	if (req->is_api)
		form_reply_invalid(f, NULL, NULL, NULL, NULL);
	else
		page(req, g, 422, f, NULL);
}

/* Replies 409: the grid is locked (submitted, or scoring closed). */
static void refuse_locked(struct request *req, const struct grid_ctx *g, struct form *f)
{
	const char *message =
		g->closed
			? "La notation de cette catégorie est close\u202f: la grille ne peut plus "
			  "changer."
			: "Cette grille est soumise et verrouillée\u202f: seul le secrétariat peut "
			  "la rouvrir.";
	if (req->is_api)
		reply_error(req, 409, "locked", message, NULL);
	else
		page(req, g, 409, f, message);
}

void gpi_grid_save_action(struct request *req)
{
	struct grid_ctx g;
	if (!grid_open_or_reply(req, &g))
		return;
	struct form f;
	form_begin(&f, req);
	struct gpi_grid_input in;
	read_input(&f, &g.scale, &in);
	if (g.closed || gpi_grid_state_of(g.grid) == GPI_GRID_SUBMITTED) {
		refuse_locked(req, &g, &f);
		goto done;
	}
	struct field_error errs[GPI_GRID_MAX_ERRORS];
	size_t n = gpi_grid_check(req->arena, &g.scale, &in, errs);
	for (size_t i = 0; i < n; i++)
		form_error(&f, errs[i].field, errs[i].message);
	if (!form_valid(&f)) {
		refuse_invalid(req, &g, &f);
		goto done;
	}
	struct audit_actor by = audit_actor_of(req, NULL);
	json_t *saved = NULL;
	bson_error_t error;
	int rc = gpi_grid_save(req->db, &by, g.c.cand, req->user->id, &g.scale, &in, &saved,
			       &error);
	arena_json(req->arena, saved);
	if (rc == GPI_GRID_LOCKED) {
		refuse_locked(req, &g, &f);
	} else if (rc < 0) {
		db_fail(req, "saving a juror's grid", &error);
	} else if (req->is_api) {
		g.grid = saved;
		reply_json(req, 200, grid_api(req, &g));
	} else {
		reply_redirect(req,
			       arena_printf(req->arena,
					    "/grand-prix/%d/candidatures/%s/grille?fait=%s",
					    g.c.year, g.c.id, in.submit ? "soumise" : "brouillon"));
	}
done:
	form_end(&f);
	gpi_cand_close(&g.c);
}
