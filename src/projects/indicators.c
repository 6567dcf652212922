#include "projects/indicators.h"

#include <mongoc/mongoc.h>
#include <string.h>

#include "accounts/user.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "db/db.h"
#include "db/doc.h"
#include "db/lookup.h"
#include "http/form.h"
#include "http/request.h"
#include "projects/access.h"
#include "projects/fields.h"
#include "projects/project.h"
#include "projects/route.h"
#include "projects/store.h"
#include "projects/ui.h"
#include "web/db_reply.h"
#include "web/error_reply.h"

enum { CLAIM_ATTEMPTS = 8 };

static const char *series_id(struct request *req, const char *pid, const char *iid)
{
	return arena_printf(req->arena, "%s:%s", pid, iid);
}

json_t *project_indicators_full(struct request *req, const json_t *p, bson_error_t *error)
{
	json_t *out = arena_json(req->arena, json_array()), *ind;
	size_t i;
	json_array_foreach(json_object_get(p, "indicators"), i, ind) {
		json_t *series = doc_find_id_json(
			req->db, "project_indicators",
			series_id(req, json_str(p, "_id"), json_str(ind, "id")), error);
		if (!series && error->code)
			return NULL;
		json_t *full = json_deep_copy(ind);
		json_t *m = json_object_get(series, "measurements");
		json_object_set_new(full, "measurements", m ? json_incref(m) : json_array());
		json_array_append_new(out, full);
		json_decref(series);
	}
	return out;
}

/* The new indicator, read and checked from the form. */
struct indicator_edit {
	json_t *indicator;
	struct form *f;
};

static enum project_edit_result add_indicator(struct request *req, const json_t *p, json_t *set,
					      void *ctx)
{
	(void)req;
	struct indicator_edit *e = ctx;
	const json_t *current = json_object_get(p, "indicators");
	if (json_array_size(current) >= PROJECT_LIST_MAX) {
		form_error(e->f, "name", "Un projet suit au plus 20 indicateurs.");
		return PROJECT_EDIT_REFUSED;
	}
	json_t *list = json_deep_copy(current);
	json_array_append(list, e->indicator);
	json_object_set_new(set, "indicators", list);
	return PROJECT_EDIT_WRITE;
}

void projects_indicator_add(struct request *req)
{
	json_t *p = project_of_route_for_or_reply(
		req, project_may_edit,
		"Seuls l’équipe du projet et la coordination du Lab "
		"ajoutent des indicateurs.");
	if (!p)
		return;
	struct form f;
	form_begin(&f, req);
	const char *name = form_text(&f, "name", PROJECT_SHORT_MAX, true);
	const char *unit = form_text(&f, "unit", 40, false);
	double baseline = 0, target = 0;
	bool has_baseline = project_form_number(&f, "baseline", false, &baseline);
	project_form_number(&f, "target", true, &target);
	const char *direction = form_text(&f, "direction", 4, true);
	if (*direction && strcmp(direction, "up") != 0 && strcmp(direction, "down") != 0)
		form_error(&f, "direction",
			   "Choisissez si le projet vise une hausse ou une baisse.");
	const char *iid = doc_new_id(req->arena);
	struct indicator_edit e = {
		arena_json(req->arena, json_pack("{s:s, s:s, s:s, s:f, s:s, s:i}", "id", iid,
						 "name", name, "unit", unit, "target", target,
						 "direction", direction, "measurements", 0)),
		&f};
	if (has_baseline)
		json_object_set_new(e.indicator, "baseline", json_real(baseline));
	bson_error_t error;
	int rc = form_valid(&f) ? project_update(req, json_str(p, "_id"), add_indicator, &e, &error)
				: 0;
	if (rc == 1)
		project_done(req, json_str(p, "_id"), 201, "indicateurs");
	else if (rc == 0)
		project_invalid(&f, p, "indicator");
	else
		db_fail(req, "adding an indicator", &error);
	form_end(&f);
}

/* Puts {date, value} into the series document of indicator iid, in date
 * order (a measurement of the same date replaces the earlier one), under
 * the series' revision claim. Returns the number of measurements and
 * fills *latest with the newest one (the request's arena's, as every
 * read of the series here: a few attempts at most), or -1 with error
 * set. */
