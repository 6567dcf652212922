/* Appointments to the juries (jury.h): a role grant on the account, and
 * the jury's lookup list so that reading a jury never scans the users. */
#include <stdio.h>
#include <string.h>

#include "accounts/admin_ops.h"
#include "accounts/user.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "db/cache.h"
#include "db/db.h"
#include "db/doc.h"
#include "db/lookup.h"
#include "gpi/candidature.h"
#include "gpi/edition.h"
#include "gpi/jury.h"

/* A jury's role, scope and list name (arena of db). */
struct jury {
	enum role role;
	const char *scope, *list;
};

static struct jury jury_of(struct db_ctx *db, int year, const char *category)
{
	if (!category)
		return (struct jury){ROLE_GRAND_JUROR, arena_printf(db->arena, "gpi:%d", year),
				     arena_printf(db->arena, "gpi-grand-jury:%d", year)};
	return (struct jury){ROLE_JUROR, arena_printf(db->arena, "gpi:%d:%s", year, category),
			     arena_printf(db->arena, "gpi-jury:%d:%s", year, category)};
}

/* Juries are a few dozen people: the whole list is one or two pages. */
enum { JURY_MAX = 1000 };

/* Returns the ids on list in appointment order (new reference), or NULL
 * with error set. */
static json_t *list_ids(struct db_ctx *db, const char *list, bson_error_t *error)
{
	json_t *items = lookup_tail(db, list, JURY_MAX, NULL, error), *item;
	if (!items)
		return NULL;
	json_t *ids = json_array();
	size_t i;
	json_array_foreach(items, i, item)
		json_array_append_new(ids, json_string(json_str(item, "id")));
	json_decref(items);
	return ids;
}

/* Adds the ids on the jury of category (NULL: the grand jury) of year to
 * lists, under the jury's list name. Returns 0, or -1 with error set. */
static int load_jury(struct db_ctx *db, int year, const char *category, json_t *lists,
		     bson_error_t *error)
{
	const char *list = jury_of(db, year, category).list;
	json_t *ids = list_ids(db, list, error);
	if (!ids)
		return -1;
	json_object_set_new(lists, list, ids);
	return 0;
}

/* The juries page reads every jury of its edition on each view, and they
 * change a few times a year: every process keeps the lists of every
 * edition's juries, {list name: [ids]}, reloaded on each appointment or
 * removal (cache_bump). One read by _id per jury, in the refresher. */
static json_t *load_juries(struct db_ctx *db, bson_error_t *error)
{
	json_t *editions = gpi_editions_all(db, error), *lists = json_object(), *e, *c;
	size_t i, k;
	int rc = editions ? 0 : -1;
	json_array_foreach(editions, i, e) {
		int year = gpi_edition_year(e);
		rc = rc ? rc : load_jury(db, year, NULL, lists, error);
		json_array_foreach(json_object_get(e, "categories"), k, c)
			rc = rc ? rc : load_jury(db, year, json_str(c, "code"), lists, error);
	}
	json_decref(editions);
	if (rc)
		json_decref(lists);
	return rc ? NULL : lists;
}

#define JURIES_KEY "gpi-juries"
static struct versioned_cache juries_cache = VERSIONED_CACHE(JURIES_KEY, load_juries);

/* Returns the ids on list (new reference) from the juries' cache, or
 * read by _id when the cache was loaded before its edition existed.
 * NULL with error set. */
static json_t *jury_ids(struct db_ctx *db, const char *list, bson_error_t *error)
{
	json_t *lists = cache_get(&juries_cache, db, error);
	json_t *ids = json_incref(json_object_get(lists, list));
	json_decref(lists);
	return ids ? ids : list_ids(db, list, error);
}

/* Returns whether list holds id: 1, 0, or -1 with error set. */
static int listed(struct db_ctx *db, const char *list, const char *id, bson_error_t *error)
{
	json_t *ids = list_ids(db, list, error), *item;
	if (!ids)
		return -1;
	size_t i;
	int found = 0;
	json_array_foreach(ids, i, item)
		found |= strcmp(json_string_value(item), id) == 0;
	json_decref(ids);
	return found;
}

/* Grants or removes j's role for u, as account_set_role does (audited
 * "role.add"/"role.remove" with the scope). Returns 0, or -1 with error
 * set. */
static int set_role(struct db_ctx *db, const struct audit_actor *by, const struct user *u,
		    const struct jury *j, bool add, bson_error_t *error)
{
	const char *why = NULL;
	if (account_set_role(db, by, u, j->role, j->scope, add, &why) == 0)
		return 0;
	bson_set_error(error, GPI_ERROR_DOMAIN, 0, "%s", why);
	return -1;
}

