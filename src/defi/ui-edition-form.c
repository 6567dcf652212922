/* Coordinators create and edit editions: the forms under /defi and the
 * API's POST and PUT, with one reader (form.h reads urlencoded and JSON
 * bodies alike) and one set of rules (defi/edition_rules.h). A form's
 * instants are Paris local time (<input type="datetime-local">); the
 * API's are RFC 3339. */
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/clock.h"
#include "core/paris_time.h"
#include "db/db.h"
#include "db/doc.h"
#include "defi/edition.h"
#include "defi/edition_rules.h"
#include "defi/edition_view.h"
#include "defi/ui.h"
#include "http/form.h"
#include "http/reply.h"
#include "web/db_reply.h"
#include "web/page.h"
#include "web/db_reply.h"
#include "web/form_reply.h"

/* Empty question slots a form offers beyond the edition's questions. */
enum { SPARE_QUESTIONS = 2, INT_FIELD_MAX_CHARS = 6, INSTANT_MAX_CHARS = 40 };

struct edition_form {
	struct form f;
	struct defi_edition_input in;
	int64_t rev; /* the revision the editor read (0: not said, take the current) */
};

/* Reads integer field name: a JSON number, or digits typed in a form.
 * Returns def when it is absent or empty; records message otherwise. */
static int read_int(struct form *f, const char *name, int def, const char *message)
{
	const json_t *v = f->req->json ? json_object_get(f->req->json, name) : NULL;
	if (f->req->json) {
		if (!v || json_is_null(v))
			return def;
		if (json_is_integer(v) && json_integer_value(v) >= 0 &&
		    json_integer_value(v) <= 100000)
			return (int)json_integer_value(v);
		form_error(f, name, message);
		return def;
	}
	const char *t = form_text(f, name, INT_FIELD_MAX_CHARS, false);
	if (!*t)
		return def;
	if (strspn(t, "0123456789") != strlen(t)) {
		form_error(f, name, message);
		return def;
	}
	return atoi(t);
}

/* Reads instant field name into *ms: RFC 3339 from the API, Paris local
 * time from a form. Returns whether it was read; an unreadable value gets
 * its error (an empty one is left to the rules). */
static bool read_instant(struct form *f, const char *name, int64_t *ms)
{
	const char *t = form_text(f, name, INSTANT_MAX_CHARS, false);
	if (!*t)
		return false;
	enum paris_time_parse r = f->req->is_api ? paris_time_parse_rfc3339(t, ms)
						 : paris_time_parse_datetime_local(t, ms);
	if (r == PARIS_TIME_OK)
		return true;
	form_error(
		f, name,
		f->req->is_api
			? "Indiquez un instant au format RFC 3339, par exemple «\u202f2023-04-17T21:59:59Z\u202f»."
			: paris_time_error_fr(r));
	return false;
}

/* The API's questions: [{code?, label, required?}]. */
static void read_json_questions(struct form *f, struct defi_edition_input *in)
{
	const json_t *qs = json_object_get(f->req->json, "questions"), *q;
	size_t i;
	if (qs && !json_is_null(qs) && !json_is_array(qs)) {
		form_error(f, "questions",
			   "Les questions sont une liste d’objets "
			   "{label, required}.");
		return;
	}
	json_array_foreach(qs, i, q) {
		const json_t *label = json_object_get(q, "label");
		const json_t *required = json_object_get(q, "required");
		if (!json_is_string(label) || (required && !json_is_boolean(required))) {
			form_error(f, "questions",
				   "Chaque question a un libellé (label) et, si "
				   "besoin, required : true.");
			return;
		}
		if (in->n_questions == DEFI_QUESTIONS_MAX) {
			form_error(f, "questions", "Huit questions au plus.");
			return;
		}
		if (!*json_string_value(label))
			continue;
		in->questions[in->n_questions++] = (struct defi_question){
			arena_strdup(f->req->arena, json_str(q, "code")),
			arena_strdup(f->req->arena, json_string_value(label)),
			json_is_true(required)};
	}
}

/* The form's questions: slots question_<n>_label, _required, _code. */
static void read_form_questions(struct form *f, struct defi_edition_input *in)
{
	struct arena *a = f->req->arena;
	for (int n = 1; n <= DEFI_QUESTIONS_MAX; n++) {
		const char *label = form_text(f, arena_printf(a, "question_%d_label", n),
					      DEFI_QUESTION_MAX_CHARS, false);
		const char *req = form_text(f, arena_printf(a, "question_%d_required", n), 4,
					    false);
		const char *code = form_text(f, arena_printf(a, "question_%d_code", n),
					     DEFI_CODE_MAX_CHARS, false);
		if (*label)
			in->questions[in->n_questions++] = (struct defi_question){
				*code ? code : NULL, label, *req != '\0'};
	}
}

