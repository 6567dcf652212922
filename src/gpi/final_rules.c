/* The finalists and prizes rules (gpi/final_rules.h). */
#include "gpi/final_rules.h"

#include <string.h>

#include "core/utf8.h"
#include "gpi/candidature.h"

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

bool gpi_in_pool(const json_t *row)
{
	int s = gpi_status_from(str(row, "status"));
	return s == GPI_STATUS_RECEVABLE || s == GPI_STATUS_FINALISTE ||
	       s == GPI_STATUS_NON_RETENUE;
}

size_t gpi_finalists_expected(size_t pool_size)
{
	return pool_size < GPI_FINALISTS ? pool_size : GPI_FINALISTS;
}

/* Returns the row of rows whose id is id, or NULL. */
static const json_t *row_of(const json_t *rows, const char *id)
{
	size_t i;
	const json_t *r;
	json_array_foreach(rows, i, r)
		if (!strcmp(str(r, "id"), id))
			return r;
	return NULL;
}

static int refuse(struct field_error *err, const char *field, const char *message)
{
	err->field = field;
	err->message = message;
	return 1;
}

int gpi_finalists_check(const json_t *rows, const json_t *ids, struct field_error *err)
{
	static const char FIELD[] = "candidature_ids";
	size_t pool = 0, i;
	const json_t *r, *v;
	json_array_foreach(rows, i, r)
		pool += gpi_in_pool(r);
	if (!pool)
		return refuse(err, FIELD, "Cette catégorie n’a aucune candidature recevable.");
	if (!json_is_array(ids))
		return refuse(err, FIELD, "Choisissez les finalistes.");
	json_array_foreach(ids, i, v) {
		const char *id = json_string_value(v);
		const json_t *row = id ? row_of(rows, id) : NULL;
		if (!row || !gpi_in_pool(row))
			return refuse(err, FIELD,
				      "Seules les candidatures recevables de la catégorie peuvent "
				      "être finalistes.");
		for (size_t k = 0; k < i; k++)
			if (!strcmp(json_string_value(json_array_get(ids, k)), id))
				return refuse(err, FIELD,
					      "Une candidature ne peut être choisie qu’une fois.");
	}
	if (json_array_size(ids) != gpi_finalists_expected(pool))
		return refuse(err, FIELD,
			      pool >= GPI_FINALISTS
				      ? "Choisissez exactement trois finalistes (article 6.2)."
				      : "Avec moins de trois candidatures recevables, toutes sont "
					"finalistes (article 6.2).");
	return 0;
}

int gpi_awards_check(const json_t *state, const char *const ids[GPI_CATEGORY_PRIZES],
		     struct field_error errs[GPI_CATEGORY_PRIZES])
{
	int n = 0;
	for (int p = 0; p < GPI_CATEGORY_PRIZES; p++) {
		if (!ids[p] || !*ids[p])
			continue;
		const char *field = gpi_prize_code(p);
		if (!gpi_state_is_finalist(state, ids[p])) {
			n += refuse(&errs[n], field,
				    "Seuls les finalistes de la catégorie peuvent être primés.");
			continue;
		}
		for (int q = 0; q < p; q++)
			if (ids[q] && !strcmp(ids[q], ids[p])) {
				n += refuse(&errs[n], field,
					    "Une candidature ne reçoit qu’un prix de sa catégorie\u202f: "
					    "l’or, l’argent et le bronze vont à trois finalistes "
					    "distincts.");
				break;
			}
	}
	return n;
}

int gpi_coup_de_coeur_check(const json_t *states, const char *id, struct field_error *err)
{
	if (!id || !*id)
		return 0;
	size_t i;
	const json_t *s;
	json_array_foreach(states, i, s)
		if (gpi_state_is_finalist(s, id))
			return 0;
	return refuse(err, "candidature_id",
		      "Le coup de cœur va à l’une des candidatures finalistes de l’édition.");
}

int gpi_special_check(const char *id, const json_t *row, const char *title,
		      struct field_error errs[2])
{
	if (!id || !*id)
		return 0;
	int n = 0;
	if (!row || !gpi_in_pool(row))
		n += refuse(&errs[n], "candidature_id",
			    "Le prix spécial va à une candidature recevable de l’édition.");
	size_t chars = title ? utf8_chars(title) : 0;
	if (!chars || chars > GPI_SPECIAL_TITLE_MAX)
		n += refuse(&errs[n], "title",
			    "Donnez au prix spécial un intitulé (120 caractères au plus).");
	return n;
}

struct gpi_endowment gpi_gold_endowment(const json_t *edition, const json_t *row)
{
	if (json_is_true(json_object_get(json_object_get(row, "facts"), "endowment_use")))
		return (struct gpi_endowment){
			.eur = json_integer_value(json_object_get(edition, "gold_endowment_eur"))};
	return (struct gpi_endowment){
		.note = "Dotation non attribuable\u202f: la candidature n’indique pas l’utilisation "
			"prévue de la dotation (article 9 du règlement).",
	};
}

bool gpi_notice_late(int64_t now_ms, int64_t audition_start_ms)
{
	return audition_start_ms - now_ms < (int64_t)GPI_NOTICE_DAYS * 24 * 3600 * 1000;
}
