#include "http/reply_stream.h"

#include <fcgiapp.h>
#include <limits.h>

#include "core/buf.h"
#include "http/reply.h"
#include "http/request_io.h"

bool reply_stream_begin(struct request *req, int status, const char *content_type,
			const char *disposition)
{
	req->res.status = status;
	req->res.content_type = content_type;
	if (disposition)
		reply_header(req, "Content-Disposition", disposition);
	reply_header(req, "X-Accel-Buffering", "no");
	struct buf head = BUF_INIT;
	response_head(req, &head, false);
	req->res.streamed = true;
	bool ok = FCGX_PutStr(head.data, (int)head.len, req->out) == (int)head.len;
	buf_free(&head);
	return ok;
}

bool reply_stream_write(struct request *req, const void *data, size_t len)
{
	if (req->is_head)
		return true;
	for (const char *p = data; len;) {
		int n = len > INT_MAX ? INT_MAX : (int)len;
		if (FCGX_PutStr(p, n, req->out) != n)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}
