/* Scoped roles without a database: the scope format, which grant covers
 * which scope, scopes built from route parameters, and the grants of a
 * user document as user_has_role_in and user_roles_edit read them, and
 * auth_authorize_or_reply on a scoped route. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "accounts/auth.h"
#include "accounts/role_scope.h"
#include "accounts/roles.h"
#include "accounts/user.h"
#include "core/arena.h"
#include "http/request.h"
#include "http/params.h"
#include "web/router.h"

static void scopes_are_short_lowercase_paths(void **state)
{
	(void)state;
	assert_true(role_scope_valid("gpi"));
	assert_true(role_scope_valid("gpi:2026"));
	assert_true(role_scope_valid("gpi:2026:rh"));
	assert_true(role_scope_valid("gpi:2026:relation-client_1"));
	assert_false(role_scope_valid(NULL));
	assert_false(role_scope_valid(""));
	assert_false(role_scope_valid("gpi:"));
	assert_false(role_scope_valid(":2026"));
	assert_false(role_scope_valid("gpi::rh"));
	assert_false(role_scope_valid("GPI:2026"));
	assert_false(role_scope_valid("gpi:2026:ressources humaines"));
	assert_false(role_scope_valid("gpi:2026:rh/x"));
	assert_false(role_scope_valid("gpi:2026:$gt"));
	assert_false(role_scope_valid("gpi:2026:catégorie"));
	assert_false(role_scope_valid("a:b:c:d:e"));
	assert_true(role_scope_valid("a:b:c:d"));
	assert_true(role_scope_valid("abcdefghijklmnopqrstuvwxyz012345"));
	assert_false(role_scope_valid("abcdefghijklmnopqrstuvwxyz0123456"));
}

static void a_grant_covers_its_scope_and_below(void **state)
{
	(void)state;
	/* Unscoped: everywhere. */
	assert_true(role_scope_covers(NULL, "gpi:2026:rh"));
	assert_true(role_scope_covers("", "gpi:2026"));
	/* An edition covers its categories. */
	assert_true(role_scope_covers("gpi:2026", "gpi:2026"));
	assert_true(role_scope_covers("gpi:2026", "gpi:2026:rh"));
	assert_false(role_scope_covers("gpi:2026", "gpi:2027"));
	assert_false(role_scope_covers("gpi:2026", "gpi:2027:rh"));
	/* Whole segments only: 2026 is no prefix of 20261. */
	assert_false(role_scope_covers("gpi:2026", "gpi:20261"));
	assert_false(role_scope_covers("gpi:2026:r", "gpi:2026:rh"));
	/* A category covers neither its edition nor a sibling. */
	assert_true(role_scope_covers("gpi:2026:rh", "gpi:2026:rh"));
	assert_false(role_scope_covers("gpi:2026:rh", "gpi:2026"));
	assert_false(role_scope_covers("gpi:2026:rh", "gpi:2026:si"));
}

/* Returns a route parameter list name=value, name2=value2 (arena). */
static struct param *params2(struct arena *a, const char *name, const char *value,
			     const char *name2, const char *value2)
{
	struct param *second = arena_alloc(a, sizeof(*second));
	*second = (struct param){.name = name2, .value = value2, .value_len = strlen(value2)};
	struct param *first = arena_alloc(a, sizeof(*first));
	*first = (struct param){
		.name = name, .value = value, .value_len = strlen(value), .next = second};
	return first;
}

static void routes_name_scopes_from_their_parameters(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct param *p = params2(a, "year", "2026", "category", "rh");
	assert_string_equal(role_scope_from_params(a, "gpi:{year}:{category}", p), "gpi:2026:rh");
	assert_string_equal(role_scope_from_params(a, "gpi:{year}", p), "gpi:2026");
	assert_string_equal(role_scope_from_params(a, "gpi", p), "gpi");
	/* A missing parameter, or a value that is no segment: no scope. */
	assert_null(role_scope_from_params(a, "gpi:{edition}", p));
	assert_null(role_scope_from_params(a, "gpi:{year}:{category}",
					   params2(a, "year", "2026", "category", "rh:si")));
	assert_null(role_scope_from_params(a, "gpi:{year}:{category}",
					   params2(a, "year", "2026", "category", "RH")));
	assert_null(role_scope_from_params(a, "gpi:{year}:{category}",
					   params2(a, "year", "", "category", "rh")));
	assert_null(role_scope_from_params(a, "gpi:{year", p));
	assert_null(role_scope_from_params(a, "gpi:{year}:", p));
	assert_string_equal(role_scope_from_params(a, "gpi:{year}:jury", p), "gpi:2026:jury");
	arena_free(a);
}

