/* The secretariat creates and edits editions: the forms under
 * /grand-prix and the API's POST and PUT, with one reader (form.h reads
 * urlencoded and JSON bodies alike; the API's nested objects are first
 * flattened into the form's field names) and one set of rules
 * (gpi/edition_rules.h). A form's instants are Paris local time, its
 * phases Paris days and its size limits in Mo; the API's instants are
 * RFC 3339 and its limits in bytes. */
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/clock.h"
#include "core/paris_time.h"
#include "db/db.h"
#include "db/doc.h"
#include "gpi/candidature.h"
#include "gpi/edition.h"
#include "gpi/edition_rules.h"
#include "gpi/edition_view.h"
#include "gpi/ui.h"
#include "http/form.h"
#include "http/reply.h"
#include "web/db_reply.h"
#include "web/form_reply.h"
#include "web/page.h"

/* Empty category and criterion slots a form offers beyond the edition's. */
enum { SPARE_SLOTS = 2, NUMBER_MAX_CHARS = 12, INSTANT_MAX_CHARS = 40, MIB = 1024 * 1024 };

struct edition_form {
	struct form f;
	struct gpi_edition_input in;
	int64_t rev; /* the revision the editor read (0: not said, take the current) */
};

/* The API's objects and lists, as the form's flat field names. */
static const char *const CATEGORY_FIELDS[] = {"code", "name", "description", NULL};
static const char *const CRITERION_FIELDS[] = {"code", "label", "weight", NULL};

/* Copies into body, the API's JSON object, each item of list key as
 * "<prefix>_<n>_<field>" (n from 1), the names the form's slots have.
 * Returns 0, or -1 when key is there but not a list of objects. */
static int flatten_list(struct arena *a, json_t *body, const char *key, const char *prefix,
			const char *const *fields)
{
	const json_t *list = json_object_get(body, key), *item;
	size_t i;
	if (!list || json_is_null(list))
		return 0;
	if (!json_is_array(list))
		return -1;
	json_array_foreach(list, i, item) {
		if (!json_is_object(item))
			return -1;
		for (const char *const *f = fields; *f; f++)
			json_object_set(body, arena_printf(a, "%s_%zu_%s", prefix, i + 1, *f),
					json_object_get(item, *f));
	}
	return 0;
}

/* Flattens the API's nested fields (contact, phases, limits, categories,
 * criteria) into the form's names, recording an error for a field of the
 * wrong shape. A value of the wrong type is left to the field's reader. */
static void flatten_api(struct form *f)
{
	json_t *body = f->req->json;
	struct arena *a = f->req->arena;
	const json_t *contact = json_object_get(body, "contact");
	json_object_set(body, "contact_name", json_object_get(contact, "name"));
	json_object_set(body, "contact_email", json_object_get(contact, "email"));
	const json_t *phases = json_object_get(body, "phases");
	for (int p = 0; p < GPI_PHASE_COUNT; p++) {
		const json_t *phase = json_object_get(phases, gpi_phase_key(p));
		json_object_set(body, arena_printf(a, "%s_start", gpi_phase_key(p)),
				json_object_get(phase, "start"));
		json_object_set(body, arena_printf(a, "%s_end", gpi_phase_key(p)),
				json_object_get(phase, "end"));
	}
	const json_t *limits = json_object_get(body, "limits");
	for (int l = 0; l < GPI_LIMIT_COUNT; l++)
		json_object_set(body, gpi_limit_key(l), json_object_get(limits, gpi_limit_key(l)));
	if (flatten_list(a, body, "categories", "category", CATEGORY_FIELDS))
		form_error(f, "categories",
			   "Les catégories sont une liste d’objets {code, name, description}.");
	if (flatten_list(a, body, "criteria", "criterion", CRITERION_FIELDS))
		form_error(f, "criteria",
			   "Les critères sont une liste d’objets {code, label, weight}.");
}

/* Reads the whole number field name: a JSON integer, or digits typed in a
 * form. Returns -1 when it is absent or empty (the rules say what is
 * expected), or after recording message when it is not a number. */
static int64_t read_number(struct form *f, const char *name, const char *message)
{
	const json_t *v = f->req->json ? json_object_get(f->req->json, name) : NULL;
	if (f->req->json && (!v || json_is_null(v)))
		return -1;
	if (f->req->json && json_is_integer(v) && json_integer_value(v) >= 0)
		return json_integer_value(v);
	const char *t = f->req->json ? "x" : form_text(f, name, NUMBER_MAX_CHARS, false);
	if (!*t)
		return -1;
	if (strspn(t, "0123456789") != strlen(t)) {
		form_error(f, name, message);
		return -1;
	}
	return strtoll(t, NULL, 10);
}

