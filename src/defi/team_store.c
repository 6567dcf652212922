#include "defi/team_store.h"

#include <mongoc/mongoc.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/session.h"
#include "accounts/user.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/token.h"
#include "db/db.h"
#include "db/doc.h"
#include "db/lookup.h"
#include "defi/team_index.h"
#include "defi/team_rules.h"
#include "http/request.h"

/* Attempts of a write that keeps losing its revision claim to others. */
enum { WRITE_ATTEMPTS = 12 };

/* The fields a write sets; everything else is fixed at creation. */
static const char *const WRITTEN[] = {
	"name",       "pitch",  "theme_fit", "answers",    "members",    "email_invites", "status",
	"incomplete", "notice", "decision",  "captain_id", "project_id", "project_slug",
};
#define N_WRITTEN (sizeof(WRITTEN) / sizeof(*WRITTEN))

bool defi_team_id_ok(const char *s)
{
	return s && strlen(s) == 32 && strspn(s, "0123456789abcdef") == 32;
}

const char *defi_teams_list(struct arena *a, int year)
{
	return arena_printf(a, "defi-teams:%d", year);
}

json_t *defi_team_load(struct db_ctx *db, const char *id, bson_error_t *error)
{
	memset(error, 0, sizeof(*error));
	if (!defi_team_id_ok(id))
		return NULL;
	return doc_find_id_json(db, DEFI_TEAMS, id, error);
}

/* Returns a new BSON document from a JSON object our code built (NULL
 * with error set when it cannot be converted). */
static bson_t *bson_of(const json_t *value, bson_error_t *error)
{
	char *text = json_dumps(value, JSON_COMPACT);
	bson_t *doc = text ? bson_new_from_json((const uint8_t *)text, -1, error) : NULL;
	free(text);
	return doc;
}

const char *defi_team_insert(struct db_ctx *db, const struct user *by, int year,
			     const struct defi_team_input *in, bool example, bson_error_t *error)
{
	const struct user *u = by;
	unsigned char raw[16];
	randombytes_buf(raw, sizeof(raw));
	char *id = arena_alloc(db->arena, sizeof(raw) * 2 + 1);
	sodium_bin2hex(id, sizeof(raw) * 2 + 1, raw, sizeof(raw));
	int claimed = defi_seat_claim(db, year, u->id, id, "captain", NULL, error);
	if (claimed <= 0) {
		if (claimed == 0)
			bson_set_error(error, DEFI_ERROR_DOMAIN, DEFI_ERROR_SEATED,
				       "user %s already has a team in %d", u->id, year);
		return NULL;
	}
	int64_t now = doc_now_ms();
	json_t *team = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:O, "
				 "s:[{s:s, s:s, s:I, s:I}], s:[], s:i, s:b}",
				 "_id", id, "year", year, "name", in->name, "organisation_id",
				 u->organisation ? u->organisation : "", "captain_id", u->id,
				 "status", defi_status_code(DEFI_DRAFT), "incomplete", false,
				 "pitch", in->pitch, "theme_fit", in->theme_fit, "answers",
				 in->answers, "members", "user_id", u->id, "state", "confirmed",
				 "invited_at", (json_int_t)now, "accepted_at", (json_int_t)now,
				 "email_invites", "rev", 1, "example", example);
	bson_t *doc = bson_of(team, error);
	json_decref(team);
	bool ok = false;
	if (doc) {
		BSON_APPEND_DATE_TIME(doc, "created_at", now);
		BSON_APPEND_DATE_TIME(doc, "updated_at", now);
		ok = mongoc_collection_insert_one(db_collection(db, DEFI_TEAMS), doc, NULL, NULL,
						  error);
		bson_destroy(doc);
	}
	if (!ok) {
		bson_error_t ignored = {0};
		defi_seat_release(db, year, u->id, id, &ignored);
		return NULL;
	}
	if (lookup_add_id(db, defi_teams_list(db->arena, year), id, error) ||
	    defi_index_changed(db, year, id, error))
		return NULL;
	return id;
}

/* Writes team's WRITTEN fields by _id with revision rev, and the dates an
 * edit gave as integers (submitted_at). Returns true or false with error. */
