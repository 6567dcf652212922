/* gpi_candidature_validate (candidature_rules.h): what a candidature's
 * body may hold, field by field. */
#include <ctype.h>
#include <string.h>

#include "accounts/rules.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "db/doc.h"
#include "gpi/candidature_rules.h"

/* A validation pass: the body, where errors go, and the result. */
struct pass {
	struct arena *a;
	const json_t *body;
	bool partial;
	json_t *out;
	struct gpi_field_error *errs;
	size_t *n_errs;
};

static void fail(struct pass *p, const char *field, const char *message)
{
	if (*p->n_errs < GPI_FIELD_ERRORS_MAX)
		p->errs[(*p->n_errs)++] = (struct gpi_field_error){field, message};
}

/* Returns true when field was given (or must be filled in as empty
 * because the body is whole). */
static bool wanted(const struct pass *p, const char *field)
{
	return !p->partial || json_object_get(p->body, field);
}

/* Returns s trimmed of spaces and line breaks at both ends, CRLF made LF
 * (arena). */
static char *trimmed(struct arena *a, const char *s)
{
	size_t n;
	s = gpi_trim(s, &n);
	char *out = arena_strndup(a, s, n), *w = out;
	for (const char *r = out; *r; r++)
		if (!(r[0] == '\r' && r[1] == '\n'))
			*w++ = *r == '\r' ? '\n' : *r;
	*w = '\0';
	return out;
}

/* Checks the text v (a JSON string, or NULL) of at most max characters;
 * returns it trimmed (arena), or NULL after recording why. label starts
 * the French sentence ("Le titre"). */
static const char *text_of(struct pass *p, const char *field, const json_t *v, size_t max,
			   enum utf8_lines lines, const char *label)
{
	if (!v || json_is_null(v))
		return "";
	if (!json_is_string(v)) {
		fail(p, field, arena_printf(p->a, "%s doit être un texte.", label));
		return NULL;
	}
	const char *s = json_string_value(v);
	if (!utf8_valid(s, strlen(s))) {
		fail(p, field, arena_printf(p->a, "%s n’est pas un texte UTF-8 valide.", label));
		return NULL;
	}
	char *t = trimmed(p->a, s);
	long cp = utf8_refused_char(t, strlen(t), lines);
	if (cp >= 0) {
		fail(p, field, utf8_refusal_message(p->a, label, cp));
		return NULL;
	}
	if (gpi_chars(t, strlen(t)) > max) {
		fail(p, field,
		     arena_printf(p->a, "%s dépasse %zu caractères (%zu).", label, max,
				  gpi_chars(t, strlen(t))));
		return NULL;
	}
	return t;
}

/* Validates and copies the body's text field. */
static void text_field(struct pass *p, const char *field, size_t max, enum utf8_lines lines,
		       const char *label)
{
	if (!wanted(p, field))
		return;
	const char *t = text_of(p, field, json_object_get(p->body, field), max, lines, label);
	if (t)
		json_object_set_new(p->out, field, json_string(t));
}

/* The three terms of costs and savings, as the API's object names them. */
static const char *const TERMS[][2] = {
	{"short", "Court terme"},
	{"medium", "Moyen terme"},
	{"long", "Long terme"},
};

/* costs and savings: a text, or {short, medium, long} joined as labelled
 * paragraphs so that one text covers the three terms. */
static void terms_field(struct pass *p, const char *field, const char *label)
{
	if (!wanted(p, field))
		return;
	const json_t *v = json_object_get(p->body, field);
	if (!json_is_object(v)) {
		text_field(p, field, GPI_TEXT_MAX, UTF8_MULTI_LINE, label);
		return;
	}
	struct buf b = BUF_INIT;
	bool ok = true;
	for (size_t i = 0; i < sizeof(TERMS) / sizeof(*TERMS); i++) {
		const char *t = text_of(p, field, json_object_get(v, TERMS[i][0]), GPI_TEXT_MAX / 3,
					UTF8_MULTI_LINE, label);
		if (!t)
			ok = false;
		else if (*t)
			buf_printf(&b, "%s%s\u202f: %s", b.len ? "\n\n" : "", TERMS[i][1], t);
	}
	if (ok)
		json_object_set_new(p->out, field, json_string(b.data ? b.data : ""));
	buf_free(&b);
}

static void category_field(struct pass *p, const json_t *categories)
{
	if (!wanted(p, "category"))
		return;
	const char *code = json_str(p->body, "category");
	size_t i;
	json_t *c;
	json_array_foreach(categories, i, c)
		if (strcmp(json_str(c, "code"), code) == 0) {
			json_object_set_new(p->out, "category", json_string(code));
			return;
		}
	fail(p, "category", "Choisissez l’une des catégories de l’édition.");
}

