/* cousiSTORE demo and benchmark catalogues, for development sites only.
 * Both read PRACTICES_DEMO_FILE (from the working directory: the
 * repository root, where deploy/dev runs the app): the demo practices,
 * and the vocabulary of the synthetic ones. */
#ifndef COUSILAB_PRACTICES_DEMO_H
#define COUSILAB_PRACTICES_DEMO_H

#include <jansson.h>

struct app;

#define PRACTICES_DEMO_FILE "src/practices/demo_practices.json"

/* Returns the parsed data file (new reference), or NULL after printing
 * why on stderr. */
json_t *practices_demo_data(void);

/* Loads the demo practices as their authors and the coordinator would
 * (the demo accounts must exist): created, toolbox files written by
 * minidoc and added like uploads, taken through the workflow, published
 * ones backdated over two years, then reuses declared and comments
 * posted (through the comments API handler). Runs once per
 * database because demo_load's marker says so. Returns 0 or -1
 * (messages on stderr). */
int practices_demo_load(const struct app *app);

/* Inserts n synthetic published practices (synthetic.c): deterministic
 * texts drawn from the demo practices' sentences, ids "5eed" + number (so
 * a second run keeps what is there and adds the rest), published over the
 * last three years, some with link-only toolboxes; no versions. Then
 * moves the catalogue stamp once, for one of them only: app processes see
 * the others when they start (they load the whole catalogue then), so
 * seed before starting them. For benchmarks. Returns 0 or -1. */
int practices_synthetic_load(const struct app *app, long n);

#endif
