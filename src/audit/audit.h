/* The audit log: security-relevant and administrative actions, written
 * once and never edited (no route updates or deletes it). */
#ifndef COUSILAB_AUDIT_H
#define COUSILAB_AUDIT_H

struct db_ctx;
struct request;

/* Who did it, as the entry shows it: a signed-in user, an address typed
 * by nobody yet signed in, or a command ("cli"). All borrowed; "" or
 * NULL for unknown. */
struct audit_actor {
	const char *id;
	const char *email;
	const char *ip;
	const char *request_id;
};

struct user;

/* Returns the actor of a command run on the server (user, token, seed),
 * acting as the account as (borrowed; NULL: as nobody), with "cli" as
 * address and request id. */
struct audit_actor audit_actor_cli(const struct user *as);

/* Records that by did action on target, with an optional detail, through
 * db (whose arena holds the temporaries). A failure is logged, never
 * shown to the user. */
void audit_write(struct db_ctx *db, const struct audit_actor *by, const char *action,
		 const char *target, const char *detail);

/* Returns the request's user (or actor_email when nobody is signed in;
 * may be NULL), address and request id as an actor; borrowed from req. */
struct audit_actor audit_actor_of(struct request *req, const char *actor_email);

/* Records that the request's user (or actor_email when nobody is signed
 * in, e.g. a failed login; may be NULL) did action on target, with an
 * optional detail, the client's address and the request id: audit_write
 * with the request as actor. */
void audit_record(struct request *req, const char *action, const char *target, const char *detail,
		  const char *actor_email);

#endif
