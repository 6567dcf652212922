#include "defi/team_index.h"

#include <mongoc/mongoc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/arena_json.h"
#include "core/collate.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "db/changelog.h"
#include "db/db.h"
#include "db/doc.h"
#include "db/lookup.h"
#include "defi/team_rules.h"
#include "defi/team_store.h"
#include "http/request.h"

/* Each edition's log has the year as its scope. */
static const struct changelog CHANGES = {"defi_team_changes", "defi-changes", "team_id"};

static const char *scope_of(struct db_ctx *db, int year)
{
	return arena_printf(db->arena, "%d", year);
}

/* One edition's index. Loaded once, then only patched: entries are never
 * freed while the process runs (one per edition that was looked at). */
struct edition_index {
	int year;
	pthread_mutex_t lock;      /* guards what follows; never held over I/O... */
	pthread_mutex_t io;        /* ...but this one is: one loader/refresher at a time */
	json_t *teams;             /* id → summary */
	json_t *sorted;            /* the shared array handed out, rebuilt on change */
	struct defi_brief *briefs; /* one per team of sorted, rebuilt with it */
	int64_t seq;               /* the last change applied */
	bool loaded;
	struct edition_index *next;
};

static pthread_mutex_t editions_lock = PTHREAD_MUTEX_INITIALIZER;
static struct edition_index *editions;

/* Returns year's index, made empty on first use. Never NULL. */
static struct edition_index *index_of(int year)
{
	pthread_mutex_lock(&editions_lock);
	struct edition_index *x = editions;
	while (x && x->year != year)
		x = x->next;
	if (!x) {
		x = xcalloc(1, sizeof(*x));
		x->year = year;
		pthread_mutex_init(&x->lock, NULL);
		pthread_mutex_init(&x->io, NULL);
		x->teams = json_object();
		x->sorted = json_array();
		x->next = editions;
		editions = x;
	}
	pthread_mutex_unlock(&editions_lock);
	return x;
}

static json_int_t invited_at(const json_t *invitation)
{
	return json_integer_value(json_object_get(invitation, "invited_at"));
}

/* Returns the summary of team (doc_to_json form). New reference. */
static json_t *summary_of(const json_t *team)
{
	json_t *members = json_array(), *pending = json_array(), *m;
	size_t i;
	json_array_foreach(json_object_get(team, "members"), i, m) {
		json_array_append_new(members,
				      json_pack("{s:s, s:s}", "user_id", json_str(m, "user_id"),
						"state", json_str(m, "state")));
		if (strcmp(json_str(m, "state"), "invited") == 0)
			json_array_append_new(pending, json_pack("{s:s, s:I}", "user_id",
								 json_str(m, "user_id"),
								 "invited_at", invited_at(m)));
	}
	json_array_foreach(json_object_get(team, "email_invites"), i, m)
		json_array_append_new(pending,
				      json_pack("{s:s, s:I}", "email", json_str(m, "email"),
						"invited_at", invited_at(m)));
	int invited = (int)json_array_size(pending);
	json_t *s = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:i, s:i, s:o, s:o, s:b}", "id",
			      json_str(team, "_id"), "name", json_str(team, "name"),
			      "organisation_id", json_str(team, "organisation_id"), "captain_id",
			      json_str(team, "captain_id"), "status", json_str(team, "status"),
			      "incomplete", json_is_true(json_object_get(team, "incomplete")),
			      "confirmed_count",
			      defi_confirmed_count(json_object_get(team, "members")),
			      "invited_count", invited, "members", members, "pending", pending,
			      "example", json_is_true(json_object_get(team, "example")));
	const char *submitted = json_str(team, "submitted_at");
	if (*submitted)
		json_object_set_new(s, "submitted_at", json_string(submitted));
	return s;
}

struct keyed {
	const char *key, *name;
	json_t *summary;
};

static int by_name(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	return collate_compare(x->key, x->name, y->key, y->name);
}

/* Rebuilds x->sorted from x->teams; x->lock held. Readers holding the
 * old array keep it. */