static bool write_fields(struct db_ctx *db, const json_t *team, int64_t rev, bson_error_t *error)
{
	json_t *fields = json_object();
	for (size_t i = 0; i < N_WRITTEN; i++) {
		json_t *v = json_object_get(team, WRITTEN[i]);
		if (v)
			json_object_set(fields, WRITTEN[i], v);
	}
	bson_t *set = bson_of(fields, error);
	json_decref(fields);
	if (!set)
		return false;
	json_t *submitted = json_object_get(team, "submitted_at");
	if (json_is_integer(submitted))
		BSON_APPEND_DATE_TIME(set, "submitted_at", json_integer_value(submitted));
	BSON_APPEND_INT64(set, "rev", rev);
	BSON_APPEND_DATE_TIME(set, "updated_at", doc_now_ms());
	bson_t *update = bson_new();
	BSON_APPEND_DOCUMENT(update, "$set", set);
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(json_str(team, "_id")));
	bool ok = mongoc_collection_update_one(db_collection(db, DEFI_TEAMS), filter, update, NULL,
					       NULL, error);
	bson_destroy(filter);
	bson_destroy(update);
	bson_destroy(set);
	return ok;
}

int defi_team_write(struct db_ctx *db, const char *id, defi_team_edit_fn edit, void *ctx,
		    json_t **saved, bson_error_t *error)
{
	for (int attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
		json_t *team = arena_json(db->arena, defi_team_load(db, id, error));
		if (!team) {
			if (!error->code)
				bson_set_error(error, DEFI_ERROR_DOMAIN, DEFI_ERROR_GONE,
					       "team %s is gone", id);
			return -1;
		}
		int refused = edit(team, ctx);
		if (refused)
			return refused;
		int64_t rev = json_integer_value(json_object_get(team, "rev")) + 1;
		int won = lookup_claim(db, arena_printf(db->arena, "defi_teams/%s", id), &rev,
				       error);
		if (won == 1) {
			int year = (int)json_integer_value(json_object_get(team, "year"));
			bool ok = write_fields(db, team, rev, error) &&
				  defi_index_changed(db, year, id, error) == 0;
			json_object_set_new(team, "rev", json_integer(rev));
			if (ok && saved)
				*saved = team;
			return ok ? 0 : -1;
		}
		if (won < 0)
			return -1;
		lookup_back_off();
	}
	bson_set_error(error, DB_ERROR_DOMAIN_COUSILAB, DB_ERROR_CONFLICT, "team %s kept changing",
		       id);
	return -1;
}

/* What a join changes. */
struct join {
	const struct user *u;
	int max_size;
	bool invited_only;
	int64_t at;
};

static int confirm_member(json_t *team, void *ctx)
{
	const struct join *j = ctx;
	json_t *members = json_object_get(team, "members");
	if (j->max_size && defi_confirmed_count(members) >= j->max_size)
		return DEFI_JOIN_FULL;
	int i = defi_member_index(team, j->u->id);
	int e = defi_email_invite_index(team, j->u->email);
	json_t *m = i >= 0 ? json_array_get(members, (size_t)i) : NULL;
	json_t *inv = e >= 0 ? json_array_get(json_object_get(team, "email_invites"), (size_t)e)
			     : NULL;
	if (m && strcmp(json_str(m, "state"), "invited") == 0) {
		json_object_set_new(m, "state", json_string("confirmed"));
		json_object_set_new(m, "accepted_at", json_integer(j->at));
	} else if (!m && (inv || !j->invited_only)) {
		json_array_append_new(
			members,
			json_pack("{s:s, s:s, s:I, s:I}", "user_id", j->u->id, "state", "confirmed",
				  "invited_at",
				  inv ? json_integer_value(json_object_get(inv, "invited_at"))
				      : j->at,
				  "accepted_at", (json_int_t)j->at));
	} else {
		return DEFI_JOIN_NOT_INVITED;
	}
	if (inv)
		json_array_remove(json_object_get(team, "email_invites"), (size_t)e);
	return 0;
}

