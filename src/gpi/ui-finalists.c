/* The secretariat's finalists (issue 13, article 6.2), pages and API alike:
 *   GET  /grand-prix/{year}/finalistes                 the page: per category
 *        its pool with the scoring's closure, the finalists, the minutes;
 *        the phase mails' button with the 30-day warning
 *   POST /grand-prix/{year}/finalistes/{category}      and
 *   POST /api/v1/gpi/editions/{year}/categories/{category}/finalists
 *        records the finalists (gpi_finalists_check) with the minutes, then
 *        moves the pool's statuses: finaliste or non-retenue
 *   POST /grand-prix/{year}/notifications              and
 *   POST /api/v1/gpi/editions/{year}/notifications
 *        sends the phase mails (gpi_final_send_notifications), once each.
 * Once the mails are out, the finalists they named are final (409). */
#include <string.h>

#include "accounts/user.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/log.h"
#include "core/paris_time.h"
#include "db/doc.h"
#include "gpi/candidature.h"
#include "gpi/desk.h"
#include "gpi/edition.h"
#include "gpi/final.h"
#include "gpi/final_rules.h"
#include "gpi/results.h"
#include "gpi/ui.h"
#include "http/form.h"
#include "http/reply.h"
#include "http/request.h"
#include "web/db_reply.h"
#include "web/error_reply.h"
#include "web/form_reply.h"
#include "web/page.h"

static const char *when_fr(struct request *req, int64_t ms)
{
	char out[PARIS_TIME_LONG_MAX];
	return ms > 0 ? arena_strdup(req->arena, paris_time_format_long(ms, out, sizeof(out))) : "";
}

