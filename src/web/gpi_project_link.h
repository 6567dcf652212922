/* Between project tracking and the Grand Prix: a candidature starts from
 * a project (issue 12, "Candidater au Grand Prix") and the two are linked
 * both ways. Features never include each other: projects register what a
 * candidature is pre-filled with, the Grand Prix registers the section
 * the project page shows (its candidatures, and the form that files a new
 * one), both once at startup (main.c). */
#ifndef COUSILAB_GPI_PROJECT_LINK_H
#define COUSILAB_GPI_PROJECT_LINK_H

#include <bson/bson.h>
#include <jansson.h>
#include <stdbool.h>

struct request;

/* What a project gives a candidature; strings in the request's arena,
 * JSON values new references the caller releases with
 * gpi_project_facts_release. */
struct gpi_project_facts {
	const char *id, *slug, *title, *summary, *problem, *solution;
	const char *organisation_id;      /* the project's lead organisation */
	const char *started_on;           /* "YYYY-MM-DD" or "" */
	const char *costs, *savings;      /* texts ("" when the project has none) */
	const char *practice_id;          /* its cousiSTORE practice, "" when none */
	json_t *partner_organisation_ids; /* [codes] */
	json_t *indicators;               /* [{name, unit, baseline, target, direction,
			     * latest_date, latest_value}] */
	bool may_file;                    /* the visitor may file for it: a member of the project
			* or its coordinator, of the lead organisation */
};

/* Releases the JSON values of f. */
void gpi_project_facts_release(struct gpi_project_facts *f);

/* What a public page links to of a project; strings in the request's
 * arena. */
struct gpi_project_brief {
	const char *slug, *title;
	const char *practice_id; /* its cousiSTORE practice, "" when none */
};

struct gpi_project_link_ops {
	/* Fills *out for project project_id when req's visitor may see it.
	 * Returns 1, 0 when there is no such project or the visitor may not
	 * see it, or -1 with error set. */
	int (*facts)(struct request *req, const char *project_id, struct gpi_project_facts *out,
		     bson_error_t *error);
	/* As facts, but fills only *out, from the projects' in-process
	 * index: no database read, for public pages everyone loads at once
	 * (the laureates page). Returns 1, 0, or -1 with error set when the
	 * index cannot be loaded. */
	int (*brief)(struct request *req, const char *project_id, struct gpi_project_brief *out,
		     bson_error_t *error);
};

struct gpi_project_section_ops {
	/* Returns the project page's Grand Prix section for project p (its
	 * candidatures the visitor may see, and while an edition is open the
	 * form that files one, when p->may_file) as HTML (arena), or NULL
	 * when the Grand Prix has nothing to show there. Never replies. */
	const char *(*section)(struct request *req, const struct gpi_project_facts *p);
};

/* Register ops (static); call before the server starts. */
void gpi_project_link_register(const struct gpi_project_link_ops *ops);
void gpi_project_section_register(const struct gpi_project_section_ops *ops);

/* Return the registered ops, or NULL when that side is not built in. */
const struct gpi_project_link_ops *gpi_project_link(void);
const struct gpi_project_section_ops *gpi_project_section(void);

#endif
