/* Lab projects: the document, its stages and states, and the pure rules
 * of its workflow (plain functions over plain data; projects/rules.c).
 *
 * Collection "projects", one document per project:
 *   _id (32 hex), slug (unique, claimed in "project_slugs" {_id: slug,
 *   project_id}), title, summary, problem, solution, organisation_id,
 *   partner_organisation_ids [codes], external_partners [text], themes
 *   [codes], started_on "YYYY-MM-DD", visibility team|staff|public,
 *   costs and savings {euros (int64), note} (both optional), members
 *   [{user_id, name, role: porteur|membre}], coordinator_id, origin
 *   {kind: defi|groupe|organisme, year, team_id, label}, stage, state,
 *   state_reason, indicators [{id, name, unit, baseline, target,
 *   direction, measurements (count), latest_date, latest_value}],
 *   pending [{id, stage, by_id, by_name, at, note}] (open proposals),
 *   practice_id, last_activity_at, created_at, updated_at (dates), rev,
 *   example.
 * "project_indicators": _id "<project>:<indicator>", rev, measurements
 *   [{date "YYYY-MM-DD", value}] in date order (objects, never arrays of
 *   arrays).
 * "project_events": the timeline, listed by "project-events:<project>";
 *   "project_proposals": proposed moves; "project_posts": the journal,
 *   listed by "project-posts:<project>". */
#ifndef COUSILAB_PROJECT_H
#define COUSILAB_PROJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum project_stage {
	PROJECT_STAGE_IDEE,
	PROJECT_STAGE_PROTOTYPE,
	PROJECT_STAGE_EXPERIMENTATION,
	PROJECT_STAGE_BRANCHE,
	PROJECT_STAGE_INSTITUTION,
	PROJECT_STAGE_COUNT
};

enum project_state {
	PROJECT_STATE_ACTIVE,
	PROJECT_STATE_PAUSED,
	PROJECT_STATE_ABANDONED,
	PROJECT_STATE_COUNT
};

enum project_visibility {
	PROJECT_VISIBILITY_TEAM,
	PROJECT_VISIBILITY_STAFF,
	PROJECT_VISIBILITY_PUBLIC,
	PROJECT_VISIBILITY_COUNT
};

enum {
	PROJECT_TITLE_MAX = 150,
	PROJECT_SUMMARY_MAX = 1000,
	PROJECT_TEXT_MAX = 20000, /* problem, solution, journal body */
	PROJECT_NOTE_MAX = 2000,  /* move notes, reasons, decisions */
	PROJECT_SHORT_MAX = 120,  /* indicator name and unit, partner name */
	PROJECT_LIST_MAX = 20,    /* partners, themes, indicators */
	PROJECT_MEMBERS_MAX = 50,
	PROJECT_RESOURCES_MAX = 50,
	PROJECT_URL_MAX = 2000,
	PROJECT_STALLED_DAYS = 60,
};

/* {code, French label} of each stage, state and visibility, in order. */
extern const char *const PROJECT_STAGES[PROJECT_STAGE_COUNT][2];
extern const char *const PROJECT_STATES[PROJECT_STATE_COUNT][2];
extern const char *const PROJECT_VISIBILITIES[PROJECT_VISIBILITY_COUNT][2];
extern const char *const PROJECT_ROLES[2][2];

/* Each returns the enum value of a stored code, or -1 (NULL included). */
int project_stage_from(const char *code);
int project_state_from(const char *code);
int project_visibility_from(const char *code);

/* Why a move is refused, or PROJECT_MOVE_OK. */
enum project_move_check {
	PROJECT_MOVE_OK,
	PROJECT_MOVE_SAME,       /* already at that stage */
	PROJECT_MOVE_JUMP,       /* forward by more than one stage */
	PROJECT_MOVE_NO_NOTE,    /* backward without a note */
	PROJECT_MOVE_NO_PROOF,   /* to déploiement branche without a measured indicator */
	PROJECT_MOVE_NOT_ACTIVE, /* paused or abandoned projects do not move */
};

/* Checks a move from stage `from` to `to` of a project in state `state`:
 * forward one stage at a time; backward with a non-empty note; reaching
 * déploiement branche (or beyond) only once some indicator has a
 * measured value (`proven`). Pure. */
enum project_move_check project_move_check(enum project_stage from, enum project_stage to,
					   enum project_state state, bool has_note, bool proven);

/* Returns the French explanation of a refusal (static), for fields.stage. */
const char *project_move_message(enum project_move_check c);

/* Who looks at a project. */
struct project_viewer {
	const char *user_id; /* NULL when anonymous, or for the nameless member a
			       * shared page is built for (web/router.h) */
	bool coordinator;    /* Lab coordinator or administrator */
	bool signed_in;      /* any account, the nameless member included */
};

/* What the visibility rule needs of a project. */
struct project_audience {
	enum project_visibility visibility;
	const char *coordinator_id; /* may be NULL */
	const char *const *member_ids;
	size_t n_members;
};

/* Returns true when v is a member of the project. Pure. */
bool project_is_member(const struct project_audience *p, const struct project_viewer *v);

/* Returns true when v may see the project: public to everyone, staff to
 * the signed-in, team to its members, its coordinator and the Lab's
 * coordinators. Pure. */
bool project_may_see(const struct project_audience *p, const struct project_viewer *v);

/* Returns true when v may decide on the project's proposals: its
 * following coordinator, or any coordinator while nobody follows it.
 * Pure. */
bool project_may_decide(const struct project_audience *p, const struct project_viewer *v);

/* Returns true when text is a real calendar date "YYYY-MM-DD" between
 * 2000 and 2099. Pure. */
bool project_date_valid(const char *text);

/* Returns the whole days between the instants then_ms and now_ms (0 when
 * then is later). Pure. */
int64_t project_days_since(int64_t then_ms, int64_t now_ms);

/* Returns true when a project last active at last_ms is stalled at now_ms
 * (PROJECT_STALLED_DAYS without post, measurement or move). Pure. */
bool project_is_stalled(int64_t last_ms, int64_t now_ms);

/* Parses an amount of euros typed as "12 500", "12500" or "12500 €" into
 * *euros (non-negative, at most 10^12). Returns false on anything else.
 * Pure. */
bool project_parse_euros(const char *text, int64_t *euros);

/* Returns true when url is a web address a page may link to: http:// or
 * https:// (any case) followed by a host, at most 2000 bytes, without
 * spaces or control characters (so javascript:, data: and the like never
 * pass). Pure. */
bool project_url_valid(const char *url);

/* Parses a measured value ("12", "-3,5", "0.75") into *value. Returns
 * false on anything else (infinities and NaN included). Pure. */
bool project_parse_number(const char *text, double *value);

#endif
