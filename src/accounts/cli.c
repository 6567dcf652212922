#include "accounts/cli.h"

#include <stdio.h>
#include <string.h>

#include "accounts/admin_ops.h"
#include "accounts/session.h"
#include "accounts/user.h"
#include "core/arena.h"
#include "audit/audit.h"
#include "core/app.h"
#include "db/db.h"

/* What a command works with: the settings, and a database context whose
 * arena holds what the command allocates. */
struct command {
	const struct app *app;
	struct db_ctx *db;
	struct audit_actor by; /* the audit journal's actor: the command */
};

/* Returns the value after flag, or NULL. Borrowed from argv. */
static const char *flag_value(int argc, char **argv, const char *flag)
{
	for (int i = 2; i + 1 < argc; i++)
		if (strcmp(argv[i], flag) == 0)
			return argv[i + 1];
	return NULL;
}

/* Returns the value after flag, or "". */
static const char *flag_text(int argc, char **argv, const char *flag)
{
	const char *v = flag_value(argc, argv, flag);
	return v ? v : "";
}

/* Reads one line from stdin into the arena, without its newline. */
static const char *read_password(struct arena *a)
{
	char line[1024];
	if (!fgets(line, sizeof(line), stdin))
		return "";
	line[strcspn(line, "\r\n")] = '\0';
	return arena_strdup(a, line);
}

static int user_add(const struct command *c, int argc, char **argv)
{
	struct db_ctx *db = c->db;
	const char *role = flag_value(argc, argv, "--role");
	int r = role ? role_from_name(role) : ROLE_AGENT;
	struct account_new a = {
		.email = user_email_normalize(db->arena, flag_text(argc, argv, "--email")),
		.name = flag_text(argc, argv, "--name"),
		.organisation = flag_text(argc, argv, "--organisation"),
		.job = flag_text(argc, argv, "--job"),
		.role = (enum role)r,
	};
	if (r < 0) {
		fprintf(stderr, "cousilab: rôle inconnu\u202f: %s\n", role);
		return 2;
	}
	a.password = read_password(db->arena);
	const char *why;
	const char *id = account_create(db, c->app->common, &c->by, &a, &why);
	if (!id) {
		fprintf(stderr, "cousilab: compte non créé\u202f: %s\n", why);
		return 1;
	}
	printf("compte créé\u202f: %s (%s)\n", a.email, id);
	return 0;
}

/* Returns the user named by --email, or NULL after printing why. */
static struct user *user_from_flag(struct db_ctx *db, int argc, char **argv)
{
	const char *email = flag_value(argc, argv, "--email");
	bson_error_t error;
	struct user *u = email ? user_find_email(db, user_email_normalize(db->arena, email), &error)
			       : NULL;
	if (!u)
		fprintf(stderr, "cousilab: %s\n",
			!email       ? "--email est obligatoire"
			: error.code ? error.message
				     : "aucun compte avec cette adresse");
	return u;
}

static int user_role(const struct command *c, int argc, char **argv)
{
	struct db_ctx *db = c->db;
	const char *add = flag_value(argc, argv, "--add");
	const char *remove = flag_value(argc, argv, "--remove");
	const char *scope = flag_value(argc, argv, "--scope");
	int r = role_from_name(add ? add : remove ? remove : "");
	if (r < 0 || (add && remove)) {
		fprintf(stderr, "cousilab: précisez --add ROLE ou --remove ROLE\n");
		return 2;
	}
	struct user *u = user_from_flag(db, argc, argv);
	if (!u)
		return 1;
	const char *why;
	if (account_set_role(db, &c->by, u, (enum role)r, scope, add != NULL, &why)) {
		fprintf(stderr, "cousilab: %s\n", why);
		return 1;
	}
	printf("%s\u202f: rôle %s%s%s %s\n", u->email, role_name((enum role)r),
	       scope ? " pour " : "", scope ? scope : "", add ? "ajouté" : "retiré");
	return 0;
}

static int token_create(const struct command *c, int argc, char **argv)
{
	struct db_ctx *db = c->db;
	const char *label = flag_value(argc, argv, "--name");
	struct user *u = user_from_flag(db, argc, argv);
	if (!u)
		return 1;
	if (!label || !*label) {
		fprintf(stderr, "cousilab: --name LIBELLÉ est obligatoire\n");
		return 2;
	}
	bson_error_t error;
	const char *token = api_token_create(db, u->id, label, &error);
	if (!token) {
		fprintf(stderr, "cousilab: %s\n", error.message);
		return 1;
	}
	printf("%s\n", token);
	return 0;
}

int accounts_cli(const struct app *app, int argc, char **argv)
{
	const char *what = argc > 2 ? argv[2] : "";
	int (*fn)(const struct command *, int,
		  char **) = strcmp(argv[1], "user") == 0 && strcmp(what, "add") == 0    ? user_add
			     : strcmp(argv[1], "user") == 0 && strcmp(what, "role") == 0 ? user_role
			     : strcmp(argv[1], "token") == 0 && strcmp(what, "create") == 0
				     ? token_create
				     : NULL;
	if (!fn) {
		fprintf(stderr,
			"usage: cousilab user add --email E --name N --organisation CODE"
			" [--job J] [--role R] < password\n"
			"       cousilab user role --email E --add R|--remove R [--scope S]\n"
			"       cousilab token create --email E --name LABEL\n");
		return 2;
	}
	struct command c = {app, db_ctx_open(app->db, "cli"), audit_actor_cli(NULL)};
	int rc = fn(&c, argc, argv);
	db_ctx_close(c.db);
	return rc;
}

/* Fictional people, one per role; the password is in the README. */
static const struct account_new DEMO[] = {
	{"camille.martin@example.org", "Camille Martin", "caf-31", "Chargée de communication",
	 "cousilab-demo-2026", ROLE_AGENT},
	{"julien.moreau@example.org", "Julien Moreau", "ucanss", "Coordinateur du Lab",
	 "cousilab-demo-2026", ROLE_COORDINATOR},
	{"sophie.bernard@example.org", "Sophie Bernard", "ucanss", "Secrétariat du Grand Prix",
	 "cousilab-demo-2026", ROLE_SECRETARIAT},
	{"nadia.lefevre@example.org", "Nadia Lefèvre", "cpam-31", "Directrice adjointe",
	 "cousilab-demo-2026", ROLE_JUROR},
	{"thomas.petit@example.org", "Thomas Petit", "cnaf", "Directeur de l’innovation",
	 "cousilab-demo-2026", ROLE_GRAND_JUROR},
	{"admin@example.org", "Alex Admin", "ucanss", "Administration de Cousilab",
	 "cousilab-demo-2026", ROLE_ADMIN},
};

int accounts_seed_demo(const struct app *app)
{
	struct db_ctx *db = db_ctx_open(app->db, "cli");
	int rc = 0;
	struct audit_actor by = audit_actor_cli(NULL);
	for (size_t i = 0; i < sizeof(DEMO) / sizeof(*DEMO); i++) {
		const char *why;
		if (!account_create(db, app->common, &by, &DEMO[i], &why)) {
			fprintf(stderr, "seed: %s: %s\n", DEMO[i].email, why);
			rc = -1;
		}
	}
	db_ctx_close(db);
	return rc;
}
