/* The phase mails of article 6.2 (gpi_final_send_notifications): in one
 * action of the secretariat, each finalist is invited to the grand jury's
 * audition and told the ceremony's date, the rest of each category's pool
 * learns it was not retained, and the irrecevable candidatures get their
 * reason. Each mail is claimed by its outbox _id ("gpi-finaliste-<id>-<n>",
 * "gpi-non-retenue-<id>-<n>", n the recipient's rank; the desk's for the
 * inadmissibility notices), so repeating the action sends nothing twice.
 * No mail names a prize: the prizes are decided later, and stay under
 * embargo until the ceremony. */
#include <string.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/paris_time.h"
#include "db/doc.h"
#include "gpi/candidature.h"
#include "gpi/desk.h"
#include "gpi/edition.h"
#include "gpi/final.h"
#include "gpi/final_rules.h"
#include "gpi/results.h"
#include "http/request.h"

/* What every mail of the action says of the edition. */
struct phase_dates {
	const char *audition, *ceremony; /* French dates, arena */
};

static const char *date_fr(struct request *req, const json_t *e, enum gpi_phase phase)
{
	int64_t start = 0, end = 0;
	char out[PARIS_TIME_LONG_MAX];
	if (gpi_edition_phase(e, phase, &start, &end))
		return "";
	return arena_strdup(req->arena, paris_time_format_long(start, out, sizeof(out)));
}

/* Mails candidature id its template (gpi_finaliste or gpi_non_retenue),
 * once per recipient. Counts into out; returns 0 or -1. */
static int mail_one(struct request *req, const struct gpi_final *f, const char *id, bool finalist,
		    const struct phase_dates *d, struct gpi_final_sent *out)
{
	bson_error_t error;
	json_t *cand = gpi_candidature_load(req->db, id, &error);
	if (!cand) {
		if (error.code)
			log_error(req->request_id, "candidature %s: %s", id, error.message);
		return error.code ? -1 : 0;
	}
	const char *template = finalist ? "gpi_finaliste" : "gpi_non_retenue";
	json_t *fields = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "edition_title",
				   json_str(f->edition, "title"), "title", json_str(cand, "title"),
				   "category",
				   gpi_desk_category_name(f->edition, json_str(cand, "category")),
				   "audition", d->audition, "ceremony", d->ceremony, "url",
				   gpi_desk_candidature_url(req->app, req->db, f->year, id));
	const char *key = arena_printf(req->arena, "gpi-%s-%s",
				       finalist ? "finaliste" : "non-retenue", id);
	struct gpi_desk_mailed m = gpi_desk_mail(req->app, req->db, cand, key, template, fields,
						 finalist ? "its selection" : "its non-selection");
	json_decref(fields);
	json_decref(cand);
	out->queued += m.queued;
	out->before += m.before;
	return m.failed ? -1 : 0;
}

int gpi_final_send_notifications(struct request *req, const struct gpi_final *f,
				 struct gpi_final_sent *out)
{
	*out = (struct gpi_final_sent){0};
	struct phase_dates d = {date_fr(req, f->edition, GPI_PHASE_AUDITION),
				date_fr(req, f->edition, GPI_PHASE_CEREMONY)};
	int64_t audition = 0, end = 0;
	gpi_edition_phase(f->edition, GPI_PHASE_AUDITION, &audition, &end);
	out->late = gpi_notice_late(f->now_ms, audition);
	bson_error_t error;
	int rc = 0;
	size_t i;
	const json_t *c, *r;
	json_array_foreach(json_object_get(f->edition, "categories"), i, c) {
		const json_t *state = gpi_category_state(req->db, f->year, json_str(c, "code"),
							 &error);
		if (!state)
			return -1;
		bool decided = gpi_state_finalists(state) != NULL;
		out->pending += !decided;
		size_t k;
		json_array_foreach(f->rows, k, r) {
			if (strcmp(json_str(r, "category"), json_str(c, "code")))
				continue;
			const char *id = json_str(r, "id");
			if (decided && gpi_in_pool(r))
				rc |= mail_one(req, f, id, gpi_state_is_finalist(state, id), &d,
					       out);
			else if (gpi_status_from(json_str(r, "status")) == GPI_STATUS_IRRECEVABLE)
				rc |= gpi_notice_send(req->app, req->db, f->edition, id);
		}
	}
	return rc ? -1 : 0;
}