/* Reads instant field name into *ms: RFC 3339 from the API, Paris local
 * time from a form (day_time: "00:00:00" or "23:59:59" for a phase's
 * day, NULL for a datetime-local). Returns whether it was read; an
 * unreadable value gets its error (an empty one is left to the rules). */
static bool read_instant(struct form *f, const char *name, const char *day_time, int64_t *ms)
{
	const char *t = form_text(f, name, INSTANT_MAX_CHARS, false);
	if (!*t)
		return false;
	enum paris_time_parse r = f->req->is_api ? paris_time_parse_rfc3339(t, ms)
				  : day_time
					  ? (gpi_is_day(t) ? paris_time_parse_local(t, day_time, ms)
							   : PARIS_TIME_INVALID)
					  : paris_time_parse_datetime_local(t, ms);
	if (r == PARIS_TIME_OK)
		return true;
	form_error(f, name,
		   f->req->is_api ? "Indiquez un instant au format RFC 3339, par exemple "
				    "«\u202f2022-04-01T21:30:00Z\u202f»."
				  : paris_time_error_fr(r));
	return false;
}

/* Returns the form's ceremony_time, "HH:MM" or "HH:MM:SS" (what <input
 * type="time"> sends), or "00:00:00" after recording its error. The
 * ceremony's first day alone would not do: the laureates are published at
 * its start (gpi/results_rules.h), which must be the ceremony's hour, not
 * the midnight before it. Allocates nothing. */
static const char *ceremony_time(struct form *f)
{
	const char *t = form_text(f, "ceremony_time", 8, false);
	size_t n = strlen(t);
	bool shaped = (n == 5 || (n == 8 && t[5] == ':' && strspn(t + 6, "0123456789") == 2)) &&
		      strspn(t, "0123456789") == 2 && t[2] == ':' &&
		      strspn(t + 3, "0123456789") == 2;
	if (shaped && atoi(t) < 24 && atoi(t + 3) < 60 && (n == 5 || atoi(t + 6) < 60))
		return t;
	form_error(f, "ceremony_time",
		   *t ? "Indiquez l’heure au format hh:mm, par exemple 18:00."
		      : "Indiquez l’heure de début de la cérémonie\u202f: le palmarès est publié à "
			"cet instant, pas avant.");
	return "00:00:00";
}

static void read_phases(struct form *f, struct gpi_edition_input *in)
{
	struct arena *a = f->req->arena;
	for (int p = 0; p < GPI_PHASE_COUNT; p++) {
		const char *key = gpi_phase_key(p);
		const char *first = p == GPI_PHASE_CEREMONY && !f->req->is_api ? ceremony_time(f)
									       : "00:00:00";
		bool start = read_instant(f, arena_printf(a, "%s_start", key), first,
					  &in->phase_start[p]);
		bool end = read_instant(f, arena_printf(a, "%s_end", key), "23:59:59",
					&in->phase_end[p]);
		in->phase_set[p] = start && end;
	}
}

/* Reads the limits: bytes from the API, Mo typed in a form (whose
 * inputs dossier_max_mo and video_max_mo carry the ids the errors name). */
static void read_limits(struct form *f, struct gpi_edition_input *in)
{
	const char *not_number = "Indiquez un nombre entier, en chiffres.";
	bool api = f->req->json != NULL;
	int64_t dossier = read_number(f, api ? "dossier_max_bytes" : "dossier_max_mo", not_number);
	int64_t video = read_number(f, api ? "video_max_bytes" : "video_max_mo", not_number);
	in->limits[GPI_LIMIT_DOSSIER_BYTES] = api || dossier < 0 ? dossier : dossier * MIB;
	in->limits[GPI_LIMIT_VIDEO_BYTES] = api || video < 0 ? video : video * MIB;
	in->limits[GPI_LIMIT_VIDEO_SECONDS] = read_number(f, "video_max_seconds", not_number);
	in->gold_endowment_eur = read_number(f, "gold_endowment_eur",
					     "Indiquez la dotation en euros entiers, en chiffres.");
}

/* Reads the category slots category_<n>_{code,name,description}; a slot
 * left wholly empty is no category. */
