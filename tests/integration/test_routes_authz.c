/* Authorization over the whole route table (ASVS V4.1, V4.2): every
 * protected route turns anonymous visitors away, every route above
 * ROLE_AGENT refuses a plain agent, an admin passes everywhere, and a
 * route that needs its role in a scope hides itself (404) from holders of
 * the role in another scope. Reads
 * ROUTES from the core, so routes added later are checked too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/role_scope.h"
#include "accounts/roles.h"
#include "core/arena.h"
#include "support.h"
#include "web/router.h"

static const char PASSWORD[] = "Authz-itest-passphrase-42";

struct users {
	struct sess *agent;
	struct sess *admin;
};

/* Returns pattern with each {param} replaced by "x" (heap). */
static char *concrete_path(const char *pattern)
{
	char *out = malloc(strlen(pattern) + 1), *o = out;
	for (const char *p = pattern; *p; p++) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		if (close) {
			*o++ = 'x';
			p = close;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

/* Returns the route the app runs for method and path, as route_find
 * chooses it, so that a more specific route matching the concrete path
 * sets the expectation. */
static const struct route *dispatched(const char *method, const char *path)
{
	struct arena *a = arena_new();
	struct param *params = NULL;
	bool path_known;
	const struct route *found = route_lookup(a, method, path, &params, &path_known);
	arena_free(a);
	return found;
}

static bool is_api(const char *path)
{
	return strncmp(path, "/api/", 5) == 0;
}

static bool is_safe(const char *method)
{
	return strcmp(method, "GET") == 0;
}

/* Returns true when r carries the JSON {"error": {"code": ...}}. */
static bool json_error(const struct http_reply *r)
{
	json_t *root = json_loads(r->body, 0, NULL);
	json_t *code = json_object_get(json_object_get(root, "error"), "code");
	bool ok = json_is_string(code);
	json_decref(root);
	return ok;
}

/* Returns true when r sends the browser to the login page. */
static bool to_login(const struct http_reply *r)
{
	char *location = http_header(r, "Location");
	bool yes = r->status == 302 && location && strncmp(location, "/connexion", 10) == 0;
	free(location);
	return yes;
}

/* Sends method on path for s (NULL: anonymous); state-changing methods
 * carry s's CSRF token, as header and form field, so that a refusal
 * comes from the role check. */
static void send_as(struct sess *s, const char *method, const char *path, struct http_reply *r)
{
	if (is_safe(method)) {
		if (s)
			sess_get(s, path, r);
		else
			http_get(path, r);
		return;
	}
	char *token = s ? sess_cookie(s, "csrf") : NULL;
	char header[128], body[128];
	snprintf(header, sizeof(header), "X-CSRF-Token: %s", token ? token : "");
	snprintf(body, sizeof(body), "csrf=%s", token ? token : "");
	const char *headers[] = {header, NULL};
	const char *form = "application/x-www-form-urlencoded";
	if (s)
		sess_request(s, method, path, headers, form, body, strlen(body), r);
	else
		http_request(method, path, form, "", 0, r);
	free(token);
}

static struct sess *signed_in(const char *tag, const char *role)
{
	return sess_signed_in(tag, "Test Autorisations", role, PASSWORD);
}

static int setup(void **state)
{
	struct users *u = calloc(1, sizeof(*u));
	u->agent = signed_in("authz-agent", NULL);
	u->admin = signed_in("authz-admin", "admin");
	*state = u;
	return 0;
}

static int teardown(void **state)
{
	struct users *u = *state;
	sess_free(u->agent);
	sess_free(u->admin);
	free(u);
	return 0;
}

static void anonymous_is_sent_to_login(void **state)
{
	(void)state;
	size_t checked = 0, failed = 0;
	for (size_t i = 0; i < ROUTES_COUNT; i++) {
		char *path = concrete_path(ROUTES[i].pattern);
		const struct route *r = dispatched(ROUTES[i].method, path);
		if (r->role != ROLE_PUBLIC) {
			struct http_reply reply;
			send_as(NULL, ROUTES[i].method, path, &reply);
			bool ok = is_api(path) ? reply.status == 401 && json_error(&reply)
					       : to_login(&reply);
			if (!ok) {
				print_error("anonymous %s %s: %ld\n", ROUTES[i].method, path,
					    reply.status);
				failed++;
			}
			checked++;
			http_reply_free(&reply);
		}
		free(path);
	}
	print_message("%zu of %zu routes checked anonymously\n", checked, ROUTES_COUNT);
	assert_int_equal(failed, 0);
}

static void agent_is_refused_above_agent(void **state)
{
	struct users *u = *state;
	size_t checked = 0, failed = 0;
	for (size_t i = 0; i < ROUTES_COUNT; i++) {
		char *path = concrete_path(ROUTES[i].pattern);
		const struct route *r = dispatched(ROUTES[i].method, path);
		if (r->role > ROLE_AGENT) {
			struct http_reply reply;
			send_as(u->agent, ROUTES[i].method, path, &reply);
			/* The role check's 403, not the CSRF check's. */
			if (reply.status != 403 || strstr(reply.body, "Ce formulaire a expiré")) {
				print_error("agent %s %s: %ld\n", ROUTES[i].method, path,
					    reply.status);
				failed++;
			}
			checked++;
			http_reply_free(&reply);
		}
		free(path);
	}
	print_message("%zu routes above agent checked with an agent\n", checked);
	assert_int_equal(failed, 0);
}

static void admin_passes_every_get(void **state)
{
	struct users *u = *state;
	size_t checked = 0, failed = 0;
	for (size_t i = 0; i < ROUTES_COUNT; i++) {
		if (!is_safe(ROUTES[i].method) || strchr(ROUTES[i].pattern, '{'))
			continue;
		struct http_reply reply;
		sess_get(u->admin, ROUTES[i].pattern, &reply);
		if (reply.status == 401 || reply.status == 403 || to_login(&reply) ||
		    reply.status >= 500) {
			print_error("admin GET %s: %ld\n", ROUTES[i].pattern, reply.status);
			failed++;
		}
		checked++;
		http_reply_free(&reply);
	}
	print_message("%zu GET routes checked with an admin\n", checked);
	assert_int_equal(failed, 0);
}

/* Returns a session of a new account that holds role in scope only. */
static struct sess *holder_in(const char *role, const char *scope)
{
	char *email = unique_email("authz-scoped");
	assert_int_equal(cli_user_add(email, "Test Portées", NULL, PASSWORD), 0);
	const char *args[] = {"user", "role",    "--email", email, "--add",
			      role,   "--scope", scope,     NULL};
	assert_int_equal(cli_run(args, NULL, NULL), 0);
	struct sess *s = sess_new();
	assert_int_equal(sess_login(s, email, PASSWORD), 303);
	free(email);
	return s;
}

/* Returns true when r shows that the role check turned the request away. */
static bool refused(const struct http_reply *r)
{
	return r->status == 401 || r->status == 403 || to_login(r);
}

/* Returns the scope route r needs for path (arena). */
static const char *scope_of(struct arena *a, const struct route *r, const char *path)
{
	struct param *params = NULL;
	assert_true(route_match(a, r->pattern, path, &params));
	const char *scope = role_scope_from_params(a, r->scope, params);
	assert_non_null(scope);
	return scope;
}

/* Every scoped route answers a holder of its role in another scope with
 * the 404 of a missing page, and lets in a holder in its scope and an
 * admin (the other tests check anonymous visitors and plain agents). */
static void scoped_routes_hide_other_scopes(void **state)
{
	struct users *u = *state;
	size_t checked = 0, failed = 0;
	for (size_t i = 0; i < ROUTES_COUNT; i++) {
		char *path = concrete_path(ROUTES[i].pattern);
		const struct route *r = dispatched(ROUTES[i].method, path);
		if (r == &ROUTES[i] && r->scope) {
			struct arena *a = arena_new();
			const char *role = role_name(r->role);
			struct sess *elsewhere = holder_in(role, "zz-elsewhere");
			struct sess *inside = holder_in(role, scope_of(a, r, path));
			struct http_reply out, in, admin;
			send_as(elsewhere, r->method, path, &out);
			send_as(inside, r->method, path, &in);
			send_as(u->admin, r->method, path, &admin);
			if (out.status != 404 || refused(&in) || refused(&admin)) {
				print_error("scoped %s %s: elsewhere %ld, inside %ld, admin %ld\n",
					    r->method, path, out.status, in.status, admin.status);
				failed++;
			}
			checked++;
			http_reply_free(&out);
			http_reply_free(&in);
			http_reply_free(&admin);
			sess_free(elsewhere);
			sess_free(inside);
			arena_free(a);
		}
		free(path);
	}
	print_message("%zu scoped routes checked in and out of their scope\n", checked);
	assert_int_equal(failed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(anonymous_is_sent_to_login),
		cmocka_unit_test(agent_is_refused_above_agent),
		cmocka_unit_test(admin_passes_every_get),
		cmocka_unit_test(scoped_routes_hide_other_scopes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
