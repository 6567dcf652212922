#include "practices/reuse.h"

#include <mongoc/mongoc.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/user.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/labels.h"
#include "core/log.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/request.h"
#include "practices/catalogue.h"
#include "db/lookup.h"
#include "practices/clubs.h"
#include "practices/lookups.h"
#include "practices/store.h"

/* Concurrent declarations on one practice retry their derived write. */
enum { DERIVED_ATTEMPTS = 8 };

const char *const REUSE_STAGES[][2] = {
	{"interessee", "Intéressée"},
	{"en-cours", "En cours de déploiement"},
	{"deployee", "Déployée"},
	{"abandonnee", "Abandonnée"},
};
const size_t REUSE_STAGES_COUNT = LABELS_COUNT(REUSE_STAGES);

const char *reuse_stage_label(const char *stage)
{
	const char *label = label_find(REUSE_STAGES, REUSE_STAGES_COUNT, stage);
	return label ? label : "";
}

bool reuse_stage_counts(const char *stage)
{
	return *reuse_stage_label(stage) && strcmp(stage, "abandonnee") != 0;
}

size_t reuse_check(const struct reuse_input *in, struct field_error *out)
{
	size_t n = 0;
	if (in->own_practice)
		out[n++] = (struct field_error){
			"stage",
			"Votre organisme porte cette pratique\u202f: il ne peut pas en déclarer la réutilisation."};
	else if (!in->stage || !*in->stage)
		out[n++] = (struct field_error){"stage", "Indiquez où en est votre organisme."};
	else if (!*reuse_stage_label(in->stage))
		out[n++] = (struct field_error){"stage", "Choisissez une étape dans la liste."};
	else if (!in->previous_stage && strcmp(in->stage, "abandonnee") == 0)
		out[n++] = (struct field_error){
			"stage",
			"Votre organisme n’a pas encore déclaré cette pratique\u202f: choisissez une autre étape."};
	return n;
}

json_t *reuse_adopters_merge(const json_t *adopters, const char *code, const char *name,
			     const char *stage, long long *count)
{
	json_t *out = json_is_array(adopters) ? json_deep_copy(adopters) : json_array();
	json_t *entry = json_pack("{s:s, s:s, s:s, s:s}", "code", code, "name", name, "stage",
				  stage, "stage_label", reuse_stage_label(stage));
	size_t i;
	json_t *a;
	bool replaced = false;
	json_array_foreach(out, i, a)
		if (!replaced && strcmp(json_str(a, "code"), code) == 0) {
			json_array_set(out, i, entry);
			replaced = true;
		}
	if (!replaced)
		json_array_append(out, entry);
	json_decref(entry);
	*count = 0;
	json_array_foreach(out, i, a)
		*count += reuse_stage_counts(json_str(a, "stage"));
	return out;
}

json_t *reuse_find(struct db_ctx *db, const char *practice_id, const char *org, bson_error_t *error)
{
	return doc_find_id_json(db, "reuses", arena_printf(db->arena, "%s:%s", practice_id, org),
				error);
}

/* Writes the declaration of org for practice pid with its first history
 * entry. Returns 1 when written, 0 when it already exists, -1 on error. */
static int insert_declaration(struct db_ctx *db, const struct user *by, const char *id,
			      const char *pid, const char *org, const char *org_name,
			      const char *stage, const char *note, const bson_t *entry,
			      bson_error_t *error)
{
	const struct user *u = by;
	int64_t now = doc_now_ms();
	bson_t *doc = BCON_NEW("_id", BCON_UTF8(id), "practice_id", BCON_UTF8(pid), "organisation",
			       BCON_UTF8(org), "organisation_name", BCON_UTF8(org_name), "stage",
			       BCON_UTF8(stage), "note", BCON_UTF8(note), "by_id", BCON_UTF8(u->id),
			       "by_name", BCON_UTF8(u->name ? u->name : ""), "created_at",
			       BCON_DATE_TIME(now), "updated_at", BCON_DATE_TIME(now), "history",
			       "[", BCON_DOCUMENT(entry), "]");
	bool ok = mongoc_collection_insert_one(db_collection(db, "reuses"), doc, NULL, NULL, error);
	bson_destroy(doc);
	if (!ok && error->code == 11000)
		return 0;
	return ok ? 1 : -1;
}

/* Sets the current stage and note of declaration id and appends entry to
 * its history. Returns 0 or -1. */
static int update_declaration(struct db_ctx *db, const struct user *by, const char *id,
			      const char *org_name, const char *stage, const char *note,
			      const bson_t *entry, bson_error_t *error)
{
	const struct user *u = by;
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(id));
	bson_t *update = BCON_NEW("$set", "{", "stage", BCON_UTF8(stage), "note", BCON_UTF8(note),
				  "organisation_name", BCON_UTF8(org_name), "by_id",
				  BCON_UTF8(u->id), "by_name", BCON_UTF8(u->name ? u->name : ""),
				  "updated_at", BCON_DATE_TIME(doc_now_ms()), "}", "$push", "{",
				  "history", BCON_DOCUMENT(entry), "}");
	bool ok = mongoc_collection_update_one(db_collection(db, "reuses"), filter, update, NULL,
					       NULL, error);
	bson_destroy(update);
	bson_destroy(filter);
	return ok ? 0 : -1;
}

