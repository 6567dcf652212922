/* The HTTP layer as a browser or API client sees it through nginx. */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static void assert_security_headers(const struct http_reply *r)
{
	char *csp = http_header(r, "Content-Security-Policy");
	assert_non_null(csp);
	assert_null(strstr(csp, "unsafe-inline"));
	assert_non_null(strstr(csp, "frame-ancestors 'none'"));
	free(csp);
	char *nosniff = http_header(r, "X-Content-Type-Options");
	assert_string_equal(nosniff, "nosniff");
	free(nosniff);
	char *referrer = http_header(r, "Referrer-Policy");
	assert_non_null(referrer);
	free(referrer);
}

static void home_is_french_with_fingerprinted_css(void **state)
{
	(void)state;
	struct http_reply r;
	assert_int_equal(http_get("/", &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "<html lang=\"fr\""));
	assert_non_null(strstr(r.body, "Défi du Lab"));
	assert_non_null(strstr(r.body, "cousiSTORE"));
	assert_non_null(strstr(r.body, "Grand Prix"));
	assert_security_headers(&r);

	regex_t re;
	regmatch_t m[1];
	assert_int_equal(regcomp(&re, "/static/css/cousilab\\.[0-9a-f]{16}\\.css", REG_EXTENDED),
			 0);
	assert_int_equal(regexec(&re, r.body, 1, m, 0), 0);
	regfree(&re);
	char css_path[128];
	snprintf(css_path, sizeof(css_path), "%.*s", (int)(m[0].rm_eo - m[0].rm_so),
		 r.body + m[0].rm_so);
	http_reply_free(&r);

	assert_int_equal(http_get(css_path, &r), 0);
	assert_int_equal(r.status, 200);
	char *cache = http_header(&r, "Cache-Control");
	assert_non_null(cache);
	assert_non_null(strstr(cache, "immutable"));
	assert_non_null(strstr(cache, "max-age=31536000"));
	free(cache);
	char *type = http_header(&r, "Content-Type");
	assert_non_null(strstr(type, "text/css"));
	free(type);
	http_reply_free(&r);
}

static void ping_and_health(void **state)
{
	(void)state;
	struct http_reply r;
	http_get("/ping", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "pong\n");
	http_reply_free(&r);

	http_get("/healthz", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "{\"status\":\"ok\",\"db\":\"ok\"}");
	http_reply_free(&r);
}

static void unknown_path_is_a_french_404_in_the_layout(void **state)
{
	(void)state;
	struct http_reply r;
	http_get("/nulle-part", &r);
	assert_int_equal(r.status, 404);
	assert_non_null(strstr(r.body, "Page introuvable"));
	assert_non_null(strstr(r.body, "<nav"));
	assert_security_headers(&r);
	http_reply_free(&r);
}

static void wrong_method_is_405_with_allow(void **state)
{
	(void)state;
	struct http_reply r;
	http_request("POST", "/ping", "application/x-www-form-urlencoded", "a=1", 3, &r);
	assert_int_equal(r.status, 405);
	assert_non_null(strstr(r.body, "Méthode non autorisée"));
	char *allow = http_header(&r, "Allow");
	assert_non_null(allow);
	assert_non_null(strstr(allow, "GET"));
	free(allow);
	http_reply_free(&r);
}

static void head_has_headers_but_no_body(void **state)
{
	(void)state;
	struct http_reply r;
	http_request("HEAD", "/", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.len, 0);
	http_reply_free(&r);
}

static void malformed_input_gets_a_clear_400(void **state)
{
	(void)state;
	struct http_reply r;
	/* Bad percent-encoding in the query string. */
	http_get("/?q=%zz", &r);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "<html lang=\"fr\""));
	http_reply_free(&r);
	/* Invalid UTF-8 in the query string. */
	http_get("/?q=%C3%28", &r);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "UTF-8"));
	http_reply_free(&r);
	/* Invalid UTF-8 in the path. */
	http_get("/%FF", &r);
	assert_int_equal(r.status, 400);
	http_reply_free(&r);
	/* Bad form body. */
	http_request("POST", "/", "application/x-www-form-urlencoded", "a=%G1", 5, &r);
	assert_int_equal(r.status, 400);
	http_reply_free(&r);
}

static void api_errors_are_json(void **state)
{
	(void)state;
	struct http_reply r;
	http_get("/api/v1/nothing-here", &r);
	assert_int_equal(r.status, 404);
	char *type = http_header(&r, "Content-Type");
	assert_string_equal(type, "application/json");
	free(type);
	json_error_t jerr;
	json_t *doc = json_loads(r.body, 0, &jerr);
	assert_non_null(doc);
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(doc, "error"), "code")),
		"not_found");
	assert_non_null(
		json_string_value(json_object_get(json_object_get(doc, "error"), "message")));
	json_decref(doc);
	http_reply_free(&r);

	/* Invalid JSON and duplicate keys are refused before any handler. */
	const char *bad[] = {"{\"a\":", "{\"a\":1,\"a\":2}", "[1,2"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		http_request("POST", "/api/v1/nothing-here", "application/json", bad[i],
			     strlen(bad[i]), &r);
		assert_int_equal(r.status, 400);
		doc = json_loads(r.body, 0, &jerr);
		assert_non_null(doc);
		assert_string_equal(
			json_string_value(json_object_get(json_object_get(doc, "error"), "code")),
			"bad_json");
		json_decref(doc);
		http_reply_free(&r);
	}
}

static void oversized_body_is_refused(void **state)
{
	(void)state;
	size_t n = 3 * 1024 * 1024;
	char *big = malloc(n);
	memset(big, 'a', n);
	big[0] = 'x';
	big[1] = '=';
	struct http_reply r;
	http_request("POST", "/", "application/x-www-form-urlencoded", big, n, &r);
	assert_int_equal(r.status, 413);
	http_reply_free(&r);
	free(big);
}

static void each_request_is_logged_once(void **state)
{
	(void)state;
	struct http_reply r;
	http_get("/ping?log-probe=1", &r);
	http_reply_free(&r);
	char path[4096];
	snprintf(path, sizeof(path), "%s/log/app.log", env_or("COUSILAB_VAR", "var"));
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char line[4096], last[4096] = "";
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "GET /ping "))
			strcpy(last, line);
	fclose(f);
	/* time, request id, method, path, status, duration in µs */
	regex_t re;
	assert_int_equal(
		regcomp(&re,
			"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z info rid=[0-9a-f]+ GET /ping 200 [0-9]+us$",
			REG_EXTENDED | REG_NEWLINE),
		0);
	assert_int_equal(regexec(&re, last, 0, NULL, 0), 0);
	regfree(&re);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(home_is_french_with_fingerprinted_css),
		cmocka_unit_test(ping_and_health),
		cmocka_unit_test(unknown_path_is_a_french_404_in_the_layout),
		cmocka_unit_test(wrong_method_is_405_with_allow),
		cmocka_unit_test(head_has_headers_but_no_body),
		cmocka_unit_test(malformed_input_gets_a_clear_400),
		cmocka_unit_test(api_errors_are_json),
		cmocka_unit_test(oversized_body_is_refused),
		cmocka_unit_test(each_request_is_logged_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
