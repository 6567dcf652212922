/* The juries' pure rules (jury.h): recusal, who is a juror, what a juror
 * may see, what a declared reason must be. No I/O, so the unit tests
 * cover every boundary. */
#include <stdio.h>
#include <string.h>

#include "accounts/role_scope.h"
#include "accounts/roles.h"
#include "accounts/user.h"
#include "core/utf8.h"
#include "gpi/jury.h"

static bool partner_of(const char *org, const json_t *partners)
{
	const json_t *p;
	size_t i;
	json_array_foreach(partners, i, p)
		if (json_is_string(p) && strcmp(json_string_value(p), org) == 0)
			return true;
	return false;
}

const char *gpi_recusal_reason(const char *juror_org, const char *cand_org,
			       const json_t *partners, bool declared)
{
	bool has_org = juror_org && *juror_org;
	if (has_org && cand_org && strcmp(juror_org, cand_org) == 0)
		return "son organisation";
	if (has_org && partner_of(juror_org, partners))
		return "organisation partenaire";
	if (declared)
		return "conflit déclaré";
	return NULL;
}

bool gpi_recused(const char *juror_org, const char *cand_org, const json_t *partners,
		 bool declared)
{
	return gpi_recusal_reason(juror_org, cand_org, partners, declared) != NULL;
}

bool gpi_status_for_jury(const char *status)
{
	static const char *const before_jury[] = {"recevable", "finaliste", "non-retenue"};
	for (size_t i = 0; status && i < sizeof(before_jury) / sizeof(*before_jury); i++)
		if (strcmp(status, before_jury[i]) == 0)
			return true;
	return false;
}

bool gpi_is_juror(const struct user *user, int year, const char *category)
{
	char scope[96];
	if (!category || snprintf(scope, sizeof(scope), "gpi:%d:%s", year, category) >=
				 (int)sizeof(scope))
		return false;
	return user_holds_grant(user, ROLE_JUROR, scope);
}

bool gpi_is_grand_juror(const struct user *user, int year)
{
	char scope[32];
	snprintf(scope, sizeof(scope), "gpi:%d", year);
	return user_holds_grant(user, ROLE_GRAND_JUROR, scope);
}

const char *gpi_conflict_reason_error(const char *reason)
{
	size_t n = reason ? strlen(reason) : 0;
	size_t start = strspn(reason ? reason : "", " \t\r\n");
	if (start == n)
		return "Indiquez le motif du conflit d’intérêts.";
	if (n > GPI_CONFLICT_REASON_MAX)
		return "Ce motif est trop long (2\u202f000 caractères au plus).";
	if (!utf8_valid(reason, n) || utf8_refused_char(reason, n, UTF8_MULTI_LINE) >= 0)
		return "Ce motif contient un caractère non autorisé.";
	return NULL;
}

bool gpi_sits_on_jury(const struct user *user, int year)
{
	if (!user || !user_is_active(user))
		return false;
	char edition[32];
	snprintf(edition, sizeof(edition), "gpi:%d", year);
	struct role_grants g;
	int held;
	const char *grant;
	role_grants_begin(&g, user->doc);
	while (role_grants_next(&g, &held, &grant))
		if ((held == ROLE_JUROR || held == ROLE_GRAND_JUROR) &&
		    (!grant || role_scope_covers(edition, grant) || role_scope_covers(grant, edition)))
			return true;
	return false;
}
