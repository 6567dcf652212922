/* The route handlers of project tracking (src/routes.c). Pages under
 * /projets/ and the API under /api/v1/projects share one handler per
 * action: the API names a project by {id}, pages by {slug}. */
#ifndef COUSILAB_PROJECTS_UI_H
#define COUSILAB_PROJECTS_UI_H

struct request;

/* Lists and the project itself */
void projects_list(struct request *req);        /* GET /projets, /api/v1/projects */
void projects_new(struct request *req);         /* GET /projets/nouveau */
void projects_create(struct request *req);      /* POST /projets/nouveau, /api/v1/projects */
void projects_page(struct request *req);        /* GET /projets/{slug}, /api/v1/projects/{id} */
void projects_edit(struct request *req);        /* GET /projets/{slug}/modifier */
void projects_update(struct request *req);      /* POST …/modifier, PUT /api/v1/projects/{id} */
void projects_follow(struct request *req);      /* POST /projets/{slug}/suivre (coordinators) */

/* Team and journal */
void projects_member_add(struct request *req);
void projects_member_remove(struct request *req);
void projects_journal_post(struct request *req);

/* Documents and links */
void projects_resource_add(struct request *req);
void projects_resource_remove(struct request *req);
/* Adds an uploaded document to the route's project (projects/files.c). */
void projects_file_add(struct request *req);

/* Stages and state */
void projects_propose(struct request *req);
void projects_proposal_accept(struct request *req);
void projects_proposal_refuse(struct request *req);
void projects_move(struct request *req);
void projects_state(struct request *req);

/* Confirmation pages (GET), each 404 when the visitor could not act:
 * …/membres/{user_id}/confirmer-retrait, …/documents/{rid}/confirmer-retrait
 * and …/confirmer-abandon?raison= (where the state form sends an abandon) */
void projects_member_remove_confirm(struct request *req);
void projects_resource_remove_confirm(struct request *req);
void projects_abandon_confirm(struct request *req);

/* A retained Défi team becomes a project (coordinators) */
void projects_from_defi_team(struct request *req);

/* Indicators */
void projects_indicator_add(struct request *req);
void projects_measurement_add(struct request *req);

/* The coordinators' views (ui-board.c, ui-export.c) */
void projects_board_page(struct request *req);  /* GET /projets/tableau */
/* The page cache hook (web/router.h) of the board and of a project's page,
 * whose anonymous copy every visitor shares: 0 once the index is loaded. */
int projects_index_fresh(struct request *req);
int projects_board_personal(struct request *req); /* its visitor's own parts */
int projects_page_personal(struct request *req);  /* a project page's (page_share.c) */
void projects_funnel_page(struct request *req); /* GET /projets/entonnoir?defi={year} */
void projects_export_csv(struct request *req);  /* GET /projets/export.csv */

/* "Publier comme bonne pratique" (ui-practice.c): POST /projets/{slug}/pratique,
 * POST /api/v1/projects/{id}/practice */
void projects_publish_practice(struct request *req);

#endif