static void date_field(struct pass *p)
{
	if (!wanted(p, "started_on"))
		return;
	const json_t *v = json_object_get(p->body, "started_on");
	const char *s = json_is_string(v) ? json_string_value(v) : "";
	if ((v && !json_is_null(v) && !json_is_string(v)) ||
	    (*s && !gpi_in_window(s, "0001-01-01", "9999-12-31")))
		fail(p, "started_on", "Indiquez une date réelle, au format AAAA-MM-JJ.");
	else
		json_object_set_new(p->out, "started_on", json_string(s));
}

static void bool_field(struct pass *p, const char *field, const char *message)
{
	if (!wanted(p, field))
		return;
	const json_t *v = json_object_get(p->body, field);
	if (v && !json_is_boolean(v) && !json_is_null(v))
		fail(p, field, message);
	else
		json_object_set_new(p->out, field, json_boolean(json_is_true(v)));
}

/* Sets *list to the array field of the body (NULL when absent: an empty
 * list for json_array_foreach). Returns false after recording why it is
 * refused. */
static bool array_of(struct pass *p, const char *field, size_t max, const char *what,
		     const json_t **list)
{
	const json_t *v = json_object_get(p->body, field);
	*list = json_is_array(v) ? v : NULL;
	if (v && !json_is_null(v) && !json_is_array(v)) {
		fail(p, field, arena_printf(p->a, "La liste des %s est mal formée.", what));
		return false;
	}
	if (json_array_size(v) > max) {
		fail(p, field, arena_printf(p->a, "Au plus %zu %s.", max, what));
		return false;
	}
	return true;
}

static void partners_field(struct pass *p, const struct gpi_validate_ctx *ctx)
{
	if (!wanted(p, "partner_organisation_ids"))
		return;
	const json_t *list;
	if (!array_of(p, "partner_organisation_ids", GPI_PARTNERS_MAX, "organismes partenaires",
		      &list))
		return;
	json_t *out = json_array(), *v;
	size_t i;
	json_array_foreach(list, i, v) {
		const char *code = json_is_string(v) ? json_string_value(v) : "";
		if (!json_object_get(ctx->organisations, code)) {
			fail(p, "partner_organisation_ids",
			     "Choisissez les organismes partenaires dans l’annuaire.");
			break;
		}
		if (ctx->own_organisation && strcmp(code, ctx->own_organisation) == 0) {
			fail(p, "partner_organisation_ids",
			     "L’organisme candidat ne peut pas être son propre partenaire.");
			break;
		}
		size_t j;
		json_t *seen;
		bool twice = false;
		json_array_foreach(out, j, seen)
			twice = twice || strcmp(json_string_value(seen), code) == 0;
		if (!twice)
			json_array_append_new(out, json_string(code));
	}
	json_object_set_new(p->out, "partner_organisation_ids", out);
}

/* Copies member key of item, a text of at most max characters, into
 * copy; required refuses an empty one. Returns false after recording. */
static bool member_text(struct pass *p, const char *field, const json_t *item, const char *key,
			json_t *copy, bool required, const char *label)
{
	const char *t = text_of(p, field, json_object_get(item, key), GPI_SHORT_MAX, UTF8_ONE_LINE,
				label);
	if (!t)
		return false;
	if (required && !*t) {
		fail(p, field, arena_printf(p->a, "%s est obligatoire.", label));
		return false;
	}
	json_object_set_new(copy, key, json_string(t));
	return true;
}

/* Checks item n (from 1) of a list and fills copy with what it keeps.
 * Returns false after recording why it is refused. */
typedef bool (*item_fn)(struct pass *p, const json_t *item, json_t *copy, size_t n);

/* Validates the list field of at most max items (what names them in the
 * French message) item by item, up to the first refused. */
static void list_field(struct pass *p, const char *field, size_t max, const char *what,
		       item_fn check)
{
	const json_t *list;
	if (!wanted(p, field) || !array_of(p, field, max, what, &list))
		return;
	json_t *out = json_array(), *item;
	size_t i;
	json_array_foreach(list, i, item) {
		json_t *copy = json_object();
		json_array_append_new(out, copy);
		if (!check(p, item, copy, i + 1))
			break;
	}
	json_object_set_new(p->out, field, out);
}

static bool contact_item(struct pass *p, const json_t *c, json_t *copy, size_t n)
{
	if (!member_text(p, "contacts", c, "name", copy, true,
			 arena_printf(p->a, "Le nom du contact %zu", n)) ||
	    !member_text(p, "contacts", c, "email", copy, true,
			 arena_printf(p->a, "L’adresse du contact %zu", n)) ||
	    !member_text(p, "contacts", c, "phone", copy, false,
			 arena_printf(p->a, "Le téléphone du contact %zu", n)))
		return false;
	if (account_email_plausible(json_str(copy, "email")))
		return true;
	fail(p, "contacts",
	     arena_printf(p->a,
			  "L’adresse du contact %zu n’est pas une adresse électronique valide.",
			  n));
	return false;
}

