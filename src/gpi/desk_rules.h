/* The secretariat's decisions on a candidature, as pure rules over the
 * stored document (doc_to_json form): admissibility with the reasons of
 * article 5 of the rules, repositioning to another category (article 1)
 * in two steps, and the right of withdrawal of the people named in a
 * dossier (article 10). Each apply function is what gpi_candidature_write
 * runs under its revision claim, so a decision lands on the state it was
 * checked against. No I/O: tests/unit/test_gpi_desk_rules.c.
 *
 * The order of things, decided here:
 * - Only a submitted candidature (deposee, recevable, irrecevable) gets a
 *   decision: a draft is the candidate's still.
 * - A decision may be changed (recevable ↔ irrecevable, a new reason)
 *   until the notification phase starts; from then on it is final, since
 *   the notices of that phase are going out, and the desk is read-only
 *   (GPI_DESK_FINAL).
 * - A repositioning is announced with a message (the organisation is told
 *   at once: "préalablement informé"), then confirmed; announcing again
 *   replaces the announcement (and tells again). Confirming moves the
 *   category and keeps the move in "repositionings". */
#ifndef COUSILAB_GPI_DESK_RULES_H
#define COUSILAB_GPI_DESK_RULES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* A reason of inadmissibility: its stored code, and the rules' wording. */
struct gpi_reason {
	const char *code;
	const char *label;   /* French, as the rules word it */
	const char *article; /* "article 5" */
};

enum { GPI_REASON_COUNT = 5 };

/* The eliminatory criteria of article 5, then the completion required by
 * article 4, in the rules' order. */
extern const struct gpi_reason GPI_REASONS[GPI_REASON_COUNT];

/* Returns the reason of code, or NULL (NULL included). Pure. */
const struct gpi_reason *gpi_reason_find(const char *code);

enum {
	GPI_DESK_COMMENT_MAX = 2000, /* characters, comment and message */
};

/* Why a decision is refused: 0 is none (its words: gpi_desk_refusal). */
enum gpi_desk_refusal {
	GPI_DESK_OK = 0,
	GPI_DESK_NOT_SUBMITTED = 1,   /* a draft: 409 */
	GPI_DESK_FINAL,               /* the notification phase has started: 409 */
	GPI_DESK_REASON,              /* irrecevable without a known reason: 422 */
	GPI_DESK_COMMENT,             /* irrecevable without comment, or too long: 422 */
	GPI_DESK_CATEGORY,            /* target not a category of the edition: 422 */
	GPI_DESK_SAME_CATEGORY,       /* target is its category already: 422 */
	GPI_DESK_MESSAGE,             /* announcement without message, or too long: 422 */
	GPI_DESK_NOT_ANNOUNCED,       /* confirm with no announcement: 409 */
	GPI_DESK_PERSON,              /* no such person in the dossier: 422 */
	GPI_DESK_JUDGED,              /* finaliste or non-retenue (issue 13): 409 */
};

/* What a refusal says: the API's error code ("not_submitted", ...), the
 * French message, the form field it is about ("reason", "comment",
 * "category", "message", "person"; NULL when it is about the candidature
 * itself), and the HTTP status (409 or 422). */
struct gpi_desk_refusal_text {
	const char *code, *message, *field;
	int status;
};

/* Returns what refusal says (static). Pure. */
const struct gpi_desk_refusal_text *gpi_desk_refusal(enum gpi_desk_refusal refusal);

/* What every decision knows of its moment. */
struct gpi_desk_when {
	const char *by_id;            /* the secretariat's user id */
	int64_t now_ms;               /* the server's clock */
	int64_t notification_start_ms; /* the edition's notification phase */
};

/* An admissibility decision. */
struct gpi_admissibility {
	struct gpi_desk_when when;
	bool admissible;
	const char *reason;  /* a GPI_REASONS code when not admissible */
	const char *comment; /* required when not admissible */
};

/* Applies decision d to cand: status recevable or irrecevable, and
 * admissibility {admissible, reason, comment, by_id, at}; notified_at is
 * dropped, since a changed decision is a new notice. Returns 0, or the
 * refusal (cand untouched). Pure. */
int gpi_admissibility_apply(json_t *cand, const struct gpi_admissibility *d);

/* A repositioning's announcement. */
struct gpi_move {
	struct gpi_desk_when when;
	const json_t *edition; /* for its categories */
	const char *to;        /* category code */
	const char *message;   /* to the organisation */
};

/* Records the announcement of move m on cand (repositioning {to, message,
 * announced_at, by_id}). Returns 0, or the refusal (cand untouched).
 * Pure. */
int gpi_move_announce(json_t *cand, const struct gpi_move *m);

/* Confirms the announced move of cand: category becomes its target, the
 * announcement is dropped and the move kept in repositionings [{from,
 * to, message, announced_at, confirmed_at, by_id}]. edition is checked
 * for the target still being a category. Returns 0, or the refusal
 * (GPI_DESK_NOT_ANNOUNCED with no announcement). Pure. */
int gpi_move_confirm(json_t *cand, const json_t *edition, const struct gpi_desk_when *w);

/* Records that person person_id of cand's people withdraws (withdrawn
 * true) from publication, or takes it back. Allowed at any time: it is
 * the person's right. Returns 0, or GPI_DESK_PERSON. Pure. */
int gpi_withdrawal_apply(json_t *cand, const char *person_id, bool withdrawn);

/* Returns true when the inadmissibility notice of cand (an index row or
 * a document) is due at now_ms: irrecevable, not notified yet, and the
 * notification phase (starting at notification_start_ms) has begun.
 * Pure. */
bool gpi_notice_due(const json_t *cand, int64_t notification_start_ms, int64_t now_ms);

#endif
