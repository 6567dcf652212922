/* Administration of the organisations directory (/admin/organisations):
 * list, creation, edition, deactivation. Every write bumps the
 * directory's cache version (organisations_changed). */
#include <ctype.h>
#include <mongoc/mongoc.h>
#include <string.h>

#include "accounts/organisation.h"
#include "accounts/ui.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/form.h"
#include "http/reply.h"
#include "web/admin.h"
#include "web/confirm.h"
#include "web/db_reply.h"
#include "web/error_reply.h"
#include "web/form_reply.h"
#include "web/page.h"

#define COUNT(a) (sizeof(a) / sizeof(*(a)))

static const char *const STATUSES[][2] = {
	{"active", "actif"},
	{"inactive", "désactivé"},
};

static const char *const NOTICES[][2] = {
	{"cree", "L’organisme a été créé."},
	{"enregistre", "Les modifications sont enregistrées."},
	{"desactive", "L’organisme est désactivé\u202f: il n’est plus proposé à l’inscription."},
	{"reactive", "L’organisme est réactivé."},
};

enum { ORG_NAME_MAX_CHARS = 150, ORG_DOMAINS_MAX = 20 };

/* Returns true when s matches [a-z0-9-]{2,40}. Pure. */
static bool code_valid(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-");
	return !s[n] && n >= 2 && n <= 40;
}

/* Returns true for a department number: two digits, 2A, 2B or 971..976. */
static bool department_valid(const char *s)
{
	if (strlen(s) == 2)
		return (isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1])) ||
		       (s[0] == '2' && (s[1] == 'A' || s[1] == 'B'));
	return strlen(s) == 3 && strncmp(s, "97", 2) == 0 && s[2] >= '1' && s[2] <= '6';
}

/* Returns true for a lowercase DNS name of two labels or more, the last
 * alphabetic ("caf.fr", "caf31.cnafmail.fr"). Pure. */
static bool domain_valid(const char *d)
{
	size_t total = strlen(d), labels = 0;
	if (total == 0 || total > 253)
		return false;
	const char *label = d;
	for (;;) {
		size_t n = strspn(label, "abcdefghijklmnopqrstuvwxyz0123456789-");
		if (n == 0 || n > 63 || label[0] == '-' || label[n - 1] == '-' ||
		    (label[n] && label[n] != '.'))
			return false;
		labels++;
		if (!label[n])
			return labels >= 2 && n >= 2 &&
			       strspn(label, "abcdefghijklmnopqrstuvwxyz") == n;
		label += n + 1;
	}
}

/* Returns the domain names listed in text (separated by commas,
 * semicolons or white space), lowercased, without repeats; records an
 * error on f for the first invalid one. New reference. */
