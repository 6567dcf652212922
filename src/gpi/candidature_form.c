#include "gpi/candidature_form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/organisation.h"
#include "accounts/organisation_picker.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/clock.h"
#include "db/doc.h"
#include "gpi/candidature_rules.h"
#include "gpi/edition.h"
#include "http/form.h"
#include "http/request.h"
#include "web/db_reply.h"
#include "web/form_reply.h"
#include "web/page.h"

static const struct organisation_picker PARTNERS_PICKER = {
	.field = "partner_organisation_ids",
	.label = "Organismes partenaires (facultatif)",
	.hint = "Les organismes associés à la réalisation. Séparez les noms par «\u202f;\u202f».",
	.multiple = true,
};

/* The multi-line texts of the form, in its order (the one-line title and
 * the category come first), with their labels and hints. */
static const char *const TEXTS[] = {"summary", "objectives",   "actions",        "results",
				    "costs",   "savings",      "generalisation", "interbranch",
				    "impact",  "endowment_use"};
#define N_TEXTS (sizeof(TEXTS) / sizeof(*TEXTS))
static const char *const TEXT_LABELS[N_TEXTS][2] = {
	{"Résumé", "Le projet en quelques lignes, tel qu’il pourra être présenté au jury."},
	{"Objectifs", "Ce que la réalisation devait changer, et pour qui."},
	{"Actions menées", "Ce qui a été fait, par qui, et quand."},
	{"Résultats mesurables",
	 "Les effets constatés et mesurés (efficacité, adhésion du public cible…). Sans "
	 "indicateur mesuré, ce texte doit compter au moins 200 caractères."},
	{"Coûts", "Les coûts de mise en œuvre, à court, moyen et long terme."},
	{"Économies", "Les économies réalisées ou attendues, à court, moyen et long terme."},
	{"Potentiel de généralisation", "Réplicabilité, budget nécessaire, conditions."},
	{"Caractère interbranches ou inter-régimes", "Les branches et régimes concernés."},
	{"Contribution à la performance et à la notoriété",
	 "Performance économique, sociale ou environnementale de la Sécurité sociale, et son "
	 "image."},
	{"Objet de la dépense de la dotation",
	 "À quoi servirait la dotation d’un prix Or (article 9). Facultatif, mais sans lui un "
	 "prix Or ne donne droit à aucune dotation."},
};

/* Reads the row fields "<prefix>_<n>_<key>" of keys[0..nk) for n = 1..rows
 * into an array of objects, leaving out rows where every field is empty.
 * flag, when not NULL, is a checkbox key read as a boolean. */
static json_t *rows_of(struct form *f, const char *prefix, int rows, const char *const *keys,
		       size_t nk, const char *flag)
{
	json_t *list = json_array();
	for (int n = 1; n <= rows; n++) {
		json_t *row = json_object();
		bool any = false;
		for (size_t k = 0; k < nk; k++) {
			const char *name = arena_printf(f->req->arena, "%s_%d_%s", prefix, n,
							keys[k]);
			const char *v = form_text(f, name, GPI_SHORT_MAX * 2, false);
			/* A row's hidden id alone does not make it a row. */
			any = any || (*v && strcmp(keys[k], "id") != 0);
			json_object_set_new(row, keys[k], json_string(v));
		}
		if (flag)
			json_object_set_new(
				row, flag,
				json_boolean(*form_text(
					f, arena_printf(f->req->arena, "%s_%d_%s", prefix, n, flag),
					8, false)));
		if (any)
			json_array_append(list, row);
		json_decref(row);
	}
	return list;
}

static const char *const CONTACT_KEYS[] = {"name", "email", "phone"};
static const char *const PERSON_KEYS[] = {"id", "name", "role"};

/* People rows the form shows for a candidature naming n people. */
static int people_rows(size_t n)
{
	return (int)n + GPI_FORM_PEOPLE;
}

