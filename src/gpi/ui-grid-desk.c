/* The secretariat's side of the grids (issue 13):
 *   GET  /grand-prix/{year}/candidatures/{id}/grilles     a candidature's
 *        grids, juror by juror, with their recusals
 *   POST /grand-prix/{year}/candidatures/{id}/grilles/{juror}/rouvrir and
 *   POST /api/v1/gpi/candidatures/{id}/grids/{juror}/reopen   reopen a
 *        submitted grid, with a reason (journalled)
 *   GET  /grand-prix/{year}/classement.csv?categorie=     the ranking
 *   GET  /grand-prix/{year}/grilles.csv?categorie=        every grid of
 *        the category, note and comment per criterion
 * The CSVs are UTF-8 with a BOM, ";" and formulas defused (core/csv.h).
 * The grids' CSV reads the category's grids, comments included, in one
 * unsorted cursor, as every export does. */
#include <mongoc/mongoc.h>
#include <string.h>

#include "accounts/user.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/paris_time.h"
#include "db/db.h"
#include "db/doc.h"
#include "gpi/candidature.h"
#include "gpi/desk.h"
#include "gpi/edition.h"
#include "gpi/grid_store.h"
#include "gpi/grid_view.h"
#include "gpi/jury.h"
#include "gpi/ranking.h"
#include "gpi/results.h"
#include "gpi/ui.h"
#include "http/form.h"
#include "http/reply.h"
#include "web/db_reply.h"
#include "web/error_reply.h"
#include "web/form_reply.h"
#include "web/page.h"

/* Returns the grids of candidature id by members, as an object juror id
 * → row (owned by db's arena; rows shared), or NULL with error set. One
 * lookup per juror in the grids' index: no pass over the category's
 * grids. */
static json_t *grids_of(struct db_ctx *db, int year, const json_t *members, const char *id,
			bson_error_t *error)
{
	json_t *out = arena_json(db->arena, json_object()), *m;
	size_t i;
	json_array_foreach(members, i, m) {
		json_t *mine = gpi_grid_rows_of_juror(db, year, json_str(m, "id"), error);
		if (!mine)
			return NULL;
		json_t *row = json_object_get(mine, id);
		if (row)
			json_object_set(out, json_str(m, "id"), row);
		json_decref(mine);
	}
	return out;
}

/* One juror's line of the page: who, why recused, the grid's state. */
static json_t *juror_line(struct request *req, const struct gpi_cand_ctx *c,
			  const struct gpi_grid_scale *s, const json_t *member, const json_t *row,
			  const json_t *declared, bool closed)
{
	const char *juror = json_str(member, "id");
	const json_t *d = json_object_get(declared, juror);
	const char *recusal = gpi_recusal_reason(
		json_str(member, "organisation_id"), json_str(c->cand, "organisation_id"),
		json_object_get(c->cand, "partner_organisation_ids"), d != NULL);
	json_t *grid = gpi_grid_json(s, c->id, row, closed);
	json_t *line = json_pack("{s:s, s:s, s:s, s:s*, s:s*, s:o}", "id", juror, "name",
				 json_str(member, "name"), "email", json_str(member, "email"),
				 "recusal", recusal, "declared_reason",
				 d ? json_str(d, "reason") : NULL, "grid", grid);
	enum gpi_grid_state state = gpi_grid_state_of(row);
	json_object_set_new(
		line, "state_label",
		json_string(
			state == GPI_GRID_SUBMITTED
				? arena_printf(
					  req->arena, "Soumise le %s",
					  json_str(json_object_get(line, "grid"), "submitted_fr"))
			: state == GPI_GRID_DRAFT
				? arena_printf(req->arena, "Brouillon, %d critères notés sur %zu",
					       (int)json_integer_value(json_object_get(
						       json_object_get(line, "grid"), "scored")),
					       s->n)
				: "Pas encore commencée"));
	json_object_set_new(line, "reopenable",
			    json_boolean(!closed && state == GPI_GRID_SUBMITTED));
	json_object_set_new(line, "reopen_url",
			    json_string(arena_printf(
				    req->arena, "/grand-prix/%d/candidatures/%s/grilles/%s/rouvrir",
				    c->year, c->id, juror)));
	return line;
}

/* Replies the page of c's grids with status; f (may be NULL) holds a
 * refused reopening's reason and error, for juror. */