static void read_categories(struct form *f, struct gpi_edition_input *in)
{
	struct arena *a = f->req->arena;
	for (int n = 1; n <= GPI_CATEGORIES_MAX + 1; n++) {
		const char *code = form_text(f, arena_printf(a, "category_%d_code", n),
					     GPI_CODE_MAX_CHARS, false);
		const char *name = form_text(f, arena_printf(a, "category_%d_name", n),
					     GPI_NAME_MAX_CHARS, false);
		const char *description = form_paragraphs(
			f, arena_printf(a, "category_%d_description", n), GPI_DESCRIPTION_MAX_CHARS,
			false);
		if (!*code && !*name && !*description)
			continue;
		if (in->n_categories == GPI_CATEGORIES_MAX) {
			form_error(f, "categories", "Une édition a douze catégories au plus.");
			return;
		}
		in->categories[in->n_categories++] = (struct gpi_category){code, name, description};
	}
}

/* Reads the criterion slots criterion_<n>_{code,label,weight}. */
static void read_criteria(struct form *f, struct gpi_edition_input *in)
{
	struct arena *a = f->req->arena;
	for (int n = 1; n <= GPI_CRITERIA_MAX + 1; n++) {
		const char *code = form_text(f, arena_printf(a, "criterion_%d_code", n),
					     GPI_CODE_MAX_CHARS, false);
		const char *label = form_paragraphs(f, arena_printf(a, "criterion_%d_label", n),
						    GPI_DESCRIPTION_MAX_CHARS, false);
		int64_t weight = read_number(f, arena_printf(a, "criterion_%d_weight", n),
					     "Le poids d’un critère est un nombre entier.");
		if (!*code && !*label)
			continue;
		if (in->n_criteria == GPI_CRITERIA_MAX) {
			form_error(f, "criteria", "Une grille a douze critères au plus.");
			return;
		}
		in->criteria[in->n_criteria++] = (struct gpi_criterion){code, label,
									weight < 0 ? 1
									: weight > GPI_WEIGHT_MAX
										? 0
										: (int)weight};
	}
}

static void year_taken(struct form *f, int year)
{
	form_error(f, "year",
		   arena_printf(f->req->arena,
				"L’édition %d existe déjà\u202f: modifiez-la plutôt.", year));
}

/* Reads the submitted edition into ef (form begun here; form_end it) and
 * records every error. current is the edition being edited (its year is
 * the URL's), or NULL for a new one. */
static void read_edition(struct request *req, struct edition_form *ef, const json_t *current)
{
	struct form *f = &ef->f;
	struct gpi_edition_input *in = &ef->in;
	memset(ef, 0, sizeof(*ef));
	form_begin(f, req);
	if (req->json)
		flatten_api(f);
	int64_t year = current ? gpi_edition_year(current)
			       : read_number(f, "year",
					     "Indiquez l’année en chiffres, par exemple 2022.");
	in->year = year < 0 || year > GPI_YEAR_MAX ? 0 : (int)year;
	in->title = form_text(f, "title", GPI_TITLE_MAX_CHARS, false);
	in->launch_set = read_instant(f, "launch_at", NULL, &in->launch_at);
	in->deadline_set = read_instant(f, "deadline_at", NULL, &in->deadline_at);
	in->window_start = form_text(f, "window_start", 10, false);
	in->window_end = form_text(f, "window_end", 10, false);
	read_phases(f, in);
	read_limits(f, in);
	in->contact_name = form_text(f, "contact_name", GPI_CONTACT_NAME_MAX_CHARS, false);
	in->contact_email = form_text(f, "contact_email", 254, false);
	read_categories(f, in);
	read_criteria(f, in);
	in->rules = form_paragraphs(f, "rules", GPI_RULES_MAX_CHARS, false);
	ef->rev = read_number(f, "rev", "La révision est un nombre.");
	struct field_error errors[GPI_EDITION_MAX_ERRORS];
	size_t n = gpi_edition_check(in, errors);
	for (size_t i = 0; i < n; i++)
		form_error(f, errors[i].field, errors[i].message);
	/* Said with the other errors; the insert's unique _id still decides. */
	bson_error_t error;
	if (!current && in->year && gpi_edition_get(req->db, in->year, &error))
		year_taken(f, in->year);
}

/* Returns the form's slots of prefix ("category", "criterion") from the
 * typed values, or from the edition's list key when values hold it,
 * plus spare empty ones. New reference. */
