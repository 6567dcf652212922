#include "gpi/candidature_page.h"

#include <string.h>

#include "accounts/organisation.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/clock.h"
#include "core/paris_time.h"
#include "db/doc.h"
#include "gpi/candidature.h"
#include "gpi/edition.h"
#include "gpi/ui.h"
#include "http/request.h"
#include "http/urlencoded.h"
#include "web/db_reply.h"
#include "web/error_reply.h"
#include "web/page.h"
#include "web/router.h"

/* Replies to a candidature that cannot be opened: 503 when error says
 * the database failed reading what, else 404. Releases c. Returns
 * false. */
static bool refuse_open(struct request *req, struct gpi_cand_ctx *c, const bson_error_t *error,
			const char *what)
{
	if (error->code)
		db_fail(req, what, error);
	else
		reply_not_found(req);
	gpi_cand_close(c);
	return false;
}

/* gpi_cand_open and gpi_cand_open_row: c->cand is the stored document,
 * or the index's row when row is true. */
static bool open_cand(struct request *req, const char *id, struct gpi_cand_ctx *c, bool row)
{
	memset(c, 0, sizeof(*c));
	bson_error_t error = {0};
	c->id = id ? id : request_param(req, "id");
	c->cand = row ? gpi_index_row(req->db, c->id, &error)
		      : gpi_candidature_load(req->db, c->id, &error);
	struct gpi_audience a = c->cand ? gpi_audience_of(req->db, c->cand)
					: (struct gpi_audience){0};
	/* The page shared among its filers is built for a nameless member,
	 * once the route's personal hook found the visitor one of them. */
	bool shared = req->shared_reply && req->route &&
		      req->route->personal == gpi_cand_page_personal;
	/* Someone who may not see it learns nothing, not even that it
	 * exists. */
	if (!c->cand || !(shared || gpi_candidature_may_see(req->user, &a)))
		return refuse_open(req, c, &error, "reading a Grand Prix candidature");
	c->year = a.year;
	/* A page's {year} must be the candidature's edition; the API has
	 * none. */
	int wanted = request_param(req, "year") ? request_year_param(req) : c->year;
	c->edition = wanted == c->year ? gpi_edition_get(req->db, c->year, &error) : NULL;
	if (!c->edition)
		return refuse_open(req, c, &error, "reading a Grand Prix edition");
	c->now_ms = clock_now_ms();
	c->filer = shared || gpi_candidature_may_file(req->user, &a);
	c->secretariat = !shared && gpi_is_secretariat(req->user, c->year);
	c->late = gpi_edition_is_past_deadline(c->edition, c->now_ms);
	return true;
}

bool gpi_cand_open(struct request *req, const char *id, struct gpi_cand_ctx *c)
{
	return open_cand(req, id, c, false);
}

bool gpi_cand_open_row(struct request *req, struct gpi_cand_ctx *c)
{
	return open_cand(req, NULL, c, true);
}

int gpi_cand_page_personal(struct request *req)
{
	bson_error_t error;
	json_t *row = arena_json(req->arena,
				 gpi_index_row(req->db, request_param(req, "id"), &error));
	if (!row)
		return 1;
	struct gpi_audience a = gpi_audience_of(req->db, row);
	/* A filer who sits on one of the edition's juries may be recused from
	 * it (gpi_candidature_may_see): their page is built for them. */
	bool plain_filer = a.year == request_year_param(req) &&
			   gpi_candidature_may_file(req->user, &a) && gpi_plain_filer(req->user, a.year);
	return plain_filer ? page_personal(req) : 1;
}

void gpi_cand_replace(struct gpi_cand_ctx *c, json_t *saved)
{
	json_decref(c->cand);
	c->cand = saved;
}

void gpi_cand_close(struct gpi_cand_ctx *c)
{
	json_decref(c->cand);
	c->cand = NULL;
}

bool gpi_cand_require_changeable_or_reply(struct request *req, const struct gpi_cand_ctx *c)
{
	if (!c->filer) {
		reply_error(req, 403, "forbidden",
			    "Seuls les agents de l’organisme candidat modifient la candidature.",
			    NULL);
		return false;
	}
	if (!c->late)
		return true;
	char when[PARIS_TIME_LONG_MAX];
	paris_time_format_long(gpi_edition_deadline_ms(c->edition), when, sizeof(when));
	const char *message = arena_printf(
		req->arena,
		"La date limite de dépôt, le %s (heure de Paris), "
		"est passée\u202f: la candidature ne peut plus être modifiée.",
		when);
	reply_error(req, 422, "deadline", message,
		    arena_json(req->arena, json_pack("{s:s}", "deadline", message)));
	return false;
}

