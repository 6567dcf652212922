/* Stalled projects: an active project without a journal post, a
 * measurement or a move for PROJECT_STALLED_DAYS is flagged on the board,
 * and its following coordinator gets the week's stalled projects in one
 * mail, at most one a week: the mail is claimed first by inserting the
 * unique _id "stalled:<coordinator id>:<ISO week>" into "project_mails",
 * so of several processes (or passes) only one sends it. */
#ifndef COUSILAB_PROJECT_STALLED_H
#define COUSILAB_PROJECT_STALLED_H

struct app;
struct db_ctx;

/* How often a process looks: at once when the week (of the deadline
 * clock, core/clock.h) changed since its last complete pass, else once a
 * minute, so that a project that stalls mid-week is in that week's mail
 * when its coordinator has had none yet. */
enum { PROJECT_STALLED_CHECK_MS = 60 * 1000 };

/* The refresher's task (web/refresher.h): mails each following
 * coordinator their stalled projects of the week, once, read from the
 * in-process index (projects/index.h). Returns 0, or -1 after logging
 * (the next pass tries again; a claimed mail is never sent twice). */
int projects_stalled_mail(const struct app *app, struct db_ctx *db);

#endif
