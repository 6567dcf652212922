/* The grand jury's prizes (issue 13, articles 7 to 9), pages and API
 * alike, for the edition's grand jurors, its secretariat and admins:
 *   GET  /grand-prix/{year}/grand-jury                 the page: per category
 *        its finalists with their Gold endowment, the prizes so far
 *   POST /grand-prix/{year}/grand-jury/categories/{category}   and
 *   PUT  /api/v1/gpi/editions/{year}/categories/{category}/awards
 *        Or, Argent, Bronze (gpi_awards_check); on the page, a Gold whose
 *        endowment is not attributable is confirmed first, its reason shown
 *   POST /grand-prix/{year}/grand-jury/coup-de-coeur   and
 *   PUT  /api/v1/gpi/editions/{year}/awards/coup-de-coeur
 *   POST /grand-prix/{year}/grand-jury/prix-special    and
 *   PUT  /api/v1/gpi/editions/{year}/awards/special
 * Every award is journaled (gpi/results.h's setters). Under embargo until
 * the ceremony: nothing here is shown to anyone else. */
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "db/doc.h"
#include "gpi/candidature.h"
#include "gpi/final.h"
#include "gpi/final_rules.h"
#include "gpi/results.h"
#include "gpi/ui.h"
#include "http/form.h"
#include "http/reply.h"
#include "http/request.h"
#include "web/confirm.h"
#include "web/db_reply.h"
#include "web/error_reply.h"
#include "web/form_reply.h"
#include "web/page.h"

/* Returns the row of id in rows, or NULL. */
static const json_t *row_of(const json_t *rows, const char *id)
{
	size_t i;
	const json_t *r;
	json_array_foreach(rows, i, r)
		if (id && !strcmp(json_str(r, "id"), id))
			return r;
	return NULL;
}

/* Returns eur in French ("5 000 €", narrow no-break spaces), arena. */
static const char *euros(struct arena *a, int64_t eur)
{
	char digits[32], out[64];
	int n = snprintf(digits, sizeof(digits), "%lld", (long long)eur);
	size_t o = 0;
	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			o += (size_t)snprintf(out + o, sizeof(out) - o, "\u202f");
		out[o++] = digits[i];
	}
	snprintf(out + o, sizeof(out) - o, "\u202f€");
	return arena_strdup(a, out);
}

/* Returns the Gold endowment of row as the page says it. */
static const char *endowment_fr(struct request *req, const json_t *e, const json_t *row)
{
	struct gpi_endowment g = gpi_gold_endowment(e, row);
	return g.note ? g.note
		      : arena_printf(req->arena, "Dotation de l’or attribuable\u202f: %s.",
				     euros(req->arena, g.eur));
}

/* Returns [{id, title, selected}] of f's admissible rows (only the
 * finalists of states when finalists_only), selected the one equal to
 * chosen. New reference. */
static json_t *options(const struct gpi_final *f, const json_t *states, bool finalists_only,
		       const char *chosen)
{
	json_t *out = json_array();
	size_t i, k;
	const json_t *r, *s;
	json_array_foreach(f->rows, i, r) {
		const char *id = json_str(r, "id");
		bool keep = gpi_in_pool(r);
		if (finalists_only) {
			keep = false;
			json_array_foreach(states, k, s)
				keep |= gpi_state_is_finalist(s, id);
		}
		if (keep)
			json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "id", id, "title",
							     json_str(r, "title"), "selected",
							     chosen && !strcmp(chosen, id)));
	}
	return out;
}

/* Returns the edition's category states, in its categories' order (a new
 * array), or NULL after replying. */
static json_t *states_of(struct request *req, const struct gpi_final *f)
{
	json_t *out = arena_json(req->arena, json_array());
	size_t i;
	const json_t *c;
	json_array_foreach(json_object_get(f->edition, "categories"), i, c) {
		bson_error_t error;
		const json_t *s = gpi_category_state(req->db, f->year, json_str(c, "code"), &error);
		if (!s) {
			db_fail(req, "reading a Grand Prix category", &error);
			return NULL;
		}
		json_array_append(out, (json_t *)s);
	}
	return out;
}

