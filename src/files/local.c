#include "files/local.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "core/app.h"
#include "core/arena.h"
#include "core/log.h"

/* Creates dir when missing; logs a failure. */
static void ensure_dir(const char *log_id, const char *dir, mode_t mode)
{
	if (mkdir(dir, mode) && errno != EEXIST)
		log_error(log_id, "cannot create %s: %s", dir, strerror(errno));
}

const char *files_local_dir(const struct app *app, struct arena *a, const char *log_id,
			    const char *sub)
{
	const char *dir = arena_printf(a, "%s/%s", app->config.cache_dir, sub);
	ensure_dir(log_id, app->config.cache_dir, 0755);
	ensure_dir(log_id, dir, strcmp(sub, "files") == 0 ? 0755 : 0700);
	return dir;
}
