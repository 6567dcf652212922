#include "defi/coordination.h"

#include <stdio.h>
#include <string.h>

#include "accounts/organisation.h"
#include "core/arena.h"
#include "db/db.h"
#include "db/doc.h"
#include "defi/team_index.h"
#include "defi/team_rules.h"
#include "http/request.h"
#include "web/db_reply.h"

/* Returns the first of the parameters names (the page's French one,
 * then the API's), "" when none is given. */
static const char *param(struct request *req, const char *fr, const char *en)
{
	const char *v = request_param(req, req->is_api ? en : fr);
	return v ? v : "";
}

void defi_filter_read(struct request *req, struct defi_filter *f)
{
	f->status = param(req, "statut", "status");
	f->branch = param(req, "branche", "branch");
	f->region = param(req, "region", "region");
	f->organisation = param(req, "organisme", "organisation");
}

const char *defi_row_status_label(const json_t *s)
{
	int status = defi_status_from(json_str(s, "status"));
	return defi_status_label(status < 0 ? DEFI_DRAFT : (enum defi_status)status,
				 json_is_true(json_object_get(s, "incomplete")));
}

/* Returns whether want is "" or equals have. */
static bool matches(const char *want, const char *have)
{
	return !*want || strcmp(want, have) == 0;
}

/* The organisation is looked up only for the filters that need it: a
 * pass over thousands of teams stays a few string comparisons each. */
static bool passes(const struct defi_filter *f, const json_t *s, const json_t *orgs)
{
	bool incomplete = json_is_true(json_object_get(s, "incomplete"));
	if (strcmp(f->status, "incomplete") == 0 ? !incomplete
						 : !matches(f->status, json_str(s, "status")))
		return false;
	const char *code = json_str(s, "organisation_id");
	if (!matches(f->organisation, code))
		return false;
	if (!*f->branch && !*f->region)
		return true;
	const json_t *org = json_object_get(orgs, code);
	return matches(f->branch, json_str(org, "branch")) &&
	       matches(f->region, json_str(org, "region"));
}

static bool filtering(const struct defi_filter *f)
{
	return f && (*f->status || *f->branch || *f->region || *f->organisation);
}

int defi_rows_get(struct request *req, int year, const struct defi_filter *f,
		  struct defi_rows *r)
{
	bson_error_t error;
	memset(r, 0, sizeof(*r));
	r->year = year;
	r->teams = defi_index_teams(req, year, &error);
	r->orgs = r->teams ? organisations_by_code(req, &error) : NULL;
	if (!r->orgs) {
		db_fail(req, "reading an edition's teams", &error);
		json_decref(r->teams);
		return -1;
	}
	if (!filtering(f)) {
		r->matches = json_incref(r->teams);
		return 0;
	}
	r->matches = json_array();
	json_t *s;
	size_t i;
	json_array_foreach(r->teams, i, s)
		if (passes(f, s, r->orgs))
			json_array_append(r->matches, s);
	return 0;
}

json_t *defi_row(struct request *req, const struct defi_rows *r, const json_t *s)
{
	const char *code = json_str(s, "organisation_id");
	const json_t *org = json_object_get(r->orgs, code);
	json_t *row = json_deep_copy(s);
	json_object_set_new(row, "organisation_name",
			    json_string(org ? json_str(org, "name") : code));
	json_object_set_new(row, "branch", json_string(json_str(org, "branch")));
	json_object_set_new(row, "branch_label", json_string(
		organisation_branch_label(json_str(org, "branch"))));
	json_object_set_new(row, "region", json_string(json_str(org, "region")));
	json_object_set_new(row, "status_label", json_string(defi_row_status_label(s)));
	json_object_set_new(row, "url", json_string(arena_printf(req->arena,
		"/defi/%d/equipes/%s", r->year, json_str(s, "id"))));
	return row;
}

void defi_rows_free(struct defi_rows *r)
{
	json_decref(r->matches);
	json_decref(r->orgs);
	json_decref(r->teams);
}
