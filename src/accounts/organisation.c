#include "accounts/organisation.h"

#include <mongoc/mongoc.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/collate.h"
#include "core/labels.h"
#include "core/xalloc.h"
#include "db/cache.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/request.h"

const char *const ORGANISATION_TYPES[][2] = {
	{"caf", "CAF"},
	{"cpam", "CPAM"},
	{"carsat", "Carsat"},
	{"cgss", "CGSS"},
	{"urssaf", "Urssaf"},
	{"msa", "MSA"},
	{"caisse_nationale", "Caisse nationale"},
	{"ucanss", "Ucanss"},
	{"autre", "Autre"},
};

const char *const ORGANISATION_BRANCHES[][2] = {
	{"maladie", "Maladie"},           {"famille", "Famille"},   {"retraite", "Retraite"},
	{"recouvrement", "Recouvrement"}, {"agricole", "Agricole"}, {"autonomie", "Autonomie"},
	{"interbranche", "Interbranche"},
};

const char *const ORGANISATION_REGIONS[][2] = {
	{"National", "National"},
	{"Auvergne-Rhône-Alpes", "Auvergne-Rhône-Alpes"},
	{"Bourgogne-Franche-Comté", "Bourgogne-Franche-Comté"},
	{"Bretagne", "Bretagne"},
	{"Centre-Val de Loire", "Centre-Val de Loire"},
	{"Corse", "Corse"},
	{"Grand Est", "Grand Est"},
	{"Guadeloupe", "Guadeloupe"},
	{"Guyane", "Guyane"},
	{"Hauts-de-France", "Hauts-de-France"},
	{"Île-de-France", "Île-de-France"},
	{"La Réunion", "La Réunion"},
	{"Martinique", "Martinique"},
	{"Mayotte", "Mayotte"},
	{"Normandie", "Normandie"},
	{"Nouvelle-Aquitaine", "Nouvelle-Aquitaine"},
	{"Occitanie", "Occitanie"},
	{"Pays de la Loire", "Pays de la Loire"},
	{"Provence-Alpes-Côte d'Azur", /* stored as is */
	 "Provence-Alpes-Côte d’Azur"},
};

const size_t ORGANISATION_TYPES_COUNT = LABELS_COUNT(ORGANISATION_TYPES);
const size_t ORGANISATION_BRANCHES_COUNT = LABELS_COUNT(ORGANISATION_BRANCHES);
const size_t ORGANISATION_REGIONS_COUNT = LABELS_COUNT(ORGANISATION_REGIONS);

const char *organisation_type_label(const char *type)
{
	return label_or_code(ORGANISATION_TYPES, ORGANISATION_TYPES_COUNT, type);
}

const char *organisation_branch_label(const char *branch)
{
	return label_or_code(ORGANISATION_BRANCHES, ORGANISATION_BRANCHES_COUNT, branch);
}

/* An organisation with its French sort key, for qsort. */
struct keyed_organisation {
	const char *key, *name;
	json_t *org;
};

static int by_french_name(const void *a, const void *b)
{
	const struct keyed_organisation *x = a, *y = b;
	return collate_compare(x->key, x->name, y->key, y->name);
}

/* The keys are computed once per load, not per keystroke. */
json_t *organisations_in_french_order(json_t *list)
{
	size_t n = json_array_size(list);
	struct keyed_organisation *items = xcalloc(n ? n : 1, sizeof(*items));
	struct arena *a = arena_new();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_array_get(list, i);
		const char *name = json_str(o, "name");
		items[i] = (struct keyed_organisation){collate_key(a, name), name, o};
		json_object_set_new(o, "sort_key", json_string(items[i].key));
		json_object_set_new(
			o, "match_words",
			json_string(arena_printf(a, "%s %s", collate_words(a, name),
						 collate_words(a, json_str(o, "_id")))));
	}
	qsort(items, n, sizeof(*items), by_french_name);
	json_t *sorted = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append(sorted, items[i].org);
	arena_free(a);
	free(items);
	json_decref(list);
	return sorted;
}

/* Loads the whole directory, in French order, with display labels added. */
static json_t *load_organisations(struct db_ctx *db, bson_error_t *error)
{
	json_t *list = doc_find_all(db, "organisations", bson_new(), NULL, error);
	if (!list)
		return NULL;
	json_t *o;
	size_t i;
	json_array_foreach(list, i, o) {
		json_object_set_new(o, "type_label",
				    json_string(organisation_type_label(json_str(o, "type"))));
		json_object_set_new(o, "branch_label",
				    json_string(organisation_branch_label(json_str(o, "branch"))));
		json_object_set_new(o, "active",
				    json_boolean(strcmp(json_str(o, "status"), "active") == 0));
	}
	return organisations_in_french_order(list);
}

static struct versioned_cache organisations_cache = VERSIONED_CACHE("organisations",
								    load_organisations);

/* The same directory keyed by code, in the same order, for pages that
 * name many organisations (facets, cards): one hash lookup instead of a
 * scan. */
static json_t *load_organisations_by_code(struct db_ctx *db, bson_error_t *error)
{
	json_t *list = load_organisations(db, error);
	if (!list)
		return NULL;
	json_t *map = json_object(), *o;
	size_t i;
	json_array_foreach(list, i, o)
		json_object_set(map, json_str(o, "_id"), o);
	json_decref(list);
	return map;
}

/* Same version key as the list: both reload after any change. */
static struct versioned_cache organisations_map_cache = VERSIONED_CACHE("organisations",
									load_organisations_by_code);

json_t *organisations_by_code(struct db_ctx *db, bson_error_t *error)
{
	return cache_get(&organisations_map_cache, db, error);
}

json_t *organisations_all(struct db_ctx *db, bson_error_t *error)
{
	return cache_get(&organisations_cache, db, error);
}

/* The active organisations only, in the same order: what pickers offer on
 * every view of the account and sign-up pages. */
static json_t *load_active_organisations(struct db_ctx *db, bson_error_t *error)
{
	json_t *all = load_organisations(db, error);
	if (!all)
		return NULL;
	json_t *active = json_array(), *o;
	size_t i;
	json_array_foreach(all, i, o)
		if (json_is_true(json_object_get(o, "active")))
			json_array_append(active, o);
	json_decref(all);
	return active;
}

static struct versioned_cache organisations_active_cache = VERSIONED_CACHE(
	"organisations", load_active_organisations);

json_t *organisations_active(struct db_ctx *db, bson_error_t *error)
{
	return cache_get(&organisations_active_cache, db, error);
}

json_t *organisation_in(json_t *list, const char *code)
{
	return json_find_id(list, code);
}

int organisations_changed(struct request *req, bson_error_t *error)
{
	return cache_bump(req->db, "organisations", error);
}
