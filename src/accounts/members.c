/* Organisation members as a lookup list (see members.h). */
#include "accounts/members.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/arena_json.h"
#include "core/fold.h"
#include "db/db.h"
#include "db/doc.h"
#include "db/lookup.h"
#include "http/request.h"

/* Returns "members_of:<org>" in the arena. */
static const char *list_name(struct db_ctx *db, const char *org)
{
	return arena_printf(db->arena, "members_of:%s", org);
}

int members_add(struct db_ctx *db, const char *org, const char *user_id, bson_error_t *error)
{
	return lookup_add_id(db, list_name(db, org), user_id, error);
}

int members_move(struct db_ctx *db, const char *from, const char *to, const char *user_id,
		 bson_error_t *error)
{
	if (from && to && strcmp(from, to) == 0)
		return 0;
	if (to && *to && members_add(db, to, user_id, error))
		return -1;
	return from && *from && lookup_remove(db, list_name(db, from), user_id, error) < 0 ? -1 : 0;
}

struct member {
	const char *key; /* folded name, for sorting */
	json_t *json;
};

static int member_cmp(const void *a, const void *b)
{
	return strcmp(((const struct member *)a)->key, ((const struct member *)b)->key);
}

json_t *members_of(struct db_ctx *db, const char *code, size_t *total, bson_error_t *error)
{
	struct lookup_info info;
	json_t *ids = arena_json(db->arena,
				 lookup_tail(db, list_name(db, code), MEMBERS_SHOWN, &info, error));
	json_t *users = arena_json(db->arena, ids ? lookup_fetch(db, ids, "users", error) : NULL);
	if (!users)
		return NULL;
	struct member *found = arena_alloc(db->arena,
					   (json_array_size(users) + 1) * sizeof(*found));
	size_t n = 0, i;
	json_t *u;
	json_array_foreach(users, i, u)
		if (strcmp(json_str(u, "organisation"), code) == 0 &&
		    strcmp(json_str(u, "status"), "active") == 0) {
			found[n].key = text_fold(db->arena, json_str(u, "name"));
			found[n++].json = json_pack("{s:s, s:s, s:s}", "id", json_str(u, "_id"),
						    "name", json_str(u, "name"), "job",
						    json_str(u, "job"));
		}
	qsort(found, n, sizeof(*found), member_cmp);
	json_t *out = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(out, found[i].json);
	/* Past the newest shown, the total is the list's. */
	*total = info.count > MEMBERS_SHOWN ? (size_t)info.count : n;
	return out;
}
