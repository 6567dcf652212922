/* Sign-up (ASVS V2.1, V5.1, V2.2 enumeration): bad input gets a French
 * error next to its field with the other fields kept, an address that
 * already has an account reads exactly like a new one, and a JSON
 * operator in place of a text creates nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

static const char PASSWORD[] = "Signup-itest-passphrase-42";

struct account_signup {
	const char *name, *email, *organisation, *job, *password;
};

/* Returns a valid sign-up for email. */
static struct account_signup valid(const char *email)
{
	return (struct account_signup){"Zoé Testeuse", email, "caf-31", "Chargée de mission",
				       PASSWORD};
}

/* POSTs f as the sign-up form of a new visitor. Fills r. */
static void post_signup(const struct account_signup *f, struct http_reply *r)
{
	struct sess *s = sess_new();
	char *csrf = sess_csrf(s, "/inscription");
	assert_non_null(csrf);
	char *n = url_escape(f->name), *e = url_escape(f->email);
	char *o = url_escape(f->organisation), *j = url_escape(f->job);
	char *p = url_escape(f->password), *body;
	assert_true(asprintf(&body,
			     "csrf=%s&name=%s&email=%s&organisation=%s&job=%s"
			     "&password=%s",
			     csrf, n, e, o, j, p) > 0);
	sess_post(s, "/inscription", body, r);
	free(body);
	free(p);
	free(j);
	free(o);
	free(e);
	free(n);
	free(csrf);
	sess_free(s);
}

/* Returns how many documents of collection have field equal to value. */
static long long count_where(const char *collection, const char *field, const char *value)
{
	char filter[512];
	snprintf(filter, sizeof(filter), "{\"%s\": \"%s\"}", field, value);
	return mongo_count(collection, filter);
}

static long long count_mail(const char *to, const char *template)
{
	char filter[512];
	snprintf(filter, sizeof(filter), "{\"to\": \"%s\", \"template\": \"%s\"}", to, template);
	return mongo_count("outbox", filter);
}

/* Asserts that the text input name shows value. */
static void assert_kept(const char *html, const char *name, const char *value)
{
	char *shown = html_input_value(html, name);
	assert_non_null(shown);
	assert_string_equal(shown, value);
	free(shown);
}

/* Asserts that field's control is marked invalid and described by its
 * error, for screen readers. */
static void assert_points_at_error(const char *html, const char *field)
{
	char id[64], ref[64];
	snprintf(id, sizeof(id), " id=\"%s\"", field);
	snprintf(ref, sizeof(ref), "%s-error\"", field);
	const char *tag = strstr(html, id);
	assert_non_null(tag);
	char *control = strndup(tag, strcspn(tag, ">"));
	assert_non_null(strstr(control, "aria-invalid=\"true\""));
	assert_non_null(strstr(control, ref));
	free(control);
}

/* Asserts that r is the form again with message next to field only, the
 * other fields as typed, the password not echoed, and no account made. */
static void assert_refused(const struct http_reply *r, const struct account_signup *f,
			   const char *field, const char *message)
{
	static const char *const FIELDS[] = {"name", "email", "organisation", "job", "password"};
	assert_int_equal(r->status, 422);
	for (size_t i = 0; i < sizeof(FIELDS) / sizeof(*FIELDS); i++) {
		char *error = html_field_error(r->body, FIELDS[i]);
		if (strcmp(FIELDS[i], field) == 0) {
			assert_non_null(error);
			assert_non_null(strstr(error, message));
		} else {
			assert_null(error);
		}
		free(error);
	}
	assert_points_at_error(r->body, field);
	if (strcmp(field, "name") != 0)
		assert_kept(r->body, "name", f->name);
	if (strcmp(field, "email") != 0)
		assert_kept(r->body, "email", f->email);
	if (strcmp(field, "job") != 0)
		assert_kept(r->body, "job", f->job);
	if (strcmp(field, "organisation") != 0)
		assert_chosen(r->body, "organisation", "caf-31");
	assert_null(strstr(r->body, f->password));
	assert_int_equal(count_where("users", "email", f->email), 0);
}

/* Returns body with every occurrence of email replaced by "EMAIL" (heap). */
static char *without(const char *body, const char *email)
{
	char *out = calloc(1, strlen(body) + 1), *o = out;
	size_t n = strlen(email);
	for (const char *p = body; *p;) {
		if (strncmp(p, email, n) == 0) {
			o = stpcpy(o, "EMAIL");
			p += n;
		} else {
			*o++ = *p++;
		}
	}
	return out;
}

