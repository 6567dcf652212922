/* The secretariat's exports of an edition:
 * - /grand-prix/{year}/candidatures.csv: one row per candidature with its
 *   fields, status, eligibility and admissibility, UTF-8 with a BOM, ";"
 *   and formulas neutralised (core/csv.h), by title: the ids from the
 *   in-process index, then each candidature by _id (a filter on the year
 *   would scan every edition's on FerretDB), streamed as it is read;
 * - /grand-prix/{year}/secretariat/{category}/dossiers.zip: the dossiers
 *   of a category's filed candidatures, streamed: each dossier goes from
 *   the file store into the ZIP writer and out to the reader chunk by
 *   chunk (http/reply_stream.h, core/zip.h), so the archive is never
 *   held, in memory or on disk. */
#include <string.h>

#include "accounts/organisation.h"
#include "audit/audit.h"
#include "core/app.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/log.h"
#include "core/paris_time.h"
#include "core/xalloc.h"
#include "core/zip.h"
#include "db/db.h"
#include "db/doc.h"
#include "files/store.h"
#include "gpi/candidature.h"
#include "gpi/candidature_rules.h"
#include "gpi/desk.h"
#include "gpi/desk_rules.h"
#include "gpi/edition.h"
#include "gpi/ui.h"
#include "http/reply.h"
#include "http/reply_stream.h"
#include "web/db_reply.h"
#include "web/error_reply.h"

/* ---- CSV ---- */

static const char *const HEADER[] = {
	"Identifiant", "Titre", "Organisme", "Organismes partenaires", "Catégorie", "Statut",
	"Projet", "Début de la réalisation", "Réalisation terminée", "Résumé", "Objectifs",
	"Actions menées", "Résultats mesurables", "Coûts", "Économies", "Généralisation",
	"Caractère interbranches ou inter-régimes", "Performance et notoriété",
	"Utilisation de la dotation", "Contacts", "Personnes citées", "Dossier", "Vidéo",
	"Déposée le", "Éligibilité", "Critères non remplis", "Recevabilité", "Motif",
	"Commentaire du secrétariat", "Repositionnement annoncé",
};
enum { COLUMNS = sizeof(HEADER) / sizeof(*HEADER) };

/* One export: the edition, the organisations' names, the text. */
struct csv_export {
	struct request *req;
	const json_t *edition;
	json_t *organisations; /* by code */
	struct buf out;
};

static const char *organisation_name(const struct csv_export *x, const char *code)
{
	const json_t *o = json_object_get(x->organisations, code);
	return o ? json_str(o, "name") : code;
}

/* Returns the items of list joined by "; ", each as format(item). */
static const char *joined(struct arena *a, const json_t *list,
			  const char *(*format)(struct arena *a, const json_t *item))
{
	const char *out = "";
	json_t *v;
	size_t i;
	json_array_foreach(list, i, v)
		out = arena_printf(a, "%s%s%s", out, i ? " ; " : "", format(a, v));
	return out;
}

static const char *string_item(struct arena *a, const json_t *v)
{
	(void)a;
	return json_is_string(v) ? json_string_value(v) : "";
}

static const char *contact_item(struct arena *a, const json_t *c)
{
	return arena_printf(a, "%s <%s> %s", json_str(c, "name"), json_str(c, "email"),
			    json_str(c, "phone"));
}

/* A person withdrawn from publication stays in the secretariat's file,
 * marked, since the secretariat must know whom not to publish. */
static const char *person_item(struct arena *a, const json_t *p)
{
	return arena_printf(a, "%s (%s)%s", json_str(p, "name"), json_str(p, "role"),
			    json_is_true(json_object_get(p, "publication_withdrawn"))
				    ? " — retrait de publication"
				    : "");
}

static const char *file_cell(struct arena *a, const json_t *f)
{
	if (!json_is_object(f))
		return "";
	json_int_t seconds = json_integer_value(json_object_get(f, "seconds"));
	return arena_printf(a, "%s (%lld octets%s)", json_str(f, "name"),
			    (long long)json_integer_value(json_object_get(f, "bytes")),
			    seconds ? arena_printf(a, ", %lld s", (long long)seconds)
				    : "");
}

