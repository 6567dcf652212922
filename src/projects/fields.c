#include "projects/fields.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "accounts/organisation.h"
#include "accounts/organisation_picker.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "db/cache.h"
#include "db/doc.h"
#include "http/form.h"
#include "http/request.h"
#include "projects/project.h"

const struct organisation_picker PROJECT_LEAD_PICKER = {
	.field = "organisation_id",
	.label = "Organisme porteur",
	.hint = "Tapez le début de son nom, par exemple «\u202fCPAM\u202f» ou «\u202fCaf du Rhône\u202f».",
};

const struct organisation_picker PROJECT_PARTNERS_PICKER = {
	.field = "partner_organisation_ids",
	.label = "Organismes partenaires (facultatif)",
	.hint = "Séparez les noms par «\u202f;\u202f».",
	.multiple = true,
};

/* The cousiSTORE themes ("themes", _id = code), the same key as the
 * catalogue's copy: a change there reloads this one too. */
static json_t *load_themes(struct db_ctx *db, bson_error_t *error)
{
	return doc_find_all(db, "themes", bson_new(), NULL, error);
}

static struct versioned_cache themes_cache = VERSIONED_CACHE("themes", load_themes);

json_t *project_themes(struct db_ctx *db, bson_error_t *error)
{
	return cache_get(&themes_cache, db, error);
}

/* Returns true when name was sent, or always when the form is whole. */
static bool wanted(struct form *f, const char *name, bool partial)
{
	return !partial || form_sent(f, name);
}

/* Reads the lines of a textarea (pages) or a JSON array (API) of free
 * texts, each at most PROJECT_SHORT_MAX characters. New reference. */
static json_t *read_texts(struct form *f, const char *name)
{
	if (f->req->json)
		return form_list(f, name, PROJECT_SHORT_MAX);
	const char *text = form_paragraphs(f, name, PROJECT_LIST_MAX * (PROJECT_SHORT_MAX + 1),
					   false);
	json_t *list = json_array();
	char *copy = arena_strdup(f->req->arena, text);
	for (char *save = NULL, *line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		while (*line == ' ')
			line++;
		if (*line)
			json_array_append_new(list, json_string(line));
	}
	return list;
}

/* Checks that every code of list is a key of known (a JSON object) or an
 * _id of known (an array). */
static bool all_known(const json_t *list, const json_t *known)
{
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v) {
		const char *code = json_string_value(v);
		if (json_is_object(known) ? !json_object_get(known, code)
					  : !json_find_id((json_t *)known, code))
			return false;
	}
	return true;
}

static void read_organisations(struct form *f, json_t *out, bool partial)
{
	bson_error_t error;
	json_t *dir = arena_json(f->req->arena, organisations_all(f->req->db, &error));
	if (!dir) {
		form_error(f, PROJECT_LEAD_PICKER.field,
			   "L’annuaire des organismes est indisponible\u202f: réessayez.");
		return;
	}
	if (wanted(f, "organisation_id", partial) || wanted(f, "organisation_id_text", partial)) {
		const char *code = organisation_picker_read_one(f, &PROJECT_LEAD_PICKER, dir, true);
		if (*code && !organisation_in(dir, code))
			form_error(f, "organisation_id", "Choisissez un organisme de l’annuaire.");
		json_object_set_new(out, "organisation_id", json_string(code));
	}
	if (wanted(f, "partner_organisation_ids", partial)) {
		json_t *codes = organisation_picker_read_list(f, &PROJECT_PARTNERS_PICKER, dir);
		if (json_array_size(codes) > PROJECT_LIST_MAX)
			form_error(f, "partner_organisation_ids",
				   "Choisissez au plus 20 organismes.");
		size_t i;
		json_t *v;
		json_array_foreach(codes, i, v)
			if (!organisation_in(dir, json_string_value(v)))
				form_error(f, "partner_organisation_ids",
					   "Choisissez des organismes de l’annuaire.");
		json_object_set_new(out, "partner_organisation_ids", codes);
	}
}

static void read_themes(struct form *f, json_t *out, bool partial)
{
	if (!wanted(f, "themes", partial))
		return;
	json_t *themes = form_list(f, "themes", 60);
	bson_error_t error;
	json_t *known = arena_json(f->req->arena, project_themes(f->req->db, &error));
	if (json_array_size(themes) > PROJECT_LIST_MAX)
		form_error(f, "themes", "Choisissez au plus 20 thèmes.");
	else if (!known)
		form_error(f, "themes", "La liste des thèmes est indisponible\u202f: réessayez.");
	else if (!all_known(themes, known))
		form_error(f, "themes", "Choisissez des thèmes de la liste.");
	json_object_set_new(out, "themes", themes);
}

