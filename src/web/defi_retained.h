/* How many teams an edition of the Défi du Lab retained, for the features
 * that follow those teams afterwards (the projects' funnel). Features
 * never include each other: defi/ registers its answer here once at
 * startup (main.c). */
#ifndef COUSILAB_DEFI_RETAINED_H
#define COUSILAB_DEFI_RETAINED_H

struct request;

/* Sets *count to the teams of edition year with the status "retenue"
 * (0 for an edition that does not exist). Returns 0, or -1 after
 * replying (503). */
typedef int (*defi_retained_fn)(struct request *req, int year, long *count);

/* Registers fn (static); call before the server starts. */
void defi_retained_register(defi_retained_fn fn);

/* Asks the registered answer. Returns 0, or -1 after replying: 503 from
 * the answer, or a logged 500 when main registered none (a startup bug). */
int defi_retained_count(struct request *req, int year, long *count);

#endif