static json_t *slots(struct arena *a, const json_t *values, const char *key, const char *prefix,
		     const char *const *fields, size_t max)
{
	json_t *out = json_array(), *item;
	size_t i;
	json_array_foreach(json_object_get(values, key), i, item)
		json_array_append(out, item);
	for (size_t n = 1; n <= max + 1 && !json_object_get(values, key); n++) {
		json_t *slot = json_object();
		bool typed = false;
		for (const char *const *f = fields; *f; f++) {
			const char *v = json_str(values,
						 arena_printf(a, "%s_%zu_%s", prefix, n, *f));
			typed |= *v != '\0';
			json_object_set_new(slot, *f, json_string(v));
		}
		if (typed)
			json_array_append(out, slot);
		json_decref(slot);
	}
	for (int spare = 0; spare < SPARE_SLOTS && json_array_size(out) < max; spare++) {
		json_t *slot = json_object();
		for (const char *const *f = fields; *f; f++)
			json_object_set_new(slot, *f, json_string(""));
		json_array_append_new(out, slot);
	}
	json_array_foreach(out, i, item) {
		json_t *copy = json_deep_copy(item);
		json_object_set_new(copy, "n", json_integer((json_int_t)i + 1));
		json_array_set_new(out, i, copy);
	}
	return out;
}

/* Returns the Paris local "YYYY-MM-DDTHH:MM:SS" of ms, what a
 * datetime-local input shows, in the arena. */
static const char *local_input(struct arena *a, int64_t ms)
{
	struct paris_time_fields t = paris_time_split(ms);
	return arena_printf(a, "%04d-%02d-%02dT%02d:%02d:%02d", t.year, t.month, t.day, t.hour,
			    t.minute, t.second);
}

/* Returns an edition's fields as its form shows them, a copy that arena
 * a owns (never decref'd). */
static json_t *edition_values(struct arena *a, const json_t *e)
{
	json_t *v = arena_json(a, json_deep_copy(e));
	json_object_set_new(
		v, "launch_at",
		json_string(local_input(a, json_integer_value(json_object_get(e, "launch_at")))));
	json_object_set_new(v, "deadline_at",
			    json_string(local_input(a, gpi_edition_deadline_ms(e))));
	for (int p = 0; p < GPI_PHASE_COUNT; p++) {
		int64_t start, end;
		if (gpi_edition_phase(e, p, &start, &end))
			continue;
		/* A date input takes the day alone. */
		json_object_set_new(v, arena_printf(a, "%s_start", gpi_phase_key(p)),
				    json_string(arena_printf(a, "%.10s", local_input(a, start))));
		json_object_set_new(v, arena_printf(a, "%s_end", gpi_phase_key(p)),
				    json_string(arena_printf(a, "%.10s", local_input(a, end))));
		/* and a time input the ceremony's hour ("HH:MM" of "…THH:MM:SS"). */
		if (p == GPI_PHASE_CEREMONY)
			json_object_set_new(
				v, "ceremony_time",
				json_string(arena_printf(a, "%.5s", local_input(a, start) + 11)));
	}
	json_object_set_new(
		v, "dossier_max_mo",
		json_sprintf("%lld",
			     (long long)(gpi_edition_limit(e, GPI_LIMIT_DOSSIER_BYTES) / MIB)));
	json_object_set_new(
		v, "video_max_mo",
		json_sprintf("%lld",
			     (long long)(gpi_edition_limit(e, GPI_LIMIT_VIDEO_BYTES) / MIB)));
	json_object_set_new(
		v, "video_max_seconds",
		json_sprintf("%lld", (long long)gpi_edition_limit(e, GPI_LIMIT_VIDEO_SECONDS)));
	json_object_set_new(v, "gold_endowment_eur",
			    json_sprintf("%lld", (long long)json_integer_value(json_object_get(
							 e, "gold_endowment_eur"))));
	const json_t *contact = json_object_get(e, "contact");
	json_object_set_new(v, "contact_name", json_string(json_str(contact, "name")));
	json_object_set_new(v, "contact_email", json_string(json_str(contact, "email")));
	json_object_set_new(
		v, "rev",
		json_sprintf("%lld", (long long)json_integer_value(json_object_get(e, "rev"))));
	return v;
}

/* Returns views/gpi/edition_form's data: a new reference, which
 * page_reply takes. current: the edition being edited, or NULL. */
static json_t *form_data(struct request *req, const json_t *values, const json_t *current)
{
	int year = current ? gpi_edition_year(current) : 0;
	const char *heading = current ? arena_printf(req->arena, "Modifier l’édition %d", year)
				      : "Nouvelle édition du Grand Prix";
	return json_pack("{s:O, s:o, s:o, s:s, s:s, s:s, s:b}", "values", values, "categories",
			 slots(req->arena, values, "categories", "category", CATEGORY_FIELDS,
			       GPI_CATEGORIES_MAX),
			 "criteria",
			 slots(req->arena, values, "criteria", "criterion", CRITERION_FIELDS,
			       GPI_CRITERIA_MAX),
			 "action",
			 current ? arena_printf(req->arena, "/grand-prix/%d/modifier", year)
				 : "/grand-prix/nouvelle",
			 "cancel",
			 current ? arena_printf(req->arena, "/grand-prix/%d", year) : "/grand-prix",
			 "heading", heading, "editing", current != NULL);
}

