#include "projects/stalled.h"

#include <jansson.h>
#include <string.h>
#include <time.h>

#include "accounts/notify.h"
#include "accounts/user.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/log.h"
#include "db/db.h"
#include "db/doc.h"
#include "projects/board.h"
#include "projects/index.h"
#include "projects/project.h"

#define CLAIMS "project_mails"

/* The claims this process made or found taken: only the refresher's
 * thread runs this, so no lock. Keys "stalled:<coordinator>:<week>";
 * dropped when the week changes. */
static json_t *seen;
static char seen_week[PROJECT_WEEK_MAX];
static int64_t last_pass; /* monotonic ms of the last complete pass */

static int64_t monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Claims mail id. Returns 1 when this caller sends it, 0 when it was
 * claimed before, -1 on error (logged). */
static int claim(struct db_ctx *db, const char *id)
{
	bson_error_t error;
	int won = doc_claim_id(db, CLAIMS, id, &error);
	if (won < 0) {
		log_error(db->log_id, "stalled projects mail %s: %s", id, error.message);
		return -1;
	}
	json_object_set_new(seen, id, json_true());
	return won;
}

/* Gives claim id up after its mail could not be queued, so that a later
 * pass tries again. */
static void unclaim(struct db_ctx *db, const char *id)
{
	bson_error_t error;
	if (doc_delete_id(db, CLAIMS, id, &error))
		log_error(db->log_id, "stalled projects mail %s kept claimed: %s", id,
			  error.message);
	json_object_del(seen, id);
}

/* Returns the stalled active projects of index at now grouped by their
 * coordinator: {coordinator id: [{title, url, days}]}, oldest activity
 * last as the index is ordered. New reference. */
static json_t *stalled_by_coordinator(const struct app *app, struct arena *a, const json_t *index,
				      int64_t now)
{
	json_t *out = json_object();
	size_t i;
	json_t *s;
	json_array_foreach(index, i, s) {
		const char *coordinator = json_str(s, "coordinator_id");
		int64_t last = json_integer_value(json_object_get(s, "last_activity_ms"));
		if (!*coordinator || strcmp(json_str(s, "state"), "active") != 0 ||
		    !project_is_stalled(last, now))
			continue;
		json_t *list = json_object_get(out, coordinator);
		if (!list) {
			list = json_array();
			json_object_set_new(out, coordinator, list);
		}
		json_array_append_new(
			list, json_pack("{s:s, s:s, s:I}", "title", json_str(s, "title"), "url",
					notify_site_url(app, a,
							arena_printf(a, "/projets/%s",
								     json_str(s, "slug"))),
					"days", (json_int_t)project_days_since(last, now)));
	}
	return out;
}

/* Mails coordinator id their stalled projects of week, once. Returns 0,
 * or -1 (logged). */
static int mail_once(const struct app *app, struct db_ctx *db, const char *id, json_t *projects,
		     const char *week)
{
	const char *key = arena_printf(db->arena, "stalled:%s:%s", id, week);
	if (json_object_get(seen, key))
		return 0;
	bson_error_t error = {0};
	struct user *u = user_find_id(db, id, &error);
	if (!u || !u->email || !user_is_active(u)) {
		if (error.code)
			log_error(db->log_id, "stalled projects mail to %s: %s", id, error.message);
		return error.code ? -1 : 0;
	}
	int claimed = claim(db, key);
	if (claimed <= 0)
		return claimed;
	json_t *data = json_pack("{s:s, s:O, s:I, s:s}", "name", u->name ? u->name : "", "projects",
				 projects, "count", (json_int_t)json_array_size(projects),
				 "board_url",
				 notify_site_url(app, db->arena, "/projets/tableau?suivi=moi"));
	int rc = notify_user(app, db, u->email, "project_stalled", data);
	json_decref(data);
	if (rc)
		unclaim(db, key);
	return rc;
}

int projects_stalled_mail(const struct app *app, struct db_ctx *db)
{
	int64_t now = clock_now_ms();
	char week[PROJECT_WEEK_MAX];
	project_iso_week(now, week);
	bool new_week = strcmp(week, seen_week) != 0;
	if (!new_week && monotonic_ms() - last_pass < PROJECT_STALLED_CHECK_MS)
		return 0;
	bson_error_t error;
	json_t *index = projects_index(db, &error);
	if (!index) {
		log_error(NULL, "stalled projects: %s", error.message);
		return -1;
	}
	if (new_week || !seen) {
		json_decref(seen);
		seen = json_object();
		memcpy(seen_week, week, sizeof(week));
	}
	json_t *by = stalled_by_coordinator(app, db->arena, index, now), *projects;
	const char *id;
	int rc = 0;
	json_object_foreach(by, id, projects)
		if (mail_once(app, db, id, projects, week))
			rc = -1;
	json_decref(by);
	json_decref(index);
	if (rc == 0)
		last_pass = monotonic_ms();
	return rc;
}
