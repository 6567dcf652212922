/* The administration pages (/admin/...) and the organisation page, named
 * in src/routes.c, and the few helpers their lists share (filters,
 * pagination, <option> data). The journal and the outbox pages are
 * declared beside their features: audit/journal.h, mail/outbox_ui.h. */
#ifndef COUSILAB_ADMIN_H
#define COUSILAB_ADMIN_H

#include <bson/bson.h>
#include <jansson.h>

#include "core/labels.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct request;

/* Rows on one page of an administration list. */
enum { ADMIN_PAGE_SIZE = 50 };

void admin_home(struct request *req);

void admin_users(struct request *req);
void admin_user(struct request *req);
void admin_user_roles(struct request *req);
/* GET /admin/utilisateurs/{id}/roles/{role}/confirmer-retrait: asks before
 * removing a role (web/confirm.h). */
void admin_user_role_remove_confirm(struct request *req);
void admin_user_deactivate(struct request *req);
void admin_user_reactivate(struct request *req);

void admin_organisations(struct request *req);
void admin_organisation_new(struct request *req);
void admin_organisation_create(struct request *req);
void admin_organisation(struct request *req);
void admin_organisation_update(struct request *req);
void admin_organisation_deactivate(struct request *req);
void admin_organisation_reactivate(struct request *req);

void organisation_page(struct request *req);

/* Returns a new data object for an administration page, with the
 * sub-navigation entry section ("users", "organisations", "journal",
 * "mail", or "home") marked current. New reference. */
json_t *admin_data(const char *section);

/* Returns text folded for searching (text_fold), with hyphens and
 * apostrophes read as spaces so that "haute garonne" finds
 * "Haute-Garonne". Arena-owned. */
char *admin_fold(struct arena *a, const char *text);

/* Returns the current filters as a query string: the non-empty request
 * parameters named in names (NULL-terminated), URL-encoded, each followed
 * by '&', ready for "page=N" to be appended. Arena-owned. */
const char *admin_filter_query(struct request *req, const char *const *names);

/* A list that pages through a whole collection, newest first by a date
 * field, ties broken by _id. A page starts after the last row of the one
 * before (?apres=<ms>-<id>) or ends before the first row of the one after
 * (?avant=<ms>-<id>): each page reads a range of (date, _id), never
 * skipping rows, so page 1,000 costs what page 1 does on MongoDB (on
 * FerretDB every filter scans anyway). ?page= only numbers the page. */
struct admin_list {
	const char *collection;
	const char *date_field;
	const bson_t *filter;      /* what the database can filter; not destroyed */
	const bson_t *projection;  /* may be NULL */
	/* Returns the table row of doc, or NULL when filters the database
	 * cannot apply (folded text search) leave it out. New reference. */
	json_t *(*row)(struct request *req, const bson_t *doc, void *ctx);
	void *ctx;
	bool row_filters;          /* row may leave documents out */
	const char *path;          /* the page, for the pager's links */
	const char *query;         /* admin_filter_query's string */
};

/* Fills data's "rows" (the page asked by the request) and "pager" ({total,
 * page, pages, several, prev, next}: links present only when they lead
 * somewhere). total is the number of rows in the whole list, or -1 to
 * have it counted. Returns 0, or -1 with error set. */
int admin_list_page(struct request *req, const struct admin_list *l, int64_t total,
		    json_t *data, bson_error_t *error);

/* Returns <option> data [{value, label, selected}] for n code/label pairs,
 * marking the one equal to selected (may be NULL). New reference. */
json_t *admin_options(const char *const pairs[][2], size_t n, const char *selected);

#endif
