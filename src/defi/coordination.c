#include "defi/coordination.h"

#include <stdio.h>
#include <string.h>

#include "accounts/organisation.h"
#include "accounts/organisation_picker.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "db/db.h"
#include "db/doc.h"
#include "defi/team_index.h"
#include "defi/team_rules.h"
#include "defi/ui.h"
#include "http/request.h"
#include "web/db_reply.h"

/* Returns the first of the parameters names (the page's French one,
 * then the API's), "" when none is given. */
static const char *param(struct request *req, const char *fr, const char *en)
{
	const char *v = request_param(req, req->is_api ? en : fr);
	return v ? v : "";
}

const struct organisation_picker DEFI_ORGANISATION_FILTER = {
	.field = "organisme",
	.label = "Organisme",
	.hint = "Nom ou code d’un organisme\u202f; laissez vide pour tous les organismes.",
};

/* Resolves the organisation typed in the page's picker into f. A
 * directory that cannot be read leaves the code as sent: the rows that
 * follow need the directory too and answer the outage. */
static void organisation_typed(struct request *req, struct defi_filter *f)
{
	bson_error_t error;
	json_t *directory = arena_json(req->arena, organisations_all(req->db, &error));
	if (!directory)
		return;
	const char *text = f->organisation_text, *message = NULL;
	const char *code = *text ? organisation_picker_resolve(req->arena, directory, text,
							       &message)
				 : "";
	f->organisation = arena_strdup(req->arena, code ? code : text);
	f->organisation_error = message;
}

void defi_filter_read(struct request *req, struct defi_filter *f)
{
	f->status = param(req, "statut", "status");
	f->branch = param(req, "branche", "branch");
	f->region = param(req, "region", "region");
	f->organisation = param(req, "organisme", "organisation");
	f->organisation_text = req->is_api ? NULL : request_param(req, "organisme_text");
	f->organisation_error = NULL;
	if (f->organisation_text)
		organisation_typed(req, f);
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
static bool passes(const struct defi_filter *f, const struct defi_brief *b, const json_t *orgs)
{
	if (strcmp(f->status, "incomplete") == 0 ? !b->incomplete : !matches(f->status, b->status))
		return false;
	if (!matches(f->organisation, b->organisation_id))
		return false;
	if (!*f->branch && !*f->region)
		return true;
	const json_t *org = json_object_get(orgs, b->organisation_id);
	return matches(f->branch, json_str(org, "branch")) &&
	       matches(f->region, json_str(org, "region"));
}

static bool filtering(const struct defi_filter *f)
{
	return f && (*f->status || *f->branch || *f->region || *f->organisation);
}

int defi_rows_get_or_reply(struct request *req, int year, const struct defi_filter *f,
			   struct defi_rows *r)
{
	bson_error_t error;
	const struct defi_brief *briefs;
	size_t n;
	memset(r, 0, sizeof(*r));
	r->year = year;
	int rc = defi_index_briefs(req->db, year, &r->teams, &briefs, &n, &error);
	r->orgs = rc == 0 ? arena_json(req->arena, organisations_by_code(req->db, &error)) : NULL;
	if (!r->orgs) {
		db_fail(req, "reading an edition's teams", &error);
		r->teams = NULL;
		return -1;
	}
	bool all = !filtering(f);
	r->matches = arena_json(req->arena, all ? json_incref(r->teams) : json_array());
	for (size_t i = 0; i < n; i++) {
		if (!all && !passes(f, &briefs[i], r->orgs))
			continue;
		if (!all)
			json_array_append(r->matches, (json_t *)briefs[i].summary);
		r->confirmed += briefs[i].confirmed;
	}
	return 0;
}

const json_t *defi_rows_of_route_or_reply(struct request *req, struct defi_filter *f,
					  struct defi_rows *r)
{
	memset(r, 0, sizeof(*r));
	const json_t *e = defi_edition_of_route_or_reply(req);
	if (!e)
		return NULL;
	if (f)
		defi_filter_read(req, f);
	int year = (int)json_integer_value(json_object_get(e, "year"));
	return defi_rows_get_or_reply(req, year, f, r) ? NULL : e;
}

/* The summary's fields a row shows: the members' lists stay behind. */
static const char *const ROW_FIELDS[] = {
	"id",           "name",       "organisation_id", "captain_id",
	"status",       "incomplete", "confirmed_count", "invited_count",
	"submitted_at",
};

json_t *defi_row(struct request *req, const struct defi_rows *r, const json_t *s)
{
	const char *code = json_str(s, "organisation_id");
	const json_t *org = json_object_get(r->orgs, code);
	json_t *row = json_object();
	for (size_t i = 0; i < sizeof(ROW_FIELDS) / sizeof(*ROW_FIELDS); i++)
		json_object_set(row, ROW_FIELDS[i], json_object_get(s, ROW_FIELDS[i]));
	json_object_set_new(row, "organisation_name",
			    json_string(org ? json_str(org, "name") : code));
	json_object_set_new(row, "branch", json_string(json_str(org, "branch")));
	json_object_set_new(row, "branch_label",
			    json_string(organisation_branch_label(json_str(org, "branch"))));
	json_object_set_new(row, "region", json_string(json_str(org, "region")));
	json_object_set_new(row, "status_label", json_string(defi_row_status_label(s)));
	json_object_set_new(row, "url",
			    json_string(arena_printf(req->arena, "/defi/%d/equipes/%s", r->year,
						     json_str(s, "id"))));
	return row;
}
