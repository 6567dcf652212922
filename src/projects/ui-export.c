/* The coordinators' CSV export of every project (/projets/export.csv):
 * UTF-8 with a byte order mark, ";" between fields, formulas defused
 * (core/csv.h); a row per project with its current stage and state, its
 * dates and the latest value of each indicator. Read from one unsorted
 * cursor over "projects", as every export is (README, "Exports read one
 * unsorted cursor"): documents are converted and dropped as they come. */
#include <string.h>

#include "accounts/organisation.h"
#include "accounts/user.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/labels.h"
#include "core/paris_time.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/reply.h"
#include "projects/board.h"
#include "projects/fields.h"
#include "projects/project.h"
#include "projects/ui.h"
#include "web/db_reply.h"

static const char *const COLUMNS[] = {
	"Identifiant",
	"Adresse du projet",
	"Titre",
	"Résumé",
	"Organisme porteur",
	"Organismes partenaires",
	"Partenaires externes",
	"Branche",
	"Région",
	"Thèmes",
	"Étape",
	"État",
	"Motif de l’état",
	"Visibilité",
	"Origine",
	"Édition du Défi",
	"Coordination",
	"Membres",
	"Date de début",
	"Créé le",
	"Modifié le",
	"Dernière activité le",
	"Jours sans activité",
	"Propositions en attente",
	"Coûts (euros)",
	"Économies (euros)",
	"Pratique cousiSTORE",
	"Indicateurs (dernière valeur)",
};
enum { N_COLUMNS = sizeof(COLUMNS) / sizeof(*COLUMNS) };

/* What every row looks up: the directory, the themes' names, the names
 * of the coordinators met so far (by id: a handful), and now. */
struct export_ctx {
	struct request *req;
	json_t *orgs, *themes, *coordinators;
	int64_t now;
};

/* Returns the values of the array field of p joined by ", ", each
 * through names (an object keyed by code whose values have "name") when
 * given. Arena or static. */
static const char *joined(struct arena *a, const json_t *p, const char *field, const json_t *names)
{
	const char *out = "";
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(p, field), i, v) {
		const char *code = json_string_value(v);
		if (!code)
			continue;
		const char *name = names ? json_str(json_object_get(names, code), "name") : code;
		out = arena_printf(a, "%s%s%s", out, *out ? ", " : "", *name ? name : code);
	}
	return out;
}

/* Returns the name of coordinator id ("" for none), read by _id once per
 * export. Arena or borrowed from x->coordinators. */
static const char *coordinator_name(struct export_ctx *x, const char *id)
{
	if (!*id)
		return "";
	json_t *known = json_object_get(x->coordinators, id);
	if (known)
		return json_string_value(known);
	bson_error_t error;
	struct user *u = user_find_id(x->req->db, id, &error);
	const char *name = u && u->name ? u->name : id;
	json_object_set_new(x->coordinators, id, json_string(name));
	return name;
}

/* Returns the amount {euros, note} of field as "12500 (note)". Arena. */
static const char *amount(struct arena *a, const json_t *p, const char *field)
{
	const json_t *m = json_object_get(p, field);
	if (!json_is_object(m))
		return "";
	const json_t *euros = json_object_get(m, "euros");
	const char *note = json_str(m, "note");
	const char *n = json_is_integer(euros)
				? arena_printf(a, "%lld", (long long)json_integer_value(euros))
				: "";
	return *note ? arena_printf(a, "%s%s(%s)", n, *n ? " " : "", note) : n;
}

/* Returns one number of indicator i (a JSON number) the French way, or
 * "" when it has none. Arena. */
static const char *number(struct arena *a, const json_t *i, const char *field)
{
	const json_t *v = json_object_get(i, field);
	if (!json_is_number(v))
		return "";
	char out[PROJECT_NUMBER_MAX];
	project_format_number(json_number_value(v), out);
	return arena_strdup(a, out);
}

/* Returns every indicator of p with its latest measured value:
 * "Délai de réponse : 12 jours le 2026-03-01 (référence 20, cible 10)",
 * " | " between indicators. Arena or static. */
static const char *indicators(struct arena *a, const json_t *p)
{
	const char *out = "";
	size_t k;
	json_t *i;
	json_array_foreach(json_object_get(p, "indicators"), k, i) {
		const char *unit = json_str(i, "unit");
		const char *latest = number(a, i, "latest_value");
		const char *value = *latest ? arena_printf(a, "%s%s%s le %s", latest,
							   *unit ? " " : "", unit,
							   json_str(i, "latest_date"))
					    : "pas encore de mesure";
		out = arena_printf(a, "%s%s%s\u202f: %s (référence %s, cible %s)", out,
				   *out ? " | " : "", json_str(i, "name"), value,
				   number(a, i, "baseline"), number(a, i, "target"));
	}
	return out;
}

