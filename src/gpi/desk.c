#include "gpi/desk.h"

#include <string.h>

#include "accounts/notify.h"
#include "accounts/user.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/log.h"
#include "db/db.h"
#include "db/doc.h"
#include "gpi/candidature.h"
#include "gpi/edition.h"
#include "http/request.h"
#include "mail/smtp.h"
#include "web/error_reply.h"

/* Returns true when c, just opened, is the secretariat's to see; else
 * replies 403, releases c and returns false. */
static bool secretariat_only(struct request *req, struct gpi_cand_ctx *c)
{
	if (c->secretariat)
		return true;
	reply_error(req, 403, "forbidden", "Seul le secrétariat du Grand Prix prend ces décisions.",
		    NULL);
	gpi_cand_close(c);
	return false;
}

bool gpi_desk_open_or_reply(struct request *req, struct gpi_cand_ctx *c)
{
	return gpi_cand_open(req, NULL, c) && secretariat_only(req, c);
}

bool gpi_desk_open_row_or_reply(struct request *req, struct gpi_cand_ctx *c)
{
	return gpi_cand_open_row(req, c) && secretariat_only(req, c);
}

/* Returns [{name, email}] of the people gpi_desk_mail tells about cand.
 * New reference; empty when nobody can be reached. */
static json_t *recipients(struct db_ctx *db, const json_t *cand)
{
	json_t *out = json_array(), *c;
	size_t i;
	json_array_foreach(json_object_get(cand, "contacts"), i, c)
		if (mail_address_valid(json_str(c, "email")))
			json_array_append_new(out,
					      json_pack("{s:s, s:s}", "name", json_str(c, "name"),
							"email", json_str(c, "email")));
	if (json_array_size(out))
		return out;
	bson_error_t error;
	struct user *filer = user_find_id(db, json_str(cand, "created_by"), &error);
	if (filer && user_is_active(filer) && mail_address_valid(filer->email))
		json_array_append_new(out, json_pack("{s:s, s:s}", "name",
						     filer->name ? filer->name : "", "email",
						     filer->email));
	return out;
}

struct gpi_desk_mailed gpi_desk_mail(const struct app *app, struct db_ctx *db, const json_t *cand,
				     const char *key, const char *template, const json_t *fields,
				     const char *what)
{
	struct gpi_desk_mailed out = {0};
	json_t *people = recipients(db, cand), *p;
	if (!json_array_size(people))
		log_error(db->log_id, "candidature %s: nobody to tell of %s", json_str(cand, "_id"),
			  what);
	size_t i;
	json_array_foreach(people, i, p) {
		json_t *data = json_deep_copy(fields);
		json_object_set(data, "name", json_object_get(p, "name"));
		const char *id = key ? arena_printf(db->arena, "%s-%zu", key, i) : NULL;
		int sent = notify_user_once(app, db, id, json_str(p, "email"), template, data);
		json_decref(data);
		if (sent < 0)
			out.failed++;
		else if (sent == 0)
			out.queued++;
		else
			out.before++;
	}
	json_decref(people);
	return out;
}

bool gpi_desk_eligibility(struct arena *a, const json_t *e, const struct gpi_facts *f,
			  int64_t submitted_ms, struct gpi_check_result out[GPI_CHECK_COUNT])
{
	struct gpi_window w = {.deadline_ms = gpi_edition_deadline_ms(e),
			       .window_start = json_str(e, "window_start"),
			       .window_end = json_str(e, "window_end")};
	return gpi_eligibility(a, f, &w, submitted_ms ? submitted_ms : clock_now_ms(), out);
}

const char *gpi_desk_category_name(const json_t *e, const char *code)
{
	const json_t *c = gpi_edition_category(e, code);
	return c ? json_str(c, "name") : code;
}

const char *gpi_desk_candidature_url(const struct app *app, struct db_ctx *db, int year,
				     const char *id)
{
	return notify_site_url(app, db->arena,
			       arena_printf(db->arena, "/grand-prix/%d/candidatures/%s", year, id));
}
