/* cousiSTORE practices: the document, the rules of its fields and of its
 * workflow (plain functions over plain data), and its storage.
 *
 * Collection "practices", one document per practice:
 *   _id (24 hex), slug (unique), status, title, summary, problem,
 *   description (Markdown), results, organisation_ids [codes],
 *   branches [codes], themes [codes], public, maturity, contact,
 *   toolbox [{id, kind, title, description, url | file_id, file_name,
 *   mime, size}], author_id, author_name, version (from 1), reuse_count,
 *   return_comment, created_at, updated_at, submitted_at, published_at,
 *   quota_user (whose drafts quota counts it, see practices/quota.h).
 * Collection "practice_versions": _id "<practice id>:<version, 6 digits>",
 *   practice_id, version, at, by_id, by_name, changed [field names],
 *   snapshot {the editable fields as they were after that version}. */
#ifndef COUSILAB_PRACTICE_H
#define COUSILAB_PRACTICE_H

#include <bson/bson.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/field_error.h"

struct arena;
struct request;
struct user;

enum practice_status {
	PRACTICE_DRAFT,
	PRACTICE_SUBMITTED,
	PRACTICE_PUBLISHED,
	PRACTICE_RETURNED,
	PRACTICE_ARCHIVED,
	PRACTICE_STATUS_COUNT
};

enum practice_action {
	PRACTICE_ACTION_EDIT,
	PRACTICE_ACTION_SUBMIT,  /* draft or returned → submitted (author or coordinator) */
	PRACTICE_ACTION_PUBLISH, /* submitted → published (coordinator) */
	PRACTICE_ACTION_RETURN,  /* submitted → returned, with a comment (coordinator) */
	PRACTICE_ACTION_ARCHIVE, /* published or submitted → archived (coordinator) */
	PRACTICE_ACTION_COUNT
};

enum {
	PRACTICE_TITLE_MAX_CHARS = 150,
	PRACTICE_SUMMARY_MAX_CHARS = 500,
	PRACTICE_LONG_TEXT_MAX_CHARS = 20000, /* problem, description, results */
	PRACTICE_PUBLIC_MAX_CHARS = 300,
	PRACTICE_CONTACT_MAX_CHARS = 200,
	PRACTICE_COMMENT_MAX_CHARS = 2000,
	PRACTICE_MAX_LIST_ITEMS = 20, /* organisations, branches, themes */
	PRACTICE_MAX_ERRORS = 16,
};

/* The stored codes and French labels. */
extern const char *const PRACTICE_STATUSES[][2];   /* "draft" → "Brouillon" */
extern const char *const PRACTICE_MATURITIES[][2]; /* "idee" → "Idée" */
extern const size_t PRACTICE_MATURITIES_COUNT;

/* The editable fields, as submitted (strings trimmed, lists of codes). */
struct practice_input {
	const char *title, *summary, *problem, *description, *results;
	const char *public_, *maturity, *contact;
	const char *const *organisations;
	size_t n_organisations;
	const char *const *branches;
	size_t n_branches;
	const char *const *themes;
	size_t n_themes;
};

/* What the rules need to know about codes, looked up by the caller. */
struct practice_refs {
	bool (*organisation_active)(void *ctx, const char *code);
	bool (*theme_known)(void *ctx, const char *code);
	void *ctx;
};

/* Checks in against the rules: required fields (title, summary, problem,
 * description, maturity, at least one organisation and one theme), known
 * maturity, branch, theme and organisation codes, no duplicates, list
 * sizes. Lengths are the form's job. Writes up to PRACTICE_MAX_ERRORS
 * errors to out; returns how many. Pure. */
size_t practice_check(const struct practice_input *in, const struct practice_refs *refs,
		      struct field_error *out);

/* Returns the status named name, or -1. Pure. */
int practice_status_from(const char *name);
const char *practice_status_name(enum practice_status s);

/* Returns the status after action, or -1 when the action is not allowed
 * from status. Pure. */
int practice_transition(enum practice_status status, enum practice_action action);

/* Returns true when user (may be NULL) may do action on a practice in
 * status written by author_id, or may see it (action PRACTICE_ACTION_COUNT means
 * "view"). Published practices are visible to everyone; others only to
 * their author and to coordinators. Pure. */
bool practice_allowed(const struct user *user, const char *author_id, enum practice_status status,
		      enum practice_action action);
#define PRACTICE_VIEW PRACTICE_ACTION_COUNT

/* Returns a URL slug for title: folded to ASCII lowercase, words joined
 * by '-', at most 80 chars, never empty ("pratique"). Arena. Pure. */
char *practice_slugify(struct arena *a, const char *title);

#endif
