#include "practices/demo.h"

#include <errno.h>
#include <mongoc/mongoc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accounts/organisation.h"
#include "accounts/user.h"
#include "comments/rules.h"
#include "comments/store.h"
#include "core/app.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "db/db.h"
#include "db/doc.h"
#include "files/minidoc.h"
#include "files/rules.h"
#include "http/multipart.h"
#include "practices/catalogue.h"
#include "practices/conversation.h"
#include "practices/reuse.h"
#include "practices/store.h"
#include "practices/themes.h"
#include "practices/toolbox.h"

/* Published practices are spread back in time, this far apart. */
#define SPACING_MS (INT64_C(17) * 86400000)
#define DAY_MS INT64_C(86400000)

json_t *practices_demo_data(void)
{
	json_error_t e;
	json_t *d = json_load_file(PRACTICES_DEMO_FILE, JSON_REJECT_DUPLICATES, &e);
	if (!d)
		fprintf(stderr, "seed: %s:%d: %s (seed runs from the repository root)\n",
			PRACTICES_DEMO_FILE, e.line, e.text);
	return d;
}

struct demo {
	const struct app *app;
	struct db_ctx *db;
	const struct user *by; /* who the next write is done as */
	json_t *orgs, *themes; /* the directories, owned by db's arena */
	struct user *coordinator;
	char tmpdir[64];
	int files; /* written so far, to name them */
};

/* Prints what failed for demo practice p; returns -1. */
static int fail(const json_t *p, const char *what, const char *why)
{
	fprintf(stderr, "seed: «\u202f%s\u202f»: %s: %s\n", json_str(p, "title"), what, why);
	return -1;
}

/* Returns the demo account login@example.org (arena), or NULL after
 * printing why. */
static struct user *account(struct demo *d, const char *login)
{
	bson_error_t error;
	struct user *u = user_find_email(d->db, arena_printf(d->db->arena, "%s@example.org", login),
					 &error);
	if (!u)
		fprintf(stderr, "seed: demo account %s@example.org: %s\n", login,
			error.code ? error.message : "missing");
	return u;
}

/* Returns the strings of array (borrowed) in an arena array; *n their count. */
static const char **strings(struct arena *a, const json_t *array, size_t *n)
{
	*n = json_array_size(array);
	const char **out = arena_alloc(a, (*n + 1) * sizeof(char *));
	for (size_t i = 0; i < *n; i++)
		out[i] = json_string_value(json_array_get(array, i));
	return out;
}

static bool organisation_active(void *ctx, const char *code)
{
	json_t *o = organisation_in(((struct demo *)ctx)->orgs, code);
	return o && strcmp(json_str(o, "status"), "active") == 0;
}

static bool theme_known(void *ctx, const char *code)
{
	return theme_in(((struct demo *)ctx)->themes, code) != NULL;
}

/* Fills in from demo practice p, with the branches of its organisations,
 * and checks it like the form does. Returns 0, or -1 after printing the
 * broken rules. */
static int input_of(struct demo *d, const json_t *p, struct practice_input *in)
{
	struct arena *a = d->db->arena;
	*in = (struct practice_input){
		.title = json_str(p, "title"),
		.summary = json_str(p, "summary"),
		.problem = json_str(p, "problem"),
		.description = json_str(p, "description"),
		.results = json_str(p, "results"),
		.public_ = json_str(p, "public"),
		.maturity = json_str(p, "maturity"),
		.contact = json_str(p, "contact"),
	};
	in->organisations = strings(a, json_object_get(p, "organisations"), &in->n_organisations);
	in->themes = strings(a, json_object_get(p, "themes"), &in->n_themes);
	const char **branches = arena_alloc(a, (in->n_organisations + 1) * sizeof(char *));
	for (size_t i = 0; i < in->n_organisations; i++) {
		const char *b = json_str(organisation_in(d->orgs, in->organisations[i]), "branch");
		bool seen = !*b;
		for (size_t j = 0; j < in->n_branches && !seen; j++)
			seen = strcmp(branches[j], b) == 0;
		if (!seen)
			branches[in->n_branches++] = b;
	}
	in->branches = branches;
	struct field_error errs[PRACTICE_MAX_ERRORS];
	struct practice_refs refs = {organisation_active, theme_known, d};
	size_t n = practice_check(in, &refs, errs);
	for (size_t i = 0; i < n; i++)
		fail(p, errs[i].field, errs[i].message);
	return n ? -1 : 0;
}

