#include <fcgiapp.h>
#include <strings.h>

#include "http/reply.h"
#include "http/request_io.h"

/* Sent on every dynamic response; nginx adds the same to static files. */
static const char SECURITY_HEADERS[] =
	"Content-Security-Policy: default-src 'self'; img-src 'self' data:; "
	"style-src 'self'; script-src 'self'; object-src 'none'; "
	"frame-ancestors 'none'; base-uri 'none'; form-action 'self'\r\n"
	"X-Content-Type-Options: nosniff\r\n"
	"X-Frame-Options: DENY\r\n"
	"Referrer-Policy: same-origin\r\n";

void response_head(struct request *req, struct buf *head, bool with_length)
{
	struct response *res = &req->res;
	buf_printf(head, "Status: %d %s\r\n", res->status, status_reason(res->status));
	if (res->content_type)
		buf_printf(head, "Content-Type: %s\r\n", res->content_type);
	if (with_length)
		buf_printf(head, "Content-Length: %zu\r\n", res->body.len);
	buf_puts(head, SECURITY_HEADERS);
	if (req->https)
		buf_puts(head, "Strict-Transport-Security: max-age=31536000\r\n");
	bool cache_set = false;
	for (const struct header *h = res->headers; h; h = h->next) {
		buf_printf(head, "%s: %s\r\n", h->name, h->value);
		cache_set |= strcasecmp(h->name, "Cache-Control") == 0;
	}
	/* Pages depend on who asks; never let a shared cache keep them. */
	if (!cache_set)
		buf_puts(head, "Cache-Control: private, no-cache\r\n");
	buf_puts(head, "\r\n");
}

void response_send(struct request *req, FCGX_Stream *out)
{
	struct response *res = &req->res;
	if (res->streamed) /* already out, as it was made */
		return;
	struct buf head = BUF_INIT;
	response_head(req, &head, true);
	FCGX_PutStr(head.data, (int)head.len, out);
	if (!req->is_head && res->body.len)
		FCGX_PutStr(res->body.data, (int)res->body.len, out);
	buf_free(&head);
}