static void reply_invalid(struct request *req, struct edition_form *ef, const json_t *current)
{
	json_t *data = form_data(req, ef->f.values, current);
	form_reply_invalid(&ef->f, "gpi/edition_form", json_str(data, "heading"), "gpi", data);
	json_decref(data); /* form_reply_invalid borrows it */
}

/* Replies after a save of year: the edition's JSON with status, or a
 * redirect to its page. */
static void saved(struct request *req, int year, int status)
{
	bson_error_t error;
	const json_t *e = gpi_edition_get(req->db, year, &error);
	if (!e) {
		db_fail(req, "reading an edition just saved", &error);
	} else if (req->is_api) {
		reply_json(req, status, arena_json(req->arena, gpi_edition_api(e, clock_now_ms())));
	} else {
		reply_redirect(req, arena_printf(req->arena, "/grand-prix/%d", year));
	}
}

void gpi_edition_new(struct request *req)
{
	json_t *values = arena_json(req->arena,
				    json_pack("{s:s, s:s, s:s, s:s}", "dossier_max_mo", "5",
					      "video_max_mo", "500", "video_max_seconds", "180",
					      "gold_endowment_eur", "5000"));
	json_t *data = form_data(req, values, NULL);
	page_reply(req, 200, "gpi/edition_form", json_str(data, "heading"), "gpi", data);
}

void gpi_edition_add(struct request *req)
{
	struct edition_form ef;
	read_edition(req, &ef, NULL);
	bson_error_t error;
	struct audit_actor by = audit_actor_of(req, NULL);
	if (!form_valid(&ef.f)) {
		reply_invalid(req, &ef, NULL);
	} else if (gpi_edition_create(req->db, &by, &ef.in, &error) == 0) {
		saved(req, ef.in.year, 201);
	} else if (error.code == 11000) {
		year_taken(&ef.f, ef.in.year);
		reply_invalid(req, &ef, NULL);
	} else {
		db_fail(req, "creating a Grand Prix edition", &error);
	}
	form_end(&ef.f);
}

void gpi_edition_edit(struct request *req)
{
	const json_t *e = gpi_edition_of_route_or_reply(req);
	if (!e)
		return;
	json_t *data = form_data(req, edition_values(req->arena, e), e);
	page_reply(req, 200, "gpi/edition_form", json_str(data, "heading"), "gpi", data);
}

/* Returns true when in keeps a category of code. */
static bool keeps_category(const struct gpi_edition_input *in, const char *code)
{
	for (size_t i = 0; i < in->n_categories; i++)
		if (strcmp(in->categories[i].code, code) == 0)
			return true;
	return false;
}

/* Records beside the categories an error for each category of current
 * that ef's edition drops or recodes while candidatures are filed in it
 * (they would be left in a category the edition no longer has); its name
 * and description may change. Counts from the in-process index. Returns
 * 0, or -1 with error set when the index cannot be read. */
static int keep_filed_categories(struct request *req, struct edition_form *ef,
				 const json_t *current, bson_error_t *error)
{
	int year = gpi_edition_year(current);
	const json_t *c;
	size_t i;
	json_array_foreach(json_object_get(current, "categories"), i, c) {
		const char *code = json_str(c, "code");
		if (keeps_category(&ef->in, code))
			continue;
		json_t *filed = gpi_index_rows(req->db, year, code, NULL, error);
		if (!filed)
			return -1;
		if (json_array_size(filed))
			form_error(&ef->f, "categories",
				   arena_printf(req->arena,
						"La catégorie «\u202f%s\u202f» a des candidatures\u202f: "
						"elle ne peut être ni supprimée ni recodée.",
						json_str(c, "name")));
		json_decref(filed);
	}
	return 0;
}

void gpi_edition_save(struct request *req)
{
	const json_t *e = gpi_edition_of_route_or_reply(req);
	if (!e)
		return;
	struct edition_form ef;
	read_edition(req, &ef, e);
	bson_error_t error;
	int64_t rev = ef.rev > 0 ? ef.rev : json_integer_value(json_object_get(e, "rev"));
	if (keep_filed_categories(req, &ef, e, &error))
		db_fail(req, "reading the candidatures' index", &error);
	else if (!form_valid(&ef.f))
		reply_invalid(req, &ef, e);
	else if (gpi_edition_update(req, e, rev, &ef.in, &error))
		db_fail(req, "saving a Grand Prix edition", &error);
	else
		saved(req, ef.in.year, 200);
	form_end(&ef.f);
}
