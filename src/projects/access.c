#include "projects/access.h"

#include <string.h>

#include "accounts/roles.h"
#include "accounts/user.h"
#include "core/arena.h"
#include "db/doc.h"
#include "http/request.h"

struct project_viewer project_viewer_of(const struct request *req)
{
	return (struct project_viewer){
		.user_id = req->user ? req->user->id : NULL,
		.coordinator = user_has_role(req->user, ROLE_COORDINATOR),
		.signed_in = req->user != NULL,
	};
}

void project_audience_of(struct request *req, const json_t *p, struct project_audience *out)
{
	json_t *ids = json_object_get(p, "member_ids");
	json_t *members = json_object_get(p, "members");
	size_t n = ids ? json_array_size(ids) : json_array_size(members);
	const char **list = arena_alloc(req->arena, (n ? n : 1) * sizeof(*list));
	for (size_t i = 0; i < n; i++)
		list[i] = ids ? json_string_value(json_array_get(ids, i))
			      : json_str(json_array_get(members, i), "user_id");
	int v = project_visibility_from(json_str(p, "visibility"));
	*out = (struct project_audience){
		.visibility = v < 0 ? PROJECT_VISIBILITY_TEAM : (enum project_visibility)v,
		.coordinator_id = json_str(p, "coordinator_id"),
		.member_ids = list,
		.n_members = n,
	};
}

bool project_visible(struct request *req, const json_t *p)
{
	struct project_audience a;
	project_audience_of(req, p, &a);
	struct project_viewer v = project_viewer_of(req);
	return project_may_see(&a, &v);
}

bool project_on_team(struct request *req, const json_t *p)
{
	struct project_audience a;
	project_audience_of(req, p, &a);
	struct project_viewer v = project_viewer_of(req);
	return project_is_member(&a, &v);
}

bool project_may_manage_team(struct request *req, const json_t *p)
{
	if (user_has_role(req->user, ROLE_COORDINATOR))
		return true;
	json_t *m;
	size_t i;
	json_array_foreach(json_object_get(p, "members"), i, m)
		if (strcmp(json_str(m, "user_id"), req->user->id) == 0)
			return strcmp(json_str(m, "role"), "porteur") == 0;
	return false;
}

bool project_may_edit(struct request *req, const json_t *p)
{
	if (!req->user)
		return false;
	return project_on_team(req, p) || user_has_role(req->user, ROLE_COORDINATOR);
}

bool project_may_follow(struct request *req, const json_t *p)
{
	const char *cid = json_str(p, "coordinator_id");
	return user_has_role(req->user, ROLE_COORDINATOR) &&
	       (!*cid || !req->user->id || strcmp(cid, req->user->id) != 0);
}

bool project_decides(struct request *req, const json_t *p)
{
	struct project_audience a;
	project_audience_of(req, p, &a);
	struct project_viewer v = project_viewer_of(req);
	return project_may_decide(&a, &v);
}
