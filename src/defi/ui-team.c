/* A team's own pages and API: creation, its page (full for its people and
 * coordinators, name, organisation and status for anyone else), editing
 * its texts. form.h reads forms and JSON with the same rules. */
#include <string.h>

#include "accounts/organisation.h"
#include "accounts/user.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/clock.h"
#include "db/db.h"
#include "db/doc.h"
#include "defi/edition.h"
#include "defi/edition_view.h"
#include "defi/team_access.h"
#include "defi/team_store.h"
#include "defi/team_view.h"
#include "defi/ui.h"
#include "http/form.h"
#include "http/reply.h"
#include "web/db_reply.h"
#include "web/page.h"
#include "web/error_reply.h"
#include "web/form_reply.h"

/* The texts of a team as read from a form or a JSON body. */
struct team_form {
	struct form f;
	struct defi_team_input in;
	json_t *answers; /* [{code, text}], the request's arena's */
};

/* Copies the API's "answers" ([{code, text}]) into the body as
 * "answer-<code>" fields of the edition's questions, so that one reader
 * checks answers from forms and JSON alike; anything else is refused
 * next to "answers". */
static void answers_from_json(struct form *f, const json_t *edition)
{
	json_t *body = f->req->json, *a;
	json_t *list = json_object_get(body, "answers");
	size_t i;
	if (!list)
		return;
	if (!json_is_array(list)) {
		form_error(f, "answers",
			   "Les réponses doivent être une liste de "
			   "{\"code\", \"text\"}.");
		return;
	}
	json_array_foreach(list, i, a) {
		const char *code = json_string_value(json_object_get(a, "code"));
		json_t *q, *text = json_object_get(a, "text");
		size_t j;
		bool known = false;
		json_array_foreach(json_object_get(edition, "questions"), j, q)
			known = known || (code && strcmp(json_str(q, "code"), code) == 0);
		if (!known) {
			form_error(f, "answers",
				   "Une réponse ne correspond à aucune question "
				   "de l’édition.");
			continue;
		}
		json_object_set(body, arena_printf(f->req->arena, "answer-%s", code), text);
	}
}

/* Reads a team's texts into tf (form begun here; form_end). The name
 * is needed from the start; the rest is checked at submission, since a
 * draft may wait for its pitch. */
static void form_read(struct request *req, struct team_form *tf, const json_t *edition)
{
	struct form *f = &tf->f;
	form_begin(f, req);
	tf->in.name = form_text(f, "name", DEFI_NAME_MAX_CHARS, true);
	tf->in.pitch = form_paragraphs(f, "pitch", DEFI_TEXT_MAX_CHARS, false);
	tf->in.theme_fit = form_paragraphs(f, "theme_fit", DEFI_TEXT_MAX_CHARS, false);
	if (req->json)
		answers_from_json(f, edition);
	tf->answers = arena_json(req->arena, json_array());
	json_t *q;
	size_t i;
	json_array_foreach(json_object_get(edition, "questions"), i, q) {
		const char *code = json_str(q, "code");
		const char *text = form_paragraphs(f, arena_printf(req->arena, "answer-%s", code),
						   DEFI_TEXT_MAX_CHARS, false);
		json_array_append_new(tf->answers,
				      json_pack("{s:s, s:s}", "code", code, "text", text));
	}
	tf->in.answers = tf->answers;
}

/* Returns the data of views/defi/team_form.mustache, the answers' errors
 * (errors may be NULL) beside their questions. The request's arena owns
 * it: the caller never decrefs it. */
static json_t *form_data(struct request *req, const json_t *edition, const json_t *values,
			 const json_t *errors, const char *action, const char *heading,
			 const char *cancel)
{
	json_t *view = defi_edition_view(req->arena, edition, clock_now_ms());
	json_t *questions = json_array(), *q;
	size_t i;
	json_array_foreach(json_object_get(edition, "questions"), i, q) {
		const char *field = arena_printf(req->arena, "answer-%s", json_str(q, "code"));
		json_array_append_new(questions,
				      json_pack("{s:s, s:s, s:b, s:s, s:s*}", "field", field,
						"label", json_str(q, "label"), "required",
						json_is_true(json_object_get(q, "required")),
						"value", json_str(values, field), "error",
						json_string_value(json_object_get(errors, field))));
	}
	return arena_json(req->arena, json_pack("{s:o, s:O, s:o, s:s, s:s, s:s}", "edition", view,
						"values", values, "questions", questions, "action",
						action, "heading", heading, "cancel", cancel));
}