static void grids_page(struct request *req, const struct gpi_cand_ctx *c, int status,
		       struct form *f, const char *juror, const char *notice)
{
	const char *category = json_str(c->cand, "category");
	bson_error_t error;
	const json_t *state = gpi_category_state(req->db, c->year, category, &error);
	json_t *members = state ? arena_json(req->arena,
					     gpi_jury_members(req->db, c->year, category, &error))
				: NULL;
	json_t *rows = members ? grids_of(req->db, c->year, members, c->id, &error) : NULL;
	json_t *declared = rows ? arena_json(req->arena, gpi_conflicts_of(req->db, c->id, &error))
				: NULL;
	if (!declared) {
		db_fail(req, "reading a candidature's grids", &error);
		return;
	}
	struct gpi_grid_scale s = gpi_grid_scale_of(c->edition);
	bool closed = gpi_state_scoring_closed(state);
	json_t *lines = json_array(), *m;
	size_t i;
	json_array_foreach(members, i, m) {
		const char *id = json_str(m, "id");
		json_t *line = juror_line(req, c, &s, m, json_object_get(rows, id), declared,
					  closed);
		if (f && juror && !strcmp(juror, id)) {
			json_object_set(line, "reason_value", json_object_get(f->values, "reason"));
			json_object_set(line, "reason_error", json_object_get(f->errors, "reason"));
		}
		json_array_append_new(lines, line);
	}
	json_t *data = arena_json(
		req->arena,
		json_pack("{s:O, s:s, s:s, s:s, s:o, s:b, s:s*, s:s}", "edition", c->edition, "id",
			  c->id, "title", json_str(c->cand, "title"), "category_name",
			  gpi_desk_category_name(c->edition, category), "jurors", lines, "closed",
			  closed, "notice", notice, "ranking_url",
			  arena_printf(req->arena, "/grand-prix/%d/classement?categorie=%s",
				       c->year, category)));
	page_reply(req, status, "gpi/grids",
		   arena_printf(req->arena, "Grilles\u202f: %s", json_str(c->cand, "title")), "gpi",
		   data);
}

void gpi_grids_page(struct request *req)
{
	struct gpi_cand_ctx c;
	if (!gpi_desk_open_row_or_reply(req, &c))
		return;
	const char *done = request_param(req, "fait");
	grids_page(req, &c, 200, NULL, NULL,
		   done && !strcmp(done, "rouverte")
			   ? "La grille est rouverte\u202f: le juré peut de nouveau la modifier."
			   : NULL);
	gpi_cand_close(&c);
}

/* Replies a refused reopening: status with code and message, beside the
 * reason field when field. */
static void refuse_reopen(struct request *req, const struct gpi_cand_ctx *c, struct form *f,
			  const char *juror, int status, const char *code, const char *message)
{
	if (req->is_api) {
		reply_error(req, status, code, message,
			    status == 422
				    ? arena_json(req->arena, json_pack("{s:s}", "reason", message))
				    : NULL);
		return;
	}
	if (status == 422)
		form_error(f, "reason", message);
	grids_page(req, c, status, f, juror, status == 422 ? NULL : message);
}

/* The API's answer to a reopening: the grid is a draft again. */
static void reply_reopened(struct request *req, const char *id, const char *juror)
{
	reply_json(req, 200,
		   arena_json(req->arena, json_pack("{s:s, s:s, s:s}", "candidature_id", id,
						    "juror_id", juror, "status", "draft")));
}

