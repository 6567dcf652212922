/* Process-wide state shared read-only by every worker thread once the
 * server has started. main.c fills it; every layer reads it through
 * req->app. It lives in core because it includes nothing: settings are
 * plain values and the services are opaque pointers that only their own
 * folder (db/, view/, mail/, accounts/) can look into. */
#ifndef COUSILAB_APP_H
#define COUSILAB_APP_H

#include <stdbool.h>

struct common_passwords;
struct db;
struct mail_sender;
struct mustache_set;
struct password_gate;

/* Settings read once from the environment at startup (config.c). */
struct config {
	const char *base_url;    /* $COUSILAB_BASE_URL: links in mails */
	long session_idle_s;     /* $COUSILAB_SESSION_IDLE_S, default 2 h */
	long session_absolute_s; /* $COUSILAB_SESSION_ABSOLUTE_S, default 12 h */
	/* $COUSILAB_SECURE_COOKIES: "auto" (Secure + __Host- when the request
	 * came over HTTPS), "on" (always), "off" (never). */
	int secure_cookies;
	/* $COUSILAB_CACHE_DIR, default "var/cache": local copies of stored
	 * files (files/, served by nginx), uploads being received
	 * (uploads/) and the catalogue's unnamed scratch file. Same value
	 * as the nginx site's --cache. */
	const char *cache_dir;
	/* $COUSILAB_WRITES_PER_MINUTE, default 30: state-changing requests
	 * a signed-in user or API token may make in a minute. */
	long writes_per_minute;
};

enum { SECURE_COOKIES_AUTO, SECURE_COOKIES_ON, SECURE_COOKIES_OFF };

struct app {
	struct mustache_set *views; /* compiled once at startup */
	struct db *db;              /* client pool */
	struct config config;
	struct common_passwords *common;     /* refused passwords */
	struct mail_sender *mail;            /* background sender, may be NULL */
	struct password_gate *password_gate; /* bounds argon2 work; NULL: none */
};

/* Fills cfg from the environment; strings are borrowed from environ. */
void config_from_env(struct config *cfg);

#endif
