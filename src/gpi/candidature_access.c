/* Who sees and who changes a candidature (candidature.h): one place, so
 * that the jurors and their recusals (gpi/jury.h) hold on every page, API
 * route and file read alike. */
#include <stdio.h>
#include <string.h>

#include "accounts/roles.h"
#include "accounts/user.h"
#include "core/arena_json.h"
#include "db/db.h"
#include "db/doc.h"
#include "gpi/candidature.h"
#include "gpi/jury.h"
#include "gpi/results.h"

struct gpi_audience gpi_audience_in(const json_t *row_or_doc, const json_t *conflicts)
{
	const char *id = json_str(row_or_doc, "id");
	if (!*id)
		id = json_str(row_or_doc, "_id");
	return (struct gpi_audience){
		.year = (int)json_integer_value(json_object_get(row_or_doc, "year")),
		.id = id,
		.category = json_str(row_or_doc, "category"),
		.organisation_id = json_str(row_or_doc, "organisation_id"),
		.status = json_str(row_or_doc, "status"),
		.partners = json_object_get(row_or_doc, "partner_organisation_ids"),
		.declared = gpi_conflicts_in(conflicts, id),
	};
}

struct gpi_audience gpi_audience_of(struct db_ctx *db, const json_t *row_or_doc)
{
	bson_error_t error = {0};
	return gpi_audience_in(row_or_doc, arena_json(db->arena, gpi_conflicts_all(db, &error)));
}

bool gpi_is_secretariat(const struct user *user, int year)
{
	char scope[32];
	snprintf(scope, sizeof(scope), "gpi:%d", year);
	return user && user_is_active(user) && user_has_role_in(user, ROLE_SECRETARIAT, scope);
}

bool gpi_plain_filer(const struct user *user, int year)
{
	return user && user_is_active(user) && user->organisation && *user->organisation &&
	       !gpi_is_secretariat(user, year) && !gpi_sits_on_jury(user, year);
}

bool gpi_candidature_may_file(const struct user *user, const struct gpi_audience *a)
{
	return user && user_is_active(user) && user->organisation && *a->organisation_id &&
	       strcmp(user->organisation, a->organisation_id) == 0;
}

bool gpi_candidature_may_see(const struct user *user, const struct gpi_audience *a)
{
	if (gpi_is_secretariat(user, a->year))
		return true;
	/* Someone on one of the edition's juries is kept away from what they
	 * are recused from, their own organisation's filings included; while
	 * the declared conflicts cannot be read, from everything. */
	if (gpi_sits_on_jury(user, a->year)) {
		bool declared = !a->declared || json_object_get(a->declared, user->id);
		if (gpi_recused(user->organisation, a->organisation_id, a->partners, declared))
			return false;
	}
	if (gpi_candidature_may_file(user, a))
		return true;
	return (gpi_is_juror(user, a->year, a->category) || gpi_is_grand_juror(user, a->year)) &&
	       gpi_status_for_jury(a->status);
}

const char *gpi_status_shown(const struct user *user, const struct gpi_audience *a, bool notified)
{
	int s = gpi_status_from(a->status);
	bool judged = s == GPI_STATUS_FINALISTE || s == GPI_STATUS_NON_RETENUE;
	if (!judged || notified || gpi_is_secretariat(user, a->year) ||
	    gpi_is_juror(user, a->year, a->category) || gpi_is_grand_juror(user, a->year))
		return a->status;
	return GPI_STATUSES[GPI_STATUS_RECEVABLE][0];
}

bool gpi_notifications_sent(struct db_ctx *db, int year)
{
	bson_error_t error;
	const json_t *results = gpi_edition_results(db, year, &error);
	return results && gpi_results_instant(results, GPI_RESULTS_NOTIFICATIONS_SENT) > 0;
}

const char *gpi_status_seen(struct db_ctx *db, const struct user *user,
			    const struct gpi_audience *a)
{
	/* Before the jury's choice nothing depends on the mails: no read. */
	if (gpi_status_shown(user, a, false) == a->status)
		return a->status;
	return gpi_status_shown(user, a, gpi_notifications_sent(db, a->year));
}
