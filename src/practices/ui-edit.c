/* Writing practices: the creation and edit forms and the workflow
 * (submit, publish, return with a comment, archive), for the pages and
 * for the API alike: form.h reads urlencoded and JSON bodies with the same
 * rules, practice_check applies the field rules, practice_for_or_reply the rights
 * and the statuses. */
#include <stdlib.h>
#include <string.h>

#include "accounts/organisation.h"
#include "accounts/organisation_picker.h"
#include "accounts/user.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/log.h"
#include "db/db.h"
#include "db/doc.h"
#include "files/upload_form.h"
#include "http/form.h"
#include "http/reply.h"
#include "practices/quota.h"
#include "practices/store.h"
#include "practices/themes.h"
#include "practices/toolbox.h"
#include "practices/ui.h"
#include "web/confirm.h"
#include "web/db_reply.h"
#include "web/error_reply.h"
#include "web/form_reply.h"
#include "web/page.h"

/* Longest code accepted in a list (organisations, branches, themes). */
enum { CODE_MAX_CHARS = 64 };

/* A submitted practice: its form and what was read from it. */
struct practice_form {
	struct form f;
	struct practice_input in;
	json_t *orgs, *branches, *themes; /* the lists as read (request's arena) */
	const struct upload *files;       /* the creation form's attached files */
};

/* The creation form's multipart body: its text fields (each long text at
 * most PRACTICE_LONG_TEXT_MAX_CHARS characters of up to 4 bytes, the choice lists
 * one part per value) and the attached files. */
enum {
	CREATE_FORM_FIELDS_MAX = 120,
	CREATE_FORM_VALUE_MAX = 4 * PRACTICE_LONG_TEXT_MAX_CHARS + 1024,
};

/* What practice_check's callbacks look codes up in. */
struct refs_ctx {
	const struct practice_names *names;
	const json_t *current; /* the practice being edited, or NULL */
};

/* Returns true when code is in the string array list. */
static bool listed(const json_t *list, const char *code)
{
	json_t *v;
	size_t i;
	json_array_foreach(list, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), code) == 0)
			return true;
	return false;
}

/* An organisation may be chosen while active; one the practice already
 * names stays acceptable after its deactivation. */
static bool organisation_ok(void *ctx, const char *code)
{
	const struct refs_ctx *c = ctx;
	json_t *o = json_object_get(c->names->orgs, code);
	return o && (json_is_true(json_object_get(o, "active")) ||
		     listed(json_object_get(c->current, "organisation_ids"), code));
}

static bool theme_ok(void *ctx, const char *code)
{
	const struct refs_ctx *c = ctx;
	return theme_in(c->names->themes, code) != NULL;
}

/* The practice's owners: several organisations, as chips. */
static const struct organisation_picker OWNERS = {
	.field = "organisation_ids",
	.label = "Organismes porteurs",
	.hint = "Tapez une partie du nom d’un organisme, puis choisissez-le parmi les "
		"suggestions\u202f; séparez plusieurs noms par un point-virgule.",
	.multiple = true,
};

/* Returns the organisations the practice may name, in French order: the
 * active ones, and those current (may be NULL) names already: an array of
 * names->orgs' objects owned by arena a. */
static json_t *eligible_owners(struct arena *a, const struct practice_names *names,
			       const json_t *current)
{
	json_t *out = arena_json(a, json_array()), *o;
	const char *code;
	struct refs_ctx ctx = {names, current};
	json_object_foreach(names->orgs, code, o)
		if (organisation_ok(&ctx, code))
			json_array_append(out, o);
	return out;
}

/* Returns the strings of array as an arena array; *n gets its size. */
static const char *const *strings(struct arena *a, const json_t *array, size_t *n)
{
	*n = json_array_size(array);
	const char **out = arena_alloc(a, (*n + 1) * sizeof(*out));
	for (size_t i = 0; i < *n; i++)
		out[i] = json_string_value(json_array_get(array, i));
	return out;
}

/* Reads the submitted practice into pf (form_begun here; release with
 * form_end(&pf->f)) and records every error the rules find. current is
 * the practice being edited, or NULL. */