/* Writes the document of resource r of practice p (r.file: "pdf" or
 * "odt") into the temp directory: the practice told for that resource.
 * Returns its path (arena), or NULL after printing why. */
static const char *write_document(struct demo *d, const json_t *p, const json_t *r)
{
	struct arena *a = d->db->arena;
	struct minidoc doc = {
		.arena = a,
		.title = json_str(r, "title"),
		.subtitle = arena_printf(a, "Boîte à outils cousiSTORE — %s", json_str(p, "title")),
	};
	minidoc_add(&doc, MINIDOC_PARAGRAPH, json_str(r, "description"));
	minidoc_add(&doc, MINIDOC_HEADING, "En bref");
	minidoc_add(&doc, MINIDOC_PARAGRAPH, json_str(p, "summary"));
	minidoc_add(&doc, MINIDOC_HEADING, "Le problème");
	minidoc_add(&doc, MINIDOC_PARAGRAPH, json_str(p, "problem"));
	minidoc_add_markdown(&doc, json_str(p, "description"));
	if (*json_str(p, "results")) {
		minidoc_add(&doc, MINIDOC_HEADING, "Résultats");
		minidoc_add(&doc, MINIDOC_PARAGRAPH, json_str(p, "results"));
	}
	minidoc_add(&doc, MINIDOC_HEADING, "Contact");
	minidoc_add(&doc, MINIDOC_PARAGRAPH, json_str(p, "contact"));
	bool pdf = strcmp(json_str(r, "file"), "pdf") == 0;
	const char *path = arena_printf(a, "%s/%d.%s", d->tmpdir, ++d->files, pdf ? "pdf" : "odt");
	if ((pdf ? minidoc_write_pdf : minidoc_write_odt)(&doc, path)) {
		fail(p, path, strerror(errno));
		return NULL;
	}
	return path;
}

/* Returns the file of resource r, written and then checked like any
 * upload, its type in *t. NULL after printing why. */
static struct upload *upload_of(struct demo *d, const json_t *p, const json_t *r, enum file_type *t)
{
	struct arena *a = d->db->arena;
	const char *path = write_document(d, p, r);
	struct stat st;
	if (!path)
		return NULL;
	const char *why = stat(path, &st) ? strerror(errno) : NULL;
	if (!why) {
		*t = file_sniff(path, (size_t)st.st_size);
		why = file_refusal(a, json_str(r, "kind"), *t, (size_t)st.st_size);
	}
	if (why) {
		unlink(path);
		fail(p, json_str(r, "title"), why);
		return NULL;
	}
	struct upload *up = arena_alloc(a, sizeof(*up));
	*up = (struct upload){
		.field = "file",
		.filename = arena_printf(a, "%s.%s", practice_slugify(a, json_str(r, "title")),
					 file_type_info(*t)->ext),
		.content_type = file_type_info(*t)->mime,
		.path = path,
		.size = (size_t)st.st_size,
	};
	return up;
}