/* Returns true when id has the form of a person's id (16 lowercase hex
 * or the 24 of doc_new_id). */
static bool person_id_ok(const char *id)
{
	size_t n = strlen(id);
	if (n != 16 && n != 24)
		return false;
	for (; *id; id++)
		if (!isxdigit((unsigned char)*id) || isupper((unsigned char)*id))
			return false;
	return true;
}

static bool person_item(struct pass *p, const json_t *c, json_t *copy, size_t n)
{
	const char *id = json_str(c, "id");
	json_object_set_new(copy, "id", json_string(person_id_ok(id) ? id : doc_new_id(p->a)));
	if (!member_text(p, "people", c, "name", copy, true,
			 arena_printf(p->a, "Le nom de la personne %zu", n)) ||
	    !member_text(p, "people", c, "role", copy, false,
			 arena_printf(p->a, "La fonction de la personne %zu", n)))
		return false;
	json_object_set_new(
		copy, "publication_withdrawn",
		json_boolean(json_is_true(json_object_get(c, "publication_withdrawn"))));
	return true;
}

/* The members an indicator keeps: texts, and the measured value. */
static const char *const INDICATOR_TEXTS[] = {"name",   "unit",      "baseline",
					      "target", "direction", "latest_date"};

static bool indicator_item(struct pass *p, const json_t *ind, json_t *copy, size_t n)
{
	const char *label = arena_printf(p->a, "L’indicateur %zu", n);
	for (size_t k = 0; k < sizeof(INDICATOR_TEXTS) / sizeof(*INDICATOR_TEXTS); k++) {
		const json_t *v = json_object_get(ind, INDICATOR_TEXTS[k]);
		/* Baselines and targets may come as numbers from a project. */
		json_t *as_text = json_is_number(v)
					  ? arena_json(p->a,
						       json_string(arena_printf(
							       p->a, "%g", json_number_value(v))))
					  : NULL;
		const char *t = text_of(p, "indicators", as_text ? as_text : v, GPI_SHORT_MAX,
					UTF8_ONE_LINE, label);
		if (!t)
			return false;
		json_object_set_new(copy, INDICATOR_TEXTS[k], json_string(t));
	}
	if (!*json_str(copy, "name")) {
		fail(p, "indicators", arena_printf(p->a, "%s n’a pas de nom.", label));
		return false;
	}
	const json_t *v = json_object_get(ind, "latest_value");
	json_object_set_new(copy, "latest_value",
			    json_is_number(v) ? json_real(json_number_value(v)) : json_null());
	return true;
}

json_t *gpi_candidature_validate(struct arena *a, const json_t *body,
				 const struct gpi_validate_ctx *ctx, bool partial,
				 struct gpi_field_error *errs, size_t *n_errs)
{
	*n_errs = 0;
	struct pass p = {a, body, partial, json_object(), errs, n_errs};
	if (!json_is_object(body)) {
		fail(&p, "body", "Le corps de la requête doit être un objet JSON.");
		return p.out;
	}
	category_field(&p, ctx->categories);
	text_field(&p, "title", GPI_TITLE_MAX, UTF8_ONE_LINE, "Le titre");
	if (wanted(&p, "title") && !*json_str(p.out, "title") && json_object_get(p.out, "title"))
		fail(&p, "title", "Donnez un titre à la candidature.");
	text_field(&p, "summary", GPI_SUMMARY_MAX, UTF8_MULTI_LINE, "Le résumé");
	static const char *const TEXTS[][2] = {
		{"objectives", "Les objectifs"},
		{"actions", "Les actions menées"},
		{"results", "Les résultats"},
		{"generalisation", "Le potentiel de généralisation"},
		{"interbranch", "Le caractère interbranches"},
		{"impact", "La contribution à la performance"},
		{"endowment_use", "L’objet de la dépense"},
	};
	for (size_t i = 0; i < sizeof(TEXTS) / sizeof(*TEXTS); i++)
		text_field(&p, TEXTS[i][0], GPI_TEXT_MAX, UTF8_MULTI_LINE, TEXTS[i][1]);
	terms_field(&p, "costs", "Les coûts");
	terms_field(&p, "savings", "Les économies");
	date_field(&p);
	bool_field(&p, "completed", "Indiquez si la réalisation est achevée (vrai ou faux).");
	partners_field(&p, ctx);
	list_field(&p, "contacts", GPI_CONTACTS_MAX, "personnes à contacter", contact_item);
	list_field(&p, "people", GPI_PEOPLE_MAX, "personnes citées dans le dossier", person_item);
	list_field(&p, "indicators", GPI_INDICATORS_MAX, "indicateurs", indicator_item);
	return p.out;
}
