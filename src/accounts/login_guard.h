/* Password guesses (login form and the account page's password checks),
 * limited per address and per account, with a soft lock (ASVS 6.3): once
 * an account has had its LOGIN_GUARD_PER_ACCOUNT failures in a window, only IPs
 * that have not failed for it may still try, once each, so whoever fails
 * a password from many IPs cannot lock its owner out. The owner gets a
 * mail with a one-time link that lifts the lock.
 *
 * Every check of a password holds a slot claimed beforehand (throttle.h),
 * so parallel bursts get exactly the budget, never more. Keys hold the
 * SHA-256 of the address, never the address itself. */
#ifndef COUSILAB_LOGIN_GUARD_H
#define COUSILAB_LOGIN_GUARD_H

#include <bson/bson.h>
#include <stdbool.h>

struct request;

/* ASVS 2.2.1: well under 100 failures an hour per account. */
enum { LOGIN_GUARD_WINDOW_S = 900, LOGIN_GUARD_PER_ACCOUNT = 5, LOGIN_GUARD_PER_IP = 20 };

struct login_guard_attempt {
	const char *account_key, *ip_key, *pair_key;    /* arena */
	const char *ip_slot, *account_slot, *pair_slot; /* claimed: NULL if none */
	bool last_slot;     /* took the account's last slot: the lock starts */
	long retry_after_s; /* when refused */
};

/* Claims the right to check one password for email from the request's
 * IP. Returns 1 (check it, then call login_guard_failed or
 * login_guard_succeeded, or login_guard_cancel when it was not checked), 0 when refused (a->retry_after_s set), or -1
 * with error set. */
int login_guard_begin(struct request *req, const char *email, struct login_guard_attempt *a,
		      bson_error_t *error);

/* After a wrong password, whose slots simply stay taken: returns true
 * when the account is locked from now on (mail its owner; see
 * login_guard_mail_claim). Pure. */
bool login_guard_failed(const struct login_guard_attempt *a);

/* Records that the password was right: the attempt's slots are given
 * back and the account's failures forgotten. Returns 0, or -1. */
int login_guard_succeeded(struct request *req, struct login_guard_attempt *a, bson_error_t *error);

/* Gives back the attempt's slots when no password was checked after all
 * (the password gate stayed full, the database failed). Returns 0, or -1. */
int login_guard_cancel(struct request *req, struct login_guard_attempt *a, bson_error_t *error);

/* Forgets the failures of email's account (the unlock link). Returns 0
 * or -1. */
int login_guard_clear(struct request *req, const char *email, bson_error_t *error);

/* Claims the right to send the unlock mail for email's current lock, once
 * per window. Returns 1 (send it), 0 (already sent), -1. */
int login_guard_mail_claim(struct request *req, const char *email, bson_error_t *error);

#endif
