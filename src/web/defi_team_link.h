/* What project tracking asks of the Défi du Lab when a coordinator turns a
 * retained team into a project, and how the team learns which project it
 * became (its page links to it). Features never include each other: the
 * Défi registers these answers once at startup (main.c), the projects
 * call them. */
#ifndef COUSILAB_DEFI_TEAM_LINK_H
#define COUSILAB_DEFI_TEAM_LINK_H

#include <bson/bson.h>
#include <stdbool.h>
#include <stddef.h>

struct request;

/* What a project is made from; strings in the request's arena. */
struct team_link_facts {
	const char *name, *pitch, *organisation_id, *captain_id;
	int year;
	bool retained;                 /* the Lab retained the team */
	const char *const *member_ids; /* confirmed members, captain included */
	size_t n_members;
	const char *project_id; /* the project it became, "" for none */
};

struct defi_team_link_ops {
	/* Fills *out for team team_id. Returns 1, 0 when there is no such
	 * team, or -1 with error set. */
	int (*facts)(struct request *req, const char *team_id, struct team_link_facts *out,
		     bson_error_t *error);
	/* Records on team team_id that it became project project_id, whose
	 * page is /projets/<project_slug>. Returns 0, or -1 with error set. */
	int (*set_project)(struct request *req, const char *team_id, const char *project_id,
			   const char *project_slug, bson_error_t *error);
	/* Sets *count to the teams edition year retained (0 for an edition
	 * that does not exist), for the funnel of the projects born of it.
	 * Returns 0, or -1 with error set. */
	int (*retained)(struct request *req, int year, long *count, bson_error_t *error);
};

/* Registers ops (static); call before the server starts. */
void defi_team_link_register(const struct defi_team_link_ops *ops);

/* Returns the registered ops, or NULL when no Défi is built in (then no
 * team exists to turn into a project). */
const struct defi_team_link_ops *defi_team_link(void);

#endif