static int64_t int_of(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* Returns whether the edition's phase mails went out already. */
static int mails_sent(struct request *req, int year, bool *sent)
{
	bson_error_t error;
	const json_t *results = gpi_edition_results(req->db, year, &error);
	if (!results) {
		db_fail(req, "reading a Grand Prix edition's results", &error);
		return -1;
	}
	*sent = gpi_results_instant(results, GPI_RESULTS_NOTIFICATIONS_SENT) > 0;
	return 0;
}

/* ---- The page ---- */

/* Returns the view of category c of f's edition: its pool, with the ids
 * checked (chosen, or the recorded finalists). New reference, or NULL
 * after replying. */
static json_t *category_view(struct request *req, const struct gpi_final *f, const json_t *c,
			     const json_t *chosen)
{
	bson_error_t error;
	const char *code = json_str(c, "code");
	const json_t *state = gpi_category_state(req->db, f->year, code, &error);
	if (!state) {
		db_fail(req, "reading a Grand Prix category", &error);
		return NULL;
	}
	const json_t *picked = chosen ? chosen : gpi_state_finalists(state);
	json_t *pool = json_array(), *r;
	size_t i, k;
	json_array_foreach(f->rows, i, r) {
		if (strcmp(json_str(r, "category"), code) || !gpi_in_pool(r))
			continue;
		bool checked = false;
		const json_t *v;
		json_array_foreach(picked, k, v)
			checked |= !strcmp(json_string_value(v) ? json_string_value(v) : "",
					   json_str(r, "id"));
		json_array_append_new(
			pool, json_pack("{s:s, s:s, s:s, s:s, s:b, s:s}", "id", json_str(r, "id"),
					"title", json_str(r, "title"), "organisation_id",
					json_str(r, "organisation_id"), "status_label",
					gpi_status_label(json_str(r, "status")), "checked", checked,
					"url",
					arena_printf(req->arena,
						     "/grand-prix/%d/candidatures/%s/secretariat",
						     f->year, json_str(r, "id"))));
	}
	json_t *v = json_pack(
		"{s:s, s:s, s:s, s:b, s:s, s:b, s:I, s:s, s:s, s:s, s:o}", "code", code, "name",
		json_str(c, "name"), "sponsor",
		gpi_state_sponsor(state) ? gpi_state_sponsor(state) : "", "closed",
		gpi_state_scoring_closed(state), "closed_fr",
		when_fr(req, int_of(state, "scoring_closed_at")), "decided",
		gpi_state_finalists(state) != NULL, "expected",
		(json_int_t)gpi_finalists_expected(json_array_size(pool)), "decided_fr",
		when_fr(req, int_of(state, "finalists_at")), "minutes", json_str(state, "minutes"),
		"action", arena_printf(req->arena, "/grand-prix/%d/finalistes/%s", f->year, code),
		"pool", pool);
	json_object_set_new(v, "has_pool", json_boolean(json_array_size(pool) > 0));
	return v;
}

/* Replies the page with status; form (may be NULL) is the one refused
 * for f->category, shown with its values and errors. */
static void page(struct request *req, struct gpi_final *f, int status, struct form *form,
		 const json_t *chosen, const char *notice)
{
	bson_error_t error;
	const json_t *results = gpi_edition_results(req->db, f->year, &error);
	if (!results) {
		db_fail(req, "reading a Grand Prix edition's results", &error);
		return;
	}
	json_t *cats = json_array(), *c;
	json_t *data = arena_json(
		req->arena, json_pack("{s:O, s:o}", "edition", f->edition, "categories", cats));
	size_t i;
	json_array_foreach(json_object_get(f->edition, "categories"), i, c) {
		bool refused = form && f->category && !strcmp(f->category, json_str(c, "code"));
		json_t *v = category_view(req, f, c, refused ? chosen : NULL);
		if (!v)
			return;
		json_object_set_new(v, "refused", json_boolean(refused));
		if (refused) {
			json_object_set(v, "values", form->values);
			json_object_set(v, "errors", form->errors);
		}
		json_array_append_new(cats, v);
	}
	int64_t audition = 0, end = 0,
		sent = gpi_results_instant(results, GPI_RESULTS_NOTIFICATIONS_SENT);
	gpi_edition_phase(f->edition, GPI_PHASE_AUDITION, &audition, &end);
	json_object_set_new(
		data, "mails",
		json_pack("{s:s, s:b, s:b, s:b, s:s, s:s, s:s}", "sent_fr", when_fr(req, sent),
			  "sent", sent > 0, "late_now",
			  !sent && gpi_notice_late(f->now_ms, audition), "sent_late",
			  sent && gpi_notice_late(sent, audition), "audition_fr",
			  when_fr(req, audition), "action",
			  arena_printf(req->arena, "/grand-prix/%d/notifications", f->year),
			  "notice", notice ? notice : ""));
	const char *title = arena_printf(req->arena, "Finalistes du %s",
					 json_str(f->edition, "title"));
	if (form && status == 422)
		form_reply_invalid(form, "gpi/finalists", title, "gpi", data);
	else
		page_reply(req, status, "gpi/finalists", title, "gpi", data);
}

/* What ?fait= says. */
static const char *const DONE[][2] = {
	{"finalistes", "Les finalistes sont enregistrés."},
	{"courriels", "Les courriels de la phase de notification sont partis."},
};

void gpi_finalists_page(struct request *req)
{
	struct gpi_final f;
	if (!gpi_final_open(req, GPI_FINAL_SECRETARIAT, &f))
		return;
	page(req, &f, 200, NULL, NULL, gpi_final_done(req, DONE, sizeof(DONE) / sizeof(*DONE)));
}

/* ---- Recording the finalists ---- */

/* gpi_candidature_write's edit: the status the finalists give. */
static int set_status(json_t *cand, void *ctx)
{
	const char *status = ctx;
	if (!strcmp(json_str(cand, "status"), status))
		return 1; /* already so: nothing to write */
	json_object_set_new(cand, "status", json_string(status));
	return 0;
}

/* Moves each of the category's pool to finaliste or non-retenue. Returns
 * 0, or -1 after replying the database's failure. */
static int move_pool(struct request *req, const struct gpi_final *f, const json_t *finalists)
{
	size_t i, k;
	const json_t *r, *v;
	json_array_foreach(f->rows, i, r) {
		if (!gpi_in_pool(r))
			continue;
		const char *id = json_str(r, "id");
		bool finalist = false;
		json_array_foreach(finalists, k, v)
			finalist |= !strcmp(json_string_value(v), id);
		const char *status =
			GPI_STATUSES[finalist ? GPI_STATUS_FINALISTE : GPI_STATUS_NON_RETENUE][0];
		bson_error_t error;
		int rc = gpi_candidature_write(req->db, id, req->user->id, 0, set_status,
					       (void *)status, NULL, &error);
		if (rc < 0 || (rc == 0 && gpi_index_changed(req->db, id, &error))) {
			db_fail(req, "moving a candidature's status", &error);
			return -1;
		}
	}
	return 0;
}

void gpi_finalists_record(struct request *req)
{
	struct gpi_final f;
	if (!gpi_final_open(req, GPI_FINAL_SECRETARIAT, &f))
		return;
	bool sent;
	if (mails_sent(req, f.year, &sent))
		return;
	struct form form;
	form_begin(&form, req);
	json_t *ids = arena_json(req->arena, form_list(&form, "candidature_ids", 40));
	const char *minutes = form_paragraphs(&form, "minutes", GPI_MINUTES_MAX, false);
	struct field_error err;
	if (form_valid(&form) && gpi_finalists_check(f.rows, ids, &err))
		gpi_final_refusals(&form, &err, 1);
	if (sent) {
		const char *m = "Les courriels de la phase de notification sont partis\u202f: les "
				"finalistes qu’ils annoncent sont définitifs.";
		if (req->is_api)
			reply_error(req, 409, "final", m, NULL);
		else
			page(req, &f, 409, NULL, NULL, m);
	} else if (!form_valid(&form)) {
		if (req->is_api)
			form_reply_invalid(&form, NULL, NULL, NULL, NULL);
		else
			page(req, &f, 422, &form, ids, NULL);
	} else {
		bson_error_t error;
		struct audit_actor by = audit_actor_of(req, NULL);
		if (gpi_state_set_finalists(req->db, &by, f.year, f.category, ids, minutes, &error))
			db_fail(req, "recording the finalists", &error);
		else if (move_pool(req, &f, ids) == 0) {
			if (req->is_api) {
				reply_json(req, 200,
					   arena_json(req->arena,
						      json_pack("{s:s, s:O, s:s}", "category",
								f.category, "candidature_ids", ids,
								"minutes", minutes)));
			} else {
				reply_redirect(req, arena_printf(req->arena,
								 "/grand-prix/%d/finalistes?fait="
								 "finalistes#categorie-%s",
								 f.year, f.category));
			}
		}
	}
	form_end(&form);
}

/* ---- The phase mails ---- */

void gpi_notifications_send(struct request *req)
{
	struct gpi_final f;
	if (!gpi_final_open(req, GPI_FINAL_SECRETARIAT, &f))
		return;
	size_t decided = 0, i;
	const json_t *c;
	json_array_foreach(json_object_get(f.edition, "categories"), i, c) {
		bson_error_t error;
		const json_t *s = gpi_category_state(req->db, f.year, json_str(c, "code"), &error);
		if (!s) {
			db_fail(req, "reading a Grand Prix category", &error);
			return;
		}
		decided += gpi_state_finalists(s) != NULL;
	}
	if (!decided) {
		const char *m = "Enregistrez d’abord les finalistes d’une catégorie au moins.";
		if (req->is_api)
			reply_error(req, 409, "no_finalists", m, NULL);
		else
			page(req, &f, 409, NULL, NULL, m);
		return;
	}
	struct gpi_final_sent out;
	bson_error_t error;
	struct audit_actor by = audit_actor_of(req, NULL);
	if (gpi_final_send_notifications(req, &f, &out) ||
	    gpi_results_mark(req->db, &by, f.year, GPI_RESULTS_NOTIFICATIONS_SENT, f.now_ms,
			     &error)) {
		reply_unavailable(req);
		return;
	}
	log_info(req->request_id, "gpi %d notifications: %d queued, %d sent before", f.year,
		 out.queued, out.before);
	if (!req->is_api) {
		reply_redirect(req,
			       arena_printf(req->arena, "/grand-prix/%d/finalistes?fait=courriels",
					    f.year));
		return;
	}
	json_t *body = arena_json(req->arena,
				  json_pack("{s:i, s:i, s:i, s:b}", "queued", out.queued,
					    "already_sent", out.before, "pending_categories",
					    out.pending, "late", out.late));
	if (out.late)
		json_object_set_new(
			body, "warning",
			json_string("Les invitations partent moins de 30 jours avant "
				    "l’audition\u202f: le règlement les veut au plus tard "
				    "30 jours avant (article 6.2)."));
	reply_json(req, 200, body);
}
