#include "web/csrf.h"

#include <sodium.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/token.h"
#include "http/reply.h"
#include "web/error_reply.h"
#include "web/router.h"

/* The token is 16 random bytes, sent as 32 hex digits in the cookie. */
#define CSRF_BYTES 16
#define CSRF_HEX (CSRF_BYTES * 2)

/* Returns true when hex is CSRF_HEX * n lowercase hex digits, decoded into
 * out (CSRF_BYTES * n bytes). */
static bool csrf_decode(const char *hex, unsigned char *out, size_t n)
{
	return hex && strlen(hex) == CSRF_HEX * n &&
	       strspn(hex, "0123456789abcdef") == CSRF_HEX * n &&
	       sodium_hex2bin(out, CSRF_BYTES * n, hex, CSRF_HEX * n, NULL, NULL, NULL) == 0;
}

const char *csrf_token(struct request *req)
{
	if (!req->csrf) {
		unsigned char ignored[CSRF_BYTES];
		const char *sent = request_cookie(req, "csrf");
		if (csrf_decode(sent, ignored, 1))
			req->csrf = sent;
		else
			csrf_rotate(req);
	}
	unsigned char secret[CSRF_BYTES], masked[2 * CSRF_BYTES];
	csrf_decode(req->csrf, secret, 1);
	randombytes_buf(masked, CSRF_BYTES);
	for (size_t i = 0; i < CSRF_BYTES; i++)
		masked[CSRF_BYTES + i] = masked[i] ^ secret[i];
	char hex[2 * CSRF_HEX + 1];
	sodium_bin2hex(hex, sizeof(hex), masked, sizeof(masked));
	return arena_strdup(req->arena, hex);
}

void csrf_rotate(struct request *req)
{
	req->csrf = token_new(req->arena, "");
	reply_cookie(req, "csrf", req->csrf, -1);
}

/* Returns true when sent is the visitor's CSRF token (its cookie's
 * value): as it is, or masked as csrf_token writes it. Constant time in
 * the token. */
static bool csrf_matches(struct request *req, const char *sent)
{
	unsigned char want[CSRF_BYTES], got[2 * CSRF_BYTES];
	if (!csrf_decode(request_cookie(req, "csrf"), want, 1))
		return false;
	if (csrf_decode(sent, got, 1))
		return sodium_memcmp(want, got, CSRF_BYTES) == 0;
	if (!csrf_decode(sent, got, 2))
		return false;
	for (size_t i = 0; i < CSRF_BYTES; i++)
		got[i] ^= got[CSRF_BYTES + i];
	return sodium_memcmp(want, got, CSRF_BYTES) == 0;
}

/* Returns true for a multipart/form-data body. */
static bool is_multipart(const struct request *req)
{
	return req->content_type && strncasecmp(req->content_type, "multipart/form-data", 19) == 0;
}

void csrf_refuse(struct request *req)
{
	reply_error(req, 403, "csrf",
		    "Ce formulaire a expiré ou ne vient pas de Cousilab. "
		    "Rechargez la page et recommencez.",
		    NULL);
}

int csrf_verify_or_reply(struct request *req)
{
	if (req->via_token)
		return 0;
	const char *sent = param_get(req->form, "csrf");
	if (!sent)
		sent = request_env(req, "HTTP_X_CSRF_TOKEN");
	/* A multipart body is streamed by its handler, after this check:
	 * the token is its first field, checked by csrf_fields_ok before
	 * any file byte is kept. Only on routes that read such bodies: any
	 * other handler would never look. */
	if (!sent && is_multipart(req) && req->route && req->route->multipart) {
		req->csrf_pending = true;
		return 0;
	}
	if (csrf_matches(req, sent))
		return 0;
	csrf_refuse(req);
	return -1;
}

bool csrf_fields_ok(struct request *req, const struct param *fields)
{
	if (!req->csrf_pending)
		return true;
	if (!csrf_matches(req, param_get(fields, "csrf")))
		return false;
	req->csrf_pending = false;
	return true;
}
