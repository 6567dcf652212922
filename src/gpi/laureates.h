/* The laureates of a Grand Prix edition as each reader may show them:
 * the one door through which pages, the API, the feed and the mails read
 * results, so that none of them shows a prize before the ceremony
 * instant (gpi_results_rules.h) to anyone but the grand jury, the
 * secretariat and admins. */
#ifndef COUSILAB_GPI_LAUREATES_H
#define COUSILAB_GPI_LAUREATES_H

#include <bson/bson.h>
#include <jansson.h>
#include <stdint.h>

struct app;
struct db_ctx;
struct user;

/* Returns the laureates of edition e (gpi_laureates_list's items, from
 * the cached category states and results and the in-process index: no
 * collection is read) when user (NULL: anonymous) may see them at now_ms,
 * else an empty array. New reference, or NULL with err set when the
 * caches or the index cannot be read (never a list short of a prize). */
json_t *gpi_laureates_for(struct db_ctx *db, const struct user *user, const json_t *e,
			  int64_t now_ms, bson_error_t *err);

/* Returns the laureates of edition e whatever the clock says (the mails'
 * pass, which decides itself when they are due). As gpi_laureates_for. */
json_t *gpi_laureates_all(struct db_ctx *db, const json_t *e, bson_error_t *err);

/* The refresher's task (web/refresher.h): for every edition whose
 * results are published by the server's clock and whose laureates were
 * not mailed yet (published_mail_at), mails each laureate's candidature
 * once per prize, claimed by its outbox _id ("gpi-prix-<id>-<prize>-<n>",
 * n the recipient's rank), then records published_mail_at. Reads only
 * caches and the in-process index until a mail is due. Returns 0, or -1
 * after logging. */
int gpi_laureate_mails_run(const struct app *app, struct db_ctx *db);

#endif
