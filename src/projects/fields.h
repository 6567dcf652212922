/* Reading a project's fields from a submitted form or JSON body, with the
 * same rules and French messages for the pages and the API. */
#ifndef COUSILAB_PROJECT_FIELDS_H
#define COUSILAB_PROJECT_FIELDS_H

#include <bson/bson.h>
#include <jansson.h>
#include <stdbool.h>

struct form;

/* The organisation pickers of the project form. */
extern const struct organisation_picker PROJECT_LEAD_PICKER, PROJECT_PARTNERS_PICKER;

/* Returns the cousiSTORE themes (_id, name, description), shared by every
 * reader until they change: read it, never modify it. New reference, or
 * NULL with error set. */
struct db_ctx;
json_t *project_themes(struct db_ctx *db, bson_error_t *error);

/* Reads the editable fields (title, summary, problem, solution,
 * organisation_id, partner_organisation_ids, external_partners, themes,
 * started_on, visibility, costs, savings) into a JSON object of the
 * stored fields, recording errors in f. With partial (an API PUT), only
 * the fields sent are read and returned. The request's arena owns it:
 * the caller never decrefs it. */
json_t *project_fields_read(struct form *f, bool partial);

/* Reads number field name (a JSON number, or text such as "-3,5") into
 * *value, recording an error when it is not one (or absent while
 * required). Returns true when a value was read. */
bool project_form_number(struct form *f, const char *name, bool required, double *value);

/* Returns the stored amount {euros, note} of field name ("costs"), read
 * from "<name>" (a JSON number or typed euros) and "<name>_note", or NULL
 * when neither was given. New reference. */
json_t *project_form_amount(struct form *f, const char *name);

#endif
