/* The audit log: security-relevant and administrative actions, written
 * once and never edited (no route updates or deletes it). */
#ifndef COUSILAB_AUDIT_H
#define COUSILAB_AUDIT_H

struct request;

/* Records that the request's user (or actor_email when nobody is signed
 * in, e.g. a failed login; may be NULL) did action on target, with an
 * optional detail, the client's address and the request id. A failure is
 * logged, never shown to the user. */
void audit_record(struct request *req, const char *action, const char *target,
		  const char *detail, const char *actor_email);

#endif
