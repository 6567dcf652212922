/* What the secretariat's desk pages, its API and its notices share: the
 * candidature a desk request is about, checked for who asks, its
 * eligibility as filed, and the people a mail to the candidate
 * organisation goes to. */
#ifndef COUSILAB_GPI_DESK_H
#define COUSILAB_GPI_DESK_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "gpi/candidature_page.h"
#include "gpi/candidature_rules.h"

struct app;
struct arena;
struct db_ctx;
struct request;

/* Opens the candidature of the route's {id} for the secretariat
 * (gpi_cand_open: 404 for a visitor who may not see it, or for another
 * edition than the route's {year}), and replies 403 to one who sees it
 * without being its edition's secretariat: its filers. Returns true with
 * c filled (gpi_cand_close), or false after replying. */
bool gpi_desk_open_or_reply(struct request *req, struct gpi_cand_ctx *c);

/* As gpi_desk_open_or_reply, with the candidature's index row in c->cand
 * (gpi_cand_open_row): for the pages that show what a row holds. */
bool gpi_desk_open_row_or_reply(struct request *req, struct gpi_cand_ctx *c);

/* What gpi_desk_mail did. */
struct gpi_desk_mailed {
	int queued, before, failed; /* now, by an earlier run, not queued */
};

/* Mails template to the people to tell about candidature cand (a stored
 * document): its contacts with a valid address or, when none has one, its
 * filer's account. Each gets fields (borrowed) plus their "name". With
 * key, the n-th person's mail is claimed by the outbox _id "<key>-<n>",
 * so it goes once however often this runs; with key NULL, each goes now.
 * Logs, about what ("its inadmissibility"), when nobody can be reached.
 * Returns the counts: failed > 0 when a mail could not be queued. */
struct gpi_desk_mailed gpi_desk_mail(const struct app *app, struct db_ctx *db, const json_t *cand,
				     const char *key, const char *template, const json_t *fields,
				     const char *what);

/* Fills out with the eligibility checks of facts f under edition e, as
 * they stood when the candidature was submitted at submitted_ms (0: not
 * yet, judged now by the server's clock): the desk judges what was
 * filed, not what the passing of the deadline since makes of it.
 * Returns whether it is eligible. Strings in a. */
bool gpi_desk_eligibility(struct arena *a, const json_t *e, const struct gpi_facts *f,
			  int64_t submitted_ms, struct gpi_check_result out[GPI_CHECK_COUNT]);

/* Returns the French name of category code in edition e, or the code
 * itself. Borrowed. */
const char *gpi_desk_category_name(const json_t *e, const char *code);

/* Returns the absolute address of candidature id's page in edition year
 * for a mail (db's arena). */
const char *gpi_desk_candidature_url(const struct app *app, struct db_ctx *db, int year,
				     const char *id);

/* The refresher's task (web/refresher.h): for every edition whose
 * notification phase has begun by the server's clock, mails each
 * "irrecevable" candidature's pending notice once, claimed by its outbox
 * _id ("gpi-irrecevable-<id>-<n>", n the recipient's rank), then records
 * notified_at on the candidature. Reads the in-process index, so a pass
 * with nothing due reads nothing. Returns 0, or -1 after logging. */
int gpi_notices_run(const struct app *app, struct db_ctx *db);

/* Mails the inadmissibility notice of candidature id (of edition e) now,
 * when it was not sent yet, as gpi_notices_run would once the
 * notification phase begins (same outbox _ids: never twice), and records
 * notified_at: the secretariat's phase mails (issue 13) send it in the
 * same action as the finalists'. Returns 0, or -1 after logging. */
int gpi_notice_send(const struct app *app, struct db_ctx *db, const json_t *e, const char *id);

#endif
