/* The eligibility API and the submission: refused while an eliminatory
 * check fails or from the deadline on (the server's clock decides), then
 * the receipt mail through the outbox, once, to the filer and the
 * contacts. */
#include <string.h>

#include "accounts/notify.h"
#include "accounts/organisation.h"
#include "accounts/user.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/paris_time.h"
#include "db/doc.h"
#include "gpi/candidature.h"
#include "gpi/candidature_page.h"
#include "gpi/edition.h"
#include "gpi/ui.h"
#include "http/reply.h"
#include "http/request.h"
#include "web/db_reply.h"
#include "web/error_reply.h"

void gpi_candidature_eligibility(struct request *req)
{
	struct gpi_cand_ctx c;
	if (!gpi_cand_open(req, NULL, &c))
		return;
	struct gpi_check_result r[GPI_CHECK_COUNT];
	bool eligible = gpi_cand_eligibility(req, &c, r);
	reply_json(req, 200, arena_json(req->arena, gpi_eligibility_json(r, eligible)));
	gpi_cand_close(&c);
}

/* What a submission writes. */
struct submission {
	int64_t at;
};

enum { SUBMIT_ALREADY = 1 };

static int mark_submitted(json_t *cand, void *ctx)
{
	const struct submission *s = ctx;
	if (strcmp(json_str(cand, "status"), GPI_STATUSES[GPI_STATUS_BROUILLON][0]) != 0)
		return SUBMIT_ALREADY;
	json_object_set_new(cand, "status", json_string(GPI_STATUSES[GPI_STATUS_DEPOSEE][0]));
	json_object_set_new(cand, "submitted_at_ms", json_integer(s->at));
	return 0;
}

/* Adds address to the recipients unless it is there already (case
 * aside). */
static void add_recipient(json_t *to, const char *address)
{
	if (!address || !*address)
		return;
	size_t i;
	json_t *v;
	json_array_foreach(to, i, v)
		if (strcasecmp(json_string_value(v), address) == 0)
			return;
	json_array_append_new(to, json_string(address));
}

/* Queues the receipt of candidature c, submitted at at, to the filer and
 * every contact. A failure is logged by notify_user: the submission
 * stands. */
static void mail_receipt(struct request *req, const struct gpi_cand_ctx *c, int64_t at)
{
	bson_error_t error = {0};
	json_t *orgs = arena_json(req->arena, organisations_by_code(req->db, &error));
	const json_t *org = json_object_get(orgs, json_str(c->cand, "organisation_id"));
	const json_t *cat = gpi_edition_category(c->edition, json_str(c->cand, "category"));
	char when[PARIS_TIME_LONG_MAX];
	json_t *to = arena_json(req->arena, json_array()), *contact;
	size_t i;
	add_recipient(to, req->user->email);
	json_array_foreach(json_object_get(c->cand, "contacts"), i, contact)
		add_recipient(to, json_str(contact, "email"));
	json_t *data = arena_json(
		req->arena,
		json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "edition",
			  json_str(c->edition, "title"), "title", json_str(c->cand, "title"),
			  "category", cat ? json_str(cat, "name") : json_str(c->cand, "category"),
			  "organisation",
			  org ? json_str(org, "name") : json_str(c->cand, "organisation_id"),
			  "summary", json_str(c->cand, "summary"), "submitted_fr",
			  paris_time_format_long(at, when, sizeof(when)), "url",
			  notify_site_url(req->app, req->arena, gpi_cand_url(req, c->year, c->id)),
			  "has_video", json_is_object(json_object_get(c->cand, "video"))));
	json_t *dossier = json_object_get(c->cand, "dossier");
	json_object_set_new(data, "dossier", json_string(json_str(dossier, "name")));
	json_t *address;
	json_array_foreach(to, i, address)
		notify_user(req->app, req->db, json_string_value(address), "gpi_receipt", data);
}

/* Replies 422 "ineligible" with the failing checks: their codes and
 * messages as the error's fields. */
static void reply_ineligible(struct request *req, const struct gpi_check_result *r)
{
	json_t *fields = arena_json(req->arena, json_object());
	for (int i = 0; i < GPI_CHECK_COUNT; i++)
		if (r[i].blocking && !r[i].ok)
			json_object_set_new(fields, r[i].code, json_string(r[i].message));
	reply_error(req, 422, "ineligible",
		    "La candidature ne peut pas être déposée\u202f: un critère éliminatoire n’est "
		    "pas rempli. Voyez le détail de la vérification d’éligibilité.",
		    fields);
}

void gpi_candidature_submit(struct request *req)
{
	struct gpi_cand_ctx c;
	if (!gpi_cand_open(req, NULL, &c))
		return;
	struct gpi_check_result r[GPI_CHECK_COUNT];
	json_t *saved = NULL;
	bson_error_t error = {0};
	struct submission s = {c.now_ms};
	int rc;
	if (!gpi_cand_require_changeable_or_reply(req, &c)) {
		/* replied: not a filer, or past the deadline */
	} else if (!gpi_cand_eligibility(req, &c, r)) {
		if (req->is_api)
			reply_ineligible(req, r);
		else
			gpi_cand_page_reply(req, &c, 422,
					    "La candidature ne peut pas encore être déposée\u202f: "
					    "corrigez les points signalés ci-dessous.");
	} else if ((rc = gpi_candidature_write(req->db, c.id, req->user->id, 0, mark_submitted, &s,
					       &saved, &error)) == SUBMIT_ALREADY) {
		reply_error(req, 409, "conflict", "Cette candidature est déjà déposée.", NULL);
	} else if (rc) {
		db_fail(req, "submitting a Grand Prix candidature", &error);
	} else {
		gpi_cand_replace(&c, saved);
		audit_record(req, "gpi.candidature.submit", c.id, json_str(c.cand, "title"), NULL);
		mail_receipt(req, &c, s.at);
		if (req->is_api) {
			reply_json(req, 200,
				   arena_json(req->arena, gpi_cand_api(req->arena, c.cand)));
		} else {
			reply_redirect(req, arena_printf(req->arena, "%s?info=deposee",
							 gpi_cand_url(req, c.year, c.id)));
		}
	}
	gpi_cand_close(&c);
}