bool gpi_cand_eligibility(struct request *req, const struct gpi_cand_ctx *c,
			  struct gpi_check_result out[GPI_CHECK_COUNT])
{
	struct gpi_facts f = gpi_facts_of(req->arena, c->cand);
	struct gpi_window w = {
		.deadline_ms = gpi_edition_deadline_ms(c->edition),
		.window_start = json_str(c->edition, "window_start"),
		.window_end = json_str(c->edition, "window_end"),
	};
	return gpi_eligibility(req->arena, &f, &w, c->now_ms, out);
}

/* Members the API leaves out: internal, or shown another way. */
static bool internal_key(const char *key)
{
	static const char *const HIDDEN[] = {"_id", "rev", "created_by", "dossier_history"};
	for (size_t i = 0; i < sizeof(HIDDEN) / sizeof(*HIDDEN); i++)
		if (strcmp(key, HIDDEN[i]) == 0)
			return true;
	size_t n = strlen(key);
	return n > 3 && (strcmp(key + n - 3, "_fr") == 0 || strcmp(key + n - 3, "_ms") == 0);
}

/* Returns the file object f ({file_id, name, bytes, seconds, at}) as
 * the API gives it, with its download path, or null. New reference. */
static json_t *file_api(struct arena *a, const json_t *f)
{
	if (!json_is_object(f))
		return json_null();
	char at[PARIS_TIME_RFC3339_MAX];
	json_t *out = json_pack(
		"{s:s, s:O, s:s, s:s}", "name", json_str(f, "name"), "bytes",
		json_object_get(f, "bytes"), "url",
		arena_printf(a, "/fichiers/%s/%s", json_str(f, "file_id"),
			     url_encode(a, json_str(f, "name"))),
		"uploaded_at",
		paris_time_format_rfc3339(json_integer_value(json_object_get(f, "at")), at));
	if (json_object_get(f, "seconds"))
		json_object_set(out, "seconds", json_object_get(f, "seconds"));
	return out;
}

const char *gpi_cand_status(struct request *req, const json_t *cand)
{
	struct gpi_audience a = gpi_audience_of(req->db, cand);
	return gpi_status_seen(req->db, req->user, &a);
}

json_t *gpi_cand_api(struct request *req, const json_t *cand)
{
	json_t *out = json_object(), *v;
	const char *key;
	json_object_foreach((json_t *)cand, key, v)
		if (!internal_key(key))
			json_object_set(out, key, v);
	json_object_set(out, "id", json_object_get(cand, "_id"));
	const char *status = gpi_cand_status(req, cand);
	json_object_set_new(out, "status", json_string(status));
	json_object_set_new(out, "status_label", json_string(gpi_status_label(status)));
	json_object_set_new(out, "dossier", file_api(req->arena, json_object_get(cand, "dossier")));
	json_object_set_new(out, "video", file_api(req->arena, json_object_get(cand, "video")));
	if (!json_object_get(cand, "submitted_at"))
		json_object_set_new(out, "submitted_at", json_null());
	return out;
}

const char *gpi_cand_url(struct request *req, int year, const char *id)
{
	return arena_printf(req->arena, "/grand-prix/%d/candidatures/%s", year, id);
}

bool gpi_cand_validate_ctx(struct request *req, const json_t *e, const char *organisation,
			   struct gpi_validate_ctx *ctx, json_t **orgs)
{
	bson_error_t error = {0};
	*orgs = organisations_by_code(req->db, &error);
	if (!*orgs) {
		db_fail(req, "reading the organisations", &error);
		return false;
	}
	*ctx = (struct gpi_validate_ctx){json_object_get(e, "categories"), *orgs, organisation};
	return true;
}

void gpi_cand_reply_invalid(struct request *req, const struct gpi_field_error *errs, size_t n)
{
	json_t *fields = arena_json(req->arena, json_object());
	for (size_t i = 0; i < n; i++)
		if (!json_object_get(fields, errs[i].field))
			json_object_set_new(fields, errs[i].field, json_string(errs[i].message));
	reply_error(req, 422, "invalid",
		    n == 1 ? errs[0].message : "Certains champs sont à corriger.", fields);
}