/* Appends the row of candidature doc (stored form) to x->out. */
static void csv_row(struct csv_export *x, const bson_t *doc)
{
	/* A row's cells live until it is written: an export of any size
	 * holds one row at a time. */
	struct arena *a = arena_new();
	json_t *c = doc_to_json(doc);
	int64_t submitted = doc_int(doc, "submitted_at", 0);
	struct gpi_facts f = gpi_facts_of(a, c);
	struct gpi_check_result checks[GPI_CHECK_COUNT];
	bool eligible = gpi_desk_eligibility(a, x->edition, &f, submitted, checks);
	const char *failing = "";
	for (int i = 0; i < GPI_CHECK_COUNT; i++)
		if (!checks[i].ok && checks[i].blocking)
			failing = arena_printf(a, "%s%s%s", failing, *failing ? " ; " : "",
					       checks[i].message);
	const json_t *admissibility = json_object_get(c, "admissibility");
	const struct gpi_reason *reason = gpi_reason_find(json_str(admissibility, "reason"));
	const char *admissible = "";
	if (json_is_object(admissibility))
		admissible = json_is_true(json_object_get(admissibility, "admissible"))
				     ? "recevable"
				     : "irrecevable";
	const json_t *move = json_object_get(c, "repositioning");
	char submitted_fr[PARIS_TIME_LONG_MAX] = "";
	if (submitted)
		paris_time_format_long(submitted, submitted_fr, sizeof(submitted_fr));
	const char *cells[COLUMNS] = {
		json_str(c, "_id"),
		json_str(c, "title"),
		organisation_name(x, json_str(c, "organisation_id")),
		joined(a, json_object_get(c, "partner_organisation_ids"), string_item),
		gpi_desk_category_name(x->edition, json_str(c, "category")),
		gpi_status_label(json_str(c, "status")),
		json_str(c, "project_slug"),
		json_str(c, "started_on"),
		json_is_true(json_object_get(c, "completed")) ? "oui" : "non",
		json_str(c, "summary"),
		json_str(c, "objectives"),
		json_str(c, "actions"),
		json_str(c, "results"),
		json_str(c, "costs"),
		json_str(c, "savings"),
		json_str(c, "generalisation"),
		json_str(c, "interbranch"),
		json_str(c, "impact"),
		json_str(c, "endowment_use"),
		joined(a, json_object_get(c, "contacts"), contact_item),
		joined(a, json_object_get(c, "people"), person_item),
		file_cell(a, json_object_get(c, "dossier")),
		file_cell(a, json_object_get(c, "video")),
		submitted_fr,
		eligible ? "éligible" : "non éligible",
		failing,
		admissible,
		reason ? reason->label : "",
		json_str(admissibility, "comment"),
		json_is_object(move) ? gpi_desk_category_name(x->edition, json_str(move, "to")) : "",
	};
	csv_append_row(&x->out, cells, COLUMNS);
	json_decref(c);
	arena_free(a);
}

/* Sends what x->out holds to the reader once it holds at least least
 * bytes, and empties it. Returns false when the stream failed. */
static bool csv_flush(struct csv_export *x, size_t least)
{
	if (x->out.len < least)
		return true;
	bool ok = reply_stream_write(x->req, x->out.data, x->out.len);
	buf_reset(&x->out);
	return ok;
}

/* Streams a row per candidature of rows (index rows, by title), each read
 * by _id: the index lists them without a scan of the collection, which
 * holds every edition. Logs and stops at the first failure: the reader
 * is left with a truncated file. */
static void stream_csv(struct csv_export *x, const json_t *rows)
{
	enum { CHUNK = 64 * 1024 };
	struct request *req = x->req;
	bool ok = csv_flush(x, 0);
	json_t *r;
	size_t i;
	json_array_foreach(rows, i, r) {
		if (!ok)
			break;
		bson_error_t error;
		bson_t *doc = doc_find_id(req->db, GPI_CANDIDATURES, json_str(r, "id"), &error);
		if (!doc && error.code) {
			log_error(req->request_id, "candidatures.csv: %s", error.message);
			break;
		}
		if (doc) /* else deleted since the index listed it */
			csv_row(x, doc);
		bson_destroy(doc);
		ok = csv_flush(x, CHUNK);
	}
	if (ok)
		csv_flush(x, 0);
}

void gpi_desk_csv(struct request *req)
{
	struct csv_export x = {.req = req, .edition = gpi_edition_of_route_or_reply(req)};
	if (!x.edition)
		return;
	int year = gpi_edition_year(x.edition);
	bson_error_t error;
	x.organisations = organisations_by_code(req->db, &error);
	json_t *rows = x.organisations ? gpi_index_rows(req->db, year, NULL, NULL, &error) : NULL;
	if (!rows) {
		db_fail(req, "reading an edition's candidatures", &error);
		json_decref(x.organisations);
		return;
	}
	audit_record(req, "gpi.export", arena_printf(req->arena, "%d", year), "candidatures.csv",
		     NULL);
	reply_header(req, "Cache-Control", "no-store");
	const char *file = arena_printf(req->arena, "grand-prix-%d-candidatures.csv", year);
	if (reply_stream_begin(req, 200, "text/csv; charset=utf-8",
			       file_content_disposition(req->arena, file, false)) &&
	    !req->is_head) {
		buf_puts(&x.out, CSV_BOM);
		csv_append_row(&x.out, HEADER, COLUMNS);
		stream_csv(&x, rows);
	}
	buf_free(&x.out);
	json_decref(rows);
	json_decref(x.organisations);
}

