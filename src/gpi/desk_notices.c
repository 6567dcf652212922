/* The deferred inadmissibility notices (gpi_notices_run, gpi/desk.h): the
 * organisation learns that its candidature is "irrecevable" when the
 * notification phase starts, not when the secretariat decides, so that
 * the secretariat may still change its mind until then. The refresher
 * runs this pass in every process; each mail is claimed by its outbox
 * _id, so however many processes find a notice due, it goes out once. */
#include <string.h>

#include "audit/audit.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/log.h"
#include "db/db.h"
#include "db/doc.h"
#include "gpi/candidature.h"
#include "gpi/desk.h"
#include "gpi/desk_rules.h"
#include "gpi/edition.h"

/* The moment a notice is recorded as sent. */
struct sent {
	int64_t notification_start_ms, now_ms;
};

/* gpi_candidature_write's edit: records notified_at, unless the notice
 * is no longer due (another process recorded it first). */
static int mark_notified(json_t *cand, void *ctx)
{
	const struct sent *s = ctx;
	if (!gpi_notice_due(cand, s->notification_start_ms, s->now_ms))
		return 1;
	json_object_set_new(json_object_get(cand, "admissibility"), "notified_at",
			    json_integer(s->now_ms));
	return 0;
}

/* Mails candidature cand's notice to each of its recipients once.
 * Returns 0, or -1 when one could not be queued (the next pass tries
 * again; those queued are not queued twice). */
static int mail_notice(const struct app *app, struct db_ctx *db, const json_t *e,
		       const json_t *cand)
{
	const char *id = json_str(cand, "_id");
	const json_t *a = json_object_get(cand, "admissibility");
	const struct gpi_reason *reason = gpi_reason_find(json_str(a, "reason"));
	json_t *fields = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "edition_title", json_str(e, "title"),
		"title", json_str(cand, "title"), "category",
		gpi_desk_category_name(e, json_str(cand, "category")), "reason",
		reason ? reason->label : "", "article", reason ? reason->article : "article 5",
		"comment", json_str(a, "comment"), "url",
		gpi_desk_candidature_url(app, db, gpi_edition_year(e), id));
	struct gpi_desk_mailed m = gpi_desk_mail(app, db, cand,
						 arena_printf(db->arena, "gpi-irrecevable-%s", id),
						 "gpi_irrecevable", fields, "its inadmissibility");
	json_decref(fields);
	return m.failed ? -1 : 0;
}

/* Sends the notice of candidature id if still due, and records it.
 * Returns 0, or -1 after logging. */
static int notify(const struct app *app, struct db_ctx *db, const json_t *e, const char *id,
		  const struct sent *when)
{
	bson_error_t error;
	json_t *cand = gpi_candidature_load(db, id, &error);
	if (!cand) {
		if (error.code)
			log_error(db->log_id, "candidature %s: %s", id, error.message);
		return error.code ? -1 : 0;
	}
	int rc = 0;
	/* The document decides: the index of another process may lag. */
	if (gpi_notice_due(cand, when->notification_start_ms, when->now_ms)) {
		rc = mail_notice(app, db, e, cand);
		struct sent s = *when;
		if (rc == 0 &&
		    gpi_candidature_write(db, id, "", 0, mark_notified, &s, NULL, &error) < 0) {
			log_error(db->log_id, "candidature %s: notice not recorded: %s", id,
				  error.message);
			rc = -1;
		}
		if (rc == 0) {
			gpi_index_changed(db, id, &error);
			struct audit_actor by = audit_actor_cli(NULL);
			audit_write(db, &by, "gpi.admissibility.notified", id,
				    json_str(json_object_get(cand, "admissibility"), "reason"));
		}
	}
	json_decref(cand);
	return rc;
}

int gpi_notice_send(const struct app *app, struct db_ctx *db, const json_t *e, const char *id)
{
	struct sent when = {.now_ms = clock_now_ms()};
	int64_t end;
	if (gpi_edition_phase(e, GPI_PHASE_NOTIFICATION, &when.notification_start_ms, &end) ||
	    when.notification_start_ms > when.now_ms)
		when.notification_start_ms = when.now_ms;
	return notify(app, db, e, id, &when);
}

int gpi_notices_run(const struct app *app, struct db_ctx *db)
{
	bson_error_t error;
	json_t *editions = gpi_editions_all(db, &error), *e;
	if (!editions)
		return -1;
	struct sent when = {.now_ms = clock_now_ms()};
	int rc = 0;
	size_t i;
	json_array_foreach(editions, i, e) {
		int64_t end;
		if (gpi_edition_phase(e, GPI_PHASE_NOTIFICATION, &when.notification_start_ms,
				      &end) ||
		    when.now_ms < when.notification_start_ms)
			continue;
		json_t *rows = gpi_index_rows(db, gpi_edition_year(e), NULL,
					      GPI_STATUSES[GPI_STATUS_IRRECEVABLE][0], &error);
		if (!rows) {
			rc = -1;
			break;
		}
		json_t *r;
		size_t k;
		json_array_foreach(rows, k, r)
			if (gpi_notice_due(r, when.notification_start_ms, when.now_ms) &&
			    notify(app, db, e, json_str(r, "id"), &when))
				rc = -1;
		json_decref(rows);
	}
	json_decref(editions);
	return rc;
}
