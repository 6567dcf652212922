/* cousilab: the command line. `serve` runs the FastCGI server; the other
 * commands administer a site from a shell. */
#include <jansson.h>
#include <mongoc/mongoc.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/buf.h"
#include "db/db.h"
#include "db/migrate.h"
#include "db/seed.h"
#include "http/server.h"
#include "view/mustache.h"
#include "view/page.h"

static const char USAGE[] =
	"usage: cousilab COMMAND [options]\n"
	"  serve   [--socket PATH] [--socket-mode 0660] [--threads 8] [--views DIR]\n"
	"  migrate [--dir migrations]\n"
	"  seed    --demo\n"
	"  render  [--views DIR] NAME < data.json\n"
	"The database is $MONGODB_URI (default " DB_DEFAULT_URI ").\n";

/* Returns the value following flag in argv, or def. Borrowed. */
static const char *opt(int argc, char **argv, const char *flag, const char *def)
{
	for (int i = 2; i + 1 < argc; i++)
		if (strcmp(argv[i], flag) == 0)
			return argv[i + 1];
	return def;
}

static bool has_flag(int argc, char **argv, const char *flag)
{
	for (int i = 2; i < argc; i++)
		if (strcmp(argv[i], flag) == 0)
			return true;
	return false;
}

/* Returns the compiled views of dir, or NULL after printing why. */
static struct mustache_set *load_views(const char *dir)
{
	char err[512];
	struct mustache_set *views = mustache_set_load_dir(dir, err, sizeof(err));
	if (!views)
		fprintf(stderr, "cousilab: views: %s\n", err);
	return views;
}

static int cmd_serve(int argc, char **argv)
{
	struct server_config cfg = {
		.socket_path = opt(argc, argv, "--socket", "var/run/cousilab.sock"),
		.socket_mode = (mode_t)strtol(opt(argc, argv, "--socket-mode", "0660"),
					      NULL, 8),
		.threads = atoi(opt(argc, argv, "--threads", "8")),
	};
	if (cfg.threads < 1 || cfg.threads > 256) {
		fprintf(stderr, "cousilab: --threads must be between 1 and 256\n");
		return 2;
	}
	struct app app = {0};
	app.views = load_views(opt(argc, argv, "--views", "views"));
	if (!app.views)
		return 1;
	char err[512];
	/* A few spare clients for the mail sender and similar threads. */
	app.db = db_open(NULL, (size_t)cfg.threads + 4, err, sizeof(err));
	if (!app.db) {
		fprintf(stderr, "cousilab: %s\n", err);
		mustache_set_free(app.views);
		return 1;
	}
	int rc = server_run(&app, &cfg);
	db_close(app.db);
	mustache_set_free(app.views);
	return rc;
}

/* Runs fn with a freshly opened database; returns its exit status. */
static int with_db(int (*fn)(struct db *db, int argc, char **argv), int argc,
		   char **argv)
{
	char err[512];
	struct db *db = db_open(NULL, 2, err, sizeof(err));
	if (!db) {
		fprintf(stderr, "cousilab: %s\n", err);
		return 1;
	}
	int rc = fn(db, argc, argv);
	db_close(db);
	return rc;
}

static int run_migrate(struct db *db, int argc, char **argv)
{
	return migrate_run(db, opt(argc, argv, "--dir", "migrations")) ? 1 : 0;
}

static int run_seed(struct db *db, int argc, char **argv)
{
	if (!has_flag(argc, argv, "--demo")) {
		fputs(USAGE, stderr);
		return 2;
	}
	return seed_demo(db) ? 1 : 0;
}

static int cmd_render(int argc, char **argv)
{
	const char *name = argv[argc - 1];
	if (argc < 3 || name[0] == '-') {
		fputs(USAGE, stderr);
		return 2;
	}
	json_error_t jerr;
	json_t *data = json_loadf(stdin, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(data)) {
		fprintf(stderr, "cousilab: render: stdin must hold a JSON object (%s)\n",
			data ? "not an object" : jerr.text);
		json_decref(data);
		return 1;
	}
	struct mustache_set *views = load_views(opt(argc, argv, "--views", "views"));
	int rc = 1;
	if (views) {
		page_common_fields(data, NULL, NULL);
		struct buf out = BUF_INIT;
		if (mustache_render(views, name, data, &out) == 0) {
			fwrite(out.data, 1, out.len, stdout);
			rc = 0;
		} else {
			fprintf(stderr, "cousilab: render: no template named %s\n", name);
		}
		buf_free(&out);
		mustache_set_free(views);
	}
	json_decref(data);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(USAGE, stderr);
		return 2;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "cousilab: libsodium failed to initialise\n");
		return 1;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "render") == 0)
		return cmd_render(argc, argv);
	mongoc_init();
	int rc;
	if (strcmp(cmd, "serve") == 0)
		rc = cmd_serve(argc, argv);
	else if (strcmp(cmd, "migrate") == 0)
		rc = with_db(run_migrate, argc, argv);
	else if (strcmp(cmd, "seed") == 0)
		rc = with_db(run_seed, argc, argv);
	else {
		fputs(USAGE, stderr);
		rc = 2;
	}
	mongoc_cleanup();
	return rc;
}
