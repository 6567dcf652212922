/* The candidature a route names, with its edition and what the visitor
 * is to it: the one place that loads a candidature for a handler and
 * answers 404 (unknown, or not the visitor's to see), 422 "deadline" or
 * 503, so every page, API route and file read refuses alike. And the
 * candidature's JSON for the API and the eligibility panel. */
#ifndef COUSILAB_GPI_CANDIDATURE_PAGE_H
#define COUSILAB_GPI_CANDIDATURE_PAGE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "gpi/candidature_rules.h"

struct arena;
struct request;

struct gpi_cand_ctx {
	json_t *cand;          /* owned: gpi_cand_close releases it */
	const json_t *edition; /* borrowed from the editions cache */
	const char *id;        /* the candidature's id (arena) */
	int year;
	int64_t now_ms; /* clock_now_ms, read once */
	bool filer;     /* an agent of its organisation */
	bool secretariat;
	bool late; /* the deadline has passed: read-only for candidates */
};

/* Loads candidature id (NULL: the route's {id}; the route's {year} must
 * be its edition's when the route has one) with its edition into c, for
 * the request's user. Returns true, or false after replying 404 (no such
 * candidature or edition, or one the user may not see) or 503. Release
 * with gpi_cand_close. */
bool gpi_cand_open(struct request *req, const char *id, struct gpi_cand_ctx *c);

/* As gpi_cand_open for the route's {id}, but c->cand is the candidature's
 * index row (shared: never modify it; gpi_cand_close releases c's
 * reference): for the pages that show only what a row holds (title,
 * category, status, organisations), with no database read. */
bool gpi_cand_open_row(struct request *req, struct gpi_cand_ctx *c);

/* Replaces c's candidature by saved (a write's new state, whose reference
 * c takes). */
void gpi_cand_replace(struct gpi_cand_ctx *c, json_t *saved);

void gpi_cand_close(struct gpi_cand_ctx *c);

/* Returns true when the visitor may change c as a candidate now: one of
 * its filers, before the deadline. Else replies 404 (not a filer: the
 * secretariat acts from its desk) or 422 "deadline" and returns false. */
bool gpi_cand_require_changeable_or_reply(struct request *req, const struct gpi_cand_ctx *c);

/* Fills out with c's eligibility now. Returns true when eligible. */
bool gpi_cand_eligibility(struct request *req, const struct gpi_cand_ctx *c,
			  struct gpi_check_result out[GPI_CHECK_COUNT]);

/* Returns the status code of cand (a stored document) the request's
 * visitor is shown (gpi_status_seen: the jury's choice only once the
 * phase mails went out, but to its insiders). Static or borrowed from
 * cand. */
const char *gpi_cand_status(struct request *req, const json_t *cand);

/* Returns the candidature as the API gives it to the request's visitor
 * (new reference): its stored fields without the internal ones, plus id,
 * the status they are shown (gpi_cand_status) and its status_label, and
 * the dossier and video as {name, bytes, seconds, url, uploaded_at} or
 * null. Strings of the request's arena. */
json_t *gpi_cand_api(struct request *req, const json_t *cand);

/* Replies the page of c with status; problem (may be NULL) is a French
 * message shown above the eligibility panel, for a refused submission.
 * (ui-candidature.c.) */
void gpi_cand_page_reply(struct request *req, const struct gpi_cand_ctx *c, int status,
			 const char *problem);

/* Replies 422 with c's page showing errors (field → French message,
 * keyed by the page's input ids: "dossier_file", "video_file",
 * "image_rights") beside their fields and in the error summary, and the
 * upload forms' other inputs as values had them. Both borrowed.
 * (ui-candidature.c.) */
void gpi_cand_page_invalid(struct request *req, const struct gpi_cand_ctx *c,
			   const json_t *errors, const json_t *values);

/* Returns "1,2 Mo" (or "340 ko") for bytes, French style (arena). */
const char *gpi_size_fr(struct arena *a, json_int_t bytes);

/* Returns the path of candidature id of edition year's page (arena). */
const char *gpi_cand_url(struct request *req, int year, const char *id);

/* Returns the validation context of edition e for the filers'
 * organisation (strings borrowed; *orgs is a new reference for the
 * caller to release), or false after replying 503. */
bool gpi_cand_validate_ctx(struct request *req, const json_t *e, const char *organisation,
			   struct gpi_validate_ctx *ctx, json_t **orgs);

/* Replies 422 with the validation errors errs[0..n) as the API's JSON
 * error ({code "invalid", message, fields}). */
void gpi_cand_reply_invalid(struct request *req, const struct gpi_field_error *errs, size_t n);

#endif
