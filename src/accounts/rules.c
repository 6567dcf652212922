#include "accounts/rules.h"

#include <stdio.h>
#include <string.h>

#include "accounts/password.h"

bool account_email_plausible(const char *email)
{
	size_t n = strlen(email);
	const char *at = strchr(email, '@');
	if (n == 0 || n > ACCOUNT_EMAIL_MAX_CHARS || !at || at == email || strchr(at + 1, '@'))
		return false;
	for (const unsigned char *p = (const unsigned char *)email; *p; p++)
		if (*p <= ' ' || *p == 0x7f || strchr("<>()[],;:\\\"", *p))
			return false;
	const char *dot = strrchr(at + 1, '.');
	return dot && dot > at + 1 && dot[1] != '\0' && !strstr(at, "..");
}

static void add(struct field_error *out, size_t *n, const char *field, const char *message)
{
	if (*n < ACCOUNT_RULES_MAX_ERRORS)
		out[(*n)++] = (struct field_error){field, message};
}

size_t account_signup_check(const struct account_signup *s, bool organisation_active,
			    const struct common_passwords *common, struct field_error *out)
{
	size_t n = 0;
	if (*s->email && !account_email_plausible(s->email))
		add(out, &n, "email",
		    "Saisissez une adresse électronique valide, "
		    "par exemple prenom.nom@organisme.fr.");
	if (*s->organisation && !organisation_active)
		add(out, &n, "organisation", "Choisissez votre organisme dans la liste.");
	const char *problem = password_problem(s->password, s->email, common);
	if (problem)
		add(out, &n, "password", problem);
	return n;
}

const char *account_login_return_path(const char *path)
{
	if (!path || path[0] != '/' || path[1] == '/')
		return "/";
	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == '\\')
			return "/";
	return path;
}

void account_wait_text_fr(long seconds, char *out, size_t outlen)
{
	long n = seconds < 120 ? seconds : (seconds + 59) / 60;
	snprintf(out, outlen, "%ld %s%s", n, seconds < 120 ? "seconde" : "minute",
		 n > 1 ? "s" : "");
}
