/* Organisation members as a lookup list (see members.h). */
#include "accounts/members.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/fold.h"
#include "db/db.h"
#include "db/doc.h"
#include "db/lookup.h"
#include "http/request.h"

/* Returns "members_of:<org>" in the arena. */
static const char *list_name(struct request *req, const char *org)
{
	return arena_printf(req->arena, "members_of:%s", org);
}

int members_add(struct request *req, const char *org, const char *user_id,
		bson_error_t *error)
{
	return lookup_add_id(req->db, list_name(req, org), user_id, error);
}

int members_move(struct request *req, const char *from, const char *to,
		 const char *user_id, bson_error_t *error)
{
	if (from && to && strcmp(from, to) == 0)
		return 0;
	if (to && *to && members_add(req, to, user_id, error))
		return -1;
	return from && *from && lookup_remove(req->db, list_name(req, from), user_id, error) < 0
		       ? -1 : 0;
}

struct member {
	const char *key; /* folded name, for sorting */
	json_t *json;
};

static int member_cmp(const void *a, const void *b)
{
	return strcmp(((const struct member *)a)->key, ((const struct member *)b)->key);
}

json_t *members_of(struct request *req, const char *code, size_t *total,
		   bson_error_t *error)
{
	struct lookup_info info;
	json_t *ids = lookup_tail(req->db, list_name(req, code), MEMBERS_SHOWN, &info, error);
	json_t *users = ids ? lookup_fetch(req->db, ids, "users", error) : NULL;
	json_decref(ids);
	if (!users)
		return NULL;
	struct member *found = arena_alloc(req->arena,
					   (json_array_size(users) + 1) * sizeof(*found));
	size_t n = 0, i;
	json_t *u;
	json_array_foreach(users, i, u)
		if (strcmp(json_str(u, "organisation"), code) == 0 &&
		    strcmp(json_str(u, "status"), "active") == 0) {
			found[n].key = text_fold(req->arena, json_str(u, "name"));
			found[n++].json = json_pack("{s:s, s:s}", "name", json_str(u, "name"),
						    "job", json_str(u, "job"));
		}
	json_decref(users);
	qsort(found, n, sizeof(*found), member_cmp);
	json_t *out = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(out, found[i].json);
	/* Past the newest shown, the total is the list's. */
	*total = info.count > MEMBERS_SHOWN ? (size_t)info.count : n;
	return out;
}
