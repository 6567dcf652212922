#include "web/defi_team_link.h"

static const struct defi_team_link_ops *registered;

void defi_team_link_register(const struct defi_team_link_ops *ops)
{
	registered = ops;
}

const struct defi_team_link_ops *defi_team_link(void)
{
	return registered;
}
