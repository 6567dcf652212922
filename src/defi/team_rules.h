/* Défi du Lab teams: the rules that need no database. Statuses and their
 * labels, the sign-up window, what a submission needs, who may decide
 * what. The store (team_store.h) and the handlers gather the facts; these
 * functions only judge them, so every rule has a unit test
 * (tests/unit/test_defi_team_rules.c). */
#ifndef COUSILAB_DEFI_TEAM_RULES_H
#define COUSILAB_DEFI_TEAM_RULES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A team's status, stored as its code (DEFI_STATUSES[s][0]). A draft
 * that was submitted once and fell below the minimum stays a draft with
 * "incomplete": true, shown "Incomplète". */
enum defi_status {
	DEFI_DRAFT,
	DEFI_SUBMITTED,
	DEFI_SELECTED,
	DEFI_WAITLISTED,
	DEFI_REJECTED,
	DEFI_WITHDRAWN,
	DEFI_STATUS_COUNT
};

/* {code, French label} of each status, in enum order. */
extern const char *const DEFI_STATUSES[][2];

enum {
	DEFI_NAME_MAX_CHARS = 120,
	DEFI_TEXT_MAX_CHARS = 4000,
	DEFI_MAX_ERRORS = 16,
	DEFI_ERROR_CHARS = 1024,
	DEFI_FIELD_CHARS = 80,
};

/* One refusal, next to its field ("members", "name", "answer-<code>"...). */
struct defi_field_error {
	char field[DEFI_FIELD_CHARS];
	char message[DEFI_ERROR_CHARS]; /* French, a full sentence */
};

/* Returns the status whose code is code, or -1 (NULL included). Pure. */
int defi_status_from(const char *code);

/* Returns the status's code ("brouillon"), static. */
const char *defi_status_code(enum defi_status s);

/* Returns the French label of s ("Candidature déposée"), "Incomplète"
 * for an incomplete draft. Static. */
const char *defi_status_label(enum defi_status s, bool incomplete);

/* Where an instant falls against an edition's sign-up window. */
enum defi_window { DEFI_BEFORE_OPENING, DEFI_OPEN, DEFI_AFTER_CLOSE };

/* Returns where now_ms falls: the opening and the closing instants are
 * both inside the window (the close is the last accepted instant). Pure. */
enum defi_window defi_window_at(int64_t opens_ms, int64_t closes_ms, int64_t now_ms);

/* Writes into out (size n) the French reason why nothing can change at
 * now_ms, for a refusal with code "closed"; opens_fr and closes_fr are
 * the window's instants formatted for people. Pure. */
void defi_closed_message(enum defi_window w, const char *opens_fr, const char *closes_fr, char *out,
			 size_t n);

/* What a submission is judged on, gathered by the caller. */
struct defi_team_facts {
	enum defi_window window;
	const char *opens_fr, *closes_fr; /* for the window's message */
	int min_size, max_size;           /* max_size 0: no maximum */
	int confirmed;                    /* confirmed members, captain included */
	const char *organisation_name;    /* the team's */
	const char *const *outsiders;     /* names of confirmed members of another organisation */
	size_t n_outsiders;
	const char *name, *pitch, *theme_fit;
	const json_t *questions; /* the edition's [{code, label, required}] */
	const json_t *answers;   /* the team's [{code, text}] */
};

/* Writes to out every unmet condition of a submission (at most
 * DEFI_MAX_ERRORS), each next to its field: "window", "members",
 * "organisation", "name", "pitch", "theme_fit", "answer-<code>".
 * Returns how many. Pure. */
size_t defi_submission_check(const struct defi_team_facts *t, struct defi_field_error *out);

/* Returns the text answering question code in answers ([{code, text}]),
 * "" when absent. Borrowed. Pure. */
const char *defi_answer_text(const json_t *answers, const char *code);

/* Returns the number of members of state "confirmed" in members. Pure. */
int defi_confirmed_count(const json_t *members);

/* Returns true when members and their invitations may still change in
 * status s (a draft or a submitted team; decisions and withdrawals are
 * final for everyone but a coordinator). Pure. */
bool defi_members_may_change(enum defi_status s);

/* Returns true when a team of status s that now has `confirmed` members
 * goes back to an incomplete draft: it was submitted, falls below
 * min_size, and sign-ups are still open. Pure. */
bool defi_falls_incomplete(enum defi_status s, int confirmed, int min_size, enum defi_window w);

/* Returns the status a coordinator's decision code names (retenue,
 * liste-attente, non-retenue), or -1 for anything else. Pure. */
int defi_decision_from(const char *code);

/* Returns true when a team of status s may receive a decision: it was
 * submitted, or already decided (a coordinator changes their mind). */
bool defi_decision_allowed(enum defi_status s);

/* Returns true when the captain may withdraw a team of status s. */
bool defi_withdraw_allowed(enum defi_status s);

/* Returns the index of user_id in team's members, or -1. Pure. */
int defi_member_index(const json_t *team, const char *user_id);

/* Returns the index of email in team's email_invites, or -1. Pure. */
int defi_email_invite_index(const json_t *team, const char *email);

/* Returns the index of email in the pending invitations of a team's index
 * summary (team_index.h), or -1. Pure. */
int defi_pending_email_index(const json_t *summary, const char *email);

#endif
