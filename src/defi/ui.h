/* The Défi du Lab's handlers, as the route table names them. Each takes
 * the request and replies; API requests get their errors as JSON. */
#ifndef COUSILAB_DEFI_UI_H
#define COUSILAB_DEFI_UI_H

#include <jansson.h>

struct request;

/* Returns the edition named by the route's {year}, borrowed for the
 * request, or NULL after replying 404 (no such edition, or not a year)
 * or the database's failure. */
const json_t *defi_edition_of_route_or_reply(struct request *req);

/* Returns every edition (defi_editions_all's reference, handed to the
 * request's arena: the caller never decrefs it), or NULL after replying
 * the database's failure. */
json_t *defi_editions_or_reply(struct request *req);

/* The page cache hook of pages built from the editions alone: loads
 * them (at once the first time). Returns 0, or -1 when they cannot be
 * read (the page is then built uncached, and fails). */
int defi_fresh(struct request *req);

/* Editions (defi-editions): pages, forms, calendar, API. */
void defi_home(struct request *req);
void defi_edition_page(struct request *req);
void defi_edition_new(struct request *req);
void defi_edition_add(struct request *req);
void defi_edition_edit(struct request *req);
void defi_edition_save(struct request *req);
void defi_calendar(struct request *req);
void defi_api_editions(struct request *req);
void defi_api_edition(struct request *req);

/* Coordination (defi-editions): the teams' list, figures and exports. */
void defi_teams_page(struct request *req);
void defi_api_teams(struct request *req);
void defi_figures_page(struct request *req);
void defi_export_teams(struct request *req);
void defi_export_people(struct request *req);

/* Teams: one handler per action for the page and the API; "Mon Défi". */
void defi_team_new(struct request *req);
void defi_team_create(struct request *req);
void defi_team_page(struct request *req);
/* The team page's personal hook (web/router.h): 0 with the visitor's
 * fragments set when they see the page every visitor with their roles
 * sees, 1 when they are in the team or invited to it (or it is unknown
 * to the index) and get a page of their own. Reads only in-process data
 * once the edition's index is loaded. */
int defi_team_personal(struct request *req);
void defi_team_edit(struct request *req);
void defi_team_update(struct request *req);
void defi_team_invite(struct request *req);
void defi_team_accept(struct request *req);
void defi_team_decline(struct request *req);
void defi_team_leave(struct request *req);
void defi_team_remove(struct request *req);
void defi_team_captain(struct request *req);
void defi_team_submit(struct request *req);
void defi_team_withdraw(struct request *req);
void defi_team_decide(struct request *req);
/* Confirmation pages (GET), each 404 when the visitor could not act. */
void defi_team_leave_confirm(struct request *req);
void defi_team_remove_confirm(struct request *req);
void defi_team_withdraw_confirm(struct request *req);
void defi_team_decline_confirm(struct request *req);
void defi_mine(struct request *req);

#endif
