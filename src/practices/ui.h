/* The practice pages (browse and search, the sheet and its history, the
 * forms and the workflow) and their API twins, named in src/routes.c,
 * with the helpers they share (ui-common.c). Handlers that serve both a
 * page and an API route answer JSON when req->is_api. */
#ifndef COUSILAB_PRACTICES_UI_H
#define COUSILAB_PRACTICES_UI_H

#include <jansson.h>
#include <stdbool.h>

#include "practices/practice.h"
#include "practices/search.h"

struct request;

/* Results per page of the catalogue's lists, pages and API alike. */
enum { PRACTICES_PAGE_SIZE = 20 };

/* ui-list.c: browsing and searching the catalogue; the coordinators'
 * queue; the user's own practices. */
void practices_browse(struct request *req);
void practices_queue(struct request *req);
void practices_mine(struct request *req);

/* ui-sheet.c: a practice's sheet, and its history (the list of its
 * versions, and one of them). */
void practices_sheet(struct request *req);
void practices_versions(struct request *req);
void practices_version(struct request *req);

/* ui-sheet-personal.c: the sheet's personal hook (web/router.h): the
 * reader's account bar, token, follow button and reuse declaration, from
 * the catalogue and in-process caches. Returns 0, or 1 when the sheet is
 * theirs alone (not published, or their own) or a cache fails. */
int practices_sheet_personal(struct request *req);

/* ui-edit.c: the creation and edit forms, and the workflow (submit,
 * publish, return with its form page, archive), pages and API alike. */
void practices_new(struct request *req);
void practices_create(struct request *req);
void practices_edit(struct request *req);
void practices_update(struct request *req);
void practices_submit(struct request *req);
void practices_publish(struct request *req);
void practices_return_form(struct request *req);
void practices_return(struct request *req);
void practices_archive(struct request *req);
/* The page that asks before archiving (web/confirm.h). */
void practices_archive_confirm(struct request *req);

/* api.c: the API's list and item of practices, its themes, and its
 * OpenAPI description (views/api/openapi.json.mustache). */
void practices_api_list(struct request *req);
void practices_api_get(struct request *req);
void practices_api_themes(struct request *req);
void practices_api_openapi(struct request *req);

/* Returns the API form of practice p (the document's public fields, the
 * description also as HTML; return_comment for those who may edit it),
 * owned by the request's arena. */
json_t *practice_json(struct request *req, const json_t *p);

/* ---- ui-common.c ---- */

/* The directories that name codes: organisations and themes. */
struct practice_names {
	json_t *orgs;   /* organisations_by_code */
	json_t *themes; /* themes_all */
};

/* Fills n from the caches, both owned by the request's arena. Returns 0,
 * or -1 after replying 503. */
int practice_names_get_or_reply(struct request *req, struct practice_names *n);

/* Returns [{code, name}] for the codes of array p[key] ("themes",
 * "organisation_ids", "branches"), named from n. New reference. */
json_t *practice_named(const json_t *p, const char *key, const struct practice_names *n);

/* Returns the French label of maturity code m ("" when unknown). Static. */
const char *practice_maturity_label(const char *m);

/* Returns the status of practice p (drafts when unreadable). */
enum practice_status practice_status_of(const json_t *p);

/* Returns the route's practice key: {slug} or {id}. Borrowed. */
const char *practice_key(struct request *req);

/* Returns the practice of the route as the user may see it: published
 * from the catalogue, else from the database for its author and the
 * coordinators. NULL after replying 404 (a practice the user may not see
 * is answered like one that does not exist) or 503. Owned by the
 * request's arena. */
json_t *practice_visible_or_reply(struct request *req);

/* Returns the practice of the route read from the database, for doing
 * action: NULL after replying 404 (absent or not visible), 403 (visible,
 * not allowed), 409 (not from its status) or 503. Owned by the request's
 * arena. */
json_t *practice_for_or_reply(struct request *req, enum practice_action action);

/* Returns true when the user may do action on p now (rights and status). */
bool practice_can(const struct request *req, const json_t *p, enum practice_action action);

/* Returns the short form of published practice p (the document, or any
 * subset of it with these fields and has_toolbox) for lists and the API:
 * id, slug, url, title, summary, maturity (+ _label), themes,
 * organisations and branches as [{code, name}], reuse_count, has_toolbox,
 * published_at (+ _fr). New reference. */
json_t *practice_card(const json_t *p, const struct practice_names *n);

/* Returns the cards of a search result page, in order (new reference):
 * read from the catalogue's light cards, not the full documents. */
json_t *practice_cards(struct request *req, const struct search_result *res,
		       const struct practice_names *n);

/* Reads the browse query of the request (API names when req->is_api:
 * sort, has_toolbox; else tri, boite) into q, strings borrowed from the
 * request, and runs it on the catalogue into res (request arena). The
 * sort is relevance by default, newest when q has no searchable word (the
 * same order): q->sort says which. Returns 0, or -1 after replying 503. */
int practice_search_or_reply(struct request *req, struct practice_query *q,
			     struct search_result *res);

/* Returns the URL name of sort: the API's ("newest") or the pages' ("recent").
 * Static. */
const char *practice_sort_name(enum search_sort sort, bool api);

/* Returns the values of facet f as [{value, label, count}], in the
 * index's order. New reference. */
json_t *practice_facet_values(const struct search_facet *f, const struct practice_names *n);

/* ui-clubs.c: the clubs (their list, a club, joining and leaving). */
void clubs_index(struct request *req);
void club_page(struct request *req);
void club_join(struct request *req);
void club_leave(struct request *req);

/* ui-clubs.c: the clubs (their list, a club, joining and leaving, and the
 * page that asks before leaving: a 404 for a visitor who is not a
 * member). */
void club_leave_confirm(struct request *req);

/* ui-conversation.c: a practice's conversation (comments, their
 * moderation, follows). */
void conversation_post(struct request *req); /* new comment or reply */
void conversation_edit_form(struct request *req);
void conversation_edit(struct request *req);
void conversation_hide_form(struct request *req);
void conversation_hide(struct request *req);
void conversation_follow(struct request *req);
void conversation_unfollow(struct request *req);
void conversation_api_list(struct request *req);

/* ui-export.c, ui-feeds.c: the Atom feeds and the CSV export. */
void feeds_catalogue(struct request *req);
void feeds_theme(struct request *req);
void feeds_export_csv(struct request *req);

/* ui-diffusion.c, ui-reuse.c: reuse declarations, and the diffusion of
 * practices. */
void reuse_form_page(struct request *req);
void reuse_submit(struct request *req);
void reuse_diffusion_page(struct request *req);

/* ui-toolbox.c: a practice's toolbox and its resources. The page and form
 * routes name the practice by {slug}, the API ones by {id}; both take
 * either. */
void toolbox_page(struct request *req);
void toolbox_add_resource(struct request *req);
void toolbox_move_up(struct request *req);
void toolbox_move_down(struct request *req);
void toolbox_remove_resource(struct request *req);
void toolbox_remove_confirm(struct request *req);

#endif
