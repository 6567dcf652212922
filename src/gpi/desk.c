#include "gpi/desk.h"

#include <stdlib.h>
#include <string.h>

#include "accounts/notify.h"
#include "accounts/user.h"
#include "core/arena.h"
#include "core/clock.h"
#include "db/db.h"
#include "db/doc.h"
#include "gpi/candidature.h"
#include "gpi/edition.h"
#include "http/request.h"
#include "mail/smtp.h"
#include "web/db_reply.h"
#include "web/error_reply.h"

bool gpi_desk_target_or_reply(struct request *req, struct gpi_desk_target *t)
{
	*t = (struct gpi_desk_target){.id = param_get(req->route_params, "id")};
	if (!gpi_candidature_id_ok(t->id)) {
		reply_not_found(req);
		return false;
	}
	bson_error_t error;
	t->row = gpi_index_row(req->db, t->id, &error);
	if (!t->row) {
		if (error.code)
			db_fail(req, "reading the candidatures' index", &error);
		else
			reply_not_found(req);
		return false;
	}
	struct gpi_audience a = gpi_audience_of(t->row);
	t->year = a.year;
	const char *route_year = param_get(req->route_params, "year");
	bool same_year = !route_year || atoi(route_year) == a.year;
	if (!same_year || !gpi_candidature_may_see(req->user, &a)) {
		reply_not_found(req);
		gpi_desk_target_free(t);
		return false;
	}
	if (!gpi_is_secretariat(req->user, a.year)) {
		reply_error(req, 403, "forbidden",
			    "Seul le secrétariat du Grand Prix prend ces décisions.", NULL);
		gpi_desk_target_free(t);
		return false;
	}
	t->edition = gpi_edition_get(req->db, a.year, &error);
	if (!t->edition) {
		if (error.code)
			db_fail(req, "reading an edition", &error);
		else
			reply_not_found(req);
		gpi_desk_target_free(t);
		return false;
	}
	return true;
}

void gpi_desk_target_free(struct gpi_desk_target *t)
{
	json_decref(t->row);
	t->row = NULL;
}

json_t *gpi_desk_recipients(struct db_ctx *db, const json_t *cand)
{
	json_t *out = json_array(), *c;
	size_t i;
	json_array_foreach(json_object_get(cand, "contacts"), i, c)
		if (mail_address_valid(json_str(c, "email")))
			json_array_append_new(out, json_pack("{s:s, s:s}", "name",
							     json_str(c, "name"), "email",
							     json_str(c, "email")));
	if (json_array_size(out))
		return out;
	bson_error_t error;
	struct user *filer = user_find_id(db, json_str(cand, "created_by"), &error);
	if (filer && user_is_active(filer) && mail_address_valid(filer->email))
		json_array_append_new(out, json_pack("{s:s, s:s}", "name",
						     filer->name ? filer->name : "", "email",
						     filer->email));
	return out;
}

bool gpi_desk_eligibility(struct arena *a, const json_t *e, const struct gpi_facts *f,
			  int64_t submitted_ms, struct gpi_check_result out[GPI_CHECK_COUNT])
{
	struct gpi_window w = {.deadline_ms = gpi_edition_deadline_ms(e),
			       .window_start = json_str(e, "window_start"),
			       .window_end = json_str(e, "window_end")};
	return gpi_eligibility(a, f, &w, submitted_ms ? submitted_ms : clock_now_ms(), out);
}

const char *gpi_desk_category_name(const json_t *e, const char *code)
{
	const json_t *c = gpi_edition_category(e, code);
	return c ? json_str(c, "name") : code;
}

const char *gpi_desk_candidature_url(const struct app *app, struct db_ctx *db, int year,
				     const char *id)
{
	return notify_site_url(app, db->arena,
			       arena_printf(db->arena, "/grand-prix/%d/candidatures/%s", year, id));
}
