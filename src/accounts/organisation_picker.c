#include "accounts/organisation_picker.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/arena_json.h"
#include "core/buf.h"
#include "core/collate.h"
#include "core/fold.h"
#include "db/doc.h"
#include "http/form.h"
#include "http/request.h"

/* Longest code, and longest typed text, a picker reads. Longer text is
 * no organisation's name and is not echoed back in full. */
enum { CODE_MAX_CHARS = 64, TEXT_MAX_CHARS = 300 };

#define NNBSP "\u202f" /* French spacing inside « » and before : */

/* Returns the organisation of directory whose _id is code, or NULL. */
static const json_t *find_code(const json_t *directory, const char *code)
{
	const json_t *o;
	size_t i;
	json_array_foreach(directory, i, o)
		if (strcmp(json_str(o, "_id"), code) == 0)
			return o;
	return NULL;
}

json_t *organisation_picker_suggest(struct arena *a, const json_t *directory, const char *text,
				    size_t limit, size_t *total)
{
	const char *query = collate_words(a, text);
	json_t *out = json_array(), *o;
	size_t i;
	*total = 0;
	json_array_foreach(directory, i, o) {
		if (!collate_words_match(json_str(o, "match_words"), query))
			continue;
		if (!limit || *total < limit)
			json_array_append(out, o);
		++*total;
	}
	return out;
}

/* Returns the French message for text matching the candidates (an
 * array, in French order; total of them in all): none, or too many.
 * Arena-owned. */
static const char *unresolved_message(struct arena *a, const char *text, const json_t *candidates,
				      size_t total)
{
	if (!total)
		return arena_printf(a,
				    "Aucun organisme ne correspond à «" NNBSP "%s" NNBSP
				    "». Vérifiez le nom, ou choisissez-le parmi les suggestions.",
				    text);
	struct buf names = BUF_INIT;
	size_t shown = json_array_size(candidates);
	for (size_t i = 0; i < shown; i++)
		buf_printf(&names, "%s%s", i ? ", " : "",
			   json_str(json_array_get(candidates, i), "name"));
	if (total > shown)
		buf_printf(&names, " et %zu autre%s", total - shown, total - shown > 1 ? "s" : "");
	const char *message = arena_printf(
		a,
		"Plusieurs organismes correspondent à «" NNBSP "%s" NNBSP "»" NNBSP
		": %s. Tapez le nom complet de celui que vous choisissez.",
		text, names.data);
	buf_free(&names);
	return message;
}

const char *organisation_picker_resolve(struct arena *a, const json_t *directory, const char *text,
					const char **message)
{
	const char *key = collate_key(a, text), *folded = text_fold(a, text);
	json_t *same = arena_json(a, json_array()), *o;
	const json_t *by_code = NULL;
	size_t i;
	json_array_foreach(directory, i, o) {
		if (strcmp(json_str(o, "sort_key"), key) == 0)
			json_array_append(same, o);
		if (strcmp(json_str(o, "_id"), folded) == 0)
			by_code = o;
	}
	size_t total = json_array_size(same);
	json_t *candidates = same;
	if (!total && !by_code)
		candidates = arena_json(
			a, organisation_picker_suggest(a, directory, text,
						       ORGANISATION_PICKER_CANDIDATES, &total));
	const char *code = total == 1          ? json_str(json_array_get(candidates, 0), "_id")
			   : !total && by_code ? json_str(by_code, "_id")
					       : NULL;
	if (!code) {
		while (json_array_size(candidates) > ORGANISATION_PICKER_CANDIDATES)
			json_array_remove(candidates, ORGANISATION_PICKER_CANDIDATES);
		*message = unresolved_message(a, text, candidates, total);
	}
	return code;
}

/* Returns the name of the page's text field of p ("organisation_text"),
 * arena-owned. */
static const char *text_field(struct form *f, const struct organisation_picker *p)
{
	return arena_printf(f->req->arena, "%s_text", p->field);
}

/* Reads the typed text of p, keeping it for redisplay; its errors are
 * reported on p->field, where the page shows them. Returns it (arena). */
static const char *read_text(struct form *f, const struct organisation_picker *p)
{
	const char *name = text_field(f, p);
	const char *text = form_text(f, name, TEXT_MAX_CHARS, false);
	const char *message = json_string_value(json_object_get(f->errors, name));
	if (message) {
		form_error(f, p->field, message);
		json_object_del(f->errors, name);
		return "";
	}
	return text;
}

