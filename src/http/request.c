#include "http/request_io.h"

#include <errno.h>
#include <fcgiapp.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/app.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/utf8.h"
#include "http/urlencoded.h"

/* Bodies parsed before dispatch are small by design: large uploads are
 * multipart, streamed by their own handler. */
enum { MAX_PARSED_BODY = 1024 * 1024 };

int request_year_param(const struct request *req)
{
	const char *y = param_get(req->route_params, "year");
	if (!y || strlen(y) != 4 || strspn(y, "0123456789") != 4)
		return 0;
	return atoi(y);
}

const char *request_env(const struct request *req, const char *name)
{
	return FCGX_GetParam(name, req->env);
}

const char *request_param(const struct request *req, const char *name)
{
	const char *v = param_get(req->route_params, name);
	if (!v)
		v = param_get(req->query, name);
	if (!v)
		v = param_get(req->form, name);
	return v;
}

/* Returns true when the media type of content_type (before any ';')
 * is type, ignoring case. */
static bool media_type_is(const char *content_type, const char *type)
{
	if (!content_type)
		return false;
	size_t n = strlen(type);
	return strncasecmp(content_type, type, n) == 0 &&
	       (content_type[n] == '\0' || content_type[n] == ';' || content_type[n] == ' ');
}

/* Returns an arena copy of a request id that is safe to log, or a fresh
 * random one when nginx sent none or a strange one. */
static const char *request_id_from(struct request *req, const char *sent)
{
	if (sent && *sent && strlen(sent) <= 64 &&
	    strspn(sent, "0123456789abcdefABCDEF-") == strlen(sent))
		return arena_strdup(req->arena, sent);
	unsigned char raw[8];
	char *hex = arena_alloc(req->arena, sizeof(raw) * 2 + 1);
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(hex, sizeof(raw) * 2 + 1, raw, sizeof(raw));
	return hex;
}

/* Returns 0 and sets *out to the parsed decimal, or -1 if s is not a
 * plain non-negative number. */
static int parse_length(const char *s, size_t *out)
{
	*out = 0;
	if (!s || !*s)
		return 0;
	if (strspn(s, "0123456789") != strlen(s) || strlen(s) > 15)
		return -1;
	*out = (size_t)strtoull(s, NULL, 10);
	return 0;
}

size_t request_read(struct request *req, char *dst, size_t n)
{
	size_t got = 0;
	while (got < n) {
		int r = FCGX_GetStr(dst + got, (int)(n - got > 65536 ? 65536 : n - got), req->in);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return got;
}

/* Records why req cannot be served (status 400 or 413, the API's error
 * code, the French message: static or arena-owned) for the dispatch
 * function to answer. Returns -1, what request_prepare then returns. */
static int refuse(struct request *req, int status, const char *code, const char *message)
{
	req->refused.status = status;
	req->refused.code = code;
	req->refused.message = message;
	return -1;
}

/* Reads the whole body (at most MAX_PARSED_BODY) into the arena. Returns
 * 0, or -1 after refusing it (413, 400). */
static int read_small_body(struct request *req, char **body)
{
	if (req->content_length > MAX_PARSED_BODY) {
		return refuse(req, 413, "too_large",
			      "Les données envoyées dépassent la taille autorisée.");
	}
	*body = arena_alloc(req->arena, req->content_length + 1);
	if (request_read(req, *body, req->content_length) != req->content_length) {
		return refuse(req, 400, "truncated", "Les données envoyées sont incomplètes.");
	}
	return 0;
}

/* Parses a form or JSON body before dispatch, so that checks made in one
 * place (CSRF, roles) can see it. Multipart is left to its handler. */
static int parse_body(struct request *req)
{
	char *body;
	if (media_type_is(req->content_type, "application/x-www-form-urlencoded")) {
		if (read_small_body(req, &body))
			return -1;
		enum parse_status st = urlencoded_parse(req->arena, body, req->content_length,
							&FORM_LIMITS_BODY, &req->form);
		if (st != PARSE_OK) {
			return refuse(req, 400, "bad_form", parse_status_message(st));
		}
	} else if (media_type_is(req->content_type, "application/json")) {
		if (read_small_body(req, &body))
			return -1;
		json_error_t jerr;
		req->json = json_loadb(body, req->content_length, JSON_REJECT_DUPLICATES, &jerr);
		if (!req->json) {
			char *msg = arena_printf(
				req->arena,
				"Le JSON envoyé est invalide (ligne %d, colonne %d)\u202f: %s.",
				jerr.line, jerr.column, jerr.text);
			return refuse(req, 400, "bad_json", msg);
		}
		arena_json(req->arena, req->json);
	}
	return 0;
}

int request_prepare(struct request *req)
{
	const char *v;
	req->request_id = request_id_from(req, request_env(req, "REQUEST_ID"));
	req->method = (v = request_env(req, "REQUEST_METHOD")) ? v : "GET";
	req->is_head = strcmp(req->method, "HEAD") == 0;
	req->remote_addr = (v = request_env(req, "REMOTE_ADDR")) ? v : "-";
	req->content_type = request_env(req, "CONTENT_TYPE");
	req->https = (v = request_env(req, "HTTPS")) && strcasecmp(v, "on") == 0;

	const char *uri = request_env(req, "REQUEST_URI");
	if (!uri || uri[0] != '/')
		uri = "/";
	const char *qmark = strchr(uri, '?');
	size_t path_len = qmark ? (size_t)(qmark - uri) : strlen(uri);
	req->raw_path = arena_strndup(req->arena, uri, path_len);
	req->path = req->raw_path;
	req->is_api = strncmp(req->raw_path, "/api/", 5) == 0;

	size_t decoded_len;
	char *path = url_decode(req->arena, uri, path_len, false, &decoded_len);
	if (!path || !utf8_valid(path, decoded_len)) {
		return refuse(req, 400, "bad_path", "L’adresse demandée est mal formée.");
	}
	req->path = path;
	if (qmark) {
		enum parse_status st = urlencoded_parse(req->arena, qmark + 1, strlen(qmark + 1),
							&FORM_LIMITS_DEFAULT, &req->query);
		if (st != PARSE_OK) {
			return refuse(req, 400, "bad_query", parse_status_message(st));
		}
	}
	/* nginx refused the body unread (over its location's
	 * client_max_body_size) and hands the request over without it, so
	 * that the answer is French and in the route's format. Only nginx's
	 * configuration sets this parameter: a client's headers arrive as
	 * HTTP_*. */
	if ((v = request_env(req, "COUSILAB_BODY_REFUSED")) && strcmp(v, "413") == 0) {
		return refuse(req, 413, "too_large",
			      "Le fichier envoyé dépasse la taille autorisée (indiquée à côté du "
			      "champ). Choisissez-en un plus petit.");
	}
	if (parse_length(request_env(req, "CONTENT_LENGTH"), &req->content_length)) {
		return refuse(req, 400, "bad_length",
			      "La longueur annoncée des données est invalide.");
	}
	if (req->content_length > 0)
		return parse_body(req);
	return 0;
}
