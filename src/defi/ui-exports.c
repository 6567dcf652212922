/* The coordinators' CSV exports of an edition, /defi/{year}/equipes.csv
 * and /defi/{year}/participants.csv, with the list's filters: UTF-8 with
 * a byte order mark, ";" between fields, every cell quoted and a cell
 * that a spreadsheet would take for a formula (=, +, -, @, tab, CR)
 * prefixed with "'" (feeds_csv_append_field). The teams' texts come from one
 * unsorted cursor over the edition's teams, as every export does (see
 * README, "Exports read one unsorted cursor"); the filters from the
 * in-process index. */
#include <mongoc/mongoc.h>
#include <string.h>

#include "accounts/organisation.h"
#include "accounts/user.h"
#include "core/app.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/buf.h"
#include "core/csv.h"
#include "db/db.h"
#include "db/doc.h"
#include "defi/coordination.h"
#include "defi/team_rules.h"
#include "defi/team_store.h"
#include "defi/ui.h"
#include "http/reply.h"
#include "web/db_reply.h"
#include "web/db_reply.h"

/* One export: the rows it keeps (by team id: the index's rows that pass
 * the filters), the edition, and the text being built. */
struct export
{
	struct request *req;
	const json_t *edition;
	struct defi_rows rows;
	json_t *kept; /* team id → its row (defi_row) */
	struct buf out;
};

/* Appends the rows of one team. */
typedef void (*team_rows_fn)(struct export *x, const json_t *team, const json_t *row);

/* Runs the cursor over the edition's teams and calls rows for each kept
 * one. Returns 0, or -1 with error set. */
static int each_team(struct export *x, team_rows_fn rows, bson_error_t *error)
{
	bson_t *filter = BCON_NEW("year", BCON_INT32((int32_t)x->rows.year));
	bson_t *opts = BCON_NEW("batchSize", BCON_INT32(200));
	mongoc_cursor_t *c = mongoc_collection_find_with_opts(db_collection(x->req->db, DEFI_TEAMS),
							      filter, opts, NULL);
	const bson_t *doc;
	while (mongoc_cursor_next(c, &doc)) {
		json_t *team = doc_to_json(doc);
		const json_t *row = json_object_get(x->kept, json_str(team, "_id"));
		if (row)
			rows(x, team, row);
		json_decref(team);
	}
	int rc = mongoc_cursor_error(c, error) ? -1 : 0;
	mongoc_cursor_destroy(c);
	bson_destroy(opts);
	bson_destroy(filter);
	return rc;
}

/* Builds export x (header written) and replies it as file name, or the
 * failure. */
static void run(struct request *req, team_rows_fn rows, const char *const *header, size_t n_header,
		const char *name)
{
	struct export x = {.req = req};
	struct defi_filter f;
	x.edition = defi_rows_of_route_or_reply(req, &f, &x.rows);
	if (!x.edition)
		return;
	x.kept = arena_json(req->arena, json_object());
	json_t *s;
	size_t i;
	json_array_foreach(x.rows.matches, i, s)
		json_object_set_new(x.kept, json_str(s, "id"), defi_row(req, &x.rows, s));
	buf_puts(&x.out, CSV_BOM);
	csv_append_row(&x.out, header, n_header);
	bson_error_t error;
	if (each_team(&x, rows, &error)) {
		db_fail(req, "exporting an edition's teams", &error);
	} else {
		const char *file = arena_printf(req->arena, "defi-du-lab-%d-%s.csv", x.rows.year,
						name);
		reply_header(req, "Content-Disposition",
			     arena_printf(req->arena, "attachment; filename=\"%s\"", file));
		reply_header(req, "Cache-Control", "no-store");
		reply_text(req, 200, "text/csv; charset=utf-8", x.out.data);
		/* The participants' export holds personal data. */
		audit_record(req, "defi.export", arena_printf(req->arena, "%d", x.rows.year), name,
			     NULL);
	}
	buf_free(&x.out);
}

/* ---- Teams ---- */

static const char *const TEAM_HEADER[] = {
	"Identifiant",
	"Équipe",
	"Organisme",
	"Branche",
	"Région",
	"Statut",
	"Membres confirmés",
	"Invitations en attente",
	"Idée",
	"Lien avec le thème",
	"Réponses aux questions",
	"Déposée le",
	"Adresse",
};
enum { TEAM_COLUMNS = sizeof(TEAM_HEADER) / sizeof(*TEAM_HEADER) };