int defi_team_join(struct db_ctx *db, int year, const char *id, const struct user *u, int max_size,
		   bool invited_only, json_t **saved, bson_error_t *error)
{
	int claimed = defi_seat_claim(db, year, u->id, id, "member", NULL, error);
	if (claimed <= 0)
		return claimed == 0 ? DEFI_JOIN_SEATED : -1;
	struct join j = {u, max_size, invited_only, doc_now_ms()};
	int rc = defi_team_write(db, id, confirm_member, &j, saved, error);
	if (rc) {
		bson_error_t ignored = {0};
		defi_seat_release(db, year, u->id, id, &ignored);
	}
	return rc;
}

static const char *seat_id(struct arena *a, int year, const char *user_id)
{
	return arena_printf(a, "%d:%s", year, user_id);
}

int defi_seat_claim(struct db_ctx *db, int year, const char *user_id, const char *team_id,
		    const char *role, const char **held_by, bson_error_t *error)
{
	const char *sid = seat_id(db->arena, year, user_id);
	bson_t *doc = BCON_NEW("_id", BCON_UTF8(sid), "team_id", BCON_UTF8(team_id), "role",
			       BCON_UTF8(role), "at", BCON_DATE_TIME(doc_now_ms()));
	bool ok = mongoc_collection_insert_one(db_collection(db, DEFI_SEATS), doc, NULL, NULL,
					       error);
	bson_destroy(doc);
	if (ok)
		return 1;
	if (error->code != 11000)
		return -1;
	if (held_by) {
		*held_by = defi_seat_team(db, year, user_id, error);
		if (!*held_by && error->code)
			return -1;
	}
	return 0;
}

const char *defi_seat_team(struct db_ctx *db, int year, const char *user_id, bson_error_t *error)
{
	bson_t *seat = doc_find_id(db, DEFI_SEATS, seat_id(db->arena, year, user_id), error);
	if (!seat)
		return NULL;
	const char *team = doc_string(db->arena, seat, "team_id");
	bson_destroy(seat);
	return team;
}

int defi_seat_release(struct db_ctx *db, int year, const char *user_id, const char *team_id,
		      bson_error_t *error)
{
	const char *held = defi_seat_team(db, year, user_id, error);
	if (!held)
		return error->code ? -1 : 0;
	if (strcmp(held, team_id) != 0)
		return 0;
	/* By _id alone: a filter naming team_id too would scan on FerretDB.
	 * Only this team's members reach here, and they hold this seat. */
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(seat_id(db->arena, year, user_id)));
	bool ok = mongoc_collection_delete_one(db_collection(db, DEFI_SEATS), filter, NULL, NULL,
					       error);
	bson_destroy(filter);
	return ok ? 0 : -1;
}

int defi_seat_set_role(struct db_ctx *db, int year, const char *user_id, const char *role,
		       bson_error_t *error)
{
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(seat_id(db->arena, year, user_id)));
	bson_t *update = BCON_NEW("$set", "{", "role", BCON_UTF8(role), "}");
	bool ok = mongoc_collection_update_one(db_collection(db, DEFI_SEATS), filter, update, NULL,
					       NULL, error);
	bson_destroy(filter);
	bson_destroy(update);
	return ok ? 0 : -1;
}

/* The lookup list of the teams that invited email. */
static const char *invites_list(struct arena *a, const char *email)
{
	return arena_printf(a, "defi-invites:%s", token_hash(a, email));
}

int defi_invites_add(struct db_ctx *db, const char *email, const char *team_id, bson_error_t *error)
{
	return lookup_add_id(db, invites_list(db->arena, email), team_id, error);
}

json_t *defi_invites_of(struct db_ctx *db, const char *email, bson_error_t *error)
{
	json_t *items = lookup_tail(db, invites_list(db->arena, email), DEFI_INVITES_SHOWN, NULL,
				    error);
	if (!items)
		return NULL;
	json_t *ids = json_array(), *it;
	/* Newest first, each team once (an address invited again). */
	for (size_t i = json_array_size(items); i-- > 0;) {
		it = json_object_get(json_array_get(items, i), "id");
		bool seen = false;
		size_t j;
		json_t *s;
		json_array_foreach(ids, j, s)
			seen = seen || json_equal(s, it);
		if (json_is_string(it) && !seen)
			json_array_append(ids, it);
	}
	json_decref(items);
	return ids;
}