static void form_read(struct request *req, struct practice_form *pf,
		      const struct practice_names *names, const json_t *current)
{
	struct form *f = &pf->f;
	struct practice_input *in = &pf->in;
	pf->files = NULL;
	form_begin(f, req);
	/* Required-ness is the rules' job: their messages are specific. */
	in->title = form_text(f, "title", PRACTICE_TITLE_MAX_CHARS, false);
	in->summary = form_paragraphs(f, "summary", PRACTICE_SUMMARY_MAX_CHARS, false);
	in->problem = form_paragraphs(f, "problem", PRACTICE_LONG_TEXT_MAX_CHARS, false);
	in->description = form_paragraphs(f, "description", PRACTICE_LONG_TEXT_MAX_CHARS, false);
	in->results = form_paragraphs(f, "results", PRACTICE_LONG_TEXT_MAX_CHARS, false);
	pf->orgs = arena_json(req->arena,
			      organisation_picker_read_list(
				      f, &OWNERS, eligible_owners(req->arena, names, current)));
	pf->branches = arena_json(req->arena, form_list(f, "branches", CODE_MAX_CHARS));
	pf->themes = arena_json(req->arena, form_list(f, "themes", CODE_MAX_CHARS));
	in->public_ = form_text(f, "public", PRACTICE_PUBLIC_MAX_CHARS, false);
	in->maturity = form_text(f, "maturity", CODE_MAX_CHARS, false);
	in->contact = form_text(f, "contact", PRACTICE_CONTACT_MAX_CHARS, false);
	in->organisations = strings(req->arena, pf->orgs, &in->n_organisations);
	in->branches = strings(req->arena, pf->branches, &in->n_branches);
	in->themes = strings(req->arena, pf->themes, &in->n_themes);

	struct refs_ctx ctx = {names, current};
	struct practice_refs refs = {organisation_ok, theme_ok, &ctx};
	struct field_error errors[PRACTICE_MAX_ERRORS];
	size_t n = practice_check(in, &refs, errors);
	for (size_t i = 0; i < n; i++)
		form_error(f, errors[i].field, errors[i].message);
}

/* Returns the data of views/practices/form.mustache: the choices marked
 * from values (the practice, or what was typed) and errors (may be NULL),
 * where to post, and the heading. current is the practice being edited,
 * or NULL. Owned by the request's arena. */
static json_t *form_data(struct request *req, const json_t *values, const json_t *errors,
			 const struct practice_names *names, const json_t *current,
			 const char *action, const char *heading, const char *cancel)
{
	json_t *orgs = organisation_picker_data(&OWNERS, values, errors,
						eligible_owners(req->arena, names, current));
	size_t i;
	json_t *branches = json_array();
	for (i = 0; i < ORGANISATION_BRANCHES_COUNT; i++)
		json_array_append_new(
			branches, json_pack("{s:s, s:s, s:b}", "code", ORGANISATION_BRANCHES[i][0],
					    "label", ORGANISATION_BRANCHES[i][1], "checked",
					    listed(json_object_get(values, "branches"),
						   ORGANISATION_BRANCHES[i][0])));
	json_t *themes = json_array(), *t;
	json_array_foreach(names->themes, i, t)
		json_array_append_new(
			themes,
			json_pack("{s:s, s:s, s:s, s:b}", "code", json_str(t, "_id"), "name",
				  json_str(t, "name"), "description", json_str(t, "description"),
				  "checked",
				  listed(json_object_get(values, "themes"), json_str(t, "_id"))));
	json_t *maturities = json_array();
	const char *maturity = json_str(values, "maturity");
	for (i = 0; i < PRACTICE_MATURITIES_COUNT; i++)
		json_array_append_new(
			maturities, json_pack("{s:s, s:s, s:b}", "code", PRACTICE_MATURITIES[i][0],
					      "label", PRACTICE_MATURITIES[i][1], "checked",
					      strcmp(maturity, PRACTICE_MATURITIES[i][0]) == 0));
	return arena_json(req->arena,
			  json_pack("{s:O, s:o, s:o, s:o, s:o, s:s, s:s, s:s}", "values", values,
				    "owners_field", orgs, "branches", branches, "themes", themes,
				    "maturities", maturities, "action", action, "heading", heading,
				    "cancel", cancel));
}