/* Returns the team's answers as "Question : réponse" paragraphs, in the
 * edition's order. Arena. */
static const char *answers_text(struct export *x, const json_t *team)
{
	struct buf b = {0};
	const json_t *q;
	size_t i;
	json_array_foreach(json_object_get(x->edition, "questions"), i, q) {
		const char *text = defi_answer_text(json_object_get(team, "answers"),
						    json_str(q, "code"));
		if (*text)
			buf_printf(&b, "%s%s : %s", b.len ? "\n\n" : "", json_str(q, "label"),
				   text);
	}
	const char *out = arena_strdup(x->req->arena, b.len ? b.data : "");
	buf_free(&b);
	return out;
}

static void team_row(struct export *x, const json_t *team, const json_t *row)
{
	struct request *req = x->req;
	const char *fields[TEAM_COLUMNS] = {
		json_str(row, "id"),
		json_str(row, "name"),
		json_str(row, "organisation_name"),
		json_str(row, "branch_label"),
		json_str(row, "region"),
		json_str(row, "status_label"),
		arena_printf(
			req->arena, "%lld",
			(long long)json_integer_value(json_object_get(row, "confirmed_count"))),
		arena_printf(req->arena, "%lld",
			     (long long)json_integer_value(json_object_get(row, "invited_count"))),
		json_str(team, "pitch"),
		json_str(team, "theme_fit"),
		answers_text(x, team),
		json_str(team, "submitted_at_fr"),
		arena_printf(req->arena, "%s%s", req->app->config.base_url, json_str(row, "url")),
	};
	csv_append_row(&x->out, fields, TEAM_COLUMNS);
}

void defi_export_teams(struct request *req)
{
	run(req, team_row, TEAM_HEADER, TEAM_COLUMNS, "equipes");
}

/* ---- Participants ---- */

static const char *const PEOPLE_HEADER[] = {
	"Équipe",
	"Statut de l’équipe",
	"Nom",
	"Fonction",
	"Adresse électronique",
	"Organisme",
	"Branche",
	"Région",
	"Rôle",
	"État",
};
enum { PEOPLE_COLUMNS = sizeof(PEOPLE_HEADER) / sizeof(*PEOPLE_HEADER) };

/* One row per member, confirmed or invited, and per address invited
 * without an account: each account read by _id. */
static void people_rows(struct export *x, const json_t *team, const json_t *row)
{
	const json_t *m;
	size_t i;
	json_array_foreach(json_object_get(team, "members"), i, m) {
		bson_error_t error;
		const char *id = json_str(m, "user_id");
		struct user *u = user_find_id(x->req->db, id, &error);
		bool confirmed = strcmp(json_str(m, "state"), "confirmed") == 0;
		/* An invited colleague may be of another organisation. */
		const json_t *org = json_object_get(x->rows.orgs,
						    u && u->organisation ? u->organisation : "");
		const char *fields[PEOPLE_COLUMNS] = {
			json_str(row, "name"),
			json_str(row, "status_label"),
			u && u->name ? u->name : "",
			u && u->job ? u->job : "",
			u && u->email ? u->email : "",
			json_str(org, "name"),
			organisation_branch_label(json_str(org, "branch")),
			json_str(org, "region"),
			strcmp(json_str(team, "captain_id"), id) == 0 ? "Capitaine" : "Membre",
			confirmed ? "Confirmé" : "Invité",
		};
		csv_append_row(&x->out, fields, PEOPLE_COLUMNS);
	}
	json_array_foreach(json_object_get(team, "email_invites"), i, m) {
		const char *fields[PEOPLE_COLUMNS] = {
			json_str(row, "name"),
			json_str(row, "status_label"),
			"",
			"",
			json_str(m, "email"),
			"",
			"",
			"",
			"Membre",
			"Invité, sans compte",
		};
		csv_append_row(&x->out, fields, PEOPLE_COLUMNS);
	}
}

void defi_export_people(struct request *req)
{
	run(req, people_rows, PEOPLE_HEADER, PEOPLE_COLUMNS, "participants");
}
