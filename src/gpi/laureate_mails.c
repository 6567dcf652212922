/* The laureates' mails (gpi_laureate_mails_run, laureates.h): they go
 * out at the ceremony instant with nobody on duty. The refresher runs
 * this pass in every process about four times a second; each mail is
 * claimed by its outbox _id, so however many processes find the results
 * published, each laureate's recipient gets one mail per prize, and the
 * edition's published_mail_at then ends the pass's work for it. */
#include "audit/audit.h"
#include "core/app.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/log.h"
#include "db/db.h"
#include "db/doc.h"
#include "gpi/candidature.h"
#include "gpi/desk.h"
#include "gpi/edition.h"
#include "gpi/laureates.h"
#include "gpi/results.h"
#include "gpi/results_rules.h"

/* Returns what the mail says laureate l received: "le prix « Or » de la
 * catégorie « … »", "le coup de cœur du grand jury", "le prix spécial
 * « … »" (db's arena). */
static const char *prize_phrase(struct db_ctx *db, const json_t *l)
{
	switch (gpi_prize_from(json_str(l, "prize"))) {
	case GPI_PRIZE_COUP_DE_COEUR: return "le coup de cœur du grand jury";
	case GPI_PRIZE_SPECIAL:
		return arena_printf(db->arena, "le prix spécial «\u202f%s\u202f»",
				    json_str(l, "prize_title"));
	default:
		return arena_printf(db->arena,
				    "le prix «\u202f%s\u202f» de la catégorie «\u202f%s\u202f»",
				    json_str(l, "prize_label"), json_str(l, "category_name"));
	}
}

/* Mails laureate l (a gpi_laureates_list item) of edition e to each of
 * its candidature's recipients once. Returns 0, or -1 when one could not
 * be queued (the next pass tries again; those queued are not queued
 * twice). */
static int mail_laureate(const struct app *app, struct db_ctx *db, const json_t *e, const json_t *l)
{
	const char *id = json_str(l, "candidature_id");
	bson_error_t error;
	json_t *cand = gpi_candidature_load(db, id, &error);
	if (!cand) {
		log_error(db->log_id, "laureate %s: %s", id, error.code ? error.message : "gone");
		return error.code ? -1 : 0;
	}
	const char *endowment = json_integer_value(json_object_get(l, "endowment_eur"))
					? arena_printf(db->arena, "Ce prix est doté de %lld €.",
						       (long long)json_integer_value(
							       json_object_get(l, "endowment_eur")))
					: json_str(l, "endowment_note");
	json_t *fields = json_pack("{s:s, s:s, s:s, s:s, s:s}", "edition_title",
				   json_str(e, "title"), "title", json_str(l, "title"), "prize",
				   prize_phrase(db, l), "endowment", endowment, "url",
				   arena_printf(db->arena, "%s/grand-prix/%d/palmares",
						app->config.base_url, gpi_edition_year(e)));
	struct gpi_desk_mailed m = gpi_desk_mail(
		app, db, cand, arena_printf(db->arena, "gpi-prix-%s-%s", id, json_str(l, "prize")),
		"gpi_laureat", fields, "its prize");
	json_decref(fields);
	json_decref(cand);
	return m.failed ? -1 : 0;
}

/* Mails the laureates of edition e, published at now_ms, unless done.
 * Returns 0, or -1 after logging. */
static int mail_edition(const struct app *app, struct db_ctx *db, const json_t *e, int64_t now_ms)
{
	int year = gpi_edition_year(e);
	bson_error_t error;
	const json_t *results = gpi_edition_results(db, year, &error);
	if (results && gpi_results_instant(results, GPI_RESULTS_PUBLISHED_MAIL))
		return 0;
	json_t *list = results ? gpi_laureates_all(db, e, &error) : NULL, *l;
	if (!list) {
		log_error(db->log_id, "Grand Prix %d: results unreadable: %s", year, error.message);
		return -1;
	}
	int rc = 0;
	size_t i;
	json_array_foreach(list, i, l)
		if (mail_laureate(app, db, e, l))
			rc = -1;
	struct audit_actor by = audit_actor_cli(NULL);
	if (rc == 0 && json_array_size(list) &&
	    gpi_results_mark(db, &by, year, GPI_RESULTS_PUBLISHED_MAIL, now_ms, &error)) {
		log_error(db->log_id, "Grand Prix %d: laureates' mails not recorded: %s", year,
			  error.message);
		rc = -1;
	}
	json_decref(list);
	return rc;
}

int gpi_laureate_mails_run(const struct app *app, struct db_ctx *db)
{
	bson_error_t error;
	json_t *editions = gpi_editions_all(db, &error), *e;
	if (!editions)
		return -1;
	int64_t now = clock_now_ms();
	int rc = 0;
	size_t i;
	json_array_foreach(editions, i, e)
		if (gpi_results_published(e, now) && mail_edition(app, db, e, now))
			rc = -1;
	json_decref(editions);
	return rc;
}