/* Replies 422 with pf's errors: JSON, or the form again as typed. */
/* Returns the creation form's attachments fieldset data (values, errors
 * and files as toolbox_attachment_rows takes them). New reference. */
static json_t *attach_data(const json_t *values, const json_t *errors, const struct upload *files)
{
	return json_pack("{s:o, s:I}", "rows", toolbox_attachment_rows(values, errors, files),
			 "max_mb", (json_int_t)(toolbox_upload_limit() / (1024 * 1024)));
}

static void form_invalid(struct request *req, struct practice_form *pf,
			 const struct practice_names *names, const json_t *current)
{
	const char *slug = current ? json_str(current, "slug") : NULL;
	json_t *data = form_data(req, pf->f.values, pf->f.errors, names, current,
				 slug ? arena_printf(req->arena, "/pratiques/%s/modifier", slug)
				      : "/pratiques/nouvelle",
				 current ? "Modifier la pratique" : "Partager une pratique",
				 slug ? arena_printf(req->arena, "/pratiques/%s", slug)
				      : "/pratiques");
	if (!current)
		json_object_set_new(data, "attach",
				    attach_data(pf->f.values, pf->f.errors, pf->files));
	form_reply_invalid(&pf->f, "practices/form", json_str(data, "heading"), "store", data);
}

/* Replies after a write to practice id: its new state as JSON with
 * status, or a redirect to its sheet with notice info. */
static void saved_reply(struct request *req, const char *id, int status, const char *info)
{
	bson_error_t error;
	json_t *p = arena_json(req->arena, practice_load(req->db, id, &error));
	if (!p)
		db_fail(req, "reading a practice just saved", &error);
	else if (req->is_api)
		reply_json(req, status, practice_json(req, p));
	else
		reply_redirect(req, arena_printf(req->arena, "/pratiques/%s?info=%s",
						 json_str(p, "slug"), info));
}

void practices_new(struct request *req)
{
	struct practice_names names;
	if (practice_names_get_or_reply(req, &names))
		return;
	/* The author's organisation is the likely owner. */
	json_t *values = arena_json(
		req->arena, json_pack("{s:[s]}", "organisation_ids",
				      req->user->organisation ? req->user->organisation : ""));
	json_t *data = form_data(req, values, NULL, &names, NULL, "/pratiques/nouvelle",
				 "Partager une pratique", "/pratiques");
	json_object_set_new(data, "attach", attach_data(NULL, NULL, NULL));
	page_reply(req, 200, "practices/form", "Partager une pratique", "store", data);
}

/* Adds the n checked attachments to the practice id just created, then
 * replies as saved_reply does; when one could not be stored, the sheet
 * says so (the practice itself is saved). */
static void attach_and_reply(struct request *req, const char *id,
			     const struct toolbox_attachment *att, size_t n)
{
	bson_error_t error;
	if (toolbox_attachments_add(req, id, att, n, &error) == n) {
		saved_reply(req, id, 201, "creee");
	} else if (quota_refused(&error) || !db_error_is_outage(&error)) {
		log_error(req->request_id, "practice %s: attaching a file: %s", id, error.message);
		saved_reply(req, id, 201, "creee-fichier-refuse");
	} else {
		db_fail(req, "attaching a file to a new practice", &error);
	}
}

