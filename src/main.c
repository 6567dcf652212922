/* cousilab: the command line. `serve` runs the FastCGI server; the other
 * commands administer a site from a shell. */
#include <jansson.h>
#include <mongoc/mongoc.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/account_cache.h"
#include "accounts/auth.h"
#include "accounts/backfill.h"
#include "accounts/cli.h"
#include "accounts/erasure.h"
#include "accounts/organisation_sections.h"
#include "accounts/password.h"
#include "accounts/password_gate.h"
#include "accounts/purge.h"
#include "core/app.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "db/cache.h"
#include "db/db.h"
#include "db/doc.h"
#include "db/lookup.h"
#include "db/migrate.h"
#include "db/monitor.h"
#include "defi/demo.h"
#include "defi/project_link.h"
#include "defi/reminders.h"
#include "defi/team_index.h"
#include "gpi/candidature.h"
#include "gpi/desk.h"
#include "gpi/laureates.h"
#include "gpi/synthetic.h"
#include "demo.h"
#include "files/owner.h"
#include "gpi/project_section.h"
#include "gpi/ui.h"
#include "http/server.h"
#include "mail/outbox.h"
#include "mail/sender.h"
#include "practices/demo.h"
#include "practices/digest.h"
#include "practices/catalogue.h"
#include "practices/clubs.h"
#include "practices/conversation.h"
#include "practices/link.h"
#include "practices/lookups.h"
#include "practices/reuse.h"
#include "practices/toolbox.h"
#include "projects/files.h"
#include "projects/gpi_link.h"
#include "projects/stalled.h"
#include "projects/synthetic.h"
#include "view/mustache.h"
#include "web/page.h"
#include "web/refresher.h"
#include "web/router.h"
#include "web/visitor.h"

static const char USAGE[] =
	"usage: cousilab COMMAND [options]\n"
	"  serve   [--socket PATH] [--socket-mode 0660] [--threads 8] [--views DIR]\n"
	"  migrate [--dir migrations]\n"
	"  seed    --demo | --practices N | --projects N | --defi-teams N | --gpi-candidatures N\n"
	"          | --gpi-grids N JURORS\n"
	"          | --accounts USERS SESSIONS\n"
	"          (all but --demo synthetic, for benchmarks)\n"
	"  user    add --email E --name N --organisation CODE [--job J] [--role R] < password\n"
	"  user    role --email E --add ROLE|--remove ROLE\n"
	"  token   create --email E --name LABEL\n"
	"  render  [--views DIR] NAME < data.json\n"
	"  digest  --now        mail today's digests of followed sheets now\n"
	"The database is $MONGODB_URI (default " DB_DEFAULT_URI ").\n";

/* Expired sessions and links are deleted this often. */
enum { PURGE_INTERVAL_S = 600 };

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

/* Fills app for commands that serve or change accounts: settings, views,
 * database pool, refused passwords. Returns 0, or 1 after printing why. */
static int app_open(struct app *app, const char *views_dir, size_t clients)
{
	config_from_env(&app->config);
	app->views = load_views(views_dir);
	if (!app->views)
		return 1;
	char err[512];
	app->db = db_open(NULL, clients, err, sizeof(err));
	if (!app->db) {
		fprintf(stderr, "cousilab: %s\n", err);
		mustache_set_free(app->views);
		return 1;
	}
	const char *list = getenv("COUSILAB_COMMON_PASSWORDS");
	app->common = password_common_load(list ? list : "/usr/share/john/password.lst");
	return 0;
}

static void app_close(struct app *app)
{
	password_common_free(app->common);
	db_close(app->db);
	mustache_set_free(app->views);
}

/* The subjects the daily digest tells of, by the features that own them. */
static const struct comments_digest_kind *const DIGEST_KINDS[] = {&practice_digest_kind, NULL};

struct background {
	struct janitor *janitor;
	struct mail_sender *mail;
	struct comments_digest_thread *digest;
	struct refresher *refresher;
};

/* At the stop signal: background threads start winding down at once,
 * alongside the drain, so the whole stop fits in 5 s. */
static void stop_background(void *ctx)
{
	struct background *bg = ctx;
	purge_janitor_request_stop(bg->janitor);
	mail_sender_request_stop(bg->mail);
	comments_digest_request_stop(bg->digest);
	refresher_request_stop(bg->refresher);
}

