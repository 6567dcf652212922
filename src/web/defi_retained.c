#include "web/defi_retained.h"

#include "core/log.h"
#include "http/request.h"
#include "web/error_reply.h"

static defi_retained_fn registered;

void defi_retained_register(defi_retained_fn fn)
{
	registered = fn;
}

int defi_retained_count(struct request *req, int year, long *count)
{
	if (!registered) {
		log_error(req->request_id, "no defi_retained_fn registered: main must call "
			  "defi_retained_register");
		reply_error(req, 500, "internal",
			    "Une erreur interne est survenue. Elle a été enregistrée.", NULL);
		return -1;
	}
	return registered(req, year, count);
}