static void scopes_read_in_french(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	assert_string_equal(role_scope_label(a, "gpi"), "Grand Prix");
	assert_string_equal(role_scope_label(a, "gpi:2026"), "Grand Prix 2026");
	assert_string_equal(role_scope_label(a, "gpi:2026:rh"), "Grand Prix 2026, catégorie rh");
	assert_string_equal(role_scope_label(a, "defi:2026"), "defi:2026");
	arena_free(a);
}

/* Returns an active user whose grants are the BCON array given (arena). */
static struct user *user_with(struct arena *a, bson_t *grants_doc)
{
	bson_t *doc = BCON_NEW("_id", BCON_UTF8("u1"), "status", BCON_UTF8("active"));
	bson_iter_t it;
	assert_true(bson_iter_init_find(&it, grants_doc, "roles"));
	bson_append_iter(doc, "roles", -1, &it);
	struct user *u = user_from_doc(a, doc);
	bson_destroy(doc);
	bson_destroy(grants_doc);
	return u;
}

static void users_hold_roles_in_their_scopes(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct user *juror = user_with(
		a, BCON_NEW("roles", "[", "{", "role", BCON_UTF8("agent"), "}", "{", "role",
			    BCON_UTF8("juror"), "scope", BCON_UTF8("gpi:2026:rh"), "}", "{", "role",
			    BCON_UTF8("grand_juror"), "scope", BCON_UTF8("gpi:2027"), "}", "]"));
	/* Held somewhere: a route without a scope lets them in. */
	assert_true(user_has_role(juror, ROLE_JUROR));
	assert_true(user_has_role_in(juror, ROLE_JUROR, NULL));
	assert_true(user_has_role_in(juror, ROLE_JUROR, "gpi:2026:rh"));
	assert_false(user_has_role_in(juror, ROLE_JUROR, "gpi:2026:si"));
	assert_false(user_has_role_in(juror, ROLE_JUROR, "gpi:2026"));
	assert_false(user_has_role_in(juror, ROLE_JUROR, "gpi:2027:rh"));
	/* A grant scoped to an edition covers its categories, for its role only. */
	assert_true(user_has_role_in(juror, ROLE_GRAND_JUROR, "gpi:2027:rh"));
	assert_false(user_has_role_in(juror, ROLE_GRAND_JUROR, "gpi:2026:rh"));
	assert_false(user_has_role_in(juror, ROLE_COORDINATOR, "gpi:2026:rh"));
	assert_true(user_has_role_in(juror, ROLE_AGENT, "gpi:2026:si"));

	struct user *everywhere = user_with(a,
					    BCON_NEW("roles", "[", "{", "role", BCON_UTF8("juror"),
						     "scope", BCON_UTF8("gpi:2026:rh"), "}", "{",
						     "role", BCON_UTF8("juror"), "}", "]"));
	assert_true(user_has_role_in(everywhere, ROLE_JUROR, "gpi:2031:si"));

	struct user *admin = user_with(
		a, BCON_NEW("roles", "[", "{", "role", BCON_UTF8("admin"), "}", "]"));
	assert_true(user_has_role_in(admin, ROLE_JUROR, "gpi:2026:si"));
	assert_true(user_has_role_in(admin, ROLE_SECRETARIAT, "gpi:2026"));

	/* A deactivated account holds nothing, scoped or not. */
	juror->status = "deactivated";
	assert_false(user_has_role_in(juror, ROLE_JUROR, "gpi:2026:rh"));
	assert_false(user_has_role_in(NULL, ROLE_JUROR, "gpi:2026:rh"));
	assert_true(user_has_role_in(NULL, ROLE_PUBLIC, "gpi:2026:rh"));
	arena_free(a);
}

/* Returns the grants of doc's "roles" as "role@scope role ..." (arena). */
static const char *grants_text(struct arena *a, const bson_t *doc)
{
	struct role_grants g;
	int r;
	const char *scope;
	const char *text = "";
	role_grants_begin(&g, doc);
	while (role_grants_next(&g, &r, &scope))
		text = arena_printf(a, "%s%s%s%s%s", text, *text ? " " : "",
				    r >= 0 ? role_name((enum role)r) : "?", scope ? "@" : "",
				    scope ? scope : "");
	return text;
}

/* Returns grants after user_roles_edit(doc, r, scope, add) (arena). */
static const char *edited(struct arena *a, const bson_t *doc, enum role r, const char *scope,
			  bool add)
{
	bson_t *out = bson_new();
	user_roles_edit(doc, out, "roles", r, scope, add);
	const char *text = grants_text(a, out);
	bson_destroy(out);
	return text;
}

