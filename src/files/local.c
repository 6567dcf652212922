#include "files/local.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "core/app.h"
#include "core/arena.h"
#include "core/log.h"
#include "http/request.h"

/* Creates dir when missing; logs a failure. */
static void ensure_dir(struct request *req, const char *dir, mode_t mode)
{
	if (mkdir(dir, mode) && errno != EEXIST)
		log_error(req->request_id, "cannot create %s: %s", dir, strerror(errno));
}

const char *files_local_dir(struct request *req, const char *sub)
{
	const char *dir = arena_printf(req->arena, "%s/%s", req->app->config.cache_dir, sub);
	ensure_dir(req, req->app->config.cache_dir, 0755);
	ensure_dir(req, dir, strcmp(sub, "files") == 0 ? 0755 : 0700);
	return dir;
}
