/* Handlers of the accounts feature, named in src/routes.c, and the few
 * helpers its pages share. */
#ifndef COUSILAB_ACCOUNTS_H
#define COUSILAB_ACCOUNTS_H

#include <jansson.h>

struct request;
struct user;

void accounts_signup_form(struct request *req);
void accounts_signup(struct request *req);
void accounts_confirm_form(struct request *req);
void accounts_confirm(struct request *req);
void accounts_login_form(struct request *req);
void accounts_login(struct request *req);
void accounts_logout(struct request *req);
void accounts_reset_request_form(struct request *req);
void accounts_reset_request(struct request *req);
void accounts_reset_form(struct request *req);
void accounts_reset(struct request *req);
void accounts_api_me(struct request *req);
void accounts_api_organisations(struct request *req);

/* Returns <option> data for the active organisations, with selected
 * marked; NULL after replying 503. New reference. */
json_t *organisation_options(struct request *req, const char *selected);

/* Mails a confirmation link. Returns 0, or -1 after replying. */
int send_confirmation(struct request *req, const char *user_id, const char *email,
		      const char *name);

/* Sets u's password, ends its sessions but keep_session (may be NULL) and
 * mails a notice. Returns 0, or -1 after replying. */
int set_password(struct request *req, const struct user *u, const char *pw,
		 const char *keep_session);

/* Returns the public description of u (id, name, email, organisation,
 * job, roles). New reference. */
json_t *user_public_json(const struct user *u);

#endif
