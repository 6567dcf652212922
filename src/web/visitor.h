/* Who the visitor is, as web/ and the services need to know it: what the
 * router, the page layout and the audit log ask of the feature that knows
 * users (accounts, which sits above them and registers its answers once
 * at startup). Below accounts, a user is only the opaque req->user. */
#ifndef COUSILAB_VISITOR_H
#define COUSILAB_VISITOR_H

#include <jansson.h>
#include <stdbool.h>

struct request;
struct route;
struct user;

/* What is recorded of who acted: borrowed from the user, "" when unknown. */
struct visitor_identity {
	const char *id;
	const char *email;
};

struct visitor_ops {
	/* Returns true when req carries no credentials at all, so it can
	 * only be an anonymous visitor. No I/O. */
	bool (*anonymous)(struct request *req);
	/* Sets req->user from the request's credentials. Returns 0 (the
	 * user may stay NULL), or -1 after replying (401, 503). With outage
	 * not NULL, credentials that cannot be checked because the database
	 * is down set *outage and leave the visitor anonymous. */
	int (*identify)(struct request *req, bool *outage);
	/* Returns 0 when req->user may use r, else replies (login, 401,
	 * 403, 404) and returns -1. */
	int (*authorize)(struct request *req, const struct route *r);
	/* Returns 0 when the user may make one more write, with what to
	 * give back in *slot (arena-owned, may stay NULL); else replies
	 * (429, 503) and returns -1. */
	int (*write_take)(struct request *req, const char **slot);
	/* Gives back slot when the write was refused after all. */
	void (*write_refund)(struct request *req, const char *slot);
	/* Returns what a page shared by signed-in visitors may depend on
	 * (their roles, whether their account is active): visitors with the
	 * same variant share it. Arena-owned. */
	const char *(*variant)(struct request *req);
	/* Returns a nameless user holding only what the variant names, to
	 * build the shared page as. Arena-owned. */
	struct user *(*nameless)(struct request *req);
	/* Returns what templates know of user u ("user": name, one flag per
	 * role...). New reference. */
	json_t *(*data)(const struct user *u);
	/* Returns the id and email of user u (not NULL). */
	struct visitor_identity (*identity)(const struct user *u);
};

/* Sets the answers, before the server starts or a command runs: ops
 * must outlive them. */
void visitor_register(const struct visitor_ops *ops);

/* Returns the registered answers. Aborts when none were registered: a
 * server that cannot tell who asks must not serve. */
const struct visitor_ops *visitor(void);

#endif