/* Returns the French label of code in pairs, "" for none. Static. */
static const char *label(const char *const pairs[][2], size_t n, const char *code)
{
	return *code ? label_or_code(pairs, n, code) : "";
}

/* Fills the cells of project p (doc_to_json form of a stored document). */
static void cells(struct export_ctx *x, const json_t *p, const bson_t *doc,
		  const char *fields[N_COLUMNS])
{
	struct arena *a = x->req->arena;
	const json_t *lead = json_object_get(x->orgs, json_str(p, "organisation_id"));
	const json_t *origin = json_object_get(p, "origin");
	int64_t last = doc_int(doc, "last_activity_at", 0);
	json_int_t year = json_integer_value(json_object_get(origin, "year"));
	const char *const row[N_COLUMNS] = {
		json_str(p, "_id"),
		arena_printf(a, "/projets/%s", json_str(p, "slug")),
		json_str(p, "title"),
		json_str(p, "summary"),
		json_str(lead, "name"),
		joined(a, p, "partner_organisation_ids", x->orgs),
		joined(a, p, "external_partners", NULL),
		organisation_branch_label(json_str(lead, "branch")),
		json_str(lead, "region"),
		joined(a, p, "themes", x->themes),
		label(PROJECT_STAGES, PROJECT_STAGE_COUNT, json_str(p, "stage")),
		label(PROJECT_STATES, PROJECT_STATE_COUNT, json_str(p, "state")),
		json_str(p, "state_reason"),
		label(PROJECT_VISIBILITIES, PROJECT_VISIBILITY_COUNT, json_str(p, "visibility")),
		json_str(origin, "label"),
		year ? arena_printf(a, "%lld", (long long)year) : "",
		coordinator_name(x, json_str(p, "coordinator_id")),
		arena_printf(a, "%zu", json_array_size(json_object_get(p, "members"))),
		json_str(p, "started_on"),
		json_str(p, "created_at_fr"),
		json_str(p, "updated_at_fr"),
		json_str(p, "last_activity_at_fr"),
		last ? arena_printf(a, "%lld", (long long)project_days_since(last, x->now)) : "",
		arena_printf(a, "%zu", json_array_size(json_object_get(p, "pending"))),
		amount(a, p, "costs"),
		amount(a, p, "savings"),
		json_str(p, "practice_id"),
		indicators(a, p),
	};
	memcpy(fields, row, sizeof(row));
}

/* What doc_each hands each project: the lookups and the text. */
struct export_rows {
	struct export_ctx *x;
	struct buf *b;
};

/* Appends project doc's row (doc_each's callback). */
static void append_project(const bson_t *doc, void *arg)
{
	struct export_rows *rows = arg;
	const char *fields[N_COLUMNS];
	json_t *p = doc_to_json(doc);
	cells(rows->x, p, doc, fields);
	csv_append_row(rows->b, fields, N_COLUMNS);
	json_decref(p);
}

/* Returns the cousiSTORE themes keyed by code ({code: {name}}), from the
 * projects' copy of them (project_themes), or NULL with error set. The
 * request's arena owns both: never decref'd. */
static json_t *themes_by_code(struct request *req, bson_error_t *error)
{
	json_t *list = arena_json(req->arena, project_themes(req->db, error));
	if (!list)
		return NULL;
	json_t *out = arena_json(req->arena, json_object());
	size_t i;
	json_t *t;
	json_array_foreach(list, i, t)
		json_object_set(out, json_str(t, "_id"), t);
	return out;
}

void projects_export_csv(struct request *req)
{
	bson_error_t error;
	struct export_ctx x = {.req = req,
			       .now = clock_now_ms(),
			       .coordinators = arena_json(req->arena, json_object())};
	x.orgs = arena_json(req->arena, organisations_by_code(req->db, &error));
	x.themes = x.orgs ? themes_by_code(req, &error) : NULL;
	struct buf b = BUF_INIT;
	long n = -1;
	if (x.themes) {
		buf_puts(&b, CSV_BOM);
		csv_append_row(&b, COLUMNS, N_COLUMNS);
		n = doc_each(req->db, "projects", append_project, &(struct export_rows){&x, &b},
			     &error);
	}
	if (n < 0) {
		db_fail(req, "exporting the projects", &error);
	} else {
		struct paris_time_fields day = paris_time_split(x.now);
		reply_header(
			req, "Content-Disposition",
			arena_printf(req->arena,
				     "attachment; filename=\"cousilab-projets-%04d-%02d-%02d.csv\"",
				     day.year, day.month, day.day));
		reply_header(req, "Cache-Control", "no-store");
		reply_text(req, 200, "text/csv; charset=utf-8", b.data);
		/* The export names people (coordinators) and every team-only project. */
		audit_record(req, "project.export", "/projets/export.csv",
			     arena_printf(req->arena, "%ld projets", n), NULL);
	}
	buf_free(&b);
}
