#include "defi/reminders.h"

#include <jansson.h>
#include <mongoc/mongoc.h>
#include <string.h>

#include "accounts/notify.h"
#include "accounts/session.h"
#include "accounts/user.h"
#include "core/arena.h"
#include "core/token.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/paris_time.h"
#include "db/db.h"
#include "db/doc.h"
#include "defi/edition.h"
#include "defi/team_index.h"
#include "http/request.h"

int defi_captain_reminder_due(int64_t closes_ms, int64_t now_ms)
{
	if (now_ms > closes_ms)
		return 0;
	if (now_ms >= closes_ms - DEFI_REMIND_CAPTAIN_LATE_MS)
		return 1;
	return now_ms >= closes_ms - DEFI_REMIND_CAPTAIN_EARLY_MS ? 7 : 0;
}

bool defi_invite_reminder_due(int64_t invited_ms, int64_t now_ms)
{
	return invited_ms > 0 && now_ms >= invited_ms + DEFI_REMIND_INVITE_AFTER_MS;
}

/* The claims this process has made or found taken: only the refresher's
 * thread runs the reminders, so no lock. */
static json_t *seen;

/* Claims reminder id. Returns 1 when this caller sends it, 0 when it was
 * claimed before, -1 on error (logged). */
static int claim(struct db_ctx *db, const char *id)
{
	if (!seen)
		seen = json_object();
	if (json_object_get(seen, id))
		return 0;
	bson_error_t error;
	bson_t *doc = BCON_NEW("_id", BCON_UTF8(id), "at", BCON_DATE_TIME(doc_now_ms()));
	bool ok = mongoc_collection_insert_one(db_collection(db, "defi_reminders"), doc, NULL, NULL,
					       &error);
	bson_destroy(doc);
	if (!ok && error.code != 11000) {
		log_error(db->log_id, "defi reminder %s: %s", id, error.message);
		return -1;
	}
	json_object_set_new(seen, id, json_true());
	return ok ? 1 : 0;
}

/* Gives up claim id after its mail could not be queued, so a later pass
 * tries again. */
static void unclaim(struct db_ctx *db, const char *id)
{
	bson_error_t error;
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(id));
	mongoc_collection_delete_one(db_collection(db, "defi_reminders"), filter, NULL, NULL,
				     &error);
	bson_destroy(filter);
	json_object_del(seen, id);
}

/* Claims id, then mails template to `to` with data. Returns -1 on error. */
static int send_once(const struct app *app, struct db_ctx *db, const char *id, const char *to,
		     const char *template, json_t *data)
{
	int claimed = claim(db, id);
	if (claimed <= 0)
		return claimed;
	if (notify_user(app, db, to, template, data)) {
		unclaim(db, id);
		return -1;
	}
	return 0;
}

/* The data every reminder shows: the edition, the team and its page. */
static json_t *mail_data(const struct app *app, struct db_ctx *db, const json_t *e, const json_t *s)
{
	char closes[PARIS_TIME_LONG_MAX];
	int year = (int)json_integer_value(json_object_get(e, "year"));
	return json_pack(
		"{s:s, s:i, s:s, s:s, s:s}", "team", json_str(s, "name"), "year", year, "title",
		json_str(e, "title"), "closes_fr",
		paris_time_format_long(json_integer_value(json_object_get(e, "signup_closes_at")),
				       closes, sizeof(closes)),
		"url",
		notify_site_url(
			app, db->arena,
			arena_printf(db->arena, "/defi/%d/equipes/%s", year, json_str(s, "id"))));
}

static int remind_captain(const struct app *app, struct db_ctx *db, const json_t *e,
			  const json_t *s, int days)
{
	if (strcmp(json_str(s, "status"), "brouillon") != 0)
		return 0;
	const char *id = arena_printf(db->arena, "j%d:%s", days, json_str(s, "id"));
	if (json_object_get(seen, id))
		return 0;
	bson_error_t error;
	struct user *captain = user_find_id(db, json_str(s, "captain_id"), &error);
	if (!captain || !captain->email)
		return error.code ? -1 : 0;
	json_t *data = mail_data(app, db, e, s);
	json_object_set_new(data, "name", json_string(captain->name ? captain->name : ""));
	json_object_set_new(data, "last_day", json_boolean(days == 1));
	json_object_set_new(data, "incomplete",
			    json_boolean(json_is_true(json_object_get(s, "incomplete"))));
	int rc = send_once(app, db, id, captain->email, "defi_reminder_captain", data);
	json_decref(data);
	return rc;
}

/* One unanswered invitation: to an account, or to an address that has
 * none yet (then with the sign-up link). */
static int remind_invited(const struct app *app, struct db_ctx *db, const json_t *e,
			  const json_t *s, const json_t *p)
{
	const char *user_id = json_str(p, "user_id"), *email = json_str(p, "email");
	const char *id = arena_printf(db->arena, "invite:%s:%s", json_str(s, "id"),
				      *user_id ? user_id : token_hash(db->arena, email));
	if (json_object_get(seen, id))
		return 0;
	json_t *data = mail_data(app, db, e, s);
	if (*user_id) {
		bson_error_t error;
		struct user *u = user_find_id(db, user_id, &error);
		if (!u || !u->email) {
			json_decref(data);
			return error.code ? -1 : 0;
		}
		email = u->email;
		json_object_set_new(data, "name", json_string(u->name ? u->name : ""));
		json_object_set_new(data, "has_account", json_true());
	} else {
		json_object_set_new(
			data, "url",
			json_string(notify_site_url(
				app, db->arena,
				arena_printf(db->arena, "/inscription?email=%s", email))));
	}
	int rc = send_once(app, db, id, email, "defi_reminder_invitation", data);
	json_decref(data);
	return rc;
}

/* The reminders of open edition e at now. Returns 0, or -1. */
static int remind_edition(const struct app *app, struct db_ctx *db, const json_t *e, int64_t now)
{
	bson_error_t error;
	int year = (int)json_integer_value(json_object_get(e, "year"));
	json_t *teams = defi_index_teams(db, year, &error), *s, *p;
	if (!teams) {
		log_error(db->log_id, "defi reminders %d: %s", year, error.message);
		return -1;
	}
	int days = defi_captain_reminder_due(
		json_integer_value(json_object_get(e, "signup_closes_at")), now);
	int rc = 0;
	size_t i, j;
	json_array_foreach(teams, i, s) {
		if (days && remind_captain(app, db, e, s, days))
			rc = -1;
		json_array_foreach(json_object_get(s, "pending"), j, p)
			if (defi_invite_reminder_due(
				    json_integer_value(json_object_get(p, "invited_at")), now) &&
			    remind_invited(app, db, e, s, p))
				rc = -1;
	}
	json_decref(teams);
	return rc;
}

int defi_reminders_run(const struct app *app, struct db_ctx *db)
{
	bson_error_t error;
	json_t *editions = defi_editions_all(db, &error), *e;
	if (!editions)
		return -1;
	int64_t now = clock_now_ms();
	int rc = 0;
	size_t i;
	json_array_foreach(editions, i, e)
		if (defi_edition_is_open(e, now) && remind_edition(app, db, e, now))
			rc = -1;
	json_decref(editions);
	return rc;
}
