#include "http/reply.h"

#include <string.h>

#include "core/app.h"
#include "core/arena.h"
#include "http/cookie.h"
#include "core/log.h"

const char *status_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

void reply_header(struct request *req, const char *name, const char *value)
{
	if (strpbrk(name, "\r\n:") || strpbrk(value, "\r\n")) {
		log_error(req->request_id, "refused header %s with CR/LF", name);
		return;
	}
	struct header *h = arena_alloc(req->arena, sizeof(*h));
	h->name = arena_strdup(req->arena, name);
	h->value = arena_strdup(req->arena, value);
	/* Append, so headers go out in the order they were set. */
	struct header **tail = &req->res.headers;
	while (*tail)
		tail = &(*tail)->next;
	*tail = h;
}

bool cookie_secure(const struct request *req)
{
	int mode = req->app ? req->app->config.secure_cookies : SECURE_COOKIES_AUTO;
	return mode == SECURE_COOKIES_ON || (mode == SECURE_COOKIES_AUTO && req->https);
}

const char *cookie_name(const struct request *req, const char *base)
{
	return cookie_secure(req) ? arena_printf(req->arena, "__Host-%s", base) : base;
}

const char *request_cookie(struct request *req, const char *base)
{
	if (!req->cookies_parsed) {
		req->cookies_parsed = true;
		const char *header = request_env(req, "HTTP_COOKIE");
		/* A mangled Cookie header is treated as no cookie at all. */
		if (header && cookie_parse(req->arena, header, &req->cookies) != PARSE_OK)
			req->cookies = NULL;
	}
	return param_get(req->cookies, cookie_name(req, base));
}

void reply_cookie(struct request *req, const char *base, const char *value, long max_age)
{
	char *c = arena_printf(req->arena, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s",
			       cookie_name(req, base), value, cookie_secure(req) ? "; Secure" : "");
	if (max_age >= 0)
		c = arena_printf(req->arena, "%s; Max-Age=%ld", c, max_age);
	reply_header(req, "Set-Cookie", c);
}

void reply_redirect(struct request *req, const char *location)
{
	/* Only local paths: "//host" and "/\host" would leave the site. */
	if (location[0] != '/' || location[1] == '/' || location[1] == '\\')
		location = "/";
	buf_reset(&req->res.body);
	req->res.status = 303;
	req->res.content_type = NULL;
	reply_header(req, "Location", location);
}

void reply_text(struct request *req, int status, const char *content_type, const char *text)
{
	buf_reset(&req->res.body);
	buf_puts(&req->res.body, text);
	req->res.status = status;
	req->res.content_type = content_type;
}

void reply_json(struct request *req, int status, const json_t *value)
{
	buf_reset(&req->res.body);
	char *s = json_dumps(value, JSON_COMPACT | JSON_ENSURE_ASCII);
	if (!s) {
		log_error(req->request_id, "json_dumps failed");
		reply_text(req, 500, "application/json",
			   "{\"error\":{\"code\":\"internal\",\"message\":"
			   "\"Erreur interne\"}}");
		return;
	}
	buf_puts(&req->res.body, s);
	free(s);
	req->res.status = status;
	req->res.content_type = "application/json";
}

void reply_json_items(struct request *req, const json_t *list,
		      json_t *(*item_api)(const json_t *item, int64_t now_ms), int64_t now_ms)
{
	json_t *items = json_array(), *item;
	size_t i;
	json_array_foreach(list, i, item)
		json_array_append_new(items, item_api(item, now_ms));
	json_t *body = json_pack("{s:o}", "items", items);
	reply_json(req, 200, body);
	json_decref(body);
}