json_t *gpi_cand_body_of_form(struct form *f, const json_t *dir, const json_t *indicators)
{
	json_t *body = json_object();
	json_object_set_new(body, "category", json_string(form_text(f, "category", 64, false)));
	json_object_set_new(body, "title",
			    json_string(form_text(f, "title", GPI_TITLE_MAX * 2, false)));
	for (size_t i = 0; i < N_TEXTS; i++)
		json_object_set_new(
			body, TEXTS[i],
			json_string(form_paragraphs(f, TEXTS[i], GPI_TEXT_MAX * 2, false)));
	json_object_set_new(body, "started_on", json_string(form_text(f, "started_on", 16, false)));
	json_object_set_new(body, "completed", json_boolean(*form_text(f, "completed", 8, false)));
	json_object_set_new(body, "partner_organisation_ids",
			    organisation_picker_read_list(f, &PARTNERS_PICKER, dir));
	json_object_set_new(body, "contacts",
			    rows_of(f, "contact", GPI_FORM_CONTACTS, CONTACT_KEYS, 3, NULL));
	/* As many people rows as the page offered: its count comes back. */
	const char *shown = form_text(f, "people_rows", 4, false);
	int rows = *shown ? atoi(shown) : GPI_FORM_PEOPLE;
	if (rows < 0 || rows > GPI_PEOPLE_MAX + GPI_FORM_PEOPLE)
		rows = GPI_FORM_PEOPLE;
	json_object_set_new(body, "people",
			    rows_of(f, "person", rows, PERSON_KEYS, 3, "publication_withdrawn"));
	if (indicators)
		json_object_set_new(body, "indicators", json_deep_copy(indicators));
	return body;
}

json_t *gpi_cand_form_values(const json_t *cand)
{
	json_t *v = json_object();
	json_object_set_new(v, "category", json_string(json_str(cand, "category")));
	json_object_set_new(v, "title", json_string(json_str(cand, "title")));
	for (size_t i = 0; i < N_TEXTS; i++)
		json_object_set_new(v, TEXTS[i], json_string(json_str(cand, TEXTS[i])));
	json_object_set_new(v, "started_on", json_string(json_str(cand, "started_on")));
	if (json_is_true(json_object_get(cand, "completed")))
		json_object_set_new(v, "completed", json_string("on"));
	json_t *partners = json_object_get(cand, "partner_organisation_ids");
	json_object_set(v, "partner_organisation_ids", partners ? partners : json_array());
	char key[48];
	json_t *row;
	size_t i;
	json_array_foreach(json_object_get(cand, "contacts"), i, row)
		for (size_t k = 0; k < 3; k++) {
			snprintf(key, sizeof(key), "contact_%zu_%s", i + 1, CONTACT_KEYS[k]);
			json_object_set_new(v, key, json_string(json_str(row, CONTACT_KEYS[k])));
		}
	json_array_foreach(json_object_get(cand, "people"), i, row) {
		for (size_t k = 0; k < 3; k++) {
			snprintf(key, sizeof(key), "person_%zu_%s", i + 1, PERSON_KEYS[k]);
			json_object_set_new(v, key, json_string(json_str(row, PERSON_KEYS[k])));
		}
		if (json_is_true(json_object_get(row, "publication_withdrawn"))) {
			snprintf(key, sizeof(key), "person_%zu_publication_withdrawn", i + 1);
			json_object_set_new(v, key, json_string("on"));
		}
	}
	json_t *indicators = json_object_get(cand, "indicators");
	json_object_set(v, "indicators", indicators ? indicators : json_array());
	json_object_set_new(
		v, "people_rows",
		json_integer(people_rows(json_array_size(json_object_get(cand, "people")))));
	return v;
}

/* Returns the form's rows "<prefix>_<n>_<key>" as [{n, field ids and
 * values, errors}], for the template. */
static json_t *rows_data(struct request *req, const json_t *values, const char *prefix, int rows,
			 const char *const *keys, size_t nk, const char *flag)
{
	json_t *list = json_array();
	for (int n = 1; n <= rows; n++) {
		json_t *row = json_pack("{s:i}", "n", n);
		for (size_t k = 0; k < nk; k++) {
			const char *name = arena_printf(req->arena, "%s_%d_%s", prefix, n, keys[k]);
			json_object_set_new(row, keys[k], json_string(json_str(values, name)));
		}
		if (flag)
			json_object_set_new(
				row, flag,
				json_boolean(*json_str(values, arena_printf(req->arena, "%s_%d_%s",
									    prefix, n, flag))));
		json_array_append_new(list, row);
	}
	return list;
}

