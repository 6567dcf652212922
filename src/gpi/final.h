/* What the secretariat's finalists page and the grand jury's page share
 * (issue 13): the edition and category a request names, checked for who
 * asks, the category's rows and state, and the phase mails. */
#ifndef COUSILAB_GPI_FINAL_H
#define COUSILAB_GPI_FINAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/field_error.h"

struct form;
struct request;

/* Who may come in. */
enum gpi_final_audience {
	GPI_FINAL_SECRETARIAT, /* the edition's secretariat and admins */
	GPI_FINAL_GRAND_JURY,  /* those, and the edition's grand jurors */
};

struct gpi_final {
	const json_t *edition; /* borrowed from the editions cache */
	int year;
	const char *category; /* the route's {category} (checked), or NULL */
	json_t *rows;         /* the category's index rows (or the edition's): owned by the arena */
	const json_t *state;  /* the category's state (gpi/results.h), or NULL */
	int64_t now_ms;
};

/* Fills f for the route's {year} (and {category} when the route has one)
 * for the request's user. Returns true, or false after replying 404 (no
 * such edition or category, or a visitor outside audience) or 503. All
 * of f belongs to the request. */
bool gpi_final_open(struct request *req, enum gpi_final_audience audience, struct gpi_final *f);

/* Returns the French notice of the action the query's ?fait= names
 * among done[0..n) ({code, notice} pairs, static), or NULL. */
const char *gpi_final_done(const struct request *req, const char *const done[][2], size_t n);

/* Records the refusals errs[0..n) of a rule in form, each beside its
 * field. */
void gpi_final_refusals(struct form *form, const struct field_error *errs, int n);

/* The outcome of the phase mails. */
struct gpi_final_sent {
	int queued;  /* mails queued now */
	int before;  /* mails found queued by an earlier run, not sent again */
	int pending; /* categories without finalists: nobody of theirs told */
	bool late;   /* less than 30 days before the audition (article 6.2) */
};

/* Sends the phase mails of edition f->edition (article 6.2): the
 * audition invitation and the ceremony's save-the-date to each finalist,
 * the "non retenue" mail to the rest of each category's pool, and their
 * notice to the irrecevable candidatures (the desk's notice, under the
 * same outbox _id as gpi_notices_run's). Each mail under its own outbox
 * _id, so a repeated action sends nothing twice. Returns 0 with out
 * filled, or -1 after logging (some mails may have been queued). */
int gpi_final_send_notifications(struct request *req, const struct gpi_final *f,
				 struct gpi_final_sent *out);

#endif
