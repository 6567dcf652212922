/* The administration pages (/admin/...) and the organisation page, named
 * in src/routes.c, and the few helpers their lists share (filters,
 * pagination, <option> data). The journal and the outbox pages are
 * declared beside their features: audit/journal.h, mail/outbox_ui.h. */
#ifndef COUSILAB_ADMIN_H
#define COUSILAB_ADMIN_H

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

/* Returns the page number asked by ?page= (1 when absent or invalid). */
long admin_page_number(struct request *req);

/* Returns the current filters as a query string: the non-empty request
 * parameters named in names (NULL-terminated), URL-encoded, each followed
 * by '&', ready for "page=N" to be appended. Arena-owned. */
const char *admin_filter_query(struct request *req, const char *const *names);

/* Returns the pager of a list of total rows shown ADMIN_PAGE_SIZE at a
 * time, page being shown: {total, page, pages, prev, next} where prev and
 * next are links (path?query page=N) present only when they exist. New
 * reference. */
json_t *admin_pager(struct request *req, const char *path, const char *query,
		    long page, int64_t total);

/* Returns <option> data [{value, label, selected}] for n code/label pairs,
 * marking the one equal to selected (may be NULL). New reference. */
json_t *admin_options(const char *const pairs[][2], size_t n, const char *selected);

#endif
