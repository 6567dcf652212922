/* The reply to a form that needs correcting (HTTP 422): under /api/ the
 * JSON error with its fields, elsewhere the form's page again with what
 * was typed, each message beside its field and the error summary first. */
#ifndef COUSILAB_FORM_REPLY_H
#define COUSILAB_FORM_REPLY_H

#include <jansson.h>

#include "http/form.h"

/* Adds what views/partials/error_summary shows to data: "has_errors" and
 * "error_summary", the messages of errors (field → message) in the order
 * of order (field names as the form reads them, NULL for none; fields it
 * lacks follow as recorded), each linking to "#<id_prefix><field>".
 * Returns the failed page's title, "Erreur : <title>" (arena-owned): the
 * first thing a screen reader says of the page. data is borrowed. */
const char *form_summary(struct request *req, json_t *data, const json_t *errors,
			 const json_t *order, const char *id_prefix, const char *title);

/* Replies 422: under /api/ the JSON error with its "fields"; elsewhere
 * template rendered with data plus "values", "errors" and an
 * error summary (form_summary) in the form's order. data is borrowed. */
void form_reply_invalid(struct form *f, const char *template, const char *title,
			const char *nav_key, json_t *data);

#endif
