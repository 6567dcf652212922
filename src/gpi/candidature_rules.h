/* The pure rules of a Grand Prix candidature: what a form or an API body
 * may hold, and the eligibility checks of articles 3, 5, 6.1 and 9 of the
 * rules (issue 12). Plain functions over plain data: no I/O, so every
 * boundary is a unit test (tests/unit/test_gpi_candidature_rules.c). */
#ifndef COUSILAB_GPI_CANDIDATURE_RULES_H
#define COUSILAB_GPI_CANDIDATURE_RULES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

enum {
	GPI_TITLE_MAX = 150,    /* characters */
	GPI_SUMMARY_MAX = 1500, /* characters */
	GPI_TEXT_MAX = 10000,   /* objectives, actions, results... */
	GPI_SHORT_MAX = 200,    /* names, roles, phone, email */
	GPI_RESULTS_MIN = 200,  /* a results text that counts on its own */
	GPI_PEOPLE_MAX = 30,    /* people named in the dossier */
	GPI_CONTACTS_MAX = 5,
	GPI_PARTNERS_MAX = 20,
	GPI_INDICATORS_MAX = 20,
};

/* The eligibility checks, in the panel's order; their codes are the API's. */
enum gpi_check {
	GPI_CHECK_DEADLINE,
	GPI_CHECK_WINDOW,
	GPI_CHECK_RESULTS,
	GPI_CHECK_COMPLETED,
	GPI_CHECK_COMPLETE,
	GPI_CHECK_ENDOWMENT_USE,
	GPI_CHECK_COUNT
};

/* What eligibility reads of a candidature (strings borrowed). */
struct gpi_facts {
	const char *started_on; /* "YYYY-MM-DD" or "" */
	bool completed;
	bool results_ok;     /* gpi_results_ok of its results and indicators */
	const char *missing; /* the French names of the required fields not
			      * filled (and the dossier), joined by ", "; "" when
			      * none */
	bool endowment_use;  /* the use of a Gold endowment is stated */
};

/* What eligibility reads of an edition (strings borrowed). */
struct gpi_window {
	int64_t deadline_ms;                   /* last accepted instant */
	const char *window_start, *window_end; /* "YYYY-MM-DD", inclusive */
};

/* One line of the panel. message is static or in the arena. */
struct gpi_check_result {
	const char *code;
	bool ok, blocking;
	const char *message;
};

/* Fills out[GPI_CHECK_COUNT] for facts f under edition w at now_ms (the
 * server's clock). Strings in a (the French explanations name dates in
 * French). Returns true when no blocking check fails (eligible). Pure
 * apart from the arena. */
bool gpi_eligibility(struct arena *a, const struct gpi_facts *f, const struct gpi_window *w,
		     int64_t now_ms, struct gpi_check_result out[GPI_CHECK_COUNT]);

/* Returns the JSON {eligible, checks: [{code, ok, blocking, message}]}
 * of results (new reference). */
json_t *gpi_eligibility_json(const struct gpi_check_result checks[GPI_CHECK_COUNT], bool eligible);

/* Returns true when now_ms is at or before deadline_ms, the last accepted
 * instant, compared to the second as gpi_edition_is_open does (a deadline
 * of 21:30:00 accepts 21:30:00.999 and refuses 21:30:01: what a person
 * reading a clock expects, and the edition page and the submission never
 * disagree). Pure. */
bool gpi_before_deadline(int64_t now_ms, int64_t deadline_ms);

/* Returns true when date ("YYYY-MM-DD", a real date) lies in [start, end]
 * (both inclusive). False for anything else. Pure. */
bool gpi_in_window(const char *date, const char *start, const char *end);

/* Returns true when measurable results are stated: at least one of
 * indicators has a measured value (a non-null latest_value), or results
 * has at least GPI_RESULTS_MIN characters (UTF-8 code points, not bytes)
 * once trimmed. Pure. */
bool gpi_results_ok(const char *results, const json_t *indicators);

/* Returns the French names of the required fields of candidature cand
 * (a stored document or an index row's source) that are empty, and
 * "dossier PDF" when has_dossier is false, joined by ", " (arena); ""
 * when everything is there. */
const char *gpi_missing_fields(struct arena *a, const json_t *cand, bool has_dossier);

/* Facts of a stored candidature (doc_to_json form). Strings from cand or
 * a. */
struct gpi_facts gpi_facts_of(struct arena *a, const json_t *cand);

/* Facts as the index row keeps them (JSON object, new reference), and
 * back (strings borrowed from the row). */
json_t *gpi_facts_json(const struct gpi_facts *f);
struct gpi_facts gpi_facts_from_json(const json_t *facts);

/* Returns where s starts once spaces, tabs and line breaks are trimmed
 * from both ends, and its trimmed length in *n. Pure. */
const char *gpi_trim(const char *s, size_t *n);

/* Returns the number of characters (UTF-8 code points) of s[0..n). Pure. */
size_t gpi_chars(const char *s, size_t n);

/* ---- Field validation ---- */

/* A field error: the form field (or API field) and its French message. */
struct gpi_field_error {
	const char *field, *message;
};

enum { GPI_FIELD_ERRORS_MAX = 32 };

/* What validation needs to know beyond the body. */
struct gpi_validate_ctx {
	const json_t *categories;     /* the edition's [{code, name, ...}] */
	const json_t *organisations;  /* {code: {...}} every organisation */
	const char *own_organisation; /* the filers': never its own partner */
};

/* Checks body, a candidature as the API or the form gives it, and
 * returns the normalised stored fields (new reference: texts trimmed,
 * costs/savings as texts whether given as a text or as an object
 * {short, medium, long} (then joined as labelled paragraphs), people
 * without an id given a new random one, indicators kept as given when
 * well formed), filling errs (at most GPI_FIELD_ERRORS_MAX, messages
 * static or in a) and *n_errs. Absent fields become empty (a draft may be
 * incomplete); when partial is true they are left out of the result
 * instead (a PUT changes only what it names). Pure apart from the arena
 * and the random ids. */
json_t *gpi_candidature_validate(struct arena *a, const json_t *body,
				 const struct gpi_validate_ctx *ctx, bool partial,
				 struct gpi_field_error *errs, size_t *n_errs);

#endif