static void resort(struct edition_index *x)
{
	size_t n = json_object_size(x->teams), i = 0;
	struct keyed *items = xcalloc(n ? n : 1, sizeof(*items));
	struct arena *a = arena_new();
	const char *id;
	json_t *s;
	json_object_foreach(x->teams, id, s) {
		const char *name = json_str(s, "name");
		items[i++] = (struct keyed){collate_key(a, name), name, s};
	}
	qsort(items, n, sizeof(*items), by_name);
	json_t *sorted = json_array();
	struct defi_brief *briefs = xcalloc(n ? n : 1, sizeof(*briefs));
	for (i = 0; i < n; i++) {
		const json_t *t = items[i].summary;
		const char *code = json_str(t, "organisation_id");
		json_array_append(sorted, items[i].summary);
		briefs[i] = (struct defi_brief){
			t, json_str(t, "status"), code,
			json_is_true(json_object_get(t, "incomplete")),
			(int)json_integer_value(json_object_get(t, "confirmed_count"))};
	}
	json_decref(x->sorted);
	x->sorted = sorted;
	free(x->briefs);
	x->briefs = briefs;
	arena_free(a);
	free(items);
}

/* Reads team id by _id and puts its summary in teams, x's or a fresh
 * one (or drops it when the team is gone or of another edition). Returns
 * 0 or -1 with err set. */
static int reread(struct db_ctx *db, struct edition_index *x, json_t *teams, const char *id,
		  bson_error_t *err)
{
	json_t *team = defi_team_load(db, id, err);
	if (!team && err->code)
		return -1;
	json_t *s = team && json_integer_value(json_object_get(team, "year")) == x->year
			    ? summary_of(team)
			    : NULL;
	json_decref(team);
	pthread_mutex_lock(&x->lock);
	if (s)
		json_object_set_new(teams, id, s);
	else
		json_object_del(teams, id);
	pthread_mutex_unlock(&x->lock);
	return 0;
}

static int load(struct db_ctx *db, struct edition_index *x, bson_error_t *err);

/* Applies the changes after x->seq, one read by _id each and one more to
 * see there is no next; reloads the edition when the next one needed was
 * purged. x->io held. Returns how many, or -1. */
static long apply_changes(struct db_ctx *db, struct edition_index *x, bson_error_t *err)
{
	long applied = 0;
	for (;;) {
		const char *team = changelog_at(db, &CHANGES, scope_of(db, x->year), x->seq + 1,
						err);
		if (!team)
			break;
		if (reread(db, x, x->teams, team, err))
			return -1;
		x->seq++;
		applied++;
	}
	if (changelog_gone(err))
		return load(db, x, err) ? -1 : applied;
	if (err->code)
		return -1;
	if (applied) {
		pthread_mutex_lock(&x->lock);
		resort(x);
		pthread_mutex_unlock(&x->lock);
	}
	return applied;
}

/* Loads every listed team into a fresh map that then replaces x's (at
 * first, or behind the log's purge): the log's head first, so a change
 * made while the teams are read is applied after them. x->io held.
 * Returns 0 or -1 with err set (x unchanged). */
static int load(struct db_ctx *db, struct edition_index *x, bson_error_t *err)
{
	int64_t seq = changelog_head(db, &CHANGES, scope_of(db, x->year), err);
	if (seq < 0)
		return -1;
	const char *list = defi_teams_list(db->arena, x->year);
	json_t *teams = json_object();
	struct lookup_info info;
	for (int64_t page = 0;; page++) {
		json_t *items = lookup_page(db, list, page, &info, err), *item;
		bool failed = !items;
		size_t i;
		json_array_foreach(items, i, item)
			if (!failed && reread(db, x, teams, json_str(item, "id"), err))
				failed = true;
		json_decref(items);
		if (failed) {
			json_decref(teams);
			return -1;
		}
		if (page + 1 >= info.pages)
			break;
	}
	pthread_mutex_lock(&x->lock);
	json_decref(x->teams);
	x->teams = teams;
	x->seq = seq;
	x->loaded = true;
	resort(x);
	pthread_mutex_unlock(&x->lock);
	return 0;
}

static bool is_loaded(struct edition_index *x)
{
	pthread_mutex_lock(&x->lock);
	bool loaded = x->loaded;
	pthread_mutex_unlock(&x->lock);
	return loaded;
}

