/* The administration pages (/admin/...) and the organisation page, named
 * in src/routes.c, and the few helper their lists share (folded text; the sub-navigation and <option>
 * data are web/admin.h, the pager web/pager.h). The journal and
 * the outbox pages are declared beside their features: audit/journal.h,
 * mail/outbox_ui.h. */
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

void admin_home(struct request *req);

void admin_users(struct request *req);
void admin_user(struct request *req);
void admin_user_roles(struct request *req);
/* GET /admin/utilisateurs/{id}/roles/{role}/confirmer-retrait: asks before
 * removing a role (web/confirm.h). */
void admin_user_role_remove_confirm(struct request *req);
void admin_user_deactivate(struct request *req);
/* GET /admin/utilisateurs/{id}/confirmer-desactivation: asks before
 * deactivating an account (web/confirm.h). */
void admin_user_deactivate_confirm(struct request *req);
void admin_user_reactivate(struct request *req);

void admin_organisations(struct request *req);
void admin_organisation_new(struct request *req);
void admin_organisation_create(struct request *req);
void admin_organisation(struct request *req);
void admin_organisation_update(struct request *req);
void admin_organisation_deactivate(struct request *req);
/* GET /admin/organisations/{code}/confirmer-desactivation: asks before
 * deactivating an organisation (web/confirm.h). */
void admin_organisation_deactivate_confirm(struct request *req);
void admin_organisation_reactivate(struct request *req);

void organisation_page(struct request *req);

/* Returns text folded for searching (text_fold), with hyphens and
 * apostrophes read as spaces so that "haute garonne" finds
 * "Haute-Garonne". Arena-owned. */
char *admin_fold(struct arena *a, const char *text);

#endif
