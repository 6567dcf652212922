/* Scoped role grants end to end: `cousilab user role --scope` stores a
 * grant that user_has_role_in reads back from the stored account, refuses
 * a malformed scope, takes one scoped grant back without the others, and
 * the admin's page of the account shows where each role holds. */
#include <mongoc/mongoc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/roles.h"
#include "accounts/user.h"
#include "core/arena.h"
#include "support.h"

static const char PASSWORD[] = "Roles-itest-passphrase-42";

/* Runs `cousilab user role --email email --add|--remove role [--scope
 * scope]`. Returns its exit status. */
static int cli_role(const char *email, const char *action, const char *role, const char *scope)
{
	const char *args[] = {
		"user", "role", "--email", email, action, role, scope ? "--scope" : NULL,
		scope,  NULL};
	return cli_run(args, NULL, NULL);
}

/* Returns the stored account of email, built as the app builds it
 * (arena-owned). Fails the test when there is none. */
static struct user *stored_user(struct arena *a, const char *email)
{
	mongoc_collection_t *users = mongo_collection("users");
	assert_non_null(users);
	bson_t *filter = BCON_NEW("email", BCON_UTF8(email));
	mongoc_cursor_t *c = mongoc_collection_find_with_opts(users, filter, NULL, NULL);
	const bson_t *doc;
	struct user *u = mongoc_cursor_next(c, &doc) ? user_from_doc(a, doc) : NULL;
	mongoc_cursor_destroy(c);
	bson_destroy(filter);
	mongoc_collection_destroy(users);
	assert_non_null(u);
	return u;
}

static void scoped_grants_are_stored_and_read_back(void **state)
{
	(void)state;
	char *email = unique_email("roles-juror");
	assert_int_equal(cli_user_add(email, "Juré Portée", NULL, PASSWORD), 0);
	assert_int_equal(cli_role(email, "--add", "juror", "gpi:2026:rh"), 0);
	assert_int_equal(cli_role(email, "--add", "juror", "gpi:2027"), 0);
	/* A scope that is no lowercase path is refused, nothing stored. */
	assert_int_not_equal(cli_role(email, "--add", "juror", "GPI 2028"), 0);
	assert_int_not_equal(cli_role(email, "--add", "juror", "gpi:{\"$gt\":\"\"}"), 0);

	struct arena *a = arena_new();
	struct user *u = stored_user(a, email);
	assert_true(user_has_role_in(u, ROLE_JUROR, "gpi:2026:rh"));
	assert_false(user_has_role_in(u, ROLE_JUROR, "gpi:2026:si"));
	assert_false(user_has_role_in(u, ROLE_JUROR, "gpi:2026"));
	assert_true(user_has_role_in(u, ROLE_JUROR, "gpi:2027:si"));
	assert_false(user_has_role_in(u, ROLE_JUROR, "gpi:2028"));
	assert_false(user_has_role_in(u, ROLE_GRAND_JUROR, "gpi:2026:rh"));

	/* Taking one scoped grant back leaves the other. */
	assert_int_equal(cli_role(email, "--remove", "juror", "gpi:2026:rh"), 0);
	u = stored_user(a, email);
	assert_false(user_has_role_in(u, ROLE_JUROR, "gpi:2026:rh"));
	assert_true(user_has_role_in(u, ROLE_JUROR, "gpi:2027:rh"));
	/* Without a scope, every grant of the role goes. */
	assert_int_equal(cli_role(email, "--remove", "juror", NULL), 0);
	u = stored_user(a, email);
	assert_false(user_has_role(u, ROLE_JUROR));
	assert_true(user_has_role(u, ROLE_AGENT));
	arena_free(a);
	free(email);
}

static void admin_page_shows_where_a_role_holds(void **state)
{
	(void)state;
	char *email = unique_email("roles-shown");
	assert_int_equal(cli_user_add(email, "Jurée Affichée", NULL, PASSWORD), 0);
	assert_int_equal(cli_role(email, "--add", "juror", "gpi:2026:rh"), 0);
	assert_int_equal(cli_role(email, "--add", "grand_juror", NULL), 0);
	struct arena *a = arena_new();
	struct user *u = stored_user(a, email);
	struct sess *admin = sess_signed_in("roles-admin", "Admin Rôles", "admin", PASSWORD);
	struct http_reply r;
	char path[128];
	snprintf(path, sizeof(path), "/admin/utilisateurs/%s", u->id);
	assert_int_equal(sess_get(admin, path, &r), 0);
	assert_int_equal(r.status, 200);
	/* The juror row names its scope; the grand juror row, held
	 * everywhere, says so plainly. */
	const char *jury = strstr(r.body, "<th scope=\"row\">Jury</th>");
	const char *grand = strstr(r.body, "<th scope=\"row\">Grand jury</th>");
	assert_non_null(jury);
	assert_non_null(grand);
	const char *scope = strstr(jury, "Grand Prix 2026, catégorie rh <code>gpi:2026:rh</code>");
	assert_non_null(scope);
	assert_true(scope < grand);
	const char *row_end = strstr(grand, "</tr>");
	assert_non_null(row_end);
	assert_null(memmem(grand, (size_t)(row_end - grand), "gpi:", 4));
	http_reply_free(&r);
	sess_free(admin);
	arena_free(a);
	free(email);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scoped_grants_are_stored_and_read_back),
		cmocka_unit_test(admin_page_shows_where_a_role_holds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
