#include "web/practice_link.h"

#include <stdlib.h>

#include "core/log.h"

static const struct practice_link_ops *registered;

void practice_link_register(const struct practice_link_ops *ops)
{
	registered = ops;
}

const struct practice_link_ops *practice_link(void)
{
	if (!registered) {
		log_error(NULL,
			  "no practice_link_ops registered: main must call practice_link_register");
		abort();
	}
	return registered;
}
