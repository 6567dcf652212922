#include "http/form.h"

#include <ctype.h>
#include <string.h>

#include "core/arena.h"
#include "core/utf8.h"
#include "http/request.h"

void form_begin(struct form *f, struct request *req)
{
	f->req = req;
	f->values = json_object();
	f->errors = json_object();
	f->fields = json_array();
}

/* Notes that name was read, for the error summary's order. */
static void note_read(struct form *f, const char *name)
{
	json_t *v;
	size_t i;
	json_array_foreach(f->fields, i, v)
		if (strcmp(json_string_value(v), name) == 0)
			return;
	json_array_append_new(f->fields, json_string(name));
}

void form_end(struct form *f)
{
	json_decref(f->values);
	json_decref(f->errors);
	json_decref(f->fields);
	f->values = f->errors = f->fields = NULL;
}

void form_error(struct form *f, const char *name, const char *message)
{
	if (!json_object_get(f->errors, name))
		json_object_set_new(f->errors, name, json_string(message));
}

bool form_valid(const struct form *f)
{
	return json_object_size(f->errors) == 0;
}

bool form_sent(const struct form *f, const char *name)
{
	const struct request *req = f->req;
	return req->json ? json_object_get(req->json, name) != NULL
			 : param_get(req->form, name) != NULL;
}

/* Returns the number of UTF-8 code points in s. */
static size_t utf8_length(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Returns the JSON value item as the param name (arena), or NULL when it
 * is not a string. jansson accepts "\u0000" in strings: such a value is
 * marked bad_utf8, refused like a bad byte. */
static const struct param *json_item(struct form *f, const char *name, const json_t *item)
{
	if (!json_is_string(item))
		return NULL;
	struct param *p = arena_alloc(f->req->arena, sizeof(*p));
	p->name = name;
	p->value_len = json_string_length(item);
	p->value = arena_strndup(f->req->arena, json_string_value(item), p->value_len);
	p->bad_utf8 = strlen(p->value) != p->value_len;
	return p;
}

/* Returns the raw value of field name from the JSON body or the form, or
 * NULL; *type_error is set when the JSON value is not a string. */
static const struct param *raw_field(struct form *f, const char *name, bool *type_error)
{
	struct request *req = f->req;
	*type_error = false;
	if (req->json) {
		json_t *v = json_object_get(req->json, name);
		if (!v || json_is_null(v))
			return NULL;
		const struct param *p = json_item(f, name, v);
		*type_error = !p;
		return p;
	}
	for (const struct param *p = req->form; p; p = p->next)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

/* How a field's text is read: one line or several, trimmed and checked
 * for control characters; or a secret, taken byte for byte. */
enum field_kind { FIELD_LINE, FIELD_LINES, FIELD_SECRET };

/* Returns v (arena) with CRLF and lone CR turned into LF: browsers send
 * a textarea's line ends as CRLF, the API may send either. */
static char *unify_newlines(struct arena *a, const char *v)
{
	char *out = arena_alloc(a, strlen(v) + 1), *o = out;
	for (; *v; v++) {
		*o++ = *v == '\r' ? '\n' : *v;
		v += v[0] == '\r' && v[1] == '\n';
	}
	*o = '\0';
	return out;
}

/* Returns v without its leading and trailing white space (arena). */
static const char *trim(struct arena *a, const char *v)
{
	while (isspace((unsigned char)*v))
		v++;
	size_t n = strlen(v);
	while (n && isspace((unsigned char)v[n - 1]))
		n--;
	return arena_strndup(a, v, n);
}

/* Applies the common checks to one value; returns it (arena). */
static const char *check_value(struct form *f, const char *name, const struct param *p,
			       bool type_error, size_t max_chars, bool required,
			       enum field_kind kind)
{
	if (type_error) {
		form_error(f, name, "Ce champ doit être du texte.");
		return "";
	}
	const char *v = p ? p->value : "";
	if (kind == FIELD_LINES)
		v = unify_newlines(f->req->arena, v);
	if (kind != FIELD_SECRET)
		v = trim(f->req->arena, v);
	long refused = kind == FIELD_SECRET
			       ? -1
			       : utf8_refused_char(v, strlen(v),
						   kind == FIELD_LINES ? UTF8_MULTI_LINE
								       : UTF8_ONE_LINE);
	if (p && p->bad_utf8)
		form_error(f, name,
			   "Ce champ contient des caractères invalides "
			   "(le texte doit être encodé en UTF-8).");
	else if (refused >= 0)
		form_error(f, name, utf8_refusal_message(f->req->arena, "Ce champ", refused));
	else if (required && !*v)
		form_error(f, name, "Ce champ est obligatoire.");
	else if (max_chars && utf8_length(v) > max_chars)
		form_error(f, name,
			   arena_printf(f->req->arena,
					"Ce champ ne doit pas dépasser %zu caractères.",
					max_chars));
	return v;
}

/* Reads, checks and keeps for redisplay the text field name. */
static const char *read_text(struct form *f, const char *name, size_t max_chars, bool required,
			     enum field_kind kind)
{
	bool type_error;
	note_read(f, name);
	const struct param *p = raw_field(f, name, &type_error);
	const char *v = check_value(f, name, p, type_error, max_chars, required, kind);
	json_object_set_new(f->values, name, json_string(v));
	return v;
}

const char *form_text(struct form *f, const char *name, size_t max_chars, bool required)
{
	return read_text(f, name, max_chars, required, FIELD_LINE);
}

const char *form_paragraphs(struct form *f, const char *name, size_t max_chars, bool required)
{
	return read_text(f, name, max_chars, required, FIELD_LINES);
}

const char *form_secret(struct form *f, const char *name, bool required)
{
	bool type_error;
	note_read(f, name);
	const struct param *p = raw_field(f, name, &type_error);
	return check_value(f, name, p, type_error, 0, required, FIELD_SECRET);
}

json_t *form_list(struct form *f, const char *name, size_t max_chars)
{
	json_t *out = json_array();
	struct request *req = f->req;
	note_read(f, name);
	if (req->json) {
		json_t *v = json_object_get(req->json, name), *item;
		size_t i;
		if (v && !json_is_array(v)) {
			form_error(f, name, "Ce champ doit être une liste de textes.");
			return out;
		}
		json_array_foreach(v, i, item) {
			const struct param *p = json_item(f, name, item);
			if (!p) {
				form_error(f, name, "Ce champ doit être une liste de textes.");
				continue;
			}
			const char *t = check_value(f, name, p, false, max_chars, false,
						    FIELD_LINE);
			json_array_append_new(out, json_string(t));
		}
	} else {
		for (const struct param *p = req->form; p; p = p->next)
			if (strcmp(p->name, name) == 0) {
				const char *v = check_value(f, name, p, false, max_chars, false,
							    FIELD_LINE);
				if (*v)
					json_array_append_new(out, json_string(v));
			}
	}
	json_object_set(f->values, name, out);
	return out;
}