static void scoped_grants_are_added_and_removed_one_by_one(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	bson_t *doc = BCON_NEW("roles", "[", "{", "role", BCON_UTF8("agent"), "}", "{", "role",
			       BCON_UTF8("juror"), "scope", BCON_UTF8("gpi:2026:rh"), "}", "{",
			       "role", BCON_UTF8("juror"), "scope", BCON_UTF8("gpi:2026:si"), "}",
			       "{", "role", BCON_UTF8("retired_role"), "}", "]");
	assert_string_equal(grants_text(a, doc), "agent juror@gpi:2026:rh juror@gpi:2026:si ?");
	/* Adding: once per scope, kept beside the others. */
	assert_string_equal(edited(a, doc, ROLE_JUROR, "gpi:2027", true),
			    "agent juror@gpi:2026:rh juror@gpi:2026:si ? juror@gpi:2027");
	assert_string_equal(edited(a, doc, ROLE_JUROR, "gpi:2026:rh", true),
			    "agent juror@gpi:2026:rh juror@gpi:2026:si ?");
	assert_string_equal(edited(a, doc, ROLE_JUROR, NULL, true),
			    "agent juror@gpi:2026:rh juror@gpi:2026:si ? juror");
	/* Removing in a scope takes that grant only; without, all of them. */
	assert_string_equal(edited(a, doc, ROLE_JUROR, "gpi:2026:rh", false),
			    "agent juror@gpi:2026:si ?");
	assert_string_equal(edited(a, doc, ROLE_JUROR, "gpi:2026", false),
			    "agent juror@gpi:2026:rh juror@gpi:2026:si ?");
	assert_string_equal(edited(a, doc, ROLE_JUROR, NULL, false), "agent ?");
	bson_destroy(doc);
	arena_free(a);
}

static void unused_handler(struct request *req)
{
	(void)req;
}

/* A route of the kind the Grand Prix will add: a category's jury page. */
static const struct route JURY = {"GET", "/api/v1/gpi/{year}/{category}/jury", unused_handler,
				  ROLE_JUROR, .scope = "gpi:{year}:{category}"};

/* Returns the status auth_authorize_or_reply gives user for path on JURY (0 when
 * it lets the request through). */
static int authorize(struct user *user, const char *path)
{
	struct arena *a = arena_new();
	struct request *req = arena_alloc(a, sizeof(*req));
	req->arena = a;
	req->request_id = req->remote_addr = "test";
	req->is_api = true;
	req->method = "GET";
	req->path = path;
	req->user = user;
	assert_true(route_match(req->arena, JURY.pattern, path, &req->route_params));
	int rc = auth_authorize_or_reply(req, &JURY);
	int status = rc == 0 ? 0 : req->res.status;
	assert_true(rc == 0 || status >= 400);
	buf_free(&req->res.body);
	arena_free(a);
	return status;
}

static void scoped_routes_are_404_outside_their_scope(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct user *juror = user_with(a, BCON_NEW("roles", "[", "{", "role", BCON_UTF8("juror"),
						   "scope", BCON_UTF8("gpi:2026:rh"), "}", "]"));
	struct user *edition = user_with(a, BCON_NEW("roles", "[", "{", "role", BCON_UTF8("juror"),
						     "scope", BCON_UTF8("gpi:2026"), "}", "]"));
	struct user *agent = user_with(
		a, BCON_NEW("roles", "[", "{", "role", BCON_UTF8("agent"), "}", "]"));
	struct user *admin = user_with(
		a, BCON_NEW("roles", "[", "{", "role", BCON_UTF8("admin"), "}", "]"));
	assert_int_equal(authorize(juror, "/api/v1/gpi/2026/rh/jury"), 0);
	assert_int_equal(authorize(edition, "/api/v1/gpi/2026/rh/jury"), 0);
	assert_int_equal(authorize(admin, "/api/v1/gpi/2031/si/jury"), 0);
	/* Another category or edition: as if it did not exist. */
	assert_int_equal(authorize(juror, "/api/v1/gpi/2026/si/jury"), 404);
	assert_int_equal(authorize(juror, "/api/v1/gpi/2027/rh/jury"), 404);
	assert_int_equal(authorize(edition, "/api/v1/gpi/2027/rh/jury"), 404);
	/* No such scope can exist, whoever asks. */
	assert_int_equal(authorize(admin, "/api/v1/gpi/2026/RH/jury"), 404);
	/* Without the role anywhere, or signed out: the usual refusals. */
	assert_int_equal(authorize(agent, "/api/v1/gpi/2026/rh/jury"), 403);
	assert_int_equal(authorize(NULL, "/api/v1/gpi/2026/rh/jury"), 401);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scopes_are_short_lowercase_paths),
		cmocka_unit_test(a_grant_covers_its_scope_and_below),
		cmocka_unit_test(routes_name_scopes_from_their_parameters),
		cmocka_unit_test(scopes_read_in_french),
		cmocka_unit_test(users_hold_roles_in_their_scopes),
		cmocka_unit_test(scoped_grants_are_added_and_removed_one_by_one),
		cmocka_unit_test(scoped_routes_are_404_outside_their_scope),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
