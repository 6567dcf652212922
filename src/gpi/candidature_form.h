/* The candidature's HTML form (views/gpi/candidature_form.mustache): its
 * fields read into the same JSON body the API takes, so one validation
 * (gpi_candidature_validate) judges both, and its data for display. */
#ifndef COUSILAB_GPI_CANDIDATURE_FORM_H
#define COUSILAB_GPI_CANDIDATURE_FORM_H

#include <jansson.h>
#include <stdbool.h>

struct form;
struct request;

enum {
	GPI_FORM_CONTACTS = 3, /* contact rows the form offers */
	GPI_FORM_PEOPLE = 8,   /* people rows the form offers (beyond those named) */
};

/* Reads the form f (begun by the caller) into a candidature body: texts,
 * the category, the start date, the "completed" box, partners from the
 * organisation picker (directory dir), and the contact and people rows
 * ("contact_<n>_name", "person_<n>_name", ...: empty rows dropped).
 * indicators (borrowed) are kept as they are: the form does not edit
 * them; NULL leaves them out of the body (a project's stay). New
 * reference. */
json_t *gpi_cand_body_of_form(struct form *f, const json_t *dir, const json_t *indicators);

/* Returns the form's values for candidature cand (a stored document or a
 * body), in the form's field names. New reference. */
json_t *gpi_cand_form_values(const json_t *cand);

/* Replies the form page with f's values and errors: status 200, or the
 * 422 of form_reply_invalid (the JSON error under /api/); action is where
 * it posts, heading its title, cancel where "Annuler" leads. The edition
 * gives the categories and the window; indicators shown come from
 * f->values. Replies 503 when the organisations cannot be read. */
void gpi_cand_form_reply(struct request *req, const json_t *edition, struct form *f, int status,
			 const char *action, const char *heading, const char *cancel);

/* Records each of the validation errors errs[0..n) on f under its field
 * (form_error). */
struct gpi_field_error;
void gpi_cand_form_errors(struct form *f, const struct gpi_field_error *errs, size_t n);

#endif