static long store_measurement(struct request *req, const char *sid, const char *date, double value,
			      json_t **latest, bson_error_t *error)
{
	for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
		json_t *series = arena_json(
			req->arena, doc_find_id_json(req->db, "project_indicators", sid, error));
		if (!series && error->code)
			return -1;
		int64_t rev = json_integer_value(json_object_get(series, "rev")) + 1;
		json_t *old = json_object_get(series, "measurements"), *m;
		json_t *list = arena_json(req->arena, json_array());
		bool placed = false;
		size_t i;
		json_array_foreach(old, i, m) {
			int cmp = strcmp(json_str(m, "date"), date);
			if (!placed && cmp >= 0) {
				json_array_append_new(list, json_pack("{s:s, s:f}", "date", date,
								      "value", value));
				placed = true;
			}
			if (cmp != 0)
				json_array_append(list, m);
		}
		if (!placed)
			json_array_append_new(
				list, json_pack("{s:s, s:f}", "date", date, "value", value));
		if (json_array_size(list) > PROJECT_MEASUREMENTS_MAX) {
			bson_set_error(error, DB_ERROR_DOMAIN_COUSILAB, DB_ERROR_LOCAL, "full");
			return -2;
		}
		int won = lookup_claim(req->db,
				       arena_printf(req->arena, "project_indicators/%s", sid), &rev,
				       error);
		if (won < 0)
			return -1;
		if (won == 0) {
			lookup_back_off();
			continue;
		}
		json_t *set = arena_json(req->arena,
					 json_pack("{s:{s:I, s:O}}", "$set", "rev", (json_int_t)rev,
						   "measurements", list));
		bson_t *update = project_bson_of(set, error);
		int rc = !update || doc_upsert_id(req->db, "project_indicators", sid, update, error)
				 ? -1
				 : 0;
		long n = (long)json_array_size(list);
		*latest = json_array_get(list, n - 1);
		return rc < 0 ? -1 : n;
	}
	bson_set_error(error, DB_ERROR_DOMAIN_COUSILAB, DB_ERROR_CONFLICT, "series kept changing");
	return -1;
}

/* The project's side of a new measurement: the indicator's count and
 * latest value, and the activity date. */
struct measure_edit {
	const char *iid;
	long count;
	const json_t *latest;
};

static enum project_edit_result count_measurement(struct request *req, const json_t *p, json_t *set,
						  void *ctx)
{
	(void)req;
	struct measure_edit *e = ctx;
	json_t *list = json_deep_copy(json_object_get(p, "indicators")), *ind;
	size_t i;
	json_array_foreach(list, i, ind)
		if (strcmp(json_str(ind, "id"), e->iid) == 0) {
			json_object_set_new(ind, "measurements", json_integer(e->count));
			json_object_set(ind, "latest_date", json_object_get(e->latest, "date"));
			json_object_set(ind, "latest_value", json_object_get(e->latest, "value"));
		}
	json_object_set_new(set, "indicators", list);
	json_object_set_new(set, "last_activity_at", project_date(doc_now_ms()));
	return PROJECT_EDIT_WRITE;
}

/* Returns p's indicator iid, or NULL. Borrowed. */
static json_t *indicator_in(const json_t *p, const char *iid)
{
	json_t *ind;
	size_t i;
	json_array_foreach(json_object_get(p, "indicators"), i, ind)
		if (iid && strcmp(json_str(ind, "id"), iid) == 0)
			return ind;
	return NULL;
}

void projects_measurement_add(struct request *req)
{
	json_t *p = project_of_route_or_reply(req);
	if (!p)
		return;
	const char *iid = request_param(req, "iid");
	json_t *ind = indicator_in(p, iid);
	if (!ind || !project_may_edit(req, p)) {
		if (ind)
			project_forbidden(req, "Seuls l’équipe du projet et la coordination du Lab "
					       "ajoutent des mesures.");
		else
			reply_not_found(req);
		return;
	}
	struct form f;
	form_begin(&f, req);
	const char *date = form_text(&f, "date", 10, true);
	if (*date && !project_date_valid(date))
		form_error(&f, "date", "Saisissez une date au format AAAA-MM-JJ.");
	double value = 0;
	project_form_number(&f, "value", true, &value);
	bson_error_t error;
	if (!form_valid(&f)) {
		project_invalid(&f, p, arena_printf(req->arena, "measure-%s", iid));
		goto out;
	}
	json_t *latest = NULL;
	long n = store_measurement(req, series_id(req, json_str(p, "_id"), iid), date, value,
				   &latest, &error);
	if (n == -2) {
		form_error(&f, "date", "Cet indicateur a déjà 400 mesures\u202f: regroupez-les.");
		project_invalid(&f, p, arena_printf(req->arena, "measure-%s", iid));
		goto out;
	}
	struct measure_edit e = {iid, n, latest};
	if (n < 0 || project_update(req, json_str(p, "_id"), count_measurement, &e, &error) < 0 ||
	    project_event_add(req, json_str(p, "_id"), "measurement", NULL, NULL,
			      arena_printf(req->arena, "%s : %s au %s", json_str(ind, "name"),
					   json_str(f.values, "value"), date),
			      NULL, &error))
		db_fail(req, "adding a measurement", &error);
	else
		project_done(req, json_str(p, "_id"), 201,
			     arena_printf(req->arena, "indicateur-%s", iid));
out:
	form_end(&f);
}
