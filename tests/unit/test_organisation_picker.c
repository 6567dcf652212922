/* French order of organisation names, and the organisation picker's
 * reading of what a form sent (typed names, chosen codes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "accounts/organisation.h"
#include "accounts/organisation_picker.h"
#include "core/arena.h"
#include "core/collate.h"
#include "http/form.h"
#include "http/request.h"
#include "http/urlencoded.h"
#include "web/form_reply.h"

/* A directory as the cache holds it, from names given in no order. */
static json_t *directory(void)
{
	static const char *const ORGS[][2] = {
		{"cpam-84", "CPAM de Vaucluse"},
		{"ecole", "École nationale supérieure de Sécurité sociale (EN3S)"},
		{"cpam-01", "CPAM de l’Ain"},
		{"caf-01", "Caf de l'Ain"},
		{"cpam-31", "CPAM de la Haute-Garonne"},
		{"caf-31", "Caf de la Haute-Garonne"},
		{"carsat-ne", "Carsat Nord-Est"},
		{"msa-ar", "MSA Ain-Rhône"},
		{"urssaf-idf", "Urssaf Île-de-France"},
		{"enim", "Enim"},
	};
	json_t *list = json_array();
	for (size_t i = 0; i < sizeof(ORGS) / sizeof(*ORGS); i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "_id", ORGS[i][0], "code",
						      ORGS[i][0], "name", ORGS[i][1]));
	return organisations_in_french_order(list);
}

static void keys_drop_accents_case_and_apostrophes(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	assert_string_equal(collate_key(a, "CPAM de l’Ain"), "cpam de lain");
	assert_string_equal(collate_key(a, "CPAM de l'Ain"), "cpam de lain");
	assert_string_equal(collate_key(a, "  École -- Œuvre  "), "ecole oeuvre");
	assert_string_equal(collate_words(a, "CPAM de l’Ain"), "cpam de l ain");
	assert_string_equal(collate_words(a, "Haute-Garonne (31)"), "haute garonne 31");
	assert_string_equal(collate_key(a, "’'"), "");
	arena_free(a);
}

static void names_come_in_french_order(void **state)
{
	(void)state;
	json_t *dir = directory();
	static const char *const WANT[] = {
		/* "la Haute" before "l'Ain": the apostrophe is ignored, and
		 * "la h" comes before "lai", letter by letter. */
		"Caf de la Haute-Garonne",
		"Caf de l'Ain",
		"Carsat Nord-Est",
		"CPAM de la Haute-Garonne",
		"CPAM de l’Ain",
		"CPAM de Vaucluse",
		"École nationale supérieure de Sécurité sociale (EN3S)",
		"Enim",
		"MSA Ain-Rhône",
		"Urssaf Île-de-France",
	};
	assert_int_equal(json_array_size(dir), sizeof(WANT) / sizeof(*WANT));
	for (size_t i = 0; i < sizeof(WANT) / sizeof(*WANT); i++)
		assert_string_equal(
			json_string_value(json_object_get(json_array_get(dir, i), "name")),
			WANT[i]);
	json_decref(dir);
}

static void ties_are_broken_by_bytes(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	const char *x = collate_key(a, "Côte"), *y = collate_key(a, "cote");
	assert_string_equal(x, y);
	assert_true(collate_compare(x, "Côte", y, "cote") < 0);
	assert_int_equal(collate_compare(x, "cote", y, "cote"), 0);
	arena_free(a);
}

static void words_match_as_prefixes_in_any_order(void **state)
{
	(void)state;
	assert_true(collate_words_match("cpam de la haute garonne", "haute gar"));
	assert_true(collate_words_match("cpam de la haute garonne", "garonne cpam"));
	assert_true(collate_words_match("cpam de l ain", ""));
	assert_false(collate_words_match("cpam de l ain", "aine"));
	assert_false(collate_words_match("cpam de vaucluse", "cluse"));
}

/* Returns the codes of the organisations text suggests, comma-separated
 * (arena), and their total in *total. */
static const char *suggested(struct arena *a, const json_t *dir, const char *text, size_t limit,
			     size_t *total)
{
	json_t *found = organisation_picker_suggest(a, dir, text, limit, total), *o;
	size_t i;
	const char *out = "";
	json_array_foreach(found, i, o)
		out = arena_printf(a, "%s%s%s", out, i ? "," : "",
				   json_string_value(json_object_get(o, "_id")));
	json_decref(found);
	return out;
}