/* Adds resource r of demo practice p to practice id, as the author. */
static int add_resource(struct demo *d, const json_t *p, const char *id, const json_t *r)
{
	bson_error_t error;
	json_t *current = practice_load(d->db, id, &error);
	if (!current)
		return fail(p, "lecture", error.message);
	struct toolbox_resource_input in = {
		.kind = json_str(r, "kind"),
		.title = json_str(r, "title"),
		.description = json_str(r, "description"),
		.url = json_str(r, "url"),
		.has_file = json_object_get(r, "file") != NULL,
	};
	struct field_error errs[TOOLBOX_RESOURCE_MAX_ERRORS];
	size_t n = toolbox_resource_check(&in, json_array_size(json_object_get(current, "toolbox")),
					  errs);
	for (size_t i = 0; i < n; i++)
		fail(p, errs[i].field, errs[i].message);
	enum file_type t = FILE_UNKNOWN;
	struct upload *up = NULL;
	json_t *added = NULL;
	if (n == 0 && (!in.has_file || (up = upload_of(d, p, r, &t))))
		added = toolbox_add(d->app, d->db, d->by, current, &in, up, t, &error);
	json_decref(current);
	if (up)
		unlink(up->path);
	if (added)
		return 0;
	return n || (in.has_file && !up) ? -1 : fail(p, in.title, error.message);
}

/* Moves practice id to status to, as the request's user. */
static int set_status(struct demo *d, const json_t *p, const char *id, enum practice_status to)
{
	bson_error_t error;
	json_t *current = practice_load(d->db, id, &error);
	int rc = current ? practice_set_status(d->db, d->by, current, to, NULL, &error) : -1;
	json_decref(current);
	return rc ? fail(p, practice_status_name(to), error.message) : 0;
}

/* Dates published practice id back to published_ms: a catalogue with a
 * history, for the newest-first lists and the feeds. */
static int backdate(struct demo *d, const json_t *p, const char *id, int64_t published_ms)
{
	bson_error_t error;
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(id));
	bson_t *update = BCON_NEW(
		"$set", "{", "created_at", BCON_DATE_TIME(published_ms - 12 * DAY_MS),
		"submitted_at", BCON_DATE_TIME(published_ms - 3 * DAY_MS), "published_at",
		BCON_DATE_TIME(published_ms), "updated_at", BCON_DATE_TIME(doc_now_ms()), "}");
	bool ok = mongoc_collection_update_one(db_collection(d->db, "practices"), filter, update,
					       NULL, NULL, &error) &&
		  catalogue_changed(d->db, id, &error) == 0;
	bson_destroy(update);
	bson_destroy(filter);
	return ok ? 0 : fail(p, "dates", error.message);
}

/* Declares the reuses of demo practice p (published as id), each as a
 * demo account for its own organisation. */
static int declare_reuses(struct demo *d, const json_t *p, const char *id)
{
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(p, "reuses"), i, r) {
		struct user *u = account(d, json_str(r, "by"));
		if (!u)
			return -1;
		bool own = false, created;
		size_t j;
		json_t *code;
		json_array_foreach(json_object_get(p, "organisations"), j, code)
			own |= strcmp(json_string_value(code), u->organisation) == 0;
		struct reuse_input in = {.stage = json_str(r, "stage"), .own_practice = own};
		struct field_error errs[REUSE_MAX_ERRORS];
		if (reuse_check(&in, errs))
			return fail(p, u->organisation, errs[0].message);
		d->by = u;
		bson_error_t error;
		json_t *practice = practice_load(d->db, id, &error);
		int rc = practice
				 ? reuse_declare(d->db, d->by, practice, u->organisation,
						 json_str(organisation_in(d->orgs, u->organisation),
							  "name"),
						 in.stage, json_str(r, "note"), &created, &error)
				 : -1;
		json_decref(practice);
		if (rc)
			return fail(p, "réutilisation", error.message);
	}
	return 0;
}

/* Posts comment c of demo practice p (published as id), then its
 * replies, as its author would: checked, stored, then the practice's
 * comments stamped as changed; parent is the id of the comment replied
 * to, or NULL. */
