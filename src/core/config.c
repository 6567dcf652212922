#include <stdlib.h>
#include <string.h>

#include "core/app.h"

/* Returns $name as a positive number (seconds, a count), or def when
 * unset or invalid. */
static long env_seconds(const char *name, long def)
{
	const char *v = getenv(name);
	char *end;
	long n = v ? strtol(v, &end, 10) : 0;
	return v && *v && !*end && n > 0 ? n : def;
}

void config_from_env(struct config *cfg)
{
	const char *base = getenv("COUSILAB_BASE_URL");
	cfg->base_url = base && *base ? base : "http://127.0.0.1:8080";
	cfg->session_idle_s = env_seconds("COUSILAB_SESSION_IDLE_S", 2 * 3600);
	cfg->session_absolute_s = env_seconds("COUSILAB_SESSION_ABSOLUTE_S", 12 * 3600);
	const char *secure = getenv("COUSILAB_SECURE_COOKIES");
	cfg->secure_cookies = !secure || strcmp(secure, "auto") == 0 ? SECURE_COOKIES_AUTO
			      : strcmp(secure, "on") == 0            ? SECURE_COOKIES_ON
								     : SECURE_COOKIES_OFF;
	const char *cache = getenv("COUSILAB_CACHE_DIR");
	cfg->cache_dir = cache && *cache ? cache : "var/cache";
	cfg->writes_per_minute = env_seconds("COUSILAB_WRITES_PER_MINUTE", 30);
}