static void taken_address_reads_like_a_new_one(void **state)
{
	(void)state;
	char *taken = unique_email("signup-taken"), *fresh = unique_email("signup-fresh");
	assert_int_equal(cli_user_add(taken, "Propriétaire Test", NULL, PASSWORD), 0);
	struct account_signup a = valid(fresh), b = valid(taken);
	struct http_reply new_one, existing;
	post_signup(&a, &new_one);
	post_signup(&b, &existing);
	assert_int_equal(new_one.status, 200);
	assert_int_equal(existing.status, 200);
	assert_non_null(strstr(new_one.body, "<h1>Vérifiez votre messagerie</h1>"));
	char *x = without(new_one.body, fresh), *y = without(existing.body, taken);
	assert_string_equal(x, y);
	free(y);
	free(x);
	http_reply_free(&existing);
	http_reply_free(&new_one);

	/* The owner hears of it; nobody else does, and nothing changes. */
	assert_int_equal(count_where("users", "email", taken), 1);
	assert_int_equal(count_mail(taken, "account_exists"), 1);
	assert_int_equal(count_mail(taken, "confirm"), 0);
	assert_int_equal(count_mail(fresh, "confirm"), 1);
	if (getenv("COUSILAB_SMTP_PORT")) {
		long long start = now_ms();
		while (maildir_count(taken) == 0 && now_ms() - start < 10000)
			usleep(100 * 1000);
		assert_int_equal(maildir_count(taken), 1);
	}
	free(fresh);
	free(taken);
}

static void unknown_organisation_is_refused(void **state)
{
	(void)state;
	char *email = unique_email("signup-org");
	struct account_signup f = valid(email);
	f.organisation = "caf-999";
	struct http_reply r;
	post_signup(&f, &r);
	assert_refused(&r, &f, "organisation", "Choisissez votre organisme dans la liste.");
	http_reply_free(&r);
	free(email);
}

static void short_password_is_refused(void **state)
{
	(void)state;
	char *email = unique_email("signup-short");
	struct account_signup f = valid(email);
	f.password = "court-42";
	struct http_reply r;
	post_signup(&f, &r);
	assert_refused(&r, &f, "password", "au moins 12 caractères");
	http_reply_free(&r);
	free(email);
}

static void overlong_name_is_refused(void **state)
{
	(void)state;
	char *email = unique_email("signup-long"), *name = malloc(10001);
	memset(name, 'a', 10000);
	name[10000] = '\0';
	struct account_signup f = valid(email);
	f.name = name;
	struct http_reply r;
	post_signup(&f, &r);
	assert_refused(&r, &f, "name", "Ce champ ne doit pas dépasser 120 caractères.");
	http_reply_free(&r);
	free(name);
	free(email);
}

static void invalid_utf8_is_refused(void **state)
{
	(void)state;
	char *email = unique_email("signup-utf8");
	struct account_signup f = valid(email);
	f.name = "Zo\xC3\x28 Testeuse"; /* sent as %C3%28 */
	struct http_reply r;
	post_signup(&f, &r);
	assert_refused(&r, &f, "name", "caractères invalides");
	http_reply_free(&r);
	free(email);
}

static void json_operator_creates_nothing(void **state)
{
	(void)state;
	char *email = unique_email("signup-json");
	struct sess *s = sess_new();
	char *csrf = sess_csrf(s, "/inscription");
	assert_non_null(csrf);
	json_t *body = json_pack("{s:s, s:s, s:{s:s}, s:s, s:s}", "name", "Zoé Testeuse", "email",
				 email, "organisation", "$gt", "", "job", "Chargée de mission",
				 "password", PASSWORD);
	char *text = json_dumps(body, JSON_COMPACT), header[128];
	snprintf(header, sizeof(header), "X-CSRF-Token: %s", csrf);
	const char *headers[] = {header, NULL};
	struct http_reply r;
	sess_request(s, "POST", "/inscription", headers, "application/json", text, strlen(text),
		     &r);
	assert_int_equal(r.status, 422);
	char *error = html_field_error(r.body, "organisation");
	assert_non_null(error);
	assert_non_null(strstr(error, "doit être du texte"));
	free(error);
	assert_int_equal(count_where("users", "email", email), 0);
	assert_int_equal(count_mail(email, "confirm"), 0);
	http_reply_free(&r);
	free(text);
	json_decref(body);
	free(csrf);
	sess_free(s);
	free(email);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(taken_address_reads_like_a_new_one),
		cmocka_unit_test(unknown_organisation_is_refused),
		cmocka_unit_test(short_password_is_refused),
		cmocka_unit_test(overlong_name_is_refused),
		cmocka_unit_test(invalid_utf8_is_refused),
		cmocka_unit_test(json_operator_creates_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
