/* The Grand Prix's handlers, as the route table names them. Each takes
 * the request and replies; API requests get their errors as JSON. Each
 * helper appends its own section. */
#ifndef COUSILAB_GPI_UI_H
#define COUSILAB_GPI_UI_H

#include <jansson.h>

struct request;

/* Returns the edition named by the route's {year}, borrowed for the
 * request, or NULL after replying 404 (no such edition, or not a year)
 * or the database's failure (JSON under /api/). */
const json_t *gpi_edition_of_route_or_reply(struct request *req);

/* Returns every edition (gpi_editions_all: new reference), or NULL after
 * replying the database's failure. */
json_t *gpi_editions_or_reply(struct request *req);

/* The page cache hook of pages built from the editions alone: loads
 * them (at once the first time). Returns 0, or -1 when they cannot be
 * read (the page is then built uncached, and fails). */
int gpi_fresh(struct request *req);

/* Editions (gpi-editions): /grand-prix, /grand-prix/{year}, the
 * secretariat's forms (whose handlers also answer the API's POST and PUT),
 * the calendar and the read API. */
void gpi_home(struct request *req);
void gpi_edition_page(struct request *req);
void gpi_edition_new(struct request *req);
void gpi_edition_add(struct request *req);
void gpi_edition_edit(struct request *req);
void gpi_edition_save(struct request *req);
void gpi_calendar(struct request *req);
void gpi_api_editions(struct request *req);
void gpi_api_edition(struct request *req);

/* Candidatures (gpi-cand): the organisation's list, creation (form, API,
 * from a project), the page with its eligibility panel, editing,
 * submission, dossier and video uploads, eligibility API. */
void gpi_candidatures_mine(struct request *req);
/* The personal hook (web/router.h) of the organisation's list: its plain
 * filers (gpi_plain_filer) share it per organisation through the page
 * cache (req->share_key, which a shared build lists); returns
 * page_personal's answer for them, 1 for anyone else, whose list is built
 * alone. Reads nothing. */
int gpi_candidatures_personal(struct request *req);
/* The personal hook (web/router.h) of a candidature's page: its filers
 * (active agents of its organisation who are not the edition's
 * secretariat, for whom the page says more) share it through the page
 * cache, the account bar and CSRF token being their own; returns
 * page_personal's answer for them, 1 for anyone else (the handler then
 * decides, 404 included). Reads only the in-process index. A shared
 * build (req->shared_reply) of the route is a filer's to gpi_cand_open. */
int gpi_cand_page_personal(struct request *req);

void gpi_candidature_new(struct request *req);
void gpi_candidature_create(struct request *req);
void gpi_project_candidature(struct request *req);
void gpi_candidature_page(struct request *req);
void gpi_candidature_edit(struct request *req);
void gpi_candidature_update(struct request *req);
void gpi_candidature_eligibility(struct request *req);
void gpi_candidature_submit(struct request *req);
void gpi_candidature_dossier(struct request *req);
void gpi_candidature_video(struct request *req);

/* The read check of files of owner kind "candidature" (files/owner.h):
 * its filers' organisation, the secretariat, admins. */
int gpi_candidature_file_readable(struct request *req, const char *owner_id,
				  const char *file_id);

/* The secretariat's desk (gpi-desk): the desk and its JSON twin, one
 * candidature's decisions (pages and API alike), the exports. */
void gpi_desk_page(struct request *req);
/* The desk's personal hook (web/router.h): 1 for a visitor who is not the
 * secretariat of the route's edition (the handler then answers them
 * alone: 404), else page_personal's. */
int gpi_desk_personal(struct request *req);
/* GET /api/v1/gpi/editions/{year}/candidatures: the desk's list for the
 * edition's secretariat, gpi_candidatures_mine's for any other agent. */
void gpi_api_desk(struct request *req);
void gpi_desk_candidature(struct request *req);
void gpi_desk_admissibility(struct request *req);
void gpi_desk_announce(struct request *req);
void gpi_desk_confirm(struct request *req);
void gpi_desk_withdrawal(struct request *req);
void gpi_desk_csv(struct request *req);
void gpi_desk_zip(struct request *req);

/* Results (gpi-results): the laureates page of an edition, the archive
 * across editions and its Atom feed, the laureates API. Under embargo
 * until the ceremony instant (gpi/results_rules.h). */
void gpi_palmares_page(struct request *req);
void gpi_palmares_archive(struct request *req);
void gpi_palmares_atom(struct request *req);
void gpi_api_laureates(struct request *req);

/* Juries (gpi-jury): the secretariat's juries page and its JSON twin,
 * appointments and removals (page forms and API alike), the category's
 * sponsor; a juror's own page and assignments; a declared conflict. */
void gpi_juries_page(struct request *req);
void gpi_jury_appoint_member(struct request *req);
void gpi_jury_remove_member(struct request *req);
void gpi_jury_sponsor(struct request *req);
void gpi_juror_page(struct request *req);
/* The juror's page's personal hook: kept for each juror alone, under
 * the serial of the data it shows (gpi/serial.h), their organisation and
 * the categories they judge; 1 (built for them) for anyone who judges
 * nothing in the edition. */
int gpi_juror_personal(struct request *req);
void gpi_api_my_assignments(struct request *req);
void gpi_conflict_form(struct request *req);
void gpi_conflict_declare_route(struct request *req);

/* Finalists and prizes (gpi-final): the secretariat's finalists page,
 * recording them (page and API), the phase mails; the grand jury's page
 * and its awards (pages and API alike). */
void gpi_finalists_page(struct request *req);
void gpi_finalists_record(struct request *req);
void gpi_notifications_send(struct request *req);
void gpi_grand_jury_page(struct request *req);
void gpi_awards_category(struct request *req);
void gpi_awards_coup_de_coeur(struct request *req);
void gpi_awards_special(struct request *req);

/* Grids and ranking (gpi-grid): the juror's grid (page and API alike),
 * the secretariat's grids of a candidature and their reopening, the
 * category's ranking (page, API, CSV), the grids' CSV and the close of a
 * category's scoring. */
void gpi_grid_page(struct request *req);
void gpi_grid_save_action(struct request *req);
void gpi_api_grid(struct request *req);
void gpi_grids_page(struct request *req);
void gpi_grid_reopen_action(struct request *req);
void gpi_ranking_page(struct request *req);
void gpi_api_ranking(struct request *req);
void gpi_ranking_csv(struct request *req);
void gpi_grids_csv(struct request *req);
void gpi_scoring_close_confirm(struct request *req);
void gpi_scoring_close(struct request *req);

#endif
