/* The CSV export of every practice for coordinators (see feeds.h):
 * UTF-8 with a byte order mark and ";" between fields, as French Excel
 * expects, one row per practice, whatever its status. */
#include <mongoc/mongoc.h>
#include <string.h>
#include <time.h>

#include "accounts/organisation.h"
#include "core/app.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/labels.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/reply.h"
#include "practices/feeds.h"
#include "practices/practice.h"
#include "practices/themes.h"
#include "practices/ui.h"
#include "web/db_reply.h"

/* How a column's cell comes from the practice's field. */
enum cell {
	CELL_TEXT,          /* the string as stored */
	CELL_URL,           /* the sheet's address, from the slug */
	CELL_STATUS,        /* the status's label */
	CELL_MATURITY,      /* the maturity's label */
	CELL_ORGANISATIONS, /* codes → names */
	CELL_BRANCHES,      /* codes → labels */
	CELL_THEMES,        /* codes → names */
	CELL_COUNT,         /* the length of an array */
	CELL_NUMBER,        /* an integer */
};

static const struct {
	const char *title, *field;
	enum cell cell;
} COLUMNS[] = {
	{"Identifiant", "_id", CELL_TEXT},
	{"Adresse de la fiche", "slug", CELL_URL},
	{"Titre", "title", CELL_TEXT},
	{"Statut", "status", CELL_STATUS},
	{"Résumé", "summary", CELL_TEXT},
	{"Problème traité", "problem", CELL_TEXT},
	{"Description", "description", CELL_TEXT},
	{"Résultats et bénéfices", "results", CELL_TEXT},
	{"Organismes", "organisation_ids", CELL_ORGANISATIONS},
	{"Branches", "branches", CELL_BRANCHES},
	{"Thèmes", "themes", CELL_THEMES},
	{"Public visé", "public", CELL_TEXT},
	{"Maturité", "maturity", CELL_MATURITY},
	{"Contact", "contact", CELL_TEXT},
	{"Auteur", "author_name", CELL_TEXT},
	{"Ressources de la boîte à outils", "toolbox", CELL_COUNT},
	{"Réutilisations", "reuse_count", CELL_NUMBER},
	{"Version", "version", CELL_NUMBER},
	{"Créée le", "created_at_fr", CELL_TEXT},
	{"Modifiée le", "updated_at_fr", CELL_TEXT},
	{"Soumise le", "submitted_at_fr", CELL_TEXT},
	{"Publiée le", "published_at_fr", CELL_TEXT},
};
enum { N_COLUMNS = sizeof(COLUMNS) / sizeof(*COLUMNS) };

/* Returns the names of the codes in list, joined by ", " (arena); each
 * through lookup in names when given, else through label(code). */
static const char *names_of(struct request *req, const json_t *list, json_t *names,
			    json_t *(*lookup)(json_t *, const char *),
			    const char *(*label)(const char *))
{
	struct buf b = BUF_INIT;
	size_t i;
	json_t *code;
	json_array_foreach(list, i, code) {
		const char *c = json_string_value(code);
		if (!c)
			continue;
		const char *name = names ? json_str(lookup(names, c), "name") : label(c);
		buf_puts(&b, i ? ", " : "");
		buf_puts(&b, *name ? name : c);
	}
	const char *out = arena_strdup(req->arena, b.data ? b.data : "");
	buf_free(&b);
	return out;
}

/* Returns the text of practice p's cell in column col (arena or borrowed). */
static const char *cell(struct request *req, const json_t *p, size_t col, json_t *orgs,
			json_t *themes)
{
	const char *field = COLUMNS[col].field;
	const json_t *v = json_object_get(p, field);
	switch (COLUMNS[col].cell) {
	case CELL_URL:
		return arena_printf(req->arena, "%s/pratiques/%s", req->app->config.base_url,
				    json_str(p, field));
	case CELL_STATUS:
		return label_or_code(PRACTICE_STATUSES, PRACTICE_STATUS_COUNT, json_str(p, field));
	case CELL_MATURITY:
		return label_or_code(PRACTICE_MATURITIES, PRACTICE_MATURITIES_COUNT,
				     json_str(p, field));
	case CELL_ORGANISATIONS: return names_of(req, v, orgs, organisation_in, NULL);
	case CELL_BRANCHES: return names_of(req, v, NULL, NULL, organisation_branch_label);
	case CELL_THEMES: return names_of(req, v, themes, theme_in, NULL);
	case CELL_COUNT: return arena_printf(req->arena, "%zu", json_array_size(v));
	case CELL_NUMBER: return arena_printf(req->arena, "%lld", (long long)json_integer_value(v));
	case CELL_TEXT: break;
	}
	return json_str(p, field);
}

/* What doc_each hands each practice: the names its cells need and the
 * text. */
struct export_rows {
	struct request *req;
	struct buf *b;
	json_t *orgs, *themes;
};

/* Appends practice doc's row (doc_each's callback): every practice, one
 * unsorted cursor, each converted and dropped as it comes, so the
 * practices are never all in memory, only the CSV text is. */
static void append_practice(const bson_t *doc, void *arg)
{
	struct export_rows *rows = arg;
	const char *fields[N_COLUMNS];
	json_t *p = doc_to_json(doc);
	for (size_t i = 0; i < N_COLUMNS; i++)
		fields[i] = cell(rows->req, p, i, rows->orgs, rows->themes);
	csv_append_row(rows->b, fields, N_COLUMNS);
	json_decref(p);
}

void feeds_export_csv(struct request *req)
{
	bson_error_t error;
	json_t *orgs = arena_json(req->arena, organisations_all(req->db, &error));
	json_t *themes = orgs ? arena_json(req->arena, themes_all(req->db, &error)) : NULL;
	struct buf b = BUF_INIT;
	long n = -1;
	if (themes) {
		const char *fields[N_COLUMNS];
		buf_puts(&b, CSV_BOM);
		for (size_t i = 0; i < N_COLUMNS; i++)
			fields[i] = COLUMNS[i].title;
		csv_append_row(&b, fields, N_COLUMNS);
		n = doc_each(req->db, "practices", append_practice,
			     &(struct export_rows){req, &b, orgs, themes}, &error);
	}
	if (n < 0) {
		db_fail(req, "exporting the practices", &error);
	} else {
		char day[16];
		time_t now = time(NULL);
		struct tm tm;
		strftime(day, sizeof(day), "%Y-%m-%d", gmtime_r(&now, &tm));
		reply_header(req, "Content-Disposition",
			     arena_printf(req->arena,
					  "attachment; filename=\"cousistore-pratiques-%s.csv\"",
					  day));
		reply_header(req, "Cache-Control", "no-store");
		reply_text(req, 200, "text/csv; charset=utf-8", b.data);
		/* The export holds personal data (authors, contacts). */
		audit_record(req, "practice.export", "/pratiques/export.csv",
			     arena_printf(req->arena, "%ld pratiques", n), NULL);
	}
	buf_free(&b);
}