/* Replies 422 with tf's errors: JSON, or the form again as typed. */
static void form_invalid(struct request *req, struct team_form *tf, const json_t *edition,
			 const char *action, const char *heading, const char *cancel)
{
	form_reply_invalid(
		&tf->f, "defi/team_form", heading, "defi",
		form_data(req, edition, tf->f.values, tf->f.errors, action, heading, cancel));
}

/* Returns true when a team may be created in edition e now; else replies
 * 422 "closed" (coordinators may, to fix an edition). */
static bool creation_open(struct request *req, const json_t *e)
{
	int64_t now = clock_now_ms();
	if (defi_edition_is_open(e, now) || user_has_role(req->user, ROLE_COORDINATOR))
		return true;
	json_t *view = arena_json(req->arena, defi_edition_view(req->arena, e, now));
	char message[DEFI_ERROR_CHARS];
	defi_closed_message(json_integer_value(json_object_get(e, "signup_opens_at")) > now
				    ? DEFI_BEFORE_OPENING
				    : DEFI_AFTER_CLOSE,
			    json_str(view, "opens_fr"), json_str(view, "closes_fr"), message,
			    sizeof(message));
	reply_error(req, 422, "closed", message,
		    arena_json(req->arena, json_pack("{s:s}", "window", message)));
	return false;
}

static const char *new_team_url(struct request *req, const json_t *e)
{
	return arena_printf(req->arena, "/defi/%d/equipes/nouvelle",
			    (int)json_integer_value(json_object_get(e, "year")));
}

void defi_team_new(struct request *req)
{
	const json_t *e = defi_edition_of_route_or_reply(req);
	if (!e || !creation_open(req, e))
		return;
	int year = (int)json_integer_value(json_object_get(e, "year"));
	/* Someone in a team already is shown their team rather than a form
	 * that could only be refused. */
	bson_error_t error = {0};
	const char *seated = defi_seat_team(req->db, year, req->user->id, &error);
	if (seated) {
		reply_redirect(req, defi_team_url(req, year, seated));
		return;
	}
	if (error.code) {
		db_fail(req, "reading a Défi seat", &error);
		return;
	}
	json_t *values = arena_json(req->arena, json_object());
	json_t *data = form_data(req, e, values, NULL, new_team_url(req, e), "Créer une équipe",
				 arena_printf(req->arena, "/defi/%d", year));
	page_reply(req, 200, "defi/team_form", "Créer une équipe", "defi", data);
}

/* Replies 409 to a person who is in a team of the edition already. */
static void reply_seated(struct request *req, int year)
{
	reply_error(
		req, 409, "conflict",
		arena_printf(
			req->arena,
			"Vous faites déjà partie "
			"d’une équipe pour le Défi %d\u202f: on ne peut être que dans une équipe par "
			"édition. Retrouvez-la dans «\u202fMon Défi\u202f».",
			year),
		NULL);
}

/* Replies after team id's creation: 201 with its JSON, or its page. */
static void created_reply(struct request *req, int year, const char *id)
{
	if (!req->is_api) {
		reply_redirect(req, arena_printf(req->arena, "%s?info=creee",
						 defi_team_url(req, year, id)));
		return;
	}
	bson_error_t error = {0};
	json_t *team = arena_json(req->arena, defi_team_load(req->db, id, &error));
	json_t *body = team ? defi_team_api(req, team, true, &error) : NULL;
	if (body)
		reply_json(req, 201, body);
	else
		db_fail(req, "reading a Défi team just created", &error);
}