bool project_form_number(struct form *f, const char *name, bool required, double *value)
{
	json_t *j = f->req->json ? json_object_get(f->req->json, name) : NULL;
	if (json_is_number(j) && isfinite(json_number_value(j))) {
		*value = json_number_value(j);
		char text[40];
		snprintf(text, sizeof(text), "%g", *value);
		json_object_set_new(f->values, name, json_string(text));
		return true;
	}
	const char *text = form_text(f, name, 30, required);
	if (!*text)
		return false;
	if (project_parse_number(text, value))
		return true;
	form_error(f, name, "Saisissez un nombre, par exemple 12 ou 3,5.");
	return false;
}

json_t *project_form_amount(struct form *f, const char *name)
{
	const char *note_name = arena_printf(f->req->arena, "%s_note", name);
	json_t *j = f->req->json ? json_object_get(f->req->json, name) : NULL;
	int64_t euros = -1;
	if (json_is_integer(j) && json_integer_value(j) >= 0) {
		euros = json_integer_value(j);
	} else {
		const char *text = form_text(f, name, 30, false);
		if (*text && !project_parse_euros(text, &euros))
			form_error(f, name, "Saisissez un montant en euros, par exemple 12 500.");
	}
	const char *note = form_text(f, note_name, 300, false);
	if (euros < 0 && !*note)
		return NULL;
	json_t *amount = json_pack("{s:s}", "note", note);
	if (euros >= 0)
		json_object_set_new(amount, "euros", json_integer(euros));
	return amount;
}

/* One text field of the form: name, maximum, required, multi-line. */
struct text_field {
	const char *name;
	size_t max;
	bool required, lines;
};

static const struct text_field TEXTS[] = {
	{"title", PROJECT_TITLE_MAX, true, false},
	{"summary", PROJECT_SUMMARY_MAX, true, true},
	{"problem", PROJECT_TEXT_MAX, false, true},
	{"solution", PROJECT_TEXT_MAX, false, true},
};

json_t *project_fields_read(struct form *f, bool partial)
{
	json_t *out = arena_json(f->req->arena, json_object());
	for (size_t i = 0; i < sizeof(TEXTS) / sizeof(*TEXTS); i++) {
		const struct text_field *t = &TEXTS[i];
		if (!wanted(f, t->name, partial))
			continue;
		const char *v = t->lines ? form_paragraphs(f, t->name, t->max, t->required)
					 : form_text(f, t->name, t->max, t->required);
		json_object_set_new(out, t->name, json_string(v));
	}
	read_organisations(f, out, partial);
	if (wanted(f, "external_partners", partial)) {
		json_t *partners = read_texts(f, "external_partners");
		if (json_array_size(partners) > PROJECT_LIST_MAX)
			form_error(f, "external_partners", "Indiquez au plus 20 partenaires.");
		json_object_set_new(out, "external_partners", partners);
	}
	read_themes(f, out, partial);
	if (wanted(f, "started_on", partial)) {
		const char *d = form_text(f, "started_on", 10, true);
		if (*d && !project_date_valid(d))
			form_error(f, "started_on",
				   "Saisissez une date au format AAAA-MM-JJ, "
				   "par exemple 2024-09-02.");
		json_object_set_new(out, "started_on", json_string(d));
	}
	if (wanted(f, "visibility", partial)) {
		const char *v = form_text(f, "visibility", 10, false);
		if (!*v)
			v = "staff";
		if (project_visibility_from(v) < 0)
			form_error(f, "visibility", "Choisissez qui peut voir le projet.");
		json_object_set_new(out, "visibility", json_string(v));
	}
	const char *amounts[] = {"costs", "savings"};
	for (size_t i = 0; i < 2; i++) {
		if (!wanted(f, amounts[i], partial) &&
		    !wanted(f, arena_printf(f->req->arena, "%s_note", amounts[i]), partial))
			continue;
		json_t *a = project_form_amount(f, amounts[i]);
		json_object_set_new(out, amounts[i], a ? a : json_null());
	}
	return out;
}
