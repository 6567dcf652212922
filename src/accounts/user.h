/* Accounts: the "users" collection and the signed-in user of a request. */
#ifndef COUSILAB_USER_H
#define COUSILAB_USER_H

#include <bson/bson.h>
#include <stdbool.h>

#include "accounts/roles.h"

struct arena;
struct request;

struct user {
	const char *id;
	const char *email;        /* lowercase */
	const char *name;
	const char *organisation; /* organisation code */
	const char *job;
	/* "pending" (email not confirmed), "active", "deactivated", or
	 * "deleted" (personal data erased, contributions kept anonymous) */
	const char *status;
	const char *password_hash;
	unsigned roles;           /* bit (1u << enum role) per granted role */
	bson_t *doc;              /* the whole document, freed with the arena */
};

/* Returns true when the account may act (confirmed and not deactivated). */
bool user_is_active(const struct user *u);

/* Returns the user built from doc, arena-owned (doc is copied). */
struct user *user_from_doc(struct arena *a, const bson_t *doc);

/* Each returns the user or NULL. On NULL, error->code is 0 when there is
 * no such user and non-zero on a database error. Arena-owned. */
struct user *user_find_id(struct request *req, const char *id, bson_error_t *error);
struct user *user_find_email(struct request *req, const char *email,
			     bson_error_t *error);

/* Returns an arena copy of email trimmed and lowercased (ASCII). */
char *email_normalize(struct arena *a, const char *email);

#endif
