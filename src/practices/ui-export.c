/* The CSV export of every practice for coordinators (see feeds.h):
 * UTF-8 with a byte order mark and ";" between fields, as French Excel
 * expects, one row per practice, whatever its status. */
#include <mongoc/mongoc.h>
#include <string.h>
#include <time.h>

#include "accounts/organisation.h"
#include "app.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/labels.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/reply.h"
#include "practices/feeds.h"
#include "practices/practice.h"
#include "practices/themes.h"

void csv_append_field(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	if (*s && strchr("=+-@\t\r", *s))
		buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

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
	case CELL_ORGANISATIONS:
		return names_of(req, v, orgs, organisation_in, NULL);
	case CELL_BRANCHES:
		return names_of(req, v, NULL, NULL, organisation_branch_label);
	case CELL_THEMES:
		return names_of(req, v, themes, theme_in, NULL);
	case CELL_COUNT:
		return arena_printf(req->arena, "%zu", json_array_size(v));
	case CELL_NUMBER:
		return arena_printf(req->arena, "%lld", (long long)json_integer_value(v));
	case CELL_TEXT:
		break;
	}
	return json_str(p, field);
}

/* Appends one CSV record: the fields, ";" between them, CRLF at the end. */
static void append_row(struct buf *b, const char *const *fields)
{
	for (size_t i = 0; i < N_COLUMNS; i++) {
		if (i)
			buf_putc(b, ';');
		csv_append_field(b, fields[i]);
	}
	buf_puts(b, "\r\n");
}

/* Returns every practice, oldest first, long texts included (which
 * practice_list leaves out), or NULL with error set. New reference.
 * Scans: a coordinators' download, not a hot path. */
static json_t *all_practices(struct request *req, bson_error_t *error)
{
	bson_t *opts = BCON_NEW("sort", "{", "created_at", BCON_INT32(1), "_id",
				BCON_INT32(1), "}");
	return doc_find_all(req, "practices", bson_new(), opts, error);
}

void export_csv(struct request *req)
{
	bson_error_t error;
	json_t *list = all_practices(req, &error);
	json_t *orgs = list ? organisations_all(req, &error) : NULL;
	json_t *themes = orgs ? themes_all(req, &error) : NULL;
	if (!themes) {
		db_fail(req, "exporting the practices", &error);
	} else {
		struct buf b = BUF_INIT;
		const char *fields[N_COLUMNS];
		buf_puts(&b, "\xEF\xBB\xBF");
		for (size_t i = 0; i < N_COLUMNS; i++)
			fields[i] = COLUMNS[i].title;
		append_row(&b, fields);
		size_t n;
		json_t *p;
		json_array_foreach(list, n, p) {
			for (size_t i = 0; i < N_COLUMNS; i++)
				fields[i] = cell(req, p, i, orgs, themes);
			append_row(&b, fields);
		}
		char day[16];
		time_t now = time(NULL);
		struct tm tm;
		strftime(day, sizeof(day), "%Y-%m-%d", gmtime_r(&now, &tm));
		reply_header(req, "Content-Disposition", arena_printf(req->arena,
			"attachment; filename=\"cousistore-pratiques-%s.csv\"", day));
		reply_header(req, "Cache-Control", "no-store");
		reply_text(req, 200, "text/csv; charset=utf-8", b.data);
		buf_free(&b);
		/* The export holds personal data (authors, contacts). */
		audit_record(req, "practice.export", "/pratiques/export.csv",
			     arena_printf(req->arena, "%zu pratiques", json_array_size(list)),
			     NULL);
	}
	json_decref(themes);
	json_decref(orgs);
	json_decref(list);
}