/* Keeps of the typed codes only those edition current gave: a new code
 * is always the server's (defi_questions_number). */
static void keep_known_codes(struct defi_edition_input *in, const json_t *current)
{
	for (size_t i = 0; i < in->n_questions; i++) {
		bool known = false;
		const json_t *q;
		size_t j;
		json_array_foreach(json_object_get(current, "questions"), j, q)
			known |= in->questions[i].code &&
				 strcmp(json_str(q, "code"), in->questions[i].code) == 0;
		if (!known)
			in->questions[i].code = NULL;
	}
}

static void year_taken(struct form *f, int year)
{
	form_error(f, "year",
		   arena_printf(f->req->arena,
				"L’édition %d existe déjà\u202f: "
				"modifiez-la plutôt.",
				year));
}

/* Reads the submitted edition into ef (form begun here; form_end it) and
 * records every error. current is the edition being edited (its year is
 * the URL's), or NULL for a new one. */
static void read_edition(struct request *req, struct edition_form *ef, const json_t *current)
{
	struct form *f = &ef->f;
	struct defi_edition_input *in = &ef->in;
	memset(ef, 0, sizeof(*ef));
	form_begin(f, req);
	in->year = current ? (int)json_integer_value(json_object_get(current, "year"))
			   : read_int(f, "year", 0,
				      "Indiquez l’année en chiffres, par exemple 2024.");
	in->title = form_text(f, "title", DEFI_TITLE_MAX_CHARS, false);
	in->theme = form_text(f, "theme", DEFI_THEME_MAX_CHARS, false);
	in->description = form_paragraphs(f, "description", DEFI_DESCRIPTION_MAX_CHARS, false);
	in->event_start = form_text(f, "event_start", 10, false);
	in->event_end = form_text(f, "event_end", 10, false);
	in->location = form_text(f, "location", DEFI_LOCATION_MAX_CHARS, false);
	in->opens_set = read_instant(f, "signup_opens_at", &in->opens_at);
	in->closes_set = read_instant(f, "signup_closes_at", &in->closes_at);
	const char *size_msg = "Indiquez un nombre de personnes, en chiffres.";
	in->min_team = read_int(f, "min_team_size", DEFI_DEFAULT_MIN_TEAM, size_msg);
	in->max_team = read_int(f, "max_team_size", 0, size_msg);
	if (req->json)
		read_json_questions(f, in);
	else
		read_form_questions(f, in);
	keep_known_codes(in, current);
	defi_questions_number(req->arena, in);
	ef->rev = read_int(f, "rev", 0, "La révision est un nombre.");
	struct field_error errors[DEFI_EDITION_MAX_ERRORS];
	size_t n = defi_edition_check(in, errors);
	for (size_t i = 0; i < n; i++)
		form_error(f, errors[i].field, errors[i].message);
	/* Said with the other errors; the insert's unique _id still decides. */
	bson_error_t error;
	if (!current && in->year && defi_edition_get(req->db, in->year, &error))
		year_taken(f, in->year);
}

/* Returns the form's question slots from values' questions (the
 * edition's array, or typed slots), plus spare empty ones. New reference. */
static json_t *question_slots(struct arena *a, const json_t *values)
{
	json_t *slots = json_array(), *q;
	size_t i;
	json_array_foreach(json_object_get(values, "questions"), i, q)
		json_array_append_new(slots,
				      json_pack("{s:s, s:s, s:b}", "code", json_str(q, "code"),
						"label", json_str(q, "label"), "required",
						json_is_true(json_object_get(q, "required"))));
	for (int n = 1; n <= DEFI_QUESTIONS_MAX && !json_object_get(values, "questions"); n++) {
		const char *label = json_str(values, arena_printf(a, "question_%d_label", n));
		if (*label)
			json_array_append_new(
				slots,
				json_pack("{s:s, s:s, s:b}", "code",
					  json_str(values, arena_printf(a, "question_%d_code", n)),
					  "label", label, "required",
					  *json_str(values, arena_printf(a, "question_%d_required",
									 n)) != '\0'));
	}
	for (int spare = 0; spare < SPARE_QUESTIONS && json_array_size(slots) < DEFI_QUESTIONS_MAX;
	     spare++)
		json_array_append_new(slots, json_pack("{s:s, s:s, s:b}", "code", "", "label", "",
						       "required", false));
	json_array_foreach(slots, i, q)
		json_object_set_new(q, "n", json_integer((json_int_t)i + 1));
	return slots;
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
	json_object_set_new(v, "signup_opens_at",
			    json_string(local_input(
				    a, json_integer_value(json_object_get(e, "signup_opens_at")))));
	json_object_set_new(v, "signup_closes_at",
			    json_string(local_input(a, json_integer_value(json_object_get(
							       e, "signup_closes_at")))));
	int max = defi_edition_max(e);
	json_object_set_new(v, "min_team_size", json_sprintf("%d", defi_edition_min(e)));
	json_object_set_new(v, "max_team_size", max ? json_sprintf("%d", max) : json_string(""));
	json_object_set_new(
		v, "rev",
		json_sprintf("%lld", (long long)json_integer_value(json_object_get(e, "rev"))));
	return v;
}

