/* The account rules, as plain functions over plain data: what makes a
 * sign-up acceptable. Handlers and the API both apply them. */
#ifndef COUSILAB_ACCOUNT_RULES_H
#define COUSILAB_ACCOUNT_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "core/field_error.h"

struct common_passwords;

enum {
	ACCOUNT_NAME_MAX_CHARS = 120,
	ACCOUNT_JOB_MAX_CHARS = 120,
	ACCOUNT_EMAIL_MAX_CHARS = 254,
	ACCOUNT_RULES_MAX_ERRORS = 8,
};

struct account_signup {
	const char *name;
	const char *email;
	const char *organisation;
	const char *job;
	const char *password;
};

/* Returns true for a plausible address: one '@', a non-empty local part,
 * a dotted domain, no spaces or control characters, at most 254 bytes. */
bool account_email_plausible(const char *email);

/* Checks s; organisation_active tells whether s->organisation names an
 * active organisation. Writes up to ACCOUNT_RULES_MAX_ERRORS errors to out and
 * returns how many. Required-ness and lengths are the form's job. Pure. */
size_t account_signup_check(const struct account_signup *s, bool organisation_active,
			    const struct common_passwords *common, struct field_error *out);

/* Returns path when it is a local path to go back to after login, else
 * "/": one leading '/' but not two ("//host" leaves the site), and only
 * printable ASCII: no backslash ("/\host" leaves it too), no space or
 * control character anywhere (browsers drop tabs and newlines, so
 * "/<tab>/evil.example" becomes "//evil.example"; CR/LF would split the
 * Location header). Pure; returns path or a static string. */
const char *account_login_return_path(const char *path);

/* Writes the French "N seconde(s)" or "N minute(s)" (rounded up) for a
 * wait of seconds into out. Pure. */
void account_wait_text_fr(long seconds, char *out, size_t outlen);

#endif
