#include "defi/project_link.h"

#include <string.h>

#include "core/arena.h"
#include "core/arena_json.h"
#include "db/doc.h"
#include "defi/team_index.h"
#include "defi/team_rules.h"
#include "defi/team_store.h"
#include "http/request.h"

/* Returns the user ids of team's confirmed members, captain included, in
 * the request's arena (the strings borrowed from team, which the caller
 * keeps alive), with *n their number. */
static const char *const *confirmed_ids(struct request *req, const json_t *team, size_t *n)
{
	const json_t *members = json_object_get(team, "members"), *m;
	const char **ids = arena_alloc(req->arena, (json_array_size(members) + 1) * sizeof(*ids));
	size_t i;
	*n = 0;
	json_array_foreach(members, i, m)
		if (strcmp(json_str(m, "state"), "confirmed") == 0)
			ids[(*n)++] = arena_strdup(req->arena, json_str(m, "user_id"));
	return ids;
}

static int facts(struct request *req, const char *team_id, struct team_link_facts *out,
		 bson_error_t *error)
{
	json_t *team = arena_json(req->arena, defi_team_load(req->db, team_id, error));
	if (!team)
		return error->code ? -1 : 0;
	struct arena *a = req->arena;
	*out = (struct team_link_facts){
		.name = arena_strdup(a, json_str(team, "name")),
		.pitch = arena_strdup(a, json_str(team, "pitch")),
		.organisation_id = arena_strdup(a, json_str(team, "organisation_id")),
		.captain_id = arena_strdup(a, json_str(team, "captain_id")),
		.year = (int)json_integer_value(json_object_get(team, "year")),
		.retained = defi_status_from(json_str(team, "status")) == DEFI_SELECTED,
		.project_id = arena_strdup(a, json_str(team, "project_id")),
	};
	out->member_ids = confirmed_ids(req, team, &out->n_members);
	return 1;
}

/* The project a team became, for defi_team_write. */
struct project_ref {
	const char *id, *slug;
};

/* Records the project on the team; never refuses (the projects claimed
 * the team's one project before calling). */
static int record_project(json_t *team, void *ctx)
{
	const struct project_ref *p = ctx;
	json_object_set_new(team, "project_id", json_string(p->id));
	json_object_set_new(team, "project_slug", json_string(p->slug));
	return 0;
}

static int set_project(struct request *req, const char *team_id, const char *project_id,
		       const char *project_slug, bson_error_t *error)
{
	struct project_ref ref = {project_id, project_slug};
	return defi_team_write(req->db, team_id, record_project, &ref, NULL, error) == 0 ? 0 : -1;
}

static int retained(struct request *req, int year, long *count, bson_error_t *error)
{
	json_t *teams;
	const struct defi_brief *briefs;
	size_t n;
	if (defi_index_briefs(req->db, year, &teams, &briefs, &n, error))
		return -1;
	const char *code = defi_status_code(DEFI_SELECTED);
	*count = 0;
	for (size_t i = 0; i < n; i++)
		*count += strcmp(briefs[i].status, code) == 0;
	return 0;
}

const struct defi_team_link_ops defi_project_link_ops = {
	.facts = facts,
	.set_project = set_project,
	.retained = retained,
};