const char *organisation_picker_read_one(struct form *f, const struct organisation_picker *p,
					 const json_t *directory, bool required)
{
	if (!form_sent(f, text_field(f, p)))
		return form_text(f, p->field, CODE_MAX_CHARS, required);
	struct arena *a = f->req->arena;
	const char *text = read_text(f, p);
	const char *code = form_text(f, p->field, CODE_MAX_CHARS, false);
	const json_t *chosen = *code ? find_code(directory, code) : NULL;
	/* The script's choice stands while the text still shows its name. */
	if (!*text || !chosen || strcmp(collate_key(a, text), json_str(chosen, "sort_key")) != 0) {
		const char *message = NULL;
		code = *text ? organisation_picker_resolve(a, directory, text, &message) : NULL;
		if (message)
			form_error(f, p->field, message);
		else if (!code && required)
			form_error(f, p->field, "Ce champ est obligatoire.");
		code = code ? code : "";
	}
	json_object_set_new(f->values, p->field, json_string(code));
	/* Resolved, the field shows the organisation's name as written. */
	if (*code)
		json_object_set_new(f->values, text_field(f, p),
				    json_string(json_str(find_code(directory, code), "name")));
	return code;
}

/* Returns true when the string array list holds code. */
static bool holds(const json_t *list, const char *code)
{
	const json_t *v;
	size_t i;
	json_array_foreach(list, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), code) == 0)
			return true;
	return false;
}

json_t *organisation_picker_read_list(struct form *f, const struct organisation_picker *p,
				      const json_t *directory)
{
	json_t *codes = form_list(f, p->field, CODE_MAX_CHARS);
	if (!form_sent(f, text_field(f, p)))
		return codes;
	struct arena *a = f->req->arena;
	struct buf left = BUF_INIT, messages = BUF_INIT;
	const char *text = read_text(f, p);
	while (*text) {
		size_t n = strcspn(text, ";"), skip = strspn(text, " ");
		skip = skip < n ? skip : n;
		size_t len = n - skip;
		while (len && text[skip + len - 1] == ' ')
			len--;
		const char *part = arena_strndup(a, text + skip, len), *message = NULL;
		text += n + (text[n] == ';');
		if (!*collate_key(a, part))
			continue;
		const char *code = organisation_picker_resolve(a, directory, part, &message);
		if (code && !holds(codes, code)) {
			json_array_append_new(codes, json_string(code));
		} else if (!code) {
			buf_printf(&left, "%s%s", left.len ? "; " : "", part);
			buf_printf(&messages, "%s%s", messages.len ? " " : "", message);
		}
	}
	if (messages.len)
		form_error(f, p->field, messages.data);
	json_object_set_new(f->values, text_field(f, p), json_string(left.len ? left.data : ""));
	buf_free(&left);
	buf_free(&messages);
	return codes;
}

/* Returns the chips of the codes in chosen (a code or an array of codes)
 * that directory names: [{code, label}]. New reference. */
static json_t *chips(const json_t *chosen, const json_t *directory)
{
	json_t *out = json_array(), *v;
	size_t i;
	const json_t *o;
	if (json_is_string(chosen) && (o = find_code(directory, json_string_value(chosen))))
		json_array_append_new(out, json_pack("{s:s, s:s}", "code", json_str(o, "_id"),
						     "label", json_str(o, "name")));
	json_array_foreach(chosen, i, v)
		if (json_is_string(v) && (o = find_code(directory, json_string_value(v))))
			json_array_append_new(out,
					      json_pack("{s:s, s:s}", "code", json_str(o, "_id"),
							"label", json_str(o, "name")));
	return out;
}

json_t *organisation_picker_data(const struct organisation_picker *p, const json_t *values,
				 const json_t *errors, const json_t *directory)
{
	char text_key[96];
	snprintf(text_key, sizeof(text_key), "%s_text", p->field);
	json_t *chosen = chips(json_object_get(values, p->field), directory);
	/* One escaped string, not one object per organisation: the account
	 * page shows the whole directory on every view. */
	struct buf options = {0};
	json_t *o;
	size_t i;
	json_array_foreach(directory, i, o) {
		const char *name = json_str(o, "name");
		buf_puts(&options, "<option value=\"");
		buf_append_html(&options, name, strlen(name));
		buf_puts(&options, "\"></option>");
	}
	json_t *options_html = json_stringn(options.len ? options.data : "", options.len);
	buf_free(&options);
	const json_t *typed = json_object_get(values, text_key);
	const json_t *first = json_array_get(chosen, 0);
	/* A single choice shows its name in the text field, until retyped. */
	const char *text = json_is_string(typed)   ? json_string_value(typed)
			   : p->multiple || !first ? ""
						   : json_str(first, "label");
	const char *error = json_string_value(json_object_get(errors, p->field));
	/* Every key is set, even empty: a missing one would be looked up in
	 * the page's data around the partial. */
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:o, s:o, s:s}", "id", p->field,
			 "field", p->field, "text_field", text_key, "label", p->label, "hint",
			 p->hint ? p->hint : "", "multiple", p->multiple, "text", text, "code",
			 !p->multiple && first ? json_str(first, "code") : "", "chips", chosen,
			 "options_html", options_html, "error", error ? error : "");
}