/* Returns views/defi/edition_form's data, owned by the request's arena
 * (never decref'd). current: the edition being edited, or NULL. */
static json_t *form_data(struct request *req, const json_t *values, const json_t *current)
{
	int year = current ? (int)json_integer_value(json_object_get(current, "year")) : 0;
	const char *heading = current ? arena_printf(req->arena, "Modifier l’édition %d", year)
				      : "Nouvelle édition du Défi du Lab";
	return arena_json(req->arena,
			  json_pack("{s:O, s:o, s:s, s:s, s:s, s:b}", "values", values, "questions",
				    question_slots(req->arena, values), "action",
				    current ? arena_printf(req->arena, "/defi/%d/modifier", year)
					    : "/defi/nouvelle",
				    "cancel",
				    current ? arena_printf(req->arena, "/defi/%d", year) : "/defi",
				    "heading", heading, "editing", current != NULL));
}

static void reply_invalid(struct request *req, struct edition_form *ef, const json_t *current)
{
	json_t *data = form_data(req, ef->f.values, current);
	form_reply_invalid(&ef->f, "defi/edition_form", json_str(data, "heading"), "defi", data);
}

/* Replies after a save of year: the edition's JSON with status, or a
 * redirect to its page. */
static void saved(struct request *req, int year, int status)
{
	bson_error_t error;
	const json_t *e = defi_edition_get(req->db, year, &error);
	if (!e) {
		db_fail(req, "reading an edition just saved", &error);
	} else if (req->is_api) {
		reply_json(req, status,
			   arena_json(req->arena, defi_edition_api(e, clock_now_ms())));
	} else {
		reply_redirect(req, arena_printf(req->arena, "/defi/%d", year));
	}
}

void defi_edition_new(struct request *req)
{
	json_t *values = arena_json(req->arena, json_pack("{s:s}", "min_team_size", "6"));
	json_t *data = form_data(req, values, NULL);
	page_reply(req, 200, "defi/edition_form", json_str(data, "heading"), "defi", data);
}

void defi_edition_add(struct request *req)
{
	struct edition_form ef;
	read_edition(req, &ef, NULL);
	bson_error_t error;
	struct audit_actor by = audit_actor_of(req, NULL);
	if (!form_valid(&ef.f)) {
		reply_invalid(req, &ef, NULL);
	} else if (defi_edition_create(req->db, &by, &ef.in, &error) == 0) {
		saved(req, ef.in.year, 201);
	} else if (error.code == 11000) {
		year_taken(&ef.f, ef.in.year);
		reply_invalid(req, &ef, NULL);
	} else {
		db_fail(req, "creating a Défi edition", &error);
	}
	form_end(&ef.f);
}

void defi_edition_edit(struct request *req)
{
	const json_t *e = defi_edition_of_route_or_reply(req);
	if (!e)
		return;
	json_t *data = form_data(req, edition_values(req->arena, e), e);
	page_reply(req, 200, "defi/edition_form", json_str(data, "heading"), "defi", data);
}

void defi_edition_save(struct request *req)
{
	const json_t *e = defi_edition_of_route_or_reply(req);
	if (!e)
		return;
	struct edition_form ef;
	read_edition(req, &ef, e);
	bson_error_t error;
	int64_t rev = ef.rev ? ef.rev : json_integer_value(json_object_get(e, "rev"));
	if (!form_valid(&ef.f))
		reply_invalid(req, &ef, e);
	else if (defi_edition_update(req, e, rev, &ef.in, &error))
		db_fail(req, "saving a Défi edition", &error);
	else
		saved(req, ef.in.year, 200);
	form_end(&ef.f);
}