/* The refresher's tasks (web/refresher.h): the versioned caches
 * (db/cache.h), the accounts' copies, the catalogue, then the Défi's and
 * the Grand Prix's deferred notices (gpi/desk.h) and laureates' mails
 * (gpi/laureates.h). */
static int refresh_caches(const struct app *app, struct db_ctx *db)
{
	(void)app;
	return cache_refresh_all(db);
}

static int refresh_accounts(const struct app *app, struct db_ctx *db)
{
	(void)app;
	return account_cache_refresh(db);
}

static int refresh_catalogue(const struct app *app, struct db_ctx *db)
{
	return catalogue_refresh(db, app->config.cache_dir);
}

/* The Défi's teams index, then its reminders (through the outbox). */
static int refresh_defi(const struct app *app, struct db_ctx *db)
{
	int index = defi_index_refresh(db), reminders = defi_reminders_run(app, db);
	return index || reminders ? -1 : 0;
}

/* The Grand Prix's candidatures index, then its deferred notices (which
 * read it). */
static int refresh_gpi(const struct app *app, struct db_ctx *db)
{
	int index = gpi_index_refresh(db), notices = gpi_notices_run(app, db);
	return index || notices ? -1 : 0;
}

static int cmd_serve(int argc, char **argv)
{
	struct server_config cfg = {
		.dispatch = route_dispatch,
		.socket_path = opt(argc, argv, "--socket", "var/run/cousilab.sock"),
		.socket_mode = (mode_t)strtol(opt(argc, argv, "--socket-mode", "0660"), NULL, 8),
		.threads = atoi(opt(argc, argv, "--threads", "8")),
	};
	if (cfg.threads < 1 || cfg.threads > 256) {
		fprintf(stderr, "cousilab: --threads must be between 1 and 256\n");
		return 2;
	}
	server_block_signals();
	struct app app = {0};
	/* A few spare clients for the mail sender and similar threads. */
	if (app_open(&app, opt(argc, argv, "--views", "views"), (size_t)cfg.threads + 4))
		return 1;
	/* Before anything uses the database: its state is known from the
	 * first request on. Stopped by app_close, after every user. */
	db_monitor_start(app.db);
	struct mail_config mail;
	mail_config_from_env(&mail);
	app.mail = mail_sender_start(app.db->pool, app.db->name, &mail);
	if (!app.mail) {
		fprintf(stderr, "cousilab: the mail sender cannot start "
				"(check COUSILAB_MAIL_FROM and COUSILAB_SMTP_URL)\n");
		mail_config_free(&mail);
		app_close(&app);
		return 1;
	}
	app.password_gate = password_gate_new(password_gate_slots(cfg.threads),
					      password_gate_queue(cfg.threads),
					      PASSWORD_GATE_WAIT_MS);
	struct background bg = {
		.janitor = purge_janitor_start(app.db, &app.config, PURGE_INTERVAL_S),
		.mail = app.mail,
		.digest = comments_digest_start(&app, DIGEST_KINDS),
	};
	/* The caches first, since the catalogue names the organisations; the
	 * accounts before the catalogue, whose first load may take seconds. */
	static const refresher_task refresh_tasks[] = {
		refresh_caches, refresh_accounts, refresh_catalogue,	 projects_stalled_mail,
		refresh_defi,	refresh_gpi,	  gpi_laureate_mails_run};
	bg.refresher = refresher_start(&app, refresh_tasks,
				       sizeof(refresh_tasks) / sizeof(*refresh_tasks));
	if (!bg.refresher)
		log_error(NULL, "the refresher cannot start: requests will sync the caches");
	cfg.on_stop = stop_background;
	cfg.stop_ctx = &bg;
	int rc = server_run(&app, &cfg);
	refresher_stop(bg.refresher);
	purge_janitor_stop(bg.janitor);
	comments_digest_stop(bg.digest);
	mail_sender_stop(app.mail);
	mail_config_free(&mail);
	password_gate_free(app.password_gate);
	app_close(&app);
	return rc;
}

/* Reads the numbers of `seed --practices N` or `--accounts USERS
 * SESSIONS` into n[0..2) (0 when absent). Returns 0, or -1 when one is
 * not a number in [min, 10^6]. */