void practices_create(struct request *req)
{
	struct practice_names names;
	if (practice_names_get_or_reply(req, &names))
		return;
	struct upload *files = NULL;
	enum parse_status st = req->is_api
				       ? PARSE_OK
				       : upload_form_read(req, CREATE_FORM_FIELDS_MAX,
							  CREATE_FORM_VALUE_MAX, TOOLBOX_ATTACH_MAX,
							  toolbox_upload_limit(), &files);
	if (st != PARSE_OK) {
		upload_form_reply_unreadable(req, st, toolbox_upload_limit());
		return;
	}
	struct practice_form pf;
	form_read(req, &pf, &names, NULL);
	pf.files = files;
	struct toolbox_attachment att[TOOLBOX_ATTACH_MAX];
	/* Read even without files: a row's title alone is refused. */
	size_t n_att = req->is_api ? 0 : toolbox_attachments_read(req, &pf.f, files, att);
	if (!form_valid(&pf.f)) {
		form_invalid(req, &pf, &names, NULL);
	} else {
		bson_error_t error;
		const char *id = practice_create(req->db, req->user, &pf.in, &error);
		if (id && n_att) {
			attach_and_reply(req, id, att, n_att);
		} else if (id) {
			saved_reply(req, id, 201, "creee");
		} else if (quota_refused(&error)) {
			/* On the first field: the summary links there. */
			form_error(
				&pf.f, "title",
				arena_printf(
					req->arena,
					"Vous avez déjà %d "
					"pratiques en cours (brouillons, soumises ou renvoyées)\u202f: c’est le "
					"maximum. Soumettez-en à la coordination et attendez qu’une soit "
					"publiée ou archivée pour en partager une nouvelle.",
					PRACTICE_QUOTA_DRAFTS));
			form_invalid(req, &pf, &names, NULL);
		} else {
			db_fail(req, "creating a practice", &error);
		}
	}
	form_end(&pf.f);
}

void practices_edit(struct request *req)
{
	json_t *p = practice_for_or_reply(req, PRACTICE_ACTION_EDIT);
	struct practice_names names;
	if (!p || practice_names_get_or_reply(req, &names))
		return;
	const char *slug = json_str(p, "slug");
	json_t *data = form_data(
		req, p, NULL, &names, p, arena_printf(req->arena, "/pratiques/%s/modifier", slug),
		"Modifier la pratique", arena_printf(req->arena, "/pratiques/%s", slug));
	page_reply(req, 200, "practices/form", "Modifier la pratique", "store", data);
}

void practices_update(struct request *req)
{
	json_t *p = practice_for_or_reply(req, PRACTICE_ACTION_EDIT);
	struct practice_names names;
	if (!p || practice_names_get_or_reply(req, &names))
		return;
	struct practice_form pf;
	form_read(req, &pf, &names, p);
	bson_error_t error;
	if (!form_valid(&pf.f))
		form_invalid(req, &pf, &names, p);
	else if (practice_update(req->db, req->user, p, &pf.in, &error))
		db_fail(req, "saving a practice", &error);
	else
		saved_reply(req, json_str(p, "_id"), 200, "modifiee");
	form_end(&pf.f);
}

/* Reads the coordination's comment for a return into *comment. Returns
 * true when it is acceptable; otherwise the error is in f. */
static bool read_comment(struct form *f, const char **comment)
{
	*comment = form_paragraphs(f, "comment", PRACTICE_COMMENT_MAX_CHARS, false);
	if (!**comment)
		form_error(f, "comment", "Expliquez à l’auteur ce qu’il doit revoir.");
	return form_valid(f);
}

/* Returns the version of the practice the coordinator reviewed, named by
 * the publish form's hidden field or the API's "version" (a number, or
 * its digits as text); 0 with an error in f when it is missing or not a
 * version number. */
static long long reviewed_version(struct form *f)
{
	const json_t *v = f->req->json ? json_object_get(f->req->json, "version") : NULL;
	long long n = 0;
	if (json_is_integer(v)) {
		n = json_integer_value(v);
	} else {
		const char *t = form_text(f, "version", 12, false);
		if (*t && strspn(t, "0123456789") == strlen(t))
			n = strtoll(t, NULL, 10);
	}
	if (n <= 0)
		form_error(f, "version",
			   "Indiquez la version de la pratique que vous avez "
			   "relue (son numéro, dans l’historique des versions).");
	return n > 0 ? n : 0;
}

/* Returns true when p is still at the version the coordinator reviewed;
 * otherwise replies 422 (no version named) or 409 (an edit came after the
 * review: what would go out is not what was read). */