/* The view of category c (state s): finalists with their endowment, and
 * a select per prize (ids "<category>-<prize>", or the prize's own, the
 * error summary's links, in the refused form, which may be NULL). New. */
static json_t *category_view(struct request *req, const struct gpi_final *f, const json_t *c,
			     const json_t *s, const struct form *form)
{
	json_t *finalists = json_array(), *prizes = json_array();
	size_t i;
	const json_t *id;
	json_array_foreach(gpi_state_finalists(s), i, id) {
		const json_t *r = row_of(f->rows, json_string_value(id));
		if (r)
			json_array_append_new(finalists,
					      json_pack("{s:s, s:s, s:s}", "title",
							json_str(r, "title"), "organisation_id",
							json_str(r, "organisation_id"), "endowment",
							endowment_fr(req, f->edition, r)));
	}
	for (int p = 0; p < GPI_CATEGORY_PRIZES; p++) {
		const char *code = gpi_prize_code(p);
		const char *chosen = form ? json_str(form->values, code) : gpi_state_award(s, p);
		json_t *opts = json_array(), *o;
		json_array_foreach(gpi_state_finalists(s), i, id) {
			const json_t *r = row_of(f->rows, json_string_value(id));
			if (r)
				json_array_append_new(
					opts,
					json_pack("{s:s, s:s, s:b}", "id", json_str(r, "id"),
						  "title", json_str(r, "title"), "selected",
						  chosen && !strcmp(chosen, json_str(r, "id"))));
		}
		const json_t *won = row_of(f->rows, gpi_state_award(s, p));
		o = json_pack("{s:s, s:s, s:s, s:o, s:s, s:s*}", "code", code, "label",
			      gpi_prize_label(p), "current", won ? json_str(won, "title") : "",
			      "options", opts, "input_id",
			      form ? code
				   : arena_printf(req->arena, "%s-%s", json_str(c, "code"), code),
			      "error",
			      form ? json_string_value(json_object_get(form->errors, code)) : NULL);
		json_array_append_new(prizes, o);
	}
	return json_pack("{s:s, s:s, s:s, s:o, s:o, s:b, s:s}", "code", json_str(c, "code"), "name",
			 json_str(c, "name"), "sponsor",
			 gpi_state_sponsor(s) ? gpi_state_sponsor(s) : "", "finalists", finalists,
			 "prizes", prizes, "decided", gpi_state_finalists(s) != NULL, "action",
			 arena_printf(req->arena, "/grand-prix/%d/grand-jury/categories/%s",
				      f->year, json_str(c, "code")));
}

/* Replies the page with status; form (may be NULL) is the refused one:
 * which names it ("coup-de-coeur", "special" or a category code). */
