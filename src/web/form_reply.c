#include "web/form_reply.h"

#include <string.h>

#include "core/arena.h"
#include "http/request.h"
#include "web/error_reply.h"
#include "web/page.h"

/* Appends to summary the entry of field from errors, if it has one and
 * summary does not list it yet. */
static void summarise(struct request *req, json_t *summary, const json_t *errors, const char *field,
		      const char *id_prefix)
{
	json_t *message = json_object_get(errors, field), *entry;
	size_t i;
	if (!message)
		return;
	json_array_foreach(summary, i, entry)
		if (strcmp(json_string_value(json_object_get(entry, "name")), field) == 0)
			return;
	json_array_append_new(summary, json_pack("{s:s, s:s, s:O}", "name", field, "field",
						 arena_printf(req->arena, "%s%s", id_prefix, field),
						 "message", message));
}

const char *form_summary(struct request *req, json_t *data, const json_t *errors,
			 const json_t *order, const char *id_prefix, const char *title)
{
	json_t *summary = json_array(), *v;
	size_t i;
	const char *field;
	json_array_foreach(order, i, v)
		summarise(req, summary, errors, json_string_value(v), id_prefix);
	json_object_foreach((json_t *)errors, field, v)
		summarise(req, summary, errors, field, id_prefix);
	json_object_set_new(data, "error_summary", summary);
	json_object_set_new(data, "has_errors", json_true());
	/* A narrow no-break space before the colon, as French wants. */
	return arena_printf(req->arena, "Erreur\u202f: %s", title);
}

void form_reply_invalid(struct form *f, const char *template, const char *title,
			const char *nav_key, json_t *data)
{
	struct request *req = f->req;
	if (req->is_api) {
		reply_error(req, 422, "invalid", "Certains champs sont à corriger.", f->errors);
		return;
	}
	json_object_set(data, "values", f->values);
	json_object_set(data, "errors", f->errors);
	page_reply(req, 422, template, form_summary(req, data, f->errors, f->fields, "", title),
		   nav_key, data);
}