static void suggestions_follow_french_order(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	json_t *dir = directory();
	size_t total;
	assert_string_equal(suggested(a, dir, "ain", 0, &total), "caf-01,cpam-01,msa-ar");
	assert_int_equal(total, 3);
	assert_string_equal(suggested(a, dir, "CPAM", 2, &total), "cpam-31,cpam-01");
	assert_int_equal(total, 3);
	assert_string_equal(suggested(a, dir, "ecole", 0, &total), "ecole");
	assert_string_equal(suggested(a, dir, "caf-31", 0, &total), "caf-31");
	json_decref(dir);
	arena_free(a);
}

static void typed_names_resolve_or_explain(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	json_t *dir = directory();
	const char *message = NULL;
	/* The exact name, written another way. */
	assert_string_equal(organisation_picker_resolve(a, dir, "cpam de l'ain", &message),
			    "cpam-01");
	/* A code. */
	assert_string_equal(organisation_picker_resolve(a, dir, "CAF-31", &message), "caf-31");
	/* The only one that part of a name suggests. */
	assert_string_equal(organisation_picker_resolve(a, dir, "vaucluse", &message), "cpam-84");
	assert_null(message);
	/* Several: the message names them, in French order. */
	assert_null(organisation_picker_resolve(a, dir, "Haute-Garonne", &message));
	assert_non_null(strstr(message,
			       "Plusieurs organismes correspondent à «\u202fHaute-Garonne\u202f»"));
	assert_non_null(
		strstr(message, "\u202f: Caf de la Haute-Garonne, CPAM de la Haute-Garonne."));
	/* None. */
	message = NULL;
	assert_null(organisation_picker_resolve(a, dir, "Caisse des Lilas", &message));
	assert_non_null(
		strstr(message, "Aucun organisme ne correspond à «\u202fCaisse des Lilas\u202f»"));
	json_decref(dir);
	arena_free(a);
}

/* A request carrying an urlencoded form body, for the picker's readers. */
struct sent {
	struct request req;
	struct form f;
};

static void send(struct sent *s, const char *body)
{
	memset(s, 0, sizeof(*s));
	s->req.arena = arena_new();
	assert_int_equal(urlencoded_parse(s->req.arena, body, strlen(body), NULL, &s->req.form),
			 PARSE_OK);
	form_begin(&s->f, &s->req);
}

static void done(struct sent *s)
{
	form_end(&s->f);
	arena_free(s->req.arena);
}

static const struct organisation_picker ONE = {.field = "organisation", .label = "Organisme"};
static const struct organisation_picker MANY = {
	.field = "owners", .label = "Organismes", .multiple = true};

static void a_single_picker_reads_the_page_or_the_code(void **state)
{
	(void)state;
	json_t *dir = directory();
	struct sent s;

	/* Without the script: the typed name, and the name as written kept. */
	send(&s, "organisation=&organisation_text=cpam+de+l%27ain");
	assert_string_equal(organisation_picker_read_one(&s.f, &ONE, dir, true), "cpam-01");
	assert_true(form_valid(&s.f));
	assert_string_equal(json_string_value(json_object_get(s.f.values, "organisation_text")),
			    "CPAM de l’Ain");
	done(&s);

	/* The script's choice stands while the text shows its name... */
	send(&s, "organisation=caf-31&organisation_text=Caf+de+la+Haute-Garonne");
	assert_string_equal(organisation_picker_read_one(&s.f, &ONE, dir, true), "caf-31");
	done(&s);
	/* ...and the text wins once retyped. */
	send(&s, "organisation=caf-31&organisation_text=Vaucluse");
	assert_string_equal(organisation_picker_read_one(&s.f, &ONE, dir, true), "cpam-84");
	done(&s);

	/* Unknown: an error on the field (where the page shows it), text kept. */
	send(&s, "organisation=&organisation_text=Nulle+part");
	assert_string_equal(organisation_picker_read_one(&s.f, &ONE, dir, true), "");
	assert_non_null(strstr(json_string_value(json_object_get(s.f.errors, "organisation")),
			       "Aucun organisme ne correspond"));
	assert_string_equal(json_string_value(json_object_get(s.f.values, "organisation_text")),
			    "Nulle part");
	done(&s);

	/* Emptied: required. */
	send(&s, "organisation=caf-31&organisation_text=");
	assert_string_equal(organisation_picker_read_one(&s.f, &ONE, dir, true), "");
	assert_string_equal(json_string_value(json_object_get(s.f.errors, "organisation")),
			    "Ce champ est obligatoire.");
	done(&s);

	/* A code alone (the API, scripts): read as is, checked by the caller. */
	send(&s, "organisation=pas-un-code");
	assert_string_equal(organisation_picker_read_one(&s.f, &ONE, dir, true), "pas-un-code");
	assert_true(form_valid(&s.f));
	done(&s);
	json_decref(dir);
}