static void page(struct request *req, struct gpi_final *f, int status, struct form *form,
		 const char *which, const char *notice)
{
	bson_error_t error;
	const json_t *results = gpi_edition_results(req->db, f->year, &error);
	json_t *states = results ? states_of(req, f) : NULL;
	if (!results || !states) {
		if (!results)
			db_fail(req, "reading a Grand Prix edition's results", &error);
		return;
	}
	json_t *cats = json_array(), *c;
	size_t i;
	json_array_foreach(json_object_get(f->edition, "categories"), i, c) {
		bool mine = form && which && !strcmp(which, json_str(c, "code"));
		json_array_append_new(cats, category_view(req, f, c, json_array_get(states, i),
							  mine ? form : NULL));
	}
	bool cdc = form && !strcmp(which, "coup-de-coeur"), sp = form && !strcmp(which, "special");
	const json_t *values = form ? form->values : NULL;
	const char *special_title = sp ? json_str(values, "title")
				       : gpi_results_special_title(results);
	json_t *data = arena_json(
		req->arena,
		json_pack("{s:O, s:o, s:o, s:o, s:s, s:s, s:b, s:b, s:s, s:s}", "edition",
			  f->edition, "categories", cats, "coup_de_coeur",
			  options(f, states, true,
				  cdc ? json_str(values, "candidature_id")
				      : gpi_results_award(results, GPI_PRIZE_COUP_DE_COEUR)),
			  "special",
			  options(f, states, false,
				  sp ? json_str(values, "candidature_id")
				     : gpi_results_award(results, GPI_PRIZE_SPECIAL)),
			  "special_title", special_title ? special_title : "", "notice",
			  notice ? notice : "", "cdc_refused", cdc, "special_refused", sp, "base",
			  arena_printf(req->arena, "/grand-prix/%d/grand-jury", f->year),
			  "gold_eur",
			  euros(req->arena, json_integer_value(json_object_get(
						    f->edition, "gold_endowment_eur")))));
	const char *title = arena_printf(req->arena, "Grand jury du %s",
					 json_str(f->edition, "title"));
	if (form && status == 422)
		form_reply_invalid(form, "gpi/grand_jury", title, "gpi", data);
	else
		page_reply(req, status, "gpi/grand_jury", title, "gpi", data);
}

static const char *const DONE[][2] = {
	{"prix", "Les prix de la catégorie sont enregistrés."},
	{"coup-de-coeur", "Le coup de cœur est enregistré."},
	{"special", "Le prix spécial est enregistré."},
};

void gpi_grand_jury_page(struct request *req)
{
	struct gpi_final f;
	if (!gpi_final_open(req, GPI_FINAL_GRAND_JURY, &f))
		return;
	page(req, &f, 200, NULL, NULL, gpi_final_done(req, DONE, sizeof(DONE) / sizeof(*DONE)));
}

/* Replies what follows a recorded award: the API's body, or the page
 * again (a redirect) with done's notice. body is stolen (the request's
 * arena takes it). */
static void saved(struct request *req, const struct gpi_final *f, const char *done,
		  const char *anchor, json_t *body)
{
	arena_json(req->arena, body);
	if (req->is_api)
		reply_json(req, 200, body);
	else
		reply_redirect(req, arena_printf(req->arena, "/grand-prix/%d/grand-jury?fait=%s#%s",
						 f->year, done, anchor));
}

/* Replies a refused form: the API's 422, or the page again. */
static void refused(struct request *req, struct gpi_final *f, struct form *form, const char *which)
{
	if (req->is_api)
		form_reply_invalid(form, NULL, NULL, NULL, NULL);
	else
		page(req, f, 422, form, which, NULL);
}

/* Shows the Gold's endowment refusal before recording it (the page's
 * confirmation step): returns true when it replied so. */
static bool confirm_gold(struct request *req, const struct gpi_final *f, struct form *form,
			 const char *const ids[GPI_CATEGORY_PRIZES])
{
	const json_t *gold = row_of(f->rows, ids[GPI_PRIZE_OR]);
	if (req->is_api || !gold || gpi_gold_endowment(f->edition, gold).eur > 0 ||
	    !strcmp(form_text(form, "confirm", 3, false), "oui"))
		return false;
	const char *const fields[] = {
		"or",     ids[0] ? ids[0] : "", "argent",  ids[1] ? ids[1] : "",
		"bronze", ids[2] ? ids[2] : "", "confirm", "oui",
		NULL};
	struct confirm_page c = {
		.title = "Attribuer l’or sans dotation\u202f?",
		.subject = json_str(gold, "title"),
		.consequence = arena_printf(
			req->arena,
			"%s Le prix d’or reste attribué\u202f; le palmarès indiquera "
			"la dotation comme non attribuable, avec cette raison.",
			gpi_gold_endowment(f->edition, gold).note),
		.action = arena_printf(req->arena, "/grand-prix/%d/grand-jury/categories/%s",
				       f->year, f->category),
		.button = "Confirmer les prix",
		.cancel = arena_printf(req->arena, "/grand-prix/%d/grand-jury", f->year),
		.fields = fields,
	};
	confirm_page_reply(req, &c);
	return true;
}