/* ---- ZIP of a category's dossiers ---- */

/* One dossier to pack. */
struct packed {
	const char *name; /* in the archive */
	bson_t *meta;     /* the file's metadata */
};

static bool to_reader(void *ctx, const void *data, size_t len)
{
	return reply_stream_write(ctx, data, len);
}

static bool to_zip(void *ctx, const void *data, size_t len)
{
	return zip_entry_write(ctx, data, len);
}

/* Returns the dossiers of rows (filed ones only: a draft is not the
 * secretariat's to read), with their metadata and names, in *n; NULL
 * with error set when a metadata read fails. Heap array (free it and
 * each meta). */
static struct packed *dossiers_of(struct request *req, const json_t *rows, const char *category,
				  const json_t *organisations, size_t *n, bson_error_t *error)
{
	struct packed *out = xcalloc(json_array_size(rows) + 1, sizeof(*out));
	*n = 0;
	json_t *r;
	size_t i;
	json_array_foreach(rows, i, r) {
		const json_t *dossier = json_object_get(r, "dossier");
		if (!json_is_object(dossier) ||
		    gpi_status_from(json_str(r, "status")) == GPI_STATUS_BROUILLON)
			continue;
		bson_t *meta = file_store_meta(db_client(req->db), db_name(req->db),
					       json_str(dossier, "file_id"), error);
		if (!meta) {
			if (error->code)
				break;
			log_error(req->request_id, "candidature %s: dossier %s missing",
				  json_str(r, "id"), json_str(dossier, "file_id"));
			continue;
		}
		const json_t *org = json_object_get(organisations, json_str(r, "organisation_id"));
		const char *org_name = org ? json_str(org, "name") : json_str(r, "organisation_id");
		out[*n].meta = meta;
		out[*n].name = arena_printf(req->arena, "%s/%03zu - %s - %s.pdf", category, *n + 1,
					    zip_safe_name(req->arena, org_name, 80),
					    zip_safe_name(req->arena, json_str(r, "title"), 120));
		++*n;
	}
	if (error->code) {
		for (size_t k = 0; k < *n; k++)
			bson_destroy(out[k].meta);
		free(out);
		return NULL;
	}
	return out;
}

/* Streams the archive of the n dossiers to the reader. Logs and stops at
 * the first failure: the reader is left with a truncated archive, which
 * every unzip refuses. */
static void stream_zip(struct request *req, const struct packed *dossiers, size_t n)
{
	struct zip_writer *z = zip_writer_new(to_reader, req);
	bson_error_t error = {0};
	bool ok = true;
	for (size_t i = 0; ok && i < n; i++) {
		const bson_t *meta = dossiers[i].meta;
		ok = zip_entry_begin(z, dossiers[i].name, (uint64_t)doc_int(meta, "size", 0),
				     doc_int(meta, "created_at", 0));
		int rc = ok ? file_store_stream(db_client(req->db), db_name(req->db), meta, to_zip,
						z, &error)
			    : 1;
		ok = rc == 0 && zip_entry_end(z);
		if (rc < 0)
			log_error(req->request_id, "dossiers.zip: %s", error.message);
	}
	if (ok)
		ok = zip_finish(z);
	if (!ok)
		log_msg("info", req->request_id, "dossiers.zip stopped after %llu bytes",
			(unsigned long long)zip_written(z));
	zip_writer_free(z);
}

void gpi_desk_zip(struct request *req)
{
	const json_t *e = gpi_edition_of_route_or_reply(req);
	if (!e)
		return;
	const char *category = param_get(req->route_params, "category");
	if (!gpi_edition_category(e, category)) {
		reply_not_found(req);
		return;
	}
	int year = gpi_edition_year(e);
	bson_error_t error;
	json_t *organisations = organisations_by_code(req->db, &error);
	json_t *rows = organisations ? gpi_index_rows(req->db, year, category, NULL, &error) : NULL;
	size_t n = 0;
	struct packed *dossiers =
		rows ? dossiers_of(req, rows, category, organisations, &n, &error) : NULL;
	json_decref(rows);
	json_decref(organisations);
	if (!dossiers) {
		db_fail(req, "reading the dossiers of a category", &error);
		return;
	}
	audit_record(req, "gpi.export", arena_printf(req->arena, "%d", year),
		     arena_printf(req->arena, "%s/dossiers.zip (%zu)", category, n), NULL);
	reply_header(req, "Cache-Control", "no-store");
	const char *file = arena_printf(req->arena, "grand-prix-%d-%s-dossiers.zip", year, category);
	if (reply_stream_begin(req, 200, "application/zip",
			       file_content_disposition(req->arena, file, false)) &&
	    !req->is_head)
		stream_zip(req, dossiers, n);
	for (size_t i = 0; i < n; i++)
		bson_destroy(dossiers[i].meta);
	free(dossiers);
}