static int seed_counts(int argc, char **argv, const char *flag, int count, long min, long n[2])
{
	n[0] = n[1] = 0;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], flag) != 0)
			continue;
		for (int k = 0; k < count; k++) {
			char *end = NULL;
			const char *v = i + 1 + k < argc ? argv[i + 1 + k] : "";
			n[k] = strtol(v, &end, 10);
			if (!*v || *end || n[k] < (k ? 0 : min) || n[k] > 1000000)
				return -1;
		}
	}
	return 0;
}

/* `user ...`, `token ...` and `seed --demo|--practices N|--projects N|--accounts U S`:
 * commands that act as the platform on its own data. */
static int cmd_admin(int argc, char **argv)
{
	bool seed = strcmp(argv[1], "seed") == 0;
	long practices[2], accounts[2], projects[2], teams[2], candidatures[2], grids[2];
	if (seed && (seed_counts(argc, argv, "--practices", 1, 1, practices) ||
		     seed_counts(argc, argv, "--accounts", 2, 1, accounts) ||
		     seed_counts(argc, argv, "--projects", 1, 1, projects) ||
		     seed_counts(argc, argv, "--defi-teams", 1, 1, teams) ||
		     seed_counts(argc, argv, "--gpi-candidatures", 1, 1, candidatures) ||
		     seed_counts(argc, argv, "--gpi-grids", 2, 1, grids) ||
		     (!practices[0] && !accounts[0] && !projects[0] && !teams[0] &&
		      !candidatures[0] && !grids[0] && !has_flag(argc, argv, "--demo")))) {
		fputs(USAGE, stderr);
		return 2;
	}
	struct app app = {0};
	/* The demo nests requests: the marker's client, the loader's, a comment's. */
	if (app_open(&app, opt(argc, argv, "--views", "views"), 4))
		return 1;
	int rc;
	if (!seed)
		rc = accounts_cli(&app, argc, argv);
	else if (accounts[0])
		rc = accounts_synthetic_load(&app, accounts[0], accounts[1]) ? 1 : 0;
	else if (projects[0])
		rc = projects_synthetic_load(&app, projects[0]) ? 1 : 0;
	else if (teams[0])
		rc = defi_synthetic_load(&app, teams[0]) ? 1 : 0;
	else if (candidatures[0])
		rc = gpi_synthetic_load(&app, candidatures[0]) ? 1 : 0;
	else if (grids[0])
		rc = gpi_synthetic_grids_load(&app, grids[0], grids[1]) ? 1 : 0;
	else
		rc = (practices[0] ? practices_synthetic_load(&app, practices[0]) : demo_load(&app))
			     ? 1
			     : 0;
	app_close(&app);
	return rc;
}

/* `digest --now`: one pass of the daily digest, at once. */
static int cmd_digest(int argc, char **argv)
{
	if (!has_flag(argc, argv, "--now")) {
		fputs(USAGE, stderr);
		return 2;
	}
	struct app app = {0};
	if (app_open(&app, opt(argc, argv, "--views", "views"), 2))
		return 1;
	int queued = comments_digest_run(&app, DIGEST_KINDS, clock_now_ms());
	if (queued >= 0)
		printf("%d\n", queued);
	app_close(&app);
	return queued < 0;
}

/* Runs fn with a freshly opened database; returns its exit status. */
static int with_db(int (*fn)(struct db *db, int argc, char **argv), int argc, char **argv)
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

/* Migration step "data_lookups": the lookup lists of data written before
 * they existed (0040_lookups.json). They are written through a database
 * context of their own, on a pool of their own to the same database. */
static int build_lookups(mongoc_database_t *database)
{
	(void)database;
	char err[512];
	struct db *pools = db_open(NULL, 2, err, sizeof(err));
	if (!pools) {
		fprintf(stderr, "migrate: data_lookups: %s\n", err);
		return -1;
	}
	struct db_ctx *db = db_ctx_open(pools, "migrate");
	int rc = practice_lookups_backfill(db) ||
				 lookup_backfill(db, "users", "organisation", "members_of",
						 "created_at") ||
				 lookup_backfill(db, "audit", "actor_id", "audit_by", "at") ||
				 lookup_backfill(db, MAIL_COLLECTION, "to", "mail_to", "created_at")
			 ? -1
			 : 0;
	db_ctx_close(db);
	db_close(pools);
	return rc;
}