/* Tries once to write adopters and count into practice pid if its
 * adopters_seq is still seq. Returns 1 when written, 0 when another
 * writer came first, -1 on error. updated_at moves so that other
 * processes' catalogues fetch the change. */
static int write_derived(struct db_ctx *db, const char *pid, long long seq, const json_t *adopters,
			 long long count, bson_error_t *error)
{
	char *text = json_dumps(arena_json(db->arena, json_pack("{s:O}", "adopters", adopters)),
				JSON_COMPACT);
	bson_t *set = text ? bson_new_from_json((const uint8_t *)text, -1, error) : NULL;
	free(text);
	if (!set)
		return -1;
	BSON_APPEND_INT64(set, "reuse_count", count);
	BSON_APPEND_DATE_TIME(set, "updated_at", doc_now_ms());
	bson_t *update = bson_new();
	/* The claim on seq + 1 is what makes this write conditional: a
	 * filter on adopters_seq would scan the practices on FerretDB, and be
	 * checked there between a read and a write anyway. */
	int64_t next = seq + 1;
	int won = lookup_claim(db, arena_printf(db->arena, "practices/%s/adopters", pid), &next,
			       error);
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(pid));
	bool ok = won == 1;
	if (ok) {
		BSON_APPEND_INT64(set, "adopters_seq", next);
		BSON_APPEND_DOCUMENT(update, "$set", set);
		ok = mongoc_collection_update_one(db_collection(db, "practices"), filter, update,
						  NULL, NULL, error);
	}
	bson_destroy(filter);
	bson_destroy(update);
	bson_destroy(set);
	return won != 1 ? won : ok ? 1 : -1;
}

/* Puts org at stage in the adopters of practice pid (read from the
 * database, never from a possibly stale catalogue) and recounts. */
static int update_practice(struct db_ctx *db, const char *pid, const char *org,
			   const char *org_name, const char *stage, bson_error_t *error)
{
	for (int attempt = 0; attempt < DERIVED_ATTEMPTS; attempt++) {
		json_t *p = arena_json(db->arena, practice_load(db, pid, error));
		if (!p) {
			if (!error->code)
				bson_set_error(error, 0, 1, "practice %s vanished", pid);
			return -1;
		}
		long long seq = json_integer_value(json_object_get(p, "adopters_seq")), count;
		json_t *adopters = arena_json(db->arena,
					      reuse_adopters_merge(json_object_get(p, "adopters"),
								   org, org_name, stage, &count));
		int rc = write_derived(db, pid, seq, adopters, count, error);
		if (rc < 0)
			return -1;
		if (rc > 0)
			return catalogue_changed(db, pid, error);
		lookup_back_off();
	}
	bson_set_error(error, 0, 1, "practice %s: adopters kept changing", pid);
	return -1;
}

int reuse_declare(struct db_ctx *db, const struct user *by, const json_t *practice, const char *org,
		  const char *org_name, const char *stage, const char *note, bool *created,
		  bson_error_t *error)
{
	const char *pid = json_str(practice, "_id");
	const char *id = arena_printf(db->arena, "%s:%s", pid, org);
	const struct user *u = by;
	bson_t *entry = BCON_NEW("stage", BCON_UTF8(stage), "note", BCON_UTF8(note), "at",
				 BCON_DATE_TIME(doc_now_ms()), "by_id", BCON_UTF8(u->id), "by_name",
				 BCON_UTF8(u->name ? u->name : ""));
	int inserted = insert_declaration(db, by, id, pid, org, org_name, stage, note, entry,
					  error);
	int rc = inserted < 0 ? -1
		 : inserted   ? lookup_add_id(db, practice_lookup(db->arena, "reuses_by", org), id,
					      error)
			      : update_declaration(db, by, id, org_name, stage, note, entry, error);
	bson_destroy(entry);
	if (rc || update_practice(db, pid, org, org_name, stage, error))
		return -1;
	*created = inserted == 1;
	bson_error_t club_error;
	if (club_record_reuse(db, practice, org_name, stage, &club_error))
		log_error(db->log_id, "club activity of %s not recorded: %s", pid,
			  club_error.message);
	return 0;
}

json_t *reuse_of_organisation(struct db_ctx *db, const char *code, size_t *total,
			      bson_error_t *error)
{
	struct lookup_info info;
	json_t *ids = arena_json(db->arena,
				 lookup_tail(db, practice_lookup(db->arena, "reuses_by", code),
					     REUSE_ORGANISATION_SHOWN, &info, error));
	json_t *out = ids ? lookup_fetch(db, ids, "reuses", error) : NULL, *d;
	size_t i;
	json_array_foreach(out, i, d)
		json_object_del(d, "history");
	*total = (size_t)info.count;
	/* Newest change first: sorted here, over the few shown. */
	size_t n = out ? json_array_size(out) : 0;
	for (size_t a = 1; a < n; a++)
		for (size_t b = a;
		     b > 0 && strcmp(json_str(json_array_get(out, b - 1), "updated_at"),
				     json_str(json_array_get(out, b), "updated_at")) < 0;
		     b--) {
			json_t *x = json_incref(json_array_get(out, b));
			json_array_remove(out, b);
			json_array_insert_new(out, b - 1, x);
		}
	return out;
}