static void a_multiple_picker_adds_typed_names_to_the_chips(void **state)
{
	(void)state;
	json_t *dir = directory();
	struct sent s;
	send(&s, "owners=caf-31&owners=cpam-84&owners_text=+vaucluse+%3B+Enim%3B%3BMSA+ain%3B");
	json_t *codes = organisation_picker_read_list(&s.f, &MANY, dir);
	assert_true(form_valid(&s.f));
	assert_int_equal(json_array_size(codes), 4); /* vaucluse was chosen already */
	assert_string_equal(json_string_value(json_array_get(codes, 2)), "enim");
	assert_string_equal(json_string_value(json_array_get(codes, 3)), "msa-ar");
	assert_string_equal(json_string_value(json_object_get(s.f.values, "owners_text")), "");
	json_decref(codes);
	done(&s);

	/* What does not resolve stays typed, with every explanation. */
	send(&s, "owners=caf-31&owners_text=Nulle+part%3B+Enim%3B+Haute-Garonne");
	codes = organisation_picker_read_list(&s.f, &MANY, dir);
	assert_int_equal(json_array_size(codes), 2);
	assert_string_equal(json_string_value(json_object_get(s.f.values, "owners_text")),
			    "Nulle part; Haute-Garonne");
	const char *error = json_string_value(json_object_get(s.f.errors, "owners"));
	assert_non_null(strstr(error, "«\u202fNulle part\u202f»"));
	assert_non_null(strstr(error, "«\u202fHaute-Garonne\u202f»"));
	json_decref(codes);
	done(&s);

	/* The page's data: chips named from the directory, unknown codes dropped. */
	json_t *values = json_pack("{s:[s, s], s:s}", "owners", "cpam-01", "nope", "owners_text",
				   "Enim");
	json_t *data = organisation_picker_data(&MANY, values, NULL, dir);
	json_t *chips = json_object_get(data, "chips");
	assert_int_equal(json_array_size(chips), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(chips, 0), "label")),
			    "CPAM de l’Ain");
	assert_string_equal(json_string_value(json_object_get(data, "text")), "Enim");
	/* Every name is a suggestion, escaped once. */
	const char *options = json_string_value(json_object_get(data, "options_html"));
	size_t n = 0;
	for (const char *at = options; (at = strstr(at, "<option value=\"")); at++)
		n++;
	assert_int_equal(n, json_array_size(dir));
	assert_non_null(strstr(options, "<option value=\"CPAM de l’Ain\"></option>"));
	json_decref(data);
	json_decref(values);
	json_decref(dir);
}

static void the_error_summary_follows_the_form(void **state)
{
	(void)state;
	struct sent s;
	send(&s, "b=&a=");
	form_text(&s.f, "first", 10, true);
	form_text(&s.f, "second", 10, false);
	form_secret(&s.f, "third", true);
	form_error(&s.f, "third", "Trois.");
	form_error(&s.f, "second", "Deux.");
	form_error(&s.f, "elsewhere", "Ailleurs.");
	json_t *data = json_object();
	const char *title = form_summary(&s.req, data, s.f.errors, s.f.fields, "p-", "Page");
	assert_string_equal(title, "Erreur\u202f: Page");
	json_t *summary = json_object_get(data, "error_summary");
	static const char *const WANT[] = {"p-first", "p-second", "p-third", "p-elsewhere"};
	assert_int_equal(json_array_size(summary), 4);
	for (size_t i = 0; i < 4; i++)
		assert_string_equal(
			json_string_value(json_object_get(json_array_get(summary, i), "field")),
			WANT[i]);
	json_decref(data);
	done(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keys_drop_accents_case_and_apostrophes),
		cmocka_unit_test(names_come_in_french_order),
		cmocka_unit_test(ties_are_broken_by_bytes),
		cmocka_unit_test(words_match_as_prefixes_in_any_order),
		cmocka_unit_test(suggestions_follow_french_order),
		cmocka_unit_test(typed_names_resolve_or_explain),
		cmocka_unit_test(a_single_picker_reads_the_page_or_the_code),
		cmocka_unit_test(a_multiple_picker_adds_typed_names_to_the_chips),
		cmocka_unit_test(the_error_summary_follows_the_form),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
