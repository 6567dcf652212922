/* Handlers of the accounts feature, named in src/routes.c, and the few
 * helpers its pages share. */
#ifndef COUSILAB_ACCOUNTS_UI_H
#define COUSILAB_ACCOUNTS_UI_H

#include <bson/bson.h>
#include <jansson.h>
#include <stdbool.h>
#include "core/labels.h"
#include <stddef.h>
#include <stdint.h>

struct organisation_picker;
struct request;
struct user;

void accounts_signup_form(struct request *req);
void accounts_signup(struct request *req);
void accounts_confirm_form(struct request *req);
void accounts_confirm(struct request *req);
void accounts_login_form(struct request *req);
void accounts_login(struct request *req);
void accounts_logout(struct request *req);
void accounts_unlock_form(struct request *req);
void accounts_unlock(struct request *req);
void accounts_reset_request_form(struct request *req);
void accounts_reset_request(struct request *req);
void accounts_reset_form(struct request *req);
void accounts_reset(struct request *req);
void accounts_api_me(struct request *req);
void accounts_api_organisations(struct request *req);

/* Renders template (title) for the mailed link of kind in ?jeton=: 200
 * with its button when the link is valid, else 404 saying so (503 on a
 * database error). Following a link must not change state, so links lead
 * to such a page and its button POSTs. */
void accounts_link_page(struct request *req, const char *kind, const char *template,
			const char *title);

/* Uses the mailed link of kind in the submitted "jeton": returns its
 * user once the link is consumed, or NULL after replying (429 for too
 * many tries from the IP, the page of template saying the link is void,
 * or 503). For the POSTs behind accounts_link_page's buttons. */
struct user *accounts_link_use_or_reply(struct request *req, const char *kind, const char *template,
					const char *title);

/* The "Organisme" field of the sign-up and account forms: one of the
 * active organisations. */
extern const struct organisation_picker ACCOUNT_ORGANISATION_PICKER;

/* Returns that field's picker data (organisation_picker_data) for values
 * and errors (may be NULL), owned by the request's arena; NULL after
 * replying 503. */
json_t *account_organisation_field_or_reply(struct request *req, const json_t *values,
					    const json_t *errors);

/* Mails a confirmation link, at most CONFIRM_MAILS_PER_HOUR an hour per
 * address. Returns 1 when mailed, 0 when that limit held it back, or -1
 * after replying. */
int account_send_confirmation_or_reply(struct request *req, const char *user_id, const char *email,
				       const char *name);

/* Stores hash (argon2id) as u's password, voids its mailed links (all
 * issued before now), revokes its API tokens, ends its sessions but
 * keep_session (may be NULL) and mails a notice. Returns 0, or -1 after
 * replying. */
int account_set_password_or_reply(struct request *req, const struct user *u, const char *hash,
				  const char *keep_session);

/* Returns the public description of u (id, name, email, organisation,
 * job, roles). New reference. */
json_t *user_public_json(const struct user *u);

/* The user's own account: ui-account.c, ui-account-sessions.c and
 * ui-account-data.c. Browser sessions only (see account_guard_or_reply). */
struct form;
struct arena;

void accounts_account_page(struct request *req);
void accounts_account_update(struct request *req);
void accounts_account_password(struct request *req);
void accounts_account_session_end(struct request *req);
/* The pages that ask before ending a session or revoking a token. */
void accounts_account_session_end_confirm(struct request *req);
void accounts_account_token_revoke_confirm(struct request *req);
void accounts_account_token_create(struct request *req);
void accounts_account_token_revoke(struct request *req);
void accounts_account_export(struct request *req);
void accounts_account_delete(struct request *req);

/* Returns 0 when req may use the account pages: signed in through a
 * browser session, not an API token (a leaked token must not mint more
 * tokens, end sessions or delete the account). Marks the reply no-store.
 * Otherwise replies 403 and returns -1. */
int account_guard_or_reply(struct request *req);

/* Renders the account page for the signed-in user with status; with f, its field
 * errors and what was typed (status 422 or 429). Replies 503 itself when
 * the database fails. */
void account_page(struct request *req, struct form *f, int status);

/* Returns 1 when pw is the signed-in user's password; 0 after recording
 * a French error for field in f and setting *status (422; 429 when
 * throttled; 503 when the password gate stayed full); -1 after replying
 * 503. Failures count against the account's login limits. */
int account_check_password_or_reply(struct form *f, const char *field, const char *pw, int *status);

/* Returns the documents of collection matching filter (destroyed here),
 * each as doc_to_json keeping only fields (NULL-terminated; "_id" only
 * when listed), sorted by sort_key, newest first when desc. New
 * reference, or NULL with error set. */
json_t *account_list(struct request *req, const char *collection, bson_t *filter,
		     const char *const *fields, const char *sort_key, bool desc,
		     bson_error_t *error);

/* Returns the signed-in user's live sessions (id, created_at, last_seen_at,
 * ip, user_agent, current) or API tokens (id, name, prefix, created_at),
 * newest first, owned by the request's arena, or NULL with error set. */
json_t *account_sessions(struct request *req, bson_error_t *error);
json_t *account_tokens(struct request *req, bson_error_t *error);

/* The administration pages and the organisation page, named in
 * src/routes.c, and the few helper their lists share (folded text; the
 * sub-navigation and <option> data are web/admin.h, the pager
 * web/pager.h). The journal and the outbox pages are declared beside
 * their features: audit/ui.h, mail/ui.h. */

void admin_home(struct request *req);

void admin_users(struct request *req);
void admin_user(struct request *req);
void admin_user_roles(struct request *req);
/* Asks before removing a role (web/confirm.h). */
void admin_user_role_remove_confirm(struct request *req);
void admin_user_deactivate(struct request *req);
/* Asks before deactivating an account (web/confirm.h). */
void admin_user_deactivate_confirm(struct request *req);
void admin_user_reactivate(struct request *req);

void admin_organisations(struct request *req);
void admin_organisation_new(struct request *req);
void admin_organisation_create(struct request *req);
void admin_organisation(struct request *req);
void admin_organisation_update(struct request *req);
void admin_organisation_deactivate(struct request *req);
/* Asks before deactivating an organisation (web/confirm.h). */
void admin_organisation_deactivate_confirm(struct request *req);
void admin_organisation_reactivate(struct request *req);

void organisation_page(struct request *req);

/* Returns text folded for searching (text_fold), with hyphens and
 * apostrophes read as spaces so that "haute garonne" finds
 * "Haute-Garonne". Arena-owned. */
char *admin_fold(struct arena *a, const char *text);

#endif