int gpi_jury_appoint(struct db_ctx *db, const struct audit_actor *by, int year,
		     const char *category, const char *user_id, struct gpi_jury_refusal *why,
		     bson_error_t *error)
{
	struct jury j = jury_of(db, year, category);
	struct user *u = user_load(db, user_id, error);
	if (!u && error->code)
		return -1;
	if (!u || !user_is_active(u)) {
		*why = (struct gpi_jury_refusal){
			"user_id", u ? "Ce compte n’est pas actif\u202f: il ne peut siéger dans un jury."
				     : "Aucun compte ne correspond."};
		return 1;
	}
	int known = listed(db, j.list, u->id, error);
	if (known < 0 || set_role(db, by, u, &j, true, error) ||
	    (!known && lookup_add_id(db, j.list, u->id, error)))
		return -1;
	if (!known && cache_bump(db, JURIES_KEY, error))
		return -1;
	if (!known)
		audit_write(db, by, "gpi.jury.appoint", u->id, j.scope);
	return 0;
}

int gpi_jury_remove(struct db_ctx *db, const struct audit_actor *by, int year,
		    const char *category, const char *user_id, bson_error_t *error)
{
	struct jury j = jury_of(db, year, category);
	struct user *u = user_load(db, user_id, error);
	if (!u && error->code)
		return -1;
	int removed = lookup_remove(db, j.list, user_id, error);
	if (removed < 0)
		return -1;
	bool held = u && user_holds_grant(u, j.role, j.scope);
	if (held && set_role(db, by, u, &j, false, error))
		return -1;
	if (!removed && !held)
		return 1;
	if (removed && cache_bump(db, JURIES_KEY, error))
		return -1;
	audit_write(db, by, "gpi.jury.remove", user_id, j.scope);
	return 0;
}

json_t *gpi_jury_members(struct db_ctx *db, int year, const char *category, bson_error_t *error)
{
	struct jury j = jury_of(db, year, category);
	json_t *ids = jury_ids(db, j.list, error), *item;
	if (!ids)
		return NULL;
	json_t *members = json_array(), *seen = json_object();
	size_t i;
	json_array_foreach(ids, i, item) {
		const char *id = json_string_value(item);
		if (json_object_get(seen, id))
			continue;
		json_object_set_new(seen, id, json_true());
		struct user *u = user_find_id(db, id, error);
		if (!u && error->code) {
			json_decref(members);
			members = NULL;
			break;
		}
		/* An admin may have removed the grant from the account's page:
		 * the grant decides, the list only finds. */
		if (u && user_holds_grant(u, j.role, j.scope))
			json_array_append_new(
				members, json_pack("{s:s, s:s, s:s, s:s}", "id", u->id, "name",
						   u->name ? u->name : "", "email", u->email, "organisation_id",
						   u->organisation ? u->organisation : ""));
	}
	json_decref(seen);
	json_decref(ids);
	return members;
}

/* Appends to out the rows of rows (edition e's index rows) that user
 * judges: of a category they are a juror of, before the jury and not
 * recused (conflicts: gpi_conflicts_all's), by category in e's order,
 * then as rows has them (by title). */
static void append_judged(json_t *out, const struct user *user, const json_t *e,
			  const json_t *rows, const json_t *conflicts)
{
	int year = gpi_edition_year(e);
	const json_t *categories = json_object_get(e, "categories"), *cat, *row;
	/* One list per category judged, filled in one pass over the rows. */
	json_t *judged = json_object();
	size_t i;
	json_array_foreach(categories, i, cat)
		if (gpi_is_juror(user, year, json_str(cat, "code")))
			json_object_set_new(judged, json_str(cat, "code"), json_array());
	json_array_foreach(rows, i, row) {
		json_t *list = json_object_get(judged, json_str(row, "category"));
		struct gpi_audience a = gpi_audience_in(row, conflicts);
		if (list && gpi_status_for_jury(a.status) && gpi_candidature_may_see(user, &a))
			json_array_append(list, (json_t *)row);
	}
	json_array_foreach(categories, i, cat) {
		json_t *list = json_object_get(judged, json_str(cat, "code"));
		if (list)
			json_array_extend(out, list);
	}
	json_decref(judged);
}

json_t *gpi_juror_assignments(struct db_ctx *db, const struct user *user, int year,
			      bson_error_t *error)
{
	json_t *editions = gpi_editions_all(db, error), *e;
	if (!editions)
		return NULL;
	/* Taken once for every row: a juror may judge hundreds. */
	json_t *conflicts = gpi_conflicts_all(db, error);
	if (!conflicts) {
		json_decref(editions);
		return NULL;
	}
	json_t *out = json_array();
	size_t i;
	json_array_foreach(editions, i, e) {
		int y = gpi_edition_year(e);
		if ((year && y != year) || !gpi_sits_on_jury(user, y))
			continue;
		json_t *rows = gpi_index_rows(db, y, NULL, NULL, error);
		if (!rows) {
			json_decref(out);
			out = NULL;
			break;
		}
		append_judged(out, user, e, rows, conflicts);
		json_decref(rows);
	}
	json_decref(conflicts);
	json_decref(editions);
	return out;
}