void defi_team_create(struct request *req)
{
	const json_t *e = defi_edition_of_route_or_reply(req);
	if (!e || !creation_open(req, e))
		return;
	int year = (int)json_integer_value(json_object_get(e, "year"));
	struct team_form tf;
	form_read(req, &tf, e);
	bson_error_t error = {0};
	const char *id = NULL;
	if (!form_valid(&tf.f))
		form_invalid(req, &tf, e, new_team_url(req, e), "Créer une équipe",
			     arena_printf(req->arena, "/defi/%d", year));
	else if ((id = defi_team_insert(req->db, req->user, year, &tf.in, false, &error)))
		created_reply(req, year, id);
	else if (error.domain == DEFI_ERROR_DOMAIN && error.code == DEFI_ERROR_SEATED)
		reply_seated(req, year);
	else
		db_fail(req, "creating a Défi team", &error);
	form_end(&tf.f);
}

void defi_team_page(struct request *req)
{
	struct defi_team_ctx t;
	if (!defi_team_open(req, &t))
		return;
	bool full = t.captain || t.member || t.invited || t.coordinator;
	if (req->is_api) {
		bson_error_t error = {0};
		json_t *body = defi_team_api(req, t.team, full, &error);
		if (body)
			reply_json(req, 200, body);
		else
			db_fail(req, "reading the people of a Défi team", &error);
	} else {
		json_t *data = defi_team_page_data_or_reply(req, &t);
		if (data)
			page_reply(req, 200, "defi/team", json_str(t.team, "name"), "defi", data);
	}
}

/* Returns true when the visitor may edit t's texts now; else replies. */
static bool may_edit(struct request *req, const struct defi_team_ctx *t)
{
	return defi_team_require_captain_or_reply(req, t) &&
	       defi_team_require_changeable_or_reply(req, t);
}

static const char *edit_url(struct request *req, const struct defi_team_ctx *t)
{
	return arena_printf(req->arena, "%s/modifier", defi_team_url(req, t->year, t->id));
}

void defi_team_edit(struct request *req)
{
	struct defi_team_ctx t;
	if (!defi_team_open(req, &t))
		return;
	if (may_edit(req, &t)) {
		json_t *values = arena_json(
			req->arena, json_pack("{s:s, s:s, s:s}", "name", json_str(t.team, "name"),
					      "pitch", json_str(t.team, "pitch"), "theme_fit",
					      json_str(t.team, "theme_fit")));
		json_t *a;
		size_t i;
		json_array_foreach(json_object_get(t.team, "answers"), i, a)
			json_object_set_new(
				values, arena_printf(req->arena, "answer-%s", json_str(a, "code")),
				json_string(json_str(a, "text")));
		json_t *data = form_data(req, t.edition, values, NULL, edit_url(req, &t),
					 "Modifier l’équipe", defi_team_url(req, t.year, t.id));
		page_reply(req, 200, "defi/team_form", "Modifier l’équipe", "defi", data);
	}
}

/* Puts the texts of the input ctx into the team. */
static int set_texts(json_t *team, void *ctx)
{
	const struct defi_team_input *in = ctx;
	json_object_set_new(team, "name", json_string(in->name));
	json_object_set_new(team, "pitch", json_string(in->pitch));
	json_object_set_new(team, "theme_fit", json_string(in->theme_fit));
	json_object_set(team, "answers", (json_t *)in->answers);
	return 0;
}

void defi_team_update(struct request *req)
{
	struct defi_team_ctx t;
	if (!defi_team_open(req, &t))
		return;
	if (may_edit(req, &t)) {
		struct team_form tf;
		form_read(req, &tf, t.edition);
		bson_error_t error = {0};
		json_t *saved = NULL;
		if (!form_valid(&tf.f)) {
			form_invalid(req, &tf, t.edition, edit_url(req, &t), "Modifier l’équipe",
				     defi_team_url(req, t.year, t.id));
		} else if (defi_team_write(req->db, t.id, set_texts, &tf.in, &saved, &error)) {
			db_fail(req, "saving a Défi team", &error);
		} else {
			defi_team_replace(req, &t, saved);
			defi_team_audit_fix(req, &t, "defi.team.edit", NULL);
			defi_team_done(req, &t, 200, "modifiee");
		}
		form_end(&tf.f);
	}
}