static bool still_reviewed(struct request *req, struct form *f, const json_t *p)
{
	long long reviewed = reviewed_version(f);
	long long now = json_integer_value(json_object_get(p, "version"));
	if (!reviewed) {
		reply_error(req, 422, "invalid", "La version relue n’est pas indiquée.", f->errors);
		return false;
	}
	if (reviewed == now)
		return true;
	reply_error(
		req, 409, "stale_version",
		arena_printf(
			req->arena,
			"Cette pratique a changé depuis votre relecture\u202f: vous avez relu la version "
			"%lld, elle en est à la version %lld. Rechargez sa page, relisez les "
			"modifications, puis publiez-la.",
			reviewed, now),
		NULL);
	return false;
}

/* Returns the data of views/practices/return.mustache for p, owned by
 * the request's arena. */
static json_t *return_data(struct request *req, const json_t *p)
{
	return arena_json(req->arena, json_pack("{s:s, s:s}", "practice_title",
						json_str(p, "title"), "slug", json_str(p, "slug")));
}

/* Does action on the route's practice: rights and status checked, a
 * comment for a return, a version recorded by the store. */
static void workflow(struct request *req, enum practice_action action, const char *info)
{
	static const char *const AUDIT[PRACTICE_ACTION_COUNT] = {
		[PRACTICE_ACTION_SUBMIT] = "practice.submit",
		[PRACTICE_ACTION_PUBLISH] = "practice.publish",
		[PRACTICE_ACTION_RETURN] = "practice.return",
		[PRACTICE_ACTION_ARCHIVE] = "practice.archive",
	};
	json_t *p = practice_for_or_reply(req, action);
	if (!p)
		return;
	struct form f;
	form_begin(&f, req);
	const char *comment = NULL;
	if (action == PRACTICE_ACTION_RETURN && !read_comment(&f, &comment)) {
		form_reply_invalid(&f, "practices/return", "Renvoyer la pratique à son auteur",
				   "store", return_data(req, p));
	} else if (action != PRACTICE_ACTION_PUBLISH || still_reviewed(req, &f, p)) {
		bson_error_t error;
		int to = practice_transition(practice_status_of(p), action);
		const char *id = json_str(p, "_id");
		if (practice_set_status(req->db, req->user, p, (enum practice_status)to, comment,
					&error)) {
			db_fail(req, "changing the status of a practice", &error);
		} else {
			audit_record(req, AUDIT[action], id, comment, NULL);
			saved_reply(req, id, 200, info);
		}
	}
	form_end(&f);
}

void practices_submit(struct request *req)
{
	workflow(req, PRACTICE_ACTION_SUBMIT, "soumise");
}

void practices_publish(struct request *req)
{
	workflow(req, PRACTICE_ACTION_PUBLISH, "publiee");
}

void practices_return(struct request *req)
{
	workflow(req, PRACTICE_ACTION_RETURN, "renvoyee");
}

void practices_archive(struct request *req)
{
	workflow(req, PRACTICE_ACTION_ARCHIVE, "archivee");
}

void practices_archive_confirm(struct request *req)
{
	json_t *p = practice_for_or_reply(req, PRACTICE_ACTION_ARCHIVE);
	if (!p)
		return;
	const char *slug = json_str(p, "slug");
	confirm_page_reply(
		req,
		&(struct confirm_page){
			.title = "Archiver cette pratique\u202f?",
			.subject = json_str(p, "title"),
			.consequence =
				"Elle quittera le catalogue, la recherche et les flux, et ne pourra "
				"plus être modifiée ni publiée à nouveau. Son auteur et la "
				"coordination pourront encore consulter sa page.",
			.action = arena_printf(req->arena, "/pratiques/%s/archiver", slug),
			.button = "Archiver la pratique",
			.cancel = arena_printf(req->arena, "/pratiques/%s", slug),
		});
}

void practices_return_form(struct request *req)
{
	json_t *p = practice_for_or_reply(req, PRACTICE_ACTION_RETURN);
	if (p)
		page_reply(req, 200, "practices/return", "Renvoyer la pratique à son auteur",
			   "store", return_data(req, p));
}