void gpi_awards_category(struct request *req)
{
	struct gpi_final f;
	if (!gpi_final_open(req, GPI_FINAL_GRAND_JURY, &f))
		return;
	struct form form;
	form_begin(&form, req);
	const char *ids[GPI_CATEGORY_PRIZES];
	for (int p = 0; p < GPI_CATEGORY_PRIZES; p++)
		ids[p] = form_text(&form, gpi_prize_code(p), 40, false);
	struct field_error errs[GPI_CATEGORY_PRIZES];
	if (form_valid(&form))
		gpi_final_refusals(&form, errs, gpi_awards_check(f.state, ids, errs));
	bson_error_t error;
	struct audit_actor by = audit_actor_of(req, NULL);
	if (!form_valid(&form)) {
		refused(req, &f, &form, f.category);
	} else if (!confirm_gold(req, &f, &form, ids)) {
		if (gpi_state_set_awards(req->db, &by, f.year, f.category, ids, &error)) {
			db_fail(req, "recording a category's prizes", &error);
		} else {
			const json_t *gold = row_of(f.rows, ids[GPI_PRIZE_OR]);
			struct gpi_endowment g = gold ? gpi_gold_endowment(f.edition, gold)
						      : (struct gpi_endowment){0};
			saved(req, &f, "prix", arena_printf(req->arena, "categorie-%s", f.category),
			      json_pack("{s:s, s:{s:s, s:s, s:s}, s:I, s:s*}", "category",
					f.category, "awards", "or", ids[0], "argent", ids[1],
					"bronze", ids[2], "endowment_eur", (json_int_t)g.eur,
					"endowment_note", g.note));
		}
	}
	form_end(&form);
}

void gpi_awards_coup_de_coeur(struct request *req)
{
	struct gpi_final f;
	if (!gpi_final_open(req, GPI_FINAL_GRAND_JURY, &f))
		return;
	json_t *states = states_of(req, &f);
	if (!states)
		return;
	struct form form;
	form_begin(&form, req);
	const char *id = form_text(&form, "candidature_id", 40, false);
	struct field_error err;
	if (form_valid(&form) && gpi_coup_de_coeur_check(states, id, &err))
		gpi_final_refusals(&form, &err, 1);
	bson_error_t error;
	struct audit_actor by = audit_actor_of(req, NULL);
	if (!form_valid(&form))
		refused(req, &f, &form, "coup-de-coeur");
	else if (gpi_results_set_coup_de_coeur(req->db, &by, f.year, id, &error))
		db_fail(req, "recording the coup de cœur", &error);
	else
		saved(req, &f, "coup-de-coeur", "coup-de-coeur",
		      json_pack("{s:s}", "candidature_id", id));
	form_end(&form);
}

void gpi_awards_special(struct request *req)
{
	struct gpi_final f;
	if (!gpi_final_open(req, GPI_FINAL_GRAND_JURY, &f))
		return;
	struct form form;
	form_begin(&form, req);
	const char *id = form_text(&form, "candidature_id", 40, false);
	const char *title = form_text(&form, "title", GPI_SPECIAL_TITLE_MAX, false);
	struct field_error errs[2];
	if (form_valid(&form))
		gpi_final_refusals(&form, errs,
				   gpi_special_check(id, row_of(f.rows, id), title, errs));
	bson_error_t error;
	struct audit_actor by = audit_actor_of(req, NULL);
	if (!form_valid(&form))
		refused(req, &f, &form, "special");
	else if (gpi_results_set_special(req->db, &by, f.year, id, title, &error))
		db_fail(req, "recording the special prize", &error);
	else
		saved(req, &f, "special", "prix-special",
		      json_pack("{s:s, s:s}", "candidature_id", id, "title", title));
	form_end(&form);
}
