/* Who sees and who changes a candidature (candidature.h): one place, so
 * that issue 13's jurors and recusals are added here and every page, API
 * route and file read follows. */
#include <stdio.h>
#include <string.h>

#include "accounts/roles.h"
#include "accounts/user.h"
#include "db/doc.h"
#include "gpi/candidature.h"

struct gpi_audience gpi_audience_of(const json_t *row_or_doc)
{
	return (struct gpi_audience){
		.year = (int)json_integer_value(json_object_get(row_or_doc, "year")),
		.category = json_str(row_or_doc, "category"),
		.organisation_id = json_str(row_or_doc, "organisation_id"),
	};
}

bool gpi_is_secretariat(const struct user *user, int year)
{
	char scope[32];
	snprintf(scope, sizeof(scope), "gpi:%d", year);
	return user && user_is_active(user) && user_has_role_in(user, ROLE_SECRETARIAT, scope);
}

bool gpi_candidature_may_file(const struct user *user, const struct gpi_audience *a)
{
	return user && user_is_active(user) && user->organisation && *a->organisation_id &&
	       strcmp(user->organisation, a->organisation_id) == 0;
}

bool gpi_candidature_may_see(const struct user *user, const struct gpi_audience *a)
{
	return gpi_candidature_may_file(user, a) || gpi_is_secretariat(user, a->year);
}
