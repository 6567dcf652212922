/* The Défi du Lab's demo data, for development sites only. */
#ifndef COUSILAB_DEFI_DEMO_H
#define COUSILAB_DEFI_DEMO_H

struct app;
struct db_ctx;
struct user;

/* Creates, as the demo coordinator would, the six editions 2018 to 2023
 * (2023 with the facts of the Lab's announcement; the earlier themes are
 * plausible inventions, marked as examples) and a current edition whose
 * sign-ups are open on the day this runs. Runs once per database (demo_load's
 * marker). Returns 0 or -1 (messages on stderr). */
int defi_demo_load(const struct app *app);

/* Creates through db the demo teams of edition year (open), one or two at
 * every status, with fictional colleagues' accounts (app's settings);
 * coordinator is the demo coordinator (the decisions' author, and the
 * accounts' creator in the audit journal). Returns 0 or -1 (messages on
 * stderr). */
int defi_demo_teams(const struct app *app, struct db_ctx *db, const struct user *coordinator,
		    int year);

/* `cousilab seed --defi-teams N` (synthetic.c): N synthetic teams in the
 * edition open now, for benchmarks. Returns 0 or -1 (messages on
 * stderr). */
int defi_synthetic_load(const struct app *app, long n);

#endif
