#include "web/gpi_project_link.h"

static const struct gpi_project_link_ops *link_ops;
static const struct gpi_project_section_ops *section_ops;

void gpi_project_facts_release(struct gpi_project_facts *f)
{
	json_decref(f->partner_organisation_ids);
	json_decref(f->indicators);
	f->partner_organisation_ids = f->indicators = NULL;
}

void gpi_project_link_register(const struct gpi_project_link_ops *ops)
{
	link_ops = ops;
}

void gpi_project_section_register(const struct gpi_project_section_ops *ops)
{
	section_ops = ops;
}

const struct gpi_project_link_ops *gpi_project_link(void)
{
	return link_ops;
}

const struct gpi_project_section_ops *gpi_project_section(void)
{
	return section_ops;
}
