/* Declared conflicts and recusal (jury.h): the conflicts of every
 * candidature in one versioned cache, so the access rule, the ranking's
 * expected grids and the secretariat's lists read no database. */
#include <string.h>

#include "accounts/user.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "db/cache.h"
#include "db/db.h"
#include "db/doc.h"
#include "db/lookup.h"
#include "gpi/candidature.h"
#include "gpi/jury.h"
#include "gpi/serial.h"

#define CACHE_KEY "gpi-conflicts"

/* The cache's value: {"by": {candidature id: {user id: {reason, at,
 * at_fr}}}, "none": {}} ("none" is what a candidature without conflicts
 * gets, so that a reader always has an object). One scan per change of
 * any conflict, in the refresher: an edition has a few hundred at most. */
static json_t *load_conflicts(struct db_ctx *db, bson_error_t *error)
{
	/* Before the copy is installed: pages of the old one go stale. */
	gpi_serial_move();
	json_t *all = doc_find_all(db, GPI_CONFLICTS, bson_new(), NULL, error);
	if (!all)
		return NULL;
	json_t *by = json_object(), *doc;
	size_t i;
	json_array_foreach(all, i, doc) {
		const char *cand = json_str(doc, "candidature_id");
		json_t *of = json_object_get(by, cand);
		if (!of) {
			of = json_object();
			json_object_set_new(by, cand, of);
		}
		json_object_set_new(of, json_str(doc, "user_id"),
				    json_pack("{s:s, s:s, s:s}", "reason", json_str(doc, "reason"),
					      "at", json_str(doc, "at"), "at_fr",
					      json_str(doc, "at_fr")));
	}
	json_decref(all);
	return json_pack("{s:o, s:o}", "by", by, "none", json_object());
}

static struct versioned_cache conflicts_cache = VERSIONED_CACHE(CACHE_KEY, load_conflicts);

json_t *gpi_conflicts_all(struct db_ctx *db, bson_error_t *error)
{
	return cache_get(&conflicts_cache, db, error);
}

const json_t *gpi_conflicts_in(const json_t *all, const char *candidature_id)
{
	if (!all)
		return NULL;
	const json_t *of =
		json_object_get(json_object_get(all, "by"), candidature_id ? candidature_id : "");
	return of ? of : json_object_get(all, "none");
}

json_t *gpi_conflicts_of(struct db_ctx *db, const char *candidature_id, bson_error_t *error)
{
	json_t *all = gpi_conflicts_all(db, error);
	json_t *out = json_incref((json_t *)gpi_conflicts_in(all, candidature_id));
	json_decref(all);
	return out;
}

int gpi_conflict_declare(struct db_ctx *db, const struct audit_actor *by, const json_t *row,
			 const struct user *user, const char *reason, bson_error_t *error)
{
	struct gpi_audience a = gpi_audience_of(db, row);
	const char *cand = a.id;
	const char *id = arena_printf(db->arena, "%s:%s", cand, user->id);
	bson_t *known = doc_find_id(db, GPI_CONFLICTS, id, error);
	if (!known && error->code)
		return -1;
	bson_destroy(known);
	bson_t *set = BCON_NEW("$set", "{", "candidature_id", BCON_UTF8(cand), "user_id",
			       BCON_UTF8(user->id), "year",
			       BCON_INT32(a.year),
			       "category", BCON_UTF8(a.category), "reason",
			       BCON_UTF8(reason), "at", BCON_DATE_TIME(doc_now_ms()), "}");
	if (doc_upsert_id(db, GPI_CONFLICTS, id, set, error))
		return -1;
	/* Listed once: a second declaration only replaces the reason. */
	if (!known && (lookup_add_id(db, arena_printf(db->arena, "gpi-conflicts:%s", cand),
				     user->id, error) ||
		       lookup_add_id(db, arena_printf(db->arena, "gpi-juror-conflicts:%s", user->id),
				     cand, error)))
		return -1;
	audit_write(db, by, "gpi.conflict.declare", cand, reason);
	return cache_bump(db, CACHE_KEY, error);
}

bool gpi_jury_member_recused(struct db_ctx *db, const json_t *member, const json_t *row)
{
	struct gpi_audience a = gpi_audience_of(db, row);
	bool declared = !a.declared || json_object_get(a.declared, json_str(member, "id"));
	return gpi_recused(json_str(member, "organisation_id"), a.organisation_id, a.partners,
			   declared);
}
