/* The context of the finalists and grand jury handlers (gpi/final.h). */
#include "gpi/final.h"

#include <stdio.h>
#include <string.h>

#include "accounts/roles.h"
#include "accounts/user.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/clock.h"
#include "gpi/candidature.h"
#include "gpi/edition.h"
#include "gpi/results.h"
#include "gpi/ui.h"
#include "http/form.h"
#include "http/params.h"
#include "http/request.h"
#include "web/db_reply.h"
#include "web/error_reply.h"

/* Returns true when the request's user is of audience for edition year. */
static bool admitted(const struct request *req, enum gpi_final_audience audience, int year)
{
	if (gpi_is_secretariat(req->user, year))
		return true;
	char scope[32];
	snprintf(scope, sizeof(scope), "gpi:%d", year);
	return audience == GPI_FINAL_GRAND_JURY && req->user && user_is_active(req->user) &&
	       user_has_role_in(req->user, ROLE_GRAND_JUROR, scope);
}

bool gpi_final_open(struct request *req, enum gpi_final_audience audience, struct gpi_final *f)
{
	*f = (struct gpi_final){.now_ms = clock_now_ms()};
	f->edition = gpi_edition_of_route_or_reply(req);
	if (!f->edition)
		return false;
	f->year = gpi_edition_year(f->edition);
	/* The route's own parameter: never a query or body field of that name. */
	f->category = param_get(req->route_params, "category");
	if (!admitted(req, audience, f->year) ||
	    (f->category && !gpi_edition_category(f->edition, f->category))) {
		reply_not_found(req);
		return false;
	}
	bson_error_t error;
	f->rows = arena_json(req->arena, gpi_index_rows(req->db, f->year, f->category, NULL, &error));
	if (f->rows && f->category)
		f->state = gpi_category_state(req->db, f->year, f->category, &error);
	if (!f->rows || (f->category && !f->state)) {
		db_fail(req, "reading a Grand Prix category", &error);
		return false;
	}
	return true;
}

void gpi_final_refusals(struct form *form, const struct field_error *errs, int n)
{
	for (int i = 0; i < n; i++)
		form_error(form, errs[i].field, errs[i].message);
}

const char *gpi_final_done(const struct request *req, const char *const done[][2], size_t n)
{
	const char *code = request_param(req, "fait");
	for (size_t i = 0; code && i < n; i++)
		if (!strcmp(code, done[i][0]))
			return done[i][1];
	return NULL;
}
