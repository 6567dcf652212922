#include "accounts/login_guard.h"

#include <string.h>

#include "accounts/throttle.h"
#include "core/arena.h"
#include "http/request.h"

int login_guard_begin(struct request *req, const char *email, struct login_guard_attempt *a,
		      bson_error_t *error)
{
	memset(a, 0, sizeof(*a));
	const char *ip = req->remote_addr;
	a->account_key = throttle_key_hashed(req->arena, "login:account", email);
	a->ip_key = arena_printf(req->arena, "login:ip:%s", ip);
	a->pair_key = arena_printf(req->arena, "%s:%s",
				   throttle_key_hashed(req->arena, "login:pair", email), ip);
	struct throttle_claim c;
	int rc = throttle_claim(req, a->ip_key, LOGIN_GUARD_PER_IP, LOGIN_GUARD_WINDOW_S, &c,
				error);
	if (rc <= 0) {
		a->retry_after_s = c.retry_after_s;
		return rc;
	}
	a->ip_slot = c.slot_id;
	/* Failures keep their slot, which names the IP. */
	rc = throttle_claim_as(req, a->account_key, ip, LOGIN_GUARD_PER_ACCOUNT,
			       LOGIN_GUARD_WINDOW_S, &c, error);
	if (rc != 0) {
		a->account_slot = c.slot_id;
		a->last_slot = c.slot == LOGIN_GUARD_PER_ACCOUNT;
		return rc;
	}
	/* Locked. An IP holding one of the account's slots has tried already
	 * (in a parallel burst, its other tries hold them all); any other IP
	 * may try once, which its own pair slot records. */
	long locked_for = c.retry_after_s;
	int tried = throttle_held_by(req, a->account_key, ip, LOGIN_GUARD_PER_ACCOUNT,
				     LOGIN_GUARD_WINDOW_S, error);
	if (tried < 0)
		return -1;
	if (!tried) {
		rc = throttle_claim(req, a->pair_key, 1, LOGIN_GUARD_WINDOW_S, &c, error);
		if (rc != 0) {
			a->pair_slot = c.slot_id;
			return rc;
		}
	}
	/* Refused before any password was checked: the IP's budget is not
	 * spent. */
	a->retry_after_s = locked_for;
	if (throttle_release(req, a->ip_slot, error))
		return -1;
	a->ip_slot = NULL;
	return 0;
}

bool login_guard_failed(const struct login_guard_attempt *a)
{
	return a->last_slot || a->pair_slot;
}

int login_guard_cancel(struct request *req, struct login_guard_attempt *a, bson_error_t *error)
{
	const char *slots[] = {a->ip_slot, a->account_slot, a->pair_slot};
	for (size_t i = 0; i < sizeof(slots) / sizeof(*slots); i++)
		if (slots[i] && throttle_release(req, slots[i], error))
			return -1;
	return 0;
}

int login_guard_succeeded(struct request *req, struct login_guard_attempt *a, bson_error_t *error)
{
	/* The IP's other failures stay: one valid account must not reset
	 * the guessing budget of everyone behind that address. */
	if ((a->ip_slot && throttle_release(req, a->ip_slot, error)) ||
	    (a->pair_slot && throttle_release(req, a->pair_slot, error)))
		return -1;
	return throttle_clear(req, a->account_key, LOGIN_GUARD_PER_ACCOUNT, LOGIN_GUARD_WINDOW_S,
			      error);
}

int login_guard_clear(struct request *req, const char *email, bson_error_t *error)
{
	return throttle_clear(req, throttle_key_hashed(req->arena, "login:account", email),
			      LOGIN_GUARD_PER_ACCOUNT, LOGIN_GUARD_WINDOW_S, error);
}

int login_guard_mail_claim(struct request *req, const char *email, bson_error_t *error)
{
	struct throttle_claim c;
	return throttle_claim(req, throttle_key_hashed(req->arena, "unlock-mail", email), 1,
			      LOGIN_GUARD_WINDOW_S, &c, error);
}