static json_t *parse_domains(struct form *f, const char *text)
{
	json_t *domains = json_array();
	char *copy = arena_strdup(f->req->arena, text), *save, *d;
	for (d = strtok_r(copy, ", ;\t\r\n", &save); d; d = strtok_r(NULL, ", ;\t\r\n", &save)) {
		for (char *p = d; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		if (!domain_valid(d)) {
			form_error(
				f, "domains",
				arena_printf(
					f->req->arena,
					"«\u202f%s\u202f» n’est pas un nom de domaine valide (par exemple caf.fr).",
					d));
			continue;
		}
		bool seen = false;
		json_t *v;
		size_t i;
		json_array_foreach(domains, i, v)
			seen |= strcmp(json_string_value(v), d) == 0;
		if (!seen)
			json_array_append_new(domains, json_string(d));
	}
	if (json_array_size(domains) > ORG_DOMAINS_MAX)
		form_error(f, "domains",
			   arena_printf(f->req->arena, "Indiquez au plus %d noms de domaine.",
					ORG_DOMAINS_MAX));
	return domains;
}

/* What the organisation form submits. */
struct org_input {
	const char *code, *name, *type, *branch, *region, *department;
	json_t *domains; /* owned by the request's arena */
};

/* Returns the field's text, with message as its error when it is empty. */
static const char *required(struct form *f, const char *name, size_t max_chars, const char *message)
{
	const char *v = form_text(f, name, max_chars, false);
	if (!*v)
		form_error(f, name, message);
	return v;
}

/* Reads and checks the submitted form into in (the code only when
 * is_new). */
static void org_read(struct form *f, struct org_input *in, bool is_new)
{
	if (is_new) {
		in->code = required(f, "code", 40, "Saisissez le code de l’organisme.");
		if (*in->code && !code_valid(in->code))
			form_error(f, "code",
				   "Le code s’écrit avec 2 à 40 lettres minuscules "
				   "sans accent, chiffres ou tirets, par exemple caf-31.");
		/* It would clash with the creation form's path. */
		else if (strcmp(in->code, "nouvelle") == 0)
			form_error(f, "code", "Ce code est réservé\u202f: choisissez-en un autre.");
	}
	in->name = required(f, "name", ORG_NAME_MAX_CHARS, "Saisissez le nom de l’organisme.");
	in->type = required(f, "type", 32, "Choisissez le type de l’organisme.");
	if (*in->type && !label_find(ORGANISATION_TYPES, ORGANISATION_TYPES_COUNT, in->type))
		form_error(f, "type", "Choisissez un type dans la liste.");
	in->branch = required(f, "branch", 32, "Choisissez la branche de l’organisme.");
	if (*in->branch &&
	    !label_find(ORGANISATION_BRANCHES, ORGANISATION_BRANCHES_COUNT, in->branch))
		form_error(f, "branch", "Choisissez une branche dans la liste.");
	in->region = required(f, "region", 64, "Choisissez la région de l’organisme.");
	if (*in->region &&
	    !label_find(ORGANISATION_REGIONS, ORGANISATION_REGIONS_COUNT, in->region))
		form_error(f, "region", "Choisissez une région dans la liste.");
	char *dep = arena_strdup(f->req->arena, form_text(f, "department", 3, false));
	for (char *p = dep; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	in->department = dep;
	if (*dep && !department_valid(dep))
		form_error(f, "department",
			   "Saisissez un numéro de département\u202f: deux "
			   "chiffres, 2A, 2B ou 971 à 976.");
	in->domains = arena_json(f->req->arena,
				 parse_domains(f, form_text(f, "domains", 1000, false)));
}

/* Appends the editable fields of in and updated_at to b. */
static void append_fields(bson_t *b, const struct org_input *in)
{
	BSON_APPEND_UTF8(b, "name", in->name);
	BSON_APPEND_UTF8(b, "type", in->type);
	BSON_APPEND_UTF8(b, "branch", in->branch);
	BSON_APPEND_UTF8(b, "region", in->region);
	if (*in->department)
		BSON_APPEND_UTF8(b, "department", in->department);
	else
		BSON_APPEND_NULL(b, "department");
	bson_t list;
	BSON_APPEND_ARRAY_BEGIN(b, "domains", &list);
	json_t *d;
	size_t i;
	json_array_foreach(in->domains, i, d) {
		char index[16];
		const char *key;
		bson_uint32_to_string((uint32_t)i, &key, index, sizeof(index));
		bson_append_utf8(&list, key, -1, json_string_value(d), -1);
	}
	bson_append_array_end(b, &list);
	BSON_APPEND_DATE_TIME(b, "updated_at", doc_now_ms());
}

/* Returns the JSON form of the organisation with that code, read from the
 * database (not the cache, which may lag behind a write just made), or
 * NULL after replying 404 or a database error. Owned by the request's
 * arena. */
static json_t *org_load_or_reply(struct request *req, const char *code)
{
	bson_error_t error;
	bson_t *doc = code ? doc_find_id(req->db, "organisations", code, &error) : NULL;
	if (!doc) {
		if (code && error.code)
			db_fail(req, "reading an organisation", &error);
		else
			reply_error(req, 404, "not_found", "Cet organisme n’existe pas.", NULL);
		return NULL;
	}
	json_t *org = arena_json(req->arena, doc_to_json(doc));
	bson_destroy(doc);
	return org;
}

/* Renders the organisation form: creation when org is NULL, else edition
 * of org (borrowed). With f, after a refused submission (422, values
 * kept); otherwise with the stored values. */
static void org_form(struct request *req, struct form *f, json_t *org)
{
	json_t *data = arena_json(req->arena, admin_data("organisations"));
	const char *type = f ? json_str(f->values, "type") : json_str(org, "type");
	const char *branch = f ? json_str(f->values, "branch") : json_str(org, "branch");
	const char *region = f ? json_str(f->values, "region") : json_str(org, "region");
	json_object_set_new(data, "types",
			    admin_options(ORGANISATION_TYPES, ORGANISATION_TYPES_COUNT, type));
	json_object_set_new(
		data, "branches",
		admin_options(ORGANISATION_BRANCHES, ORGANISATION_BRANCHES_COUNT, branch));
	json_object_set_new(
		data, "regions",
		admin_options(ORGANISATION_REGIONS, ORGANISATION_REGIONS_COUNT, region));
	const char *title = "Nouvel organisme";
	if (org) {
		const char *code = json_str(org, "_id");
		bool active = strcmp(json_str(org, "status"), "active") == 0;
		const char *info = request_param(req, "info");
		title = json_str(org, "name");
		json_object_set_new(
			data, "org",
			json_pack("{s:s, s:s, s:s, s:b}", "code", code, "name", title, "status",
				  label_or_code(STATUSES, COUNT(STATUSES), json_str(org, "status")),
				  "active", active));
		if (label_find(NOTICES, COUNT(NOTICES), info))
			json_object_set_new(
				data, "notice",
				json_string(label_or_code(NOTICES, COUNT(NOTICES), info)));
	}
	json_object_set_new(data, "action",
			    json_string(org ? arena_printf(req->arena, "/admin/organisations/%s",
							   json_str(org, "_id"))
					    : "/admin/organisations"));
	if (f) {
		form_reply_invalid(f, "admin/organisation", title, NULL, data);
	} else {
		const char *domains = "";
		json_t *d;
		size_t i;
		json_array_foreach(json_object_get(org, "domains"), i, d)
			domains = arena_printf(req->arena, "%s%s%s", domains, i ? ", " : "",
					       json_string_value(d) ? json_string_value(d) : "");
		json_object_set_new(data, "values",
				    json_pack("{s:s, s:s, s:s}", "name", json_str(org, "name"),
					      "department", json_str(org, "department"), "domains",
					      domains));
		page_reply(req, 200, "admin/organisation", title, NULL, data);
	}
}

/* Returns true when o passes the list's filters (NULL or "" for any);
 * needle is the folded search text or NULL. */
static bool org_matches(struct request *req, json_t *o, const char *needle,
			const char *const filters[][2], size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (filters[i][1] && *filters[i][1] &&
		    strcmp(json_str(o, filters[i][0]), filters[i][1]) != 0)
			return false;
	return !needle || strstr(admin_fold(req->arena, json_str(o, "name")), needle) ||
	       strstr(admin_fold(req->arena, json_str(o, "_id")), needle);
}

void admin_organisations(struct request *req)
{
	bson_error_t error;
	json_t *all = arena_json(req->arena, organisations_all(req->db, &error));
	if (!all) {
		db_fail(req, "listing organisations", &error);
		return;
	}
	const char *q = request_param(req, "q");
	const char *needle = q && *q ? admin_fold(req->arena, q) : NULL;
	const char *const filters[][2] = {
		{"type", request_param(req, "type")},
		{"branch", request_param(req, "branch")},
		{"region", request_param(req, "region")},
		{"status", request_param(req, "statut")},
	};
	json_t *rows = json_array(), *o;
	size_t i;
	json_array_foreach(all, i, o) {
		if (!org_matches(req, o, needle, filters, COUNT(filters)))
			continue;
		json_array_append_new(
			rows,
			json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "code", json_str(o, "_id"),
				  "name", json_str(o, "name"), "type", json_str(o, "type_label"),
				  "branch", json_str(o, "branch_label"), "region",
				  json_str(o, "region"), "department", json_str(o, "department"),
				  "status",
				  label_or_code(STATUSES, COUNT(STATUSES), json_str(o, "status"))));
	}
	bool filtered = needle != NULL;
	for (i = 0; i < COUNT(filters); i++)
		filtered |= filters[i][1] && *filters[i][1];
	json_t *data = arena_json(req->arena, admin_data("organisations"));
	json_object_set_new(data, "total", json_integer((json_int_t)json_array_size(rows)));
	json_object_set_new(data, "rows", rows);
	json_object_set_new(data, "filters",
			    json_pack("{s:s, s:o, s:o, s:o, s:o, s:b}", "q", q ? q : "", "types",
				      admin_options(ORGANISATION_TYPES, ORGANISATION_TYPES_COUNT,
						    filters[0][1]),
				      "branches",
				      admin_options(ORGANISATION_BRANCHES,
						    ORGANISATION_BRANCHES_COUNT, filters[1][1]),
				      "regions",
				      admin_options(ORGANISATION_REGIONS,
						    ORGANISATION_REGIONS_COUNT, filters[2][1]),
				      "statuses",
				      admin_options(STATUSES, COUNT(STATUSES), filters[3][1]),
				      "active", filtered));
	page_reply(req, 200, "admin/organisations", "Organisations", NULL, data);
}

void admin_organisation_new(struct request *req)
{
	org_form(req, NULL, NULL);
}

/* Bumps the directory's version, then redirects to code's page with
 * notice info. */
static void org_saved(struct request *req, const char *code, const char *info)
{
	bson_error_t error;
	if (organisations_changed(req, &error)) {
		db_fail(req, "refreshing the organisations directory", &error);
		return;
	}
	reply_redirect(req,
		       arena_printf(req->arena, "/admin/organisations/%s?info=%s", code, info));
}

void admin_organisation_create(struct request *req)
{
	struct form f;
	struct org_input in;
	form_begin(&f, req);
	org_read(&f, &in, true);
	bson_error_t error;
	bool ok = false;
	if (form_valid(&f)) {
		bson_t *doc = BCON_NEW("_id", BCON_UTF8(in.code), "code", BCON_UTF8(in.code),
				       "status", BCON_UTF8("active"), "created_at",
				       BCON_DATE_TIME(doc_now_ms()));
		append_fields(doc, &in);
		ok = mongoc_collection_insert_one(db_collection(req->db, "organisations"), doc,
						  NULL, NULL, &error);
		bson_destroy(doc);
		if (!ok && error.code == 11000)
			form_error(&f, "code", "Ce code est déjà celui d’un autre organisme.");
		else if (!ok)
			db_fail(req, "creating an organisation", &error);
	}
	if (!form_valid(&f))
		org_form(req, &f, NULL);
	form_end(&f);
	if (!ok)
		return;
	audit_record(req, "org.create", in.code, in.name, NULL);
	org_saved(req, in.code, "cree");
}

void admin_organisation(struct request *req)
{
	json_t *org = org_load_or_reply(req, request_param(req, "code"));
	if (!org)
		return;
	org_form(req, NULL, org);
}

void admin_organisation_update(struct request *req)
{
	json_t *org = org_load_or_reply(req, request_param(req, "code"));
	if (!org)
		return;
	const char *code = json_str(org, "_id");
	struct form f;
	struct org_input in;
	form_begin(&f, req);
	org_read(&f, &in, false);
	bool ok = form_valid(&f);
	if (ok) {
		bson_error_t error;
		bson_t *filter = BCON_NEW("_id", BCON_UTF8(code));
		bson_t *update = bson_new(), set;
		BSON_APPEND_DOCUMENT_BEGIN(update, "$set", &set);
		append_fields(&set, &in);
		bson_append_document_end(update, &set);
		ok = mongoc_collection_update_one(db_collection(req->db, "organisations"), filter,
						  update, NULL, NULL, &error);
		bson_destroy(update);
		bson_destroy(filter);
		if (!ok)
			db_fail(req, "updating an organisation", &error);
	} else {
		org_form(req, &f, org);
	}
	form_end(&f);
	if (!ok)
		return;
	audit_record(req, "org.update", code, in.name, NULL);
	org_saved(req, code, "enregistre");
}

/* Sets the route's organisation active or not. */
static void org_set_active(struct request *req, bool active)
{
	json_t *org = org_load_or_reply(req, request_param(req, "code"));
	if (!org)
		return;
	const char *code = json_str(org, "_id");
	bool was_active = strcmp(json_str(org, "status"), "active") == 0;
	const char *info = active ? "reactive" : "desactive";
	if (was_active == active) {
		reply_redirect(req, arena_printf(req->arena, "/admin/organisations/%s?info=%s",
						 code, info));
		return;
	}
	bson_error_t error;
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(code));
	bson_t *update = BCON_NEW("$set", "{", "status", BCON_UTF8(active ? "active" : "inactive"),
				  "updated_at", BCON_DATE_TIME(doc_now_ms()), "}");
	bool ok = mongoc_collection_update_one(db_collection(req->db, "organisations"), filter,
					       update, NULL, NULL, &error);
	bson_destroy(update);
	bson_destroy(filter);
	if (!ok) {
		db_fail(req, "changing an organisation's status", &error);
		return;
	}
	audit_record(req, active ? "org.reactivate" : "org.deactivate", code, NULL, NULL);
	org_saved(req, code, info);
}

void admin_organisation_deactivate(struct request *req)
{
	org_set_active(req, false);
}

void admin_organisation_reactivate(struct request *req)
{
	org_set_active(req, true);
}

void admin_organisation_deactivate_confirm(struct request *req)
{
	json_t *org = org_load_or_reply(req, request_param(req, "code"));
	if (!org)
		return;
	const char *page = arena_printf(req->arena, "/admin/organisations/%s",
					json_str(org, "_id"));
	if (strcmp(json_str(org, "status"), "active") != 0) {
		reply_redirect(req, arena_printf(req->arena, "%s?info=desactive", page));
	} else {
		confirm_page_reply(
			req,
			&(struct confirm_page){
				.title = "Désactiver cet organisme\u202f?",
				.subject = json_str(org, "name"),
				.consequence =
					"Il ne sera plus proposé à l’inscription\u202f; ses membres "
					"gardent leur compte. Vous pourrez le réactiver.",
				.action = arena_printf(req->arena, "%s/desactiver", page),
				.button = "Désactiver l’organisme",
				.cancel = page,
			});
	}
}
