/* The organisation picker: the one way a form chooses organisations
 * (views/partials/organisation_picker.mustache, scripts/picker.js).
 *
 * Without JavaScript it is a text field with a <datalist> of names:
 * what was typed is sent as "<field>_text" and resolved here, by name or
 * code, with a French error listing the candidates when a name is
 * unknown or ambiguous. The chosen organisations are sent as "<field>"
 * (a hidden input, or one checked box per chosen organisation when the
 * field takes several), so that a resubmitted form keeps them. The
 * script turns the field into an ARIA combobox fed by
 * GET /api/v1/organisations, with chips for multiple choices, and sends
 * the same fields. The API sends codes only, as before.
 *
 * A directory here is a JSON array of organisation objects in French
 * order with their "sort_key" and "match_words" (organisations_all). */
#ifndef COUSILAB_ORGANISATION_PICKER_H
#define COUSILAB_ORGANISATION_PICKER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct arena;
struct form;

/* One picker on a form. Static data, owned by the handler. */
struct organisation_picker {
	const char *field; /* form field of the codes: "organisation" */
	const char *label; /* "Organisme" */
	const char *hint;  /* shown under the label */
	bool multiple;     /* several organisations, shown as chips */
};

/* Most organisations a resolution error names, and most suggestions. */
enum { ORGANISATION_PICKER_CANDIDATES = 5, ORGANISATION_PICKER_LIMIT = 50 };

/* Returns the organisations of directory that text suggests: each word of
 * text begins a word of the name or code, accents, case and apostrophes
 * aside ("cpam ain" → "CPAM de l’Ain"), in the directory's French order,
 * at most limit of them (0: all). *total gets how many matched. Returns
 * a new array holding references to directory's objects; allocates the
 * query's key in a. */
json_t *organisation_picker_suggest(struct arena *a, const json_t *directory, const char *text,
				    size_t limit, size_t *total);

/* Resolves one typed name to an organisation of directory: the one whose
 * name is text (accents, case, spaces and apostrophes aside), or whose
 * code is text, or else the only one text suggests. Returns its code
 * (borrowed from directory), or NULL with *message set to a French
 * explanation naming up to ORGANISATION_PICKER_CANDIDATES candidates
 * (arena). */
const char *organisation_picker_resolve(struct arena *a, const json_t *directory, const char *text,
					const char **message);

/* Reads a single-choice picker from f: the code sent as p->field, or the
 * organisation typed in "<field>_text" when the page's field was sent.
 * Records an error on p->field when a typed name does not resolve, or
 * when required and nothing was chosen; checking that the code belongs
 * to the directory stays the caller's rule. Returns the code (arena or
 * directory-owned; "" when none). */
const char *organisation_picker_read_one(struct form *f, const struct organisation_picker *p,
					 const json_t *directory, bool required);

/* Reads a multiple-choice picker from f: the codes sent as p->field (a
 * JSON array of strings from the API), then those of the names typed in
 * "<field>_text", separated by ";", that are not chosen already. Names
 * that do not resolve stay in the text field with an error on p->field.
 * Returns the codes as a new JSON array, also kept as f's value. */
json_t *organisation_picker_read_list(struct form *f, const struct organisation_picker *p,
				      const json_t *directory);

/* Returns what the partial shows for p: the chosen organisations from
 * values (a form's values, or the record being edited: p->field holds a
 * code or an array of codes; "<field>_text" what was typed), named from
 * directory, the directory's names as suggestions (options_html: the
 * <option>s, escaped), and p's error from errors (may be NULL). New
 * reference. */
json_t *organisation_picker_data(const struct organisation_picker *p, const json_t *values,
				 const json_t *errors, const json_t *directory);

#endif
