/* `cousilab user ...` and `cousilab token ...`: administering accounts
 * from a shell, for a fresh install before any admin exists. */
#ifndef COUSILAB_ACCOUNTS_CLI_H
#define COUSILAB_ACCOUNTS_CLI_H

struct app;

/* Runs `user add|role` or `token create` from argv (argv[1] is "user" or
 * "token"). Returns the process exit status; messages in French on
 * stdout/stderr. */
int accounts_cli(const struct app *app, int argc, char **argv);

/* Creates the demo accounts (one per role, example.org addresses). Returns
 * 0 or -1. */
int accounts_seed_demo(const struct app *app);

/* Inserts users synthetic active agents (users >= 1) and sessions live
 * sessions spread over them (synthetic.c), in batches; a second run adds
 * nothing. For benchmarks only: nobody can sign in as them. Returns 0, or
 * -1 after printing why. */
int accounts_synthetic_load(const struct app *app, long users, long sessions);

#endif