static int post_comment(struct demo *d, const json_t *p, const char *id, const json_t *c,
			const char *parent)
{
	struct user *u = account(d, json_str(c, "by"));
	if (!u)
		return -1;
	const char *kind = *json_str(c, "kind") ? json_str(c, "kind") : "comment";
	if (!comments_kind_label(kind))
		return fail(p, "commentaire", kind);
	struct comments_subject subject = {PRACTICE_SUBJECT, id};
	struct comments_new comment = {
		.author_id = u->id,
		.author_name = u->name ? u->name : "",
		.kind = kind,
		.body = json_str(c, "body"),
		.parent_id = parent,
	};
	bson_error_t error;
	const char *posted = comments_insert(d->db, &subject, &comment, &error);
	if (!posted || conversation_stamp(d->db, id, comments_stamp_new(), &error))
		return fail(p, "commentaire", error.message);
	int rc = 0;
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(c, "replies"), i, r)
		if (rc == 0)
			rc = post_comment(d, p, id, r, posted);
	return rc;
}

/* Loads demo practice p: written by its author, toolbox included, then
 * submitted, and published at published_ms by the coordinator, then
 * reused and commented. */
static int load_practice(struct demo *d, const json_t *p, int64_t published_ms)
{
	const char *status = json_str(p, "status");
	int target = practice_status_from(status);
	if (target != PRACTICE_DRAFT && target != PRACTICE_SUBMITTED &&
	    target != PRACTICE_PUBLISHED)
		return fail(p, "status", "draft, submitted or published");
	struct practice_input in;
	d->by = account(d, json_str(p, "author"));
	if (!d->by || input_of(d, p, &in))
		return -1;
	bson_error_t error;
	const char *id = practice_create(d->db, d->by, &in, &error);
	if (!id)
		return fail(p, "création", error.message);
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(p, "toolbox"), i, r)
		if (add_resource(d, p, id, r))
			return -1;
	if (target == PRACTICE_DRAFT)
		return 0;
	if (set_status(d, p, id, PRACTICE_SUBMITTED))
		return -1;
	if (target == PRACTICE_SUBMITTED)
		return 0;
	d->by = d->coordinator;
	if (set_status(d, p, id, PRACTICE_PUBLISHED) || backdate(d, p, id, published_ms) ||
	    declare_reuses(d, p, id))
		return -1;
	json_array_foreach(json_object_get(p, "comments"), i, r)
		if (post_comment(d, p, id, r, NULL))
			return -1;
	return 0;
}

int practices_demo_load(const struct app *app)
{
	json_t *data = practices_demo_data();
	if (!data)
		return -1;
	struct demo d = {.app = app, .db = db_ctx_open(app->db, "seed")};
	bson_error_t error;
	d.orgs = arena_json(d.db->arena, organisations_all(d.db, &error));
	d.themes = d.orgs ? arena_json(d.db->arena, themes_all(d.db, &error)) : NULL;
	d.coordinator = d.themes ? account(&d, "julien.moreau") : NULL;
	snprintf(d.tmpdir, sizeof(d.tmpdir), "/tmp/cousilab-demo-XXXXXX");
	bool made = d.coordinator && mkdtemp(d.tmpdir);
	int rc = made ? 0 : -1;
	if (!d.themes)
		fprintf(stderr, "seed: %s\n", error.message);
	else if (d.coordinator && !made)
		fprintf(stderr, "seed: %s: %s\n", d.tmpdir, strerror(errno));
	json_t *practices = json_object_get(data, "practices"), *p;
	size_t i, published = 0, n_published = 0;
	json_array_foreach(practices, i, p)
		n_published += strcmp(json_str(p, "status"), "published") == 0;
	int64_t now = doc_now_ms();
	json_array_foreach(practices, i, p) {
		if (rc)
			break;
		bool pub = strcmp(json_str(p, "status"), "published") == 0;
		rc = load_practice(&d, p,
				   now - (int64_t)(n_published - published) * SPACING_MS +
					   (int64_t)(i % 7) * 3600000);
		published += pub;
	}
	if (made)
		rmdir(d.tmpdir);
	if (rc == 0)
		printf("seed: %zu demo practices loaded, %zu published\n",
		       json_array_size(practices), n_published);
	db_ctx_close(d.db);
	json_decref(data);
	return rc;
}