/* Returns year's index, loaded (at once the first time), or NULL with
 * err set. */
static struct edition_index *loaded_index(struct db_ctx *db, int year, bson_error_t *err)
{
	struct edition_index *x = index_of(year);
	memset(err, 0, sizeof(*err));
	if (!is_loaded(x)) {
		pthread_mutex_lock(&x->io);
		int rc = x->loaded ? 0 : load(db, x, err);
		pthread_mutex_unlock(&x->io);
		if (rc)
			return NULL;
	}
	return x;
}

json_t *defi_index_teams(struct db_ctx *db, int year, bson_error_t *err)
{
	struct edition_index *x = loaded_index(db, year, err);
	if (!x)
		return NULL;
	pthread_mutex_lock(&x->lock);
	json_t *out = json_incref(x->sorted);
	pthread_mutex_unlock(&x->lock);
	return out;
}

json_t *defi_index_team(struct db_ctx *db, int year, const char *id, bson_error_t *err)
{
	struct edition_index *x = loaded_index(db, year, err);
	if (!x || !id)
		return NULL;
	pthread_mutex_lock(&x->lock);
	/* Summaries are replaced, never changed, so the reference stays true. */
	json_t *out = json_incref(json_object_get(x->teams, id));
	pthread_mutex_unlock(&x->lock);
	return out;
}

int defi_index_briefs(struct db_ctx *db, int year, json_t **teams, const struct defi_brief **briefs,
		      size_t *n, bson_error_t *err)
{
	struct edition_index *x = loaded_index(db, year, err);
	if (!x)
		return -1;
	pthread_mutex_lock(&x->lock);
	*teams = arena_json(db->arena, json_incref(x->sorted));
	*n = json_array_size(x->sorted);
	struct defi_brief *copy = arena_alloc(db->arena, (*n ? *n : 1) * sizeof(*copy));
	if (*n)
		memcpy(copy, x->briefs, *n * sizeof(*copy));
	pthread_mutex_unlock(&x->lock);
	*briefs = copy;
	return 0;
}

int defi_index_changed(struct db_ctx *db, int year, const char *team_id, bson_error_t *err)
{
	if (changelog_append(db, &CHANGES, scope_of(db, year), team_id, err) < 0)
		return -1;
	struct edition_index *x = index_of(year);
	if (!is_loaded(x))
		return 0;
	pthread_mutex_lock(&x->io);
	long applied = apply_changes(db, x, err);
	pthread_mutex_unlock(&x->io);
	return applied < 0 ? -1 : 0;
}

/* When this process last purged the logs (ms). */
static _Atomic int64_t last_purge;

/* Purges the records older than an hour of each edition's log this
 * process has seen, loaded or only written to. Returns 0, or -1 after
 * logging. */
static int purge(struct db_ctx *db, struct edition_index *first)
{
	int64_t now = doc_now_ms();
	if (!changelog_purge_due(&last_purge, now))
		return 0;
	int rc = 0;
	for (struct edition_index *x = first; x; x = x->next) {
		bson_error_t err;
		if (changelog_purge(db, &CHANGES, scope_of(db, x->year), now - CHANGELOG_KEEP_MS,
				    &err) < 0) {
			log_error(db->log_id, "defi index %d purge: %s", x->year, err.message);
			rc = -1;
		}
	}
	return rc;
}

int defi_index_refresh(struct db_ctx *db)
{
	pthread_mutex_lock(&editions_lock);
	struct edition_index *first = editions;
	pthread_mutex_unlock(&editions_lock);
	int rc = 0;
	/* Entries are only ever prepended: the list from first on is fixed. */
	for (struct edition_index *x = first; x; x = x->next) {
		if (!is_loaded(x))
			continue;
		bson_error_t err = {0};
		pthread_mutex_lock(&x->io);
		if (apply_changes(db, x, &err) < 0) {
			log_error(db->log_id, "defi index %d: %s", x->year, err.message);
			rc = -1;
		}
		pthread_mutex_unlock(&x->io);
	}
	return purge(db, first) || rc ? -1 : 0;
}