/* Migration step "comment_subjects" (0110_comment_subjects.json): the
 * conversation's data keyed by subject, then the lists of any comment
 * written before lists existed, under their new names. */
static int comment_subjects(mongoc_database_t *database)
{
	return conversation_migrate_subjects(database) || build_lookups(database) ? -1 : 0;
}

static int run_migrate(struct db *db, int argc, char **argv)
{
	static const struct migrate_step steps[] = {
		{"accounts_lookups", accounts_lookups_backfill},
		{"data_lookups", build_lookups},
		{"comment_subjects", comment_subjects},
		{NULL, NULL},
	};
	return migrate_run(db, opt(argc, argv, "--dir", "migrations"), steps) ? 1 : 0;
}

static int cmd_render(int argc, char **argv)
{
	const char *name = argv[argc - 1];
	if (argc < 3 || name[0] == '-') {
		fputs(USAGE, stderr);
		return 2;
	}
	/* Any JSON value: a list or a scalar at the root is what {{.}} names. */
	json_error_t jerr;
	json_t *data = json_loadf(stdin, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (!data) {
		fprintf(stderr, "cousilab: render: stdin must hold JSON (%s)\n", jerr.text);
		return 1;
	}
	struct mustache_set *views = load_views(opt(argc, argv, "--views", "views"));
	int rc = 1;
	if (views) {
		if (json_is_object(data)) /* the layout's fields, as pages have them */
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

/* Routes libmongoc's messages to our log. FerretDB lacks endSessions,
 * which the driver tries at every client shutdown: that warning is noise. */
static void mongoc_to_log(mongoc_log_level_t level, const char *domain, const char *message,
			  void *ctx)
{
	(void)ctx;
	if (level > MONGOC_LOG_LEVEL_WARNING || strstr(message, "endSessions"))
		return;
	log_msg(level <= MONGOC_LOG_LEVEL_CRITICAL ? "error" : "warning", NULL, "mongoc %s: %s",
		domain, message);
}

/* Plugs the features into the layers below them, which never include a
 * feature (src/LAYERS): for the server and every command alike. */
static void register_features(void)
{
	/* Who is asking, for the router, the page layout and the audit log. */
	visitor_register(&auth_visitor);
	/* What features forget when an account erases itself. */
	accounts_erasure_register(clubs_forget_member);
	/* What an organisation's page shows of other features. */
	organisation_section_register(&reuse_organisation_section);
	/* Who may read the stored files of each owner kind. */
	files_owner_register(TOOLBOX_FILE_OWNER, toolbox_file_readable_or_reply);
	files_owner_register(PROJECT_FILE_OWNER, projects_file_readable);
	files_owner_register("candidature", gpi_candidature_file_readable);
	/* What other features make of practices and show of them. */
	practice_link_register(&practices_link_ops);
	/* What project tracking makes of a retained Défi team. */
	defi_team_link_register(&defi_project_link_ops);
	/* What a Grand Prix candidature takes from a project, and what the
	 * project page shows of the Grand Prix. */
	gpi_project_link_register(&projects_gpi_link_ops);
	gpi_project_section_register(&gpi_project_section_ops);
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
	register_features();
	const char *cmd = argv[1];
	if (strcmp(cmd, "render") == 0)
		return cmd_render(argc, argv);
	mongoc_init();
	mongoc_log_set_handler(mongoc_to_log, NULL);
	int rc;
	if (strcmp(cmd, "serve") == 0)
		rc = cmd_serve(argc, argv);
	else if (strcmp(cmd, "migrate") == 0)
		rc = with_db(run_migrate, argc, argv);
	else if (strcmp(cmd, "seed") == 0 || strcmp(cmd, "user") == 0 || strcmp(cmd, "token") == 0)
		rc = cmd_admin(argc, argv);
	else if (strcmp(cmd, "digest") == 0)
		rc = cmd_digest(argc, argv);
	else {
		fputs(USAGE, stderr);
		rc = 2;
	}
	mongoc_cleanup();
	return rc;
}
