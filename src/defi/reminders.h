/* The Défi's reminder mails, each sent once: to the captain of a team
 * still in draft 7 days and 1 day before sign-ups close, and to a person
 * invited to a team who has not answered after 3 days. Each mail is
 * claimed first by a unique _id in "defi_reminders" ("j7:<team>",
 * "j1:<team>", "invite:<team>:<user id or hash of the address>"), so
 * however many processes look, one mail goes out. The deadline clock is
 * core/clock.h's. */
#ifndef COUSILAB_DEFI_REMINDERS_H
#define COUSILAB_DEFI_REMINDERS_H

#include <stdbool.h>
#include <stdint.h>

struct app;
struct db_ctx;

enum {
	DEFI_REMIND_CAPTAIN_EARLY_MS = 7 * 86400 * 1000,
	DEFI_REMIND_CAPTAIN_LATE_MS = 1 * 86400 * 1000,
	DEFI_REMIND_INVITE_AFTER_MS = 3 * 86400 * 1000,
};

/* Which captain's reminder is due at now_ms for a sign-up window closing
 * at closes_ms: 7 (the week before), 1 (the last day) or 0 (none: too
 * early, or closed). Pure. */
int defi_captain_reminder_due(int64_t closes_ms, int64_t now_ms);

/* Returns whether an invitation sent at invited_ms, still unanswered,
 * calls for its reminder at now_ms. Pure. */
bool defi_invite_reminder_due(int64_t invited_ms, int64_t now_ms);

/* The refresher's task: for every edition open at the deadline clock's
 * now, claims and queues the reminders due, from the teams' index. Claims
 * already seen by this process are remembered, so a pass with nothing new
 * reads nothing. Returns 0, or -1 after logging a failure. */
int defi_reminders_run(const struct app *app, struct db_ctx *db);

#endif