void gpi_grid_reopen_action(struct request *req)
{
	struct gpi_cand_ctx c;
	if (!gpi_desk_open_or_reply(req, &c))
		return;
	const char *juror = request_param(req, "juror");
	struct form f;
	form_begin(&f, req);
	const char *reason = form_paragraphs(&f, "reason", GPI_REOPEN_REASON_MAX_CHARS, false);
	bson_error_t error;
	const json_t *state = gpi_category_state(req->db, c.year, json_str(c.cand, "category"),
						 &error);
	if (!state) {
		db_fail(req, "reading a category's state", &error);
	} else if (!form_valid(&f) || !*reason) {
		refuse_reopen(req, &c, &f, juror, 422, "invalid",
			      form_valid(&f)
				      ? "Indiquez pourquoi la grille est rouverte\u202f: le juré "
					"et le journal le verront."
				      : json_string_value(json_object_get(f.errors, "reason")));
	} else if (gpi_state_scoring_closed(state)) {
		refuse_reopen(
			req, &c, &f, juror, 409, "scoring_closed",
			"La notation de cette catégorie est close\u202f: ses grilles ne peuvent "
			"plus être rouvertes.");
	} else {
		struct audit_actor by = audit_actor_of(req, NULL);
		int rc = gpi_grid_reopen(req->db, &by, c.id, juror ? juror : "", reason, &error);
		if (rc < 0)
			db_fail(req, "reopening a grid", &error);
		else if (rc == GPI_GRID_NOT_SUBMITTED)
			refuse_reopen(
				req, &c, &f, juror, 409, "not_submitted",
				"Cette grille n’est pas soumise\u202f: il n’y a rien à rouvrir.");
		else if (req->is_api)
			reply_reopened(req, c.id, juror);
		else
			reply_redirect(
				req,
				arena_printf(req->arena,
					     "/grand-prix/%d/candidatures/%s/grilles?fait=rouverte",
					     c.year, c.id));
	}
	form_end(&f);
	gpi_cand_close(&c);
}

/* ---- CSV ---- */

/* Returns the route's ?categorie= of e, or NULL after replying 404. */
static const char *csv_category_or_reply(struct request *req, const json_t *e)
{
	const char *category = request_param(req, "categorie");
	if (!category || !gpi_edition_category(e, category)) {
		reply_not_found(req);
		return NULL;
	}
	return category;
}

/* Replies the CSV text of b as file name, journalled as export what. */
static void reply_csv(struct request *req, struct buf *b, const char *name, const char *what)
{
	reply_header(req, "Content-Disposition",
		     arena_printf(req->arena, "attachment; filename=\"%s\"", name));
	reply_header(req, "Cache-Control", "no-store");
	reply_text(req, 200, "text/csv; charset=utf-8", b->data);
	audit_record(req, "gpi.export", name, what, NULL);
}

void gpi_ranking_csv(struct request *req)
{
	const json_t *e = gpi_edition_of_route_or_reply(req);
	const char *category = e ? csv_category_or_reply(req, e) : NULL;
	if (!category)
		return;
	bson_error_t error;
	json_t *ranking = gpi_ranking_compile(req->db, e, category, &error);
	if (!ranking) {
		db_fail(req, "exporting a ranking", &error);
		return;
	}
	struct buf b = {0};
	buf_puts(&b, CSV_BOM);
	static const char *const HEADER[] = {"Rang",
					     "Candidature",
					     "Titre",
					     "Organisme",
					     "Moyenne",
					     "Grilles soumises",
					     "Grilles attendues",
					     "Total minimal",
					     "Total maximal",
					     "Désaccord"};
	csv_append_row(&b, HEADER, sizeof(HEADER) / sizeof(*HEADER));
	json_t *it;
	size_t i;
	json_array_foreach(json_object_get(ranking, "items"), i, it) {
		struct arena *a = req->arena;
		bool graded = json_integer_value(json_object_get(it, "grids")) > 0;
		const char *row[] = {
			graded ? arena_printf(a, "%lld",
					      json_integer_value(json_object_get(it, "rank")))
			       : "",
			json_str(it, "candidature_id"),
			json_str(it, "title"),
			json_str(it, "organisation_id"),
			graded ? gpi_mean_fr(a, json_number_value(json_object_get(it, "mean")))
			       : "",
			arena_printf(a, "%lld", json_integer_value(json_object_get(it, "grids"))),
			arena_printf(a, "%lld",
				     json_integer_value(json_object_get(it, "expected"))),
			graded ? arena_printf(a, "%lld",
					      json_integer_value(json_object_get(it, "min")))
			       : "",
			graded ? arena_printf(a, "%lld",
					      json_integer_value(json_object_get(it, "max")))
			       : "",
			json_is_true(json_object_get(it, "disagreement")) ? "oui" : "non",
		};
		csv_append_row(&b, row, sizeof(row) / sizeof(*row));
	}
	reply_csv(req, &b,
		  arena_printf(req->arena, "grand-prix-%d-classement-%s.csv", gpi_edition_year(e),
			       category),
		  "ranking.csv");
	buf_free(&b);
}

