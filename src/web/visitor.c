#include "web/visitor.h"

#include <stdlib.h>

#include "core/log.h"

static const struct visitor_ops *registered;

void visitor_register(const struct visitor_ops *ops)
{
	registered = ops;
}

const struct visitor_ops *visitor(void)
{
	if (!registered) {
		log_error(NULL, "no visitor_ops registered: main must call visitor_register");
		abort();
	}
	return registered;
}