/* Returns the form page's data: the edition, its categories (the chosen
 * one selected), the rows, the partners' picker from directory dir,
 * action, heading and cancel link, with values and errors (may be
 * NULL). New reference. */
static json_t *form_data(struct request *req, const json_t *edition, const json_t *values,
			 const json_t *errors, const json_t *dir, const char *action,
			 const char *heading, const char *cancel)
{
	json_t *cats = json_array(), *c;
	size_t i;
	const char *chosen = json_str(values, "category");
	json_array_foreach(json_object_get(edition, "categories"), i, c)
		json_array_append_new(cats,
				      json_pack("{s:s, s:s, s:b}", "code", json_str(c, "code"),
						"name", json_str(c, "name"), "selected",
						strcmp(json_str(c, "code"), chosen) == 0));
	json_int_t rows = json_integer_value(json_object_get(values, "people_rows"));
	if (rows <= 0) {
		const char *typed = json_str(values, "people_rows");
		rows = *typed ? atoi(typed) : GPI_FORM_PEOPLE;
	}
	if (rows <= 0 || rows > GPI_PEOPLE_MAX + GPI_FORM_PEOPLE)
		rows = GPI_FORM_PEOPLE;
	json_t *texts = json_array();
	for (size_t t = 0; t < N_TEXTS; t++)
		json_array_append_new(
			texts, json_pack("{s:s, s:s, s:s, s:s, s:s*, s:b}", "name", TEXTS[t],
					 "label", TEXT_LABELS[t][0], "hint", TEXT_LABELS[t][1],
					 "value", json_str(values, TEXTS[t]), "error",
					 json_string_value(json_object_get(errors, TEXTS[t])),
					 "optional", strcmp(TEXTS[t], "endowment_use") == 0));
	json_t *indicators = json_object_get(values, "indicators");
	json_t *data = json_pack(
		"{s:i, s:s, s:o, s:o, s:o, s:I, s:o, s:O, s:s, s:s, s:s, s:s, s:s}", "year",
		gpi_edition_year(edition), "edition_title", json_str(edition, "title"),
		"categories", cats, "contacts",
		rows_data(req, values, "contact", GPI_FORM_CONTACTS, CONTACT_KEYS, 3, NULL),
		"people",
		rows_data(req, values, "person", (int)rows, PERSON_KEYS, 3,
			  "publication_withdrawn"),
		"people_rows", rows, "partners_field",
		organisation_picker_data(&PARTNERS_PICKER, values, errors, dir), "indicators",
		indicators ? indicators : json_null(), "action", action, "heading", heading,
		"cancel", cancel, "window_start", json_str(edition, "window_start"), "window_end",
		json_str(edition, "window_end"));
	json_object_set_new(data, "texts", texts);
	json_object_set(data, "values", (json_t *)values);
	if (errors)
		json_object_set(data, "errors", (json_t *)errors);
	json_object_set_new(data, "has_indicators", json_boolean(json_array_size(indicators) > 0));
	return data;
}

void gpi_cand_form_errors(struct form *f, const struct gpi_field_error *errs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		form_error(f, errs[i].field, errs[i].message);
}

void gpi_cand_form_reply(struct request *req, const json_t *edition, struct form *f, int status,
			 const char *action, const char *heading, const char *cancel)
{
	bson_error_t error = {0};
	json_t *dir = arena_json(req->arena, organisations_all(req->db, &error));
	if (!dir) {
		db_fail(req, "reading the organisations", &error);
		return;
	}
	json_t *data = arena_json(req->arena, form_data(req, edition, f->values, f->errors, dir,
							action, heading, cancel));
	if (status == 200)
		page_reply(req, 200, "gpi/candidature_form", heading, "gpi", data);
	else
		form_reply_invalid(f, "gpi/candidature_form", heading, "gpi", data);
}
