/* The rules of a Grand Prix edition's fields, as plain functions over
 * plain data: what the secretariat may type, on pages and through the API
 * alike. Instants are already UTC here (forms type them in Paris time,
 * the API in RFC 3339); the rules check their order. */
#ifndef COUSILAB_GPI_EDITION_RULES_H
#define COUSILAB_GPI_EDITION_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/field_error.h"
#include "gpi/edition.h"

enum {
	GPI_YEAR_MIN = 2010, /* the first Prix de l'innovation */
	GPI_YEAR_MAX = 2100,
	GPI_TITLE_MAX_CHARS = 150,
	GPI_RULES_MAX_CHARS = 60000,
	GPI_CATEGORIES_MAX = 12,
	GPI_CRITERIA_MAX = 12,
	GPI_CODE_MAX_CHARS = 32, /* a role scope's segment (accounts/role_scope.h) */
	GPI_NAME_MAX_CHARS = 150,
	GPI_DESCRIPTION_MAX_CHARS = 4000,
	GPI_WEIGHT_MAX = 10,
	GPI_CONTACT_NAME_MAX_CHARS = 150,
	GPI_ENDOWMENT_MAX_EUR = 1000000,
	GPI_EDITION_MAX_ERRORS = 40,
};

/* The largest limits an edition may set: a dossier of 100 Mo, a video of
 * 2 Gio and an hour. Beyond, nginx's and the app's bounds would not hold. */
#define GPI_DOSSIER_BYTES_MAX (100LL * 1024 * 1024)
#define GPI_VIDEO_BYTES_MAX (2048LL * 1024 * 1024)
#define GPI_VIDEO_SECONDS_MAX 3600LL

struct gpi_category {
	const char *code, *name, *description;
};

struct gpi_criterion {
	const char *code, *label;
	int weight;
};

/* An edition as typed, after each field was read (texts trimmed,
 * instants converted to UTC ms). A field that could not be read at all
 * has its *_set flag false; a limit or amount that could not be read is
 * -1. */
struct gpi_edition_input {
	int year;
	const char *title, *rules;
	struct gpi_category categories[GPI_CATEGORIES_MAX];
	size_t n_categories;
	int64_t launch_at, deadline_at;
	bool launch_set, deadline_set;
	const char *window_start, *window_end; /* "YYYY-MM-DD" as typed */
	int64_t phase_start[GPI_PHASE_COUNT], phase_end[GPI_PHASE_COUNT];
	bool phase_set[GPI_PHASE_COUNT]; /* both ends read */
	int64_t limits[GPI_LIMIT_COUNT];
	int64_t gold_endowment_eur;
	const char *contact_name, *contact_email;
	struct gpi_criterion criteria[GPI_CRITERIA_MAX];
	size_t n_criteria;
	bool example; /* demo data; never from a form */
};

/* Checks in against the rules and writes each broken one to out (at most
 * GPI_EDITION_MAX_ERRORS; field names are the form's: "launch_at",
 * "analysis_start", "dossier_max_bytes", "categories", ...; messages are
 * static French). Returns how many. Pure. */
size_t gpi_edition_check(const struct gpi_edition_input *in, struct field_error *out);

/* Returns true when text is a real calendar day written "YYYY-MM-DD".
 * Pure. */
bool gpi_is_day(const char *text);

/* Returns true when code may be a category's or criterion's code: 1 to
 * 32 characters among a-z, 0-9 and '-', not starting or ending with '-'
 * (it names a role scope's segment and appears in URLs). Pure. */
bool gpi_is_code(const char *code);

/* Returns the French name of phase ("Analyse des dossiers", ...),
 * static. */
const char *gpi_phase_name_fr(enum gpi_phase phase);

#endif
