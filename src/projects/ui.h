/* The route handlers of project tracking (src/routes.c says their paths).
 * A page and its API twin share one handler per action: the API names a
 * project by its id, pages by its slug. */
#ifndef COUSILAB_PROJECTS_UI_H
#define COUSILAB_PROJECTS_UI_H

struct request;

/* Lists and the project itself */
void projects_list(struct request *req);
void projects_new(struct request *req);
void projects_create(struct request *req);
void projects_page(struct request *req);
void projects_edit(struct request *req);
void projects_update(struct request *req);
void projects_follow(struct request *req);

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
 * removing a member, removing a document, and abandoning the project
 * (where the state form sends an abandon, with its reason). */
void projects_member_remove_confirm(struct request *req);
void projects_resource_remove_confirm(struct request *req);
void projects_abandon_confirm(struct request *req);

/* A retained Défi team becomes a project (coordinators) */
void projects_from_defi_team(struct request *req);

/* Indicators */
void projects_indicator_add(struct request *req);
void projects_measurement_add(struct request *req);

/* The coordinators' views (ui-board.c, ui-export.c) */
void projects_board_page(struct request *req);
/* The page cache hook (web/router.h) of the board and of a project's page,
 * whose anonymous copy every visitor shares: 0 once the index is loaded. */
int projects_index_fresh(struct request *req);
int projects_board_personal(struct request *req); /* its visitor's own parts */
int projects_page_personal(struct request *req);  /* a project page's (page_share.c) */
void projects_funnel_page(struct request *req);
void projects_export_csv(struct request *req);

/* "Publier comme bonne pratique" (ui-practice.c), page and API. */
void projects_publish_practice(struct request *req);

#endif