/* Returns the member of id among members (gpi_jury_members), or NULL: a
 * juror removed since they scored. Borrowed. */
static const json_t *member_of(const json_t *members, const char *id)
{
	const json_t *m;
	size_t i;
	json_array_foreach(members, i, m)
		if (!strcmp(json_str(m, "id"), id))
			return m;
	return NULL;
}

/* Appends the CSV line of stored grid doc to b. */
static void grid_line(struct request *req, struct buf *b, const struct gpi_grid_scale *s,
		      const bson_t *doc, const json_t *members)
{
	struct arena *a = req->arena;
	json_t *grid = doc_to_json(doc);
	const char *id = json_str(grid, "candidature_id"), *juror = json_str(grid, "juror_id");
	bson_error_t error;
	json_t *cand = gpi_index_row(req->db, id, &error);
	const json_t *m = member_of(members, juror);
	const char *fields[4 + 2 * GPI_CRITERIA_MAX + 3];
	size_t n = 0;
	fields[n++] = id;
	fields[n++] = json_str(cand, "title");
	fields[n++] = m ? json_str(m, "name") : juror;
	fields[n++] = m ? json_str(m, "email") : "";
	const json_t *scores = json_object_get(grid, "scores");
	for (size_t i = 0; i < s->n; i++) {
		int v = gpi_grid_score_of_json(json_object_get(scores, s->criteria[i].code));
		fields[n++] = v >= GPI_SCORE_MIN ? arena_printf(a, "%d", v) : "";
		fields[n++] = json_str(json_object_get(grid, "comments"), s->criteria[i].code);
	}
	fields[n++] = arena_printf(a, "%d", gpi_grid_total_of_json(s, scores));
	bool submitted = gpi_grid_state_of(grid) == GPI_GRID_SUBMITTED;
	fields[n++] = submitted ? "soumise" : "brouillon";
	char when[PARIS_TIME_LONG_MAX];
	json_int_t at = json_integer_value(json_object_get(grid, "submitted_at"));
	fields[n++] = at ? arena_strdup(a, paris_time_format_long(at, when, sizeof(when))) : "";
	csv_append_row(b, fields, n);
	json_decref(cand);
	json_decref(grid);
}

/* Every grid of the category, comments included, from one unsorted
 * cursor over the category's grids, as every export reads (README,
 * "Exports read one unsorted cursor"). */
void gpi_grids_csv(struct request *req)
{
	const json_t *e = gpi_edition_of_route_or_reply(req);
	const char *category = e ? csv_category_or_reply(req, e) : NULL;
	if (!category)
		return;
	int year = gpi_edition_year(e);
	struct gpi_grid_scale s = gpi_grid_scale_of(e);
	bson_error_t error;
	json_t *members = arena_json(req->arena, gpi_jury_members(req->db, year, category, &error));
	if (!members) {
		db_fail(req, "exporting grids", &error);
		return;
	}
	struct buf b = {0};
	buf_puts(&b, CSV_BOM);
	const char *header[4 + 2 * GPI_CRITERIA_MAX + 3] = {"Candidature", "Titre", "Juré",
							    "Courriel du juré"};
	size_t n = 4;
	for (size_t i = 0; i < s.n; i++) {
		const char *label = s.criteria[i].label ? s.criteria[i].label : s.criteria[i].code;
		header[n++] = arena_printf(req->arena, "%s (note)", label);
		header[n++] = arena_printf(req->arena, "%s (commentaire)", label);
	}
	header[n++] = "Total pondéré";
	header[n++] = "État";
	header[n++] = "Soumise le";
	csv_append_row(&b, header, n);
	bson_t *filter = BCON_NEW("year", BCON_INT32(year), "category", BCON_UTF8(category));
	mongoc_cursor_t *cur = mongoc_collection_find_with_opts(db_collection(req->db, GPI_GRIDS),
								filter, NULL, NULL);
	const bson_t *doc;
	while (mongoc_cursor_next(cur, &doc))
		grid_line(req, &b, &s, doc, members);
	if (mongoc_cursor_error(cur, &error))
		db_fail(req, "exporting grids", &error);
	else
		reply_csv(req, &b,
			  arena_printf(req->arena, "grand-prix-%d-grilles-%s.csv", year, category),
			  "grids.csv");
	mongoc_cursor_destroy(cur);
	bson_destroy(filter);
	buf_free(&b);
}
