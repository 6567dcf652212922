/* The Défi du Lab's handlers, as the route table names them. Each takes
 * the request and replies; under /api/ errors answer JSON. */
#ifndef COUSILAB_DEFI_UI_H
#define COUSILAB_DEFI_UI_H

#include <jansson.h>

struct request;

/* Returns the edition named by the route's {year}, borrowed for the
 * request, or NULL after replying 404 (no such edition, or not a year)
 * or the database's failure. */
const json_t *defi_edition_of_route(struct request *req);

/* Returns every edition (defi_editions_all: new reference), or NULL
 * after replying the database's failure. */
json_t *defi_editions_or_reply(struct request *req);

/* The page cache hook of pages built from the editions alone: loads
 * them (at once the first time). Returns 0, or -1 when they cannot be
 * read (the page is then built uncached, and fails). */
int defi_fresh(struct request *req);

/* Editions (defi-editions): pages, forms, calendar, API. */
void defi_home(struct request *req);            /* GET /defi */
void defi_edition_page(struct request *req);    /* GET /defi/{year} */
void defi_edition_new(struct request *req);     /* GET /defi/nouvelle */
void defi_edition_add(struct request *req);     /* POST /defi/nouvelle, POST /api/v1/defi/editions */
void defi_edition_edit(struct request *req);    /* GET /defi/{year}/modifier */
void defi_edition_save(struct request *req);    /* POST /defi/{year}/modifier, PUT /api/v1/defi/editions/{year} */
void defi_calendar(struct request *req);        /* GET /defi/{year}/calendrier.ics */
void defi_api_editions(struct request *req);    /* GET /api/v1/defi/editions */
void defi_api_edition(struct request *req);     /* GET /api/v1/defi/editions/{year} */

/* Coordination (defi-editions): the teams' list, figures and exports. */
void defi_teams_page(struct request *req);      /* GET /defi/{year}/equipes */
void defi_api_teams(struct request *req);       /* GET /api/v1/defi/editions/{year}/teams */
void defi_figures_page(struct request *req);    /* GET /defi/{year}/pilotage */
void defi_export_teams(struct request *req);    /* GET /defi/{year}/equipes.csv */
void defi_export_people(struct request *req);   /* GET /defi/{year}/participants.csv */

/* Teams (defi-teams): pages under /defi/{year}/equipes/{id}, the same
 * handlers under /api/v1/defi/teams/{id}; "Mon Défi". */
void defi_team_new(struct request *req);      /* GET /defi/{year}/equipes/nouvelle */
void defi_team_create(struct request *req);   /* POST the same, POST /api/v1/defi/editions/{year}/teams */
void defi_team_page(struct request *req);     /* GET .../equipes/{id}, GET /api/v1/defi/teams/{id} */
/* The team page's personal hook (web/router.h): 0 with the visitor's
 * fragments set when they see the page every visitor with their roles
 * sees, 1 when they are in the team or invited to it (or it is unknown
 * to the index) and get a page of their own. Reads only in-process data
 * once the edition's index is loaded. */
int defi_team_personal(struct request *req);
void defi_team_edit(struct request *req);     /* GET .../equipes/{id}/modifier */
void defi_team_update(struct request *req);   /* POST .../modifier, PUT /api/v1/defi/teams/{id} */
void defi_team_invite(struct request *req);   /* POST .../inviter, POST .../invitations */
void defi_team_accept(struct request *req);   /* POST .../accepter, POST .../accept */
void defi_team_decline(struct request *req);  /* POST .../decliner, POST .../decline */
void defi_team_leave(struct request *req);    /* POST .../quitter */
void defi_team_remove(struct request *req);   /* POST .../membres/{user_id}/retirer, DELETE .../members/{user_id} */
void defi_team_captain(struct request *req);  /* POST .../capitaine, POST .../captain */
void defi_team_submit(struct request *req);   /* POST .../deposer, POST .../submit */
void defi_team_withdraw(struct request *req); /* POST .../desister, POST .../withdraw */
void defi_team_decide(struct request *req);   /* POST .../decision (coordinators) */
/* Confirmation pages (GET), each 404 when the visitor could not act. */
void defi_team_leave_confirm(struct request *req);    /* GET .../confirmer-depart */
/* GET .../membres/{user_id}/confirmer-retrait */
void defi_team_remove_confirm(struct request *req);
void defi_team_withdraw_confirm(struct request *req); /* GET .../confirmer-desistement */
void defi_team_decline_confirm(struct request *req);  /* GET .../confirmer-refus */
void defi_mine(struct request *req);          /* GET /mon-defi, GET /api/v1/me/defi */

#endif
