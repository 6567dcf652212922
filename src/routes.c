/* The route table: the one place that says method, path, required role
 * and, for pages every anonymous visitor sees alike, the page cache hook,
 * followed for pages signed-in visitors share too by the hook that renders
 * each visitor's own parts.
 * Order does not matter: where two patterns match a path, a literal
 * segment wins over a {param} (route_precedence), and tests/unit/
 * test_router.c checks that every such pair has a winner. */
#include "accounts/accounts.h"
#include "accounts/admin.h"
#include "audit/journal.h"
#include "defi/ui.h"
#include "files/download.h"
#include "mail/outbox_ui.h"
#include "practices/catalogue.h"
#include "practices/clubs.h"
#include "practices/conversation.h"
#include "practices/feeds.h"
#include "practices/reuse.h"
#include "practices/toolbox.h"
#include "practices/ui.h"
#include "projects/ui.h"
#include "site/site.h"
#include "web/page.h"
#include "web/router.h"

/* Only the routes that use the page cache spell out its hook. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

const struct route ROUTES[] = {
	/* Site */
	{"GET", "/", site_home, ROLE_PUBLIC},
	{"GET", "/accessibilite", site_accessibility, ROLE_PUBLIC},
	{"GET", "/ping", site_ping, ROLE_PUBLIC},
	{"GET", "/healthz", site_healthz, ROLE_PUBLIC},

	/* Accounts: signing up, in and out */
	{"GET", "/inscription", accounts_signup_form, ROLE_PUBLIC},
	{"POST", "/inscription", accounts_signup, ROLE_PUBLIC},
	{"GET", "/inscription/confirmer", accounts_confirm_form, ROLE_PUBLIC},
	{"POST", "/inscription/confirmer", accounts_confirm, ROLE_PUBLIC},
	{"GET", "/connexion", accounts_login_form, ROLE_PUBLIC},
	{"POST", "/connexion", accounts_login, ROLE_PUBLIC},
	{"POST", "/deconnexion", accounts_logout, ROLE_AGENT},
	{"GET", "/connexion/deverrouiller", accounts_unlock_form, ROLE_PUBLIC},
	{"POST", "/connexion/deverrouiller", accounts_unlock, ROLE_PUBLIC},
	{"GET", "/mot-de-passe/oubli", accounts_reset_request_form, ROLE_PUBLIC},
	{"POST", "/mot-de-passe/oubli", accounts_reset_request, ROLE_PUBLIC},
	{"GET", "/mot-de-passe/nouveau", accounts_reset_form, ROLE_PUBLIC},
	{"POST", "/mot-de-passe/nouveau", accounts_reset, ROLE_PUBLIC},

	/* Accounts: the user's own account */
	{"GET", "/compte", accounts_account_page, ROLE_AGENT},
	{"POST", "/compte", accounts_account_update, ROLE_AGENT},
	{"POST", "/compte/mot-de-passe", accounts_account_password, ROLE_AGENT},
	{"GET", "/compte/sessions/{id}/confirmer-fin", accounts_account_session_end_confirm,
	 ROLE_AGENT},
	{"POST", "/compte/sessions/{id}/terminer", accounts_account_session_end, ROLE_AGENT},
	{"POST", "/compte/jetons", accounts_account_token_create, ROLE_AGENT},
	{"GET", "/compte/jetons/{id}/confirmer-revocation", accounts_account_token_revoke_confirm,
	 ROLE_AGENT},
	{"POST", "/compte/jetons/{id}/revoquer", accounts_account_token_revoke, ROLE_AGENT},
	{"POST", "/compte/export", accounts_account_export, ROLE_AGENT},
	{"POST", "/compte/suppression", accounts_account_delete, ROLE_AGENT},

	/* Accounts API */
	{"GET", "/api/v1/me", accounts_api_me, ROLE_AGENT},
	{"GET", "/api/v1/organisations", accounts_api_organisations, ROLE_PUBLIC},

	/* Administration */
	{"GET", "/admin", admin_home, ROLE_ADMIN},
	{"GET", "/admin/utilisateurs", admin_users, ROLE_ADMIN},
	{"GET", "/admin/utilisateurs/{id}", admin_user, ROLE_ADMIN},
	{"POST", "/admin/utilisateurs/{id}/roles", admin_user_roles, ROLE_ADMIN},
	{"GET", "/admin/utilisateurs/{id}/roles/{role}/confirmer-retrait",
	 admin_user_role_remove_confirm, ROLE_ADMIN},
	{"GET", "/admin/utilisateurs/{id}/confirmer-desactivation", admin_user_deactivate_confirm,
	 ROLE_ADMIN},
	{"POST", "/admin/utilisateurs/{id}/desactiver", admin_user_deactivate, ROLE_ADMIN},
	{"POST", "/admin/utilisateurs/{id}/reactiver", admin_user_reactivate, ROLE_ADMIN},
	{"GET", "/admin/organisations", admin_organisations, ROLE_ADMIN},
	{"POST", "/admin/organisations", admin_organisation_create, ROLE_ADMIN},
	{"GET", "/admin/organisations/nouvelle", admin_organisation_new, ROLE_ADMIN},
	{"GET", "/admin/organisations/{code}", admin_organisation, ROLE_ADMIN},
	{"POST", "/admin/organisations/{code}", admin_organisation_update, ROLE_ADMIN},
	{"GET", "/admin/organisations/{code}/confirmer-desactivation",
	 admin_organisation_deactivate_confirm, ROLE_ADMIN},
	{"POST", "/admin/organisations/{code}/desactiver", admin_organisation_deactivate,
	 ROLE_ADMIN},
	{"POST", "/admin/organisations/{code}/reactiver", admin_organisation_reactivate,
	 ROLE_ADMIN},
	{"GET", "/admin/journal", audit_journal, ROLE_ADMIN},
	{"GET", "/admin/courriels", mail_outbox, ROLE_ADMIN},
	{"POST", "/admin/courriels/{id}/relancer", mail_outbox_retry, ROLE_ADMIN},

	/* Organisations */
	{"GET", "/organisations/{code}", organisation_page, ROLE_AGENT},

	/* cousiSTORE: toolbox and files */
	{"GET", "/pratiques/{slug}/ressources", toolbox_page, ROLE_AGENT},
	{"POST", "/pratiques/{slug}/ressources", toolbox_add_resource, ROLE_AGENT, .multipart = true},
	{"POST", "/pratiques/{slug}/ressources/{rid}/monter", toolbox_move_up, ROLE_AGENT},
	{"POST", "/pratiques/{slug}/ressources/{rid}/descendre", toolbox_move_down, ROLE_AGENT},
	{"GET", "/pratiques/{slug}/ressources/{rid}/confirmer-retrait", toolbox_remove_confirm,
	 ROLE_AGENT},
	{"POST", "/pratiques/{slug}/ressources/{rid}/retirer", toolbox_remove_resource, ROLE_AGENT},
	{"POST", "/api/v1/practices/{id}/resources", toolbox_add_resource, ROLE_AGENT,
	 .multipart = true},
	{"POST", "/api/v1/practices/{id}/resources/{rid}/up", toolbox_move_up, ROLE_AGENT},
	{"POST", "/api/v1/practices/{id}/resources/{rid}/down", toolbox_move_down, ROLE_AGENT},
	{"DELETE", "/api/v1/practices/{id}/resources/{rid}", toolbox_remove_resource, ROLE_AGENT},
	{"GET", "/fichiers/{id}/{name}", files_download, ROLE_PUBLIC},

	/* cousiSTORE: reuse and diffusion */
	{"GET", "/pratiques/diffusion", diffusion_page, ROLE_COORDINATOR},
	{"GET", "/pratiques/{slug}/reutilisation", reuse_form_page, ROLE_AGENT},
	{"POST", "/pratiques/{slug}/reutilisation", reuse_submit, ROLE_AGENT},
	{"POST", "/api/v1/practices/{id}/reuses", reuse_submit, ROLE_AGENT},

	/* cousiSTORE: clubs */
	{"GET", "/clubs", clubs_index, ROLE_PUBLIC, catalogue_fresh},
	{"GET", "/clubs/{theme}", club_page, ROLE_PUBLIC, catalogue_fresh},
	{"POST", "/clubs/{theme}/rejoindre", club_join, ROLE_AGENT},
	{"POST", "/clubs/{theme}/quitter", club_leave, ROLE_AGENT},
	{"GET", "/clubs/{theme}/confirmer-depart", club_leave_confirm, ROLE_AGENT},
	{"POST", "/api/v1/clubs/{theme}/members", club_join, ROLE_AGENT},
	{"DELETE", "/api/v1/clubs/{theme}/members", club_leave, ROLE_AGENT},

	/* cousiSTORE: conversation, feeds, export */
	{"GET", "/pratiques/flux.atom", feeds_catalogue, ROLE_PUBLIC, catalogue_fresh},
	{"GET", "/pratiques/export.csv", export_csv, ROLE_COORDINATOR},
	{"GET", "/clubs/{theme}/flux.atom", feeds_theme, ROLE_PUBLIC, catalogue_fresh},
	{"POST", "/pratiques/{slug}/commentaires", conversation_post, ROLE_AGENT},
	{"GET", "/pratiques/{slug}/commentaires/{comment}/modifier", conversation_edit_form,
	 ROLE_AGENT},
	{"POST", "/pratiques/{slug}/commentaires/{comment}/modifier", conversation_edit,
	 ROLE_AGENT},
	{"GET", "/pratiques/{slug}/commentaires/{comment}/masquer", conversation_hide_form,
	 ROLE_COORDINATOR},
	{"POST", "/pratiques/{slug}/commentaires/{comment}/masquer", conversation_hide,
	 ROLE_COORDINATOR},
	{"POST", "/pratiques/{slug}/suivre", conversation_follow, ROLE_AGENT},
	{"POST", "/pratiques/{slug}/ne-plus-suivre", conversation_unfollow, ROLE_AGENT},
	{"GET", "/api/v1/practices/{id}/comments", conversation_api_list, ROLE_PUBLIC},
	{"POST", "/api/v1/practices/{id}/comments", conversation_post, ROLE_AGENT},
	{"PUT", "/api/v1/practices/{id}/comments/{comment}", conversation_edit, ROLE_AGENT},
	{"POST", "/api/v1/practices/{id}/comments/{comment}/hide", conversation_hide,
	 ROLE_COORDINATOR},
	{"PUT", "/api/v1/practices/{id}/follow", conversation_follow, ROLE_AGENT},
	{"DELETE", "/api/v1/practices/{id}/follow", conversation_unfollow, ROLE_AGENT},

	/* cousiSTORE: practices */
	{"GET", "/pratiques", practices_browse, ROLE_PUBLIC, catalogue_fresh, page_personal},
	{"GET", "/recherche", practices_browse, ROLE_PUBLIC, catalogue_fresh, page_personal},
	{"GET", "/pratiques/{slug}", practices_sheet, ROLE_PUBLIC, catalogue_fresh,
	 practices_sheet_personal},
	{"GET", "/pratiques/nouvelle", practices_new, ROLE_AGENT},
	{"POST", "/pratiques/nouvelle", practices_create, ROLE_AGENT, .multipart = true},
	{"GET", "/pratiques/a-valider", practices_queue, ROLE_COORDINATOR},
	{"GET", "/pratiques/mes-pratiques", practices_mine, ROLE_AGENT},
	{"GET", "/pratiques/{slug}/modifier", practices_edit, ROLE_AGENT},
	{"POST", "/pratiques/{slug}/modifier", practices_update, ROLE_AGENT},
	{"POST", "/pratiques/{slug}/soumettre", practices_submit, ROLE_AGENT},
	{"POST", "/pratiques/{slug}/publier", practices_publish, ROLE_COORDINATOR},
	{"GET", "/pratiques/{slug}/renvoyer", practices_return_form, ROLE_COORDINATOR},
	{"POST", "/pratiques/{slug}/renvoyer", practices_return, ROLE_COORDINATOR},
	{"GET", "/pratiques/{slug}/confirmer-archivage", practices_archive_confirm,
	 ROLE_COORDINATOR},
	{"POST", "/pratiques/{slug}/archiver", practices_archive, ROLE_COORDINATOR},
	{"GET", "/pratiques/{slug}/versions", practices_versions, ROLE_PUBLIC},
	{"GET", "/pratiques/{slug}/versions/{n}", practices_version, ROLE_PUBLIC},
	{"GET", "/api/v1/openapi.json", practices_api_openapi, ROLE_PUBLIC},
	{"GET", "/api/v1/themes", practices_api_themes, ROLE_PUBLIC, catalogue_fresh},
	{"GET", "/api/v1/practices", practices_api_list, ROLE_PUBLIC, catalogue_fresh},
	{"POST", "/api/v1/practices", practices_create, ROLE_AGENT},
	{"GET", "/api/v1/practices/{id}", practices_api_get, ROLE_PUBLIC, catalogue_fresh},
	{"PUT", "/api/v1/practices/{id}", practices_update, ROLE_AGENT},
	{"POST", "/api/v1/practices/{id}/submit", practices_submit, ROLE_AGENT},
	{"POST", "/api/v1/practices/{id}/publish", practices_publish, ROLE_COORDINATOR},
	{"POST", "/api/v1/practices/{id}/return", practices_return, ROLE_COORDINATOR},
	{"POST", "/api/v1/practices/{id}/archive", practices_archive, ROLE_COORDINATOR},
	{"GET", "/api/v1/practices/{id}/versions", practices_versions, ROLE_PUBLIC},
	{"GET", "/api/v1/practices/{id}/versions/{n}", practices_version, ROLE_PUBLIC},
	{"GET", "/api/v1/me/practices", practices_mine, ROLE_AGENT},
	{"GET", "/api/v1/coordination/practices", practices_queue, ROLE_COORDINATOR},

	/* Défi du Lab: editions */
	{"GET", "/defi", defi_home, ROLE_PUBLIC, defi_fresh, page_personal},
	{"GET", "/defi/nouvelle", defi_edition_new, ROLE_COORDINATOR},
	{"POST", "/defi/nouvelle", defi_edition_add, ROLE_COORDINATOR},
	{"GET", "/defi/{year}", defi_edition_page, ROLE_PUBLIC, defi_fresh, page_personal},
	{"GET", "/defi/{year}/modifier", defi_edition_edit, ROLE_COORDINATOR},
	{"POST", "/defi/{year}/modifier", defi_edition_save, ROLE_COORDINATOR},
	{"GET", "/defi/{year}/calendrier.ics", defi_calendar, ROLE_PUBLIC, defi_fresh},
	{"GET", "/api/v1/defi/editions", defi_api_editions, ROLE_PUBLIC},
	{"POST", "/api/v1/defi/editions", defi_edition_add, ROLE_COORDINATOR},
	{"GET", "/api/v1/defi/editions/{year}", defi_api_edition, ROLE_PUBLIC},
	{"PUT", "/api/v1/defi/editions/{year}", defi_edition_save, ROLE_COORDINATOR},

	/* Défi du Lab: coordination */
	{"GET", "/defi/{year}/equipes", defi_teams_page, ROLE_COORDINATOR, defi_fresh,
	 page_personal},
	{"GET", "/defi/{year}/pilotage", defi_figures_page, ROLE_COORDINATOR},
	{"GET", "/defi/{year}/equipes.csv", defi_export_teams, ROLE_COORDINATOR},
	{"GET", "/defi/{year}/participants.csv", defi_export_people, ROLE_COORDINATOR},
	{"GET", "/api/v1/defi/editions/{year}/teams", defi_api_teams, ROLE_COORDINATOR},

	/* Défi du Lab: teams */
	{"GET", "/defi/{year}/equipes/nouvelle", defi_team_new, ROLE_AGENT},
	{"POST", "/defi/{year}/equipes/nouvelle", defi_team_create, ROLE_AGENT},
	{"GET", "/defi/{year}/equipes/{id}", defi_team_page, ROLE_AGENT, defi_fresh,
	 defi_team_personal},
	{"GET", "/defi/{year}/equipes/{id}/modifier", defi_team_edit, ROLE_AGENT},
	{"POST", "/defi/{year}/equipes/{id}/modifier", defi_team_update, ROLE_AGENT},
	{"POST", "/defi/{year}/equipes/{id}/inviter", defi_team_invite, ROLE_AGENT},
	{"POST", "/defi/{year}/equipes/{id}/accepter", defi_team_accept, ROLE_AGENT},
	{"POST", "/defi/{year}/equipes/{id}/decliner", defi_team_decline, ROLE_AGENT},
	{"GET", "/defi/{year}/equipes/{id}/confirmer-refus", defi_team_decline_confirm,
	 ROLE_AGENT},
	{"POST", "/defi/{year}/equipes/{id}/quitter", defi_team_leave, ROLE_AGENT},
	{"GET", "/defi/{year}/equipes/{id}/confirmer-depart", defi_team_leave_confirm,
	 ROLE_AGENT},
	{"POST", "/defi/{year}/equipes/{id}/membres/{user_id}/retirer", defi_team_remove,
	 ROLE_AGENT},
	{"GET", "/defi/{year}/equipes/{id}/membres/{user_id}/confirmer-retrait",
	 defi_team_remove_confirm, ROLE_AGENT},
	{"POST", "/defi/{year}/equipes/{id}/capitaine", defi_team_captain, ROLE_AGENT},
	{"POST", "/defi/{year}/equipes/{id}/deposer", defi_team_submit, ROLE_AGENT},
	{"POST", "/defi/{year}/equipes/{id}/desister", defi_team_withdraw, ROLE_AGENT},
	{"GET", "/defi/{year}/equipes/{id}/confirmer-desistement", defi_team_withdraw_confirm,
	 ROLE_AGENT},
	{"POST", "/defi/{year}/equipes/{id}/decision", defi_team_decide, ROLE_COORDINATOR},
	{"GET", "/mon-defi", defi_mine, ROLE_AGENT},
	{"POST", "/api/v1/defi/editions/{year}/teams", defi_team_create, ROLE_AGENT},
	{"GET", "/api/v1/defi/teams/{id}", defi_team_page, ROLE_AGENT},
	{"PUT", "/api/v1/defi/teams/{id}", defi_team_update, ROLE_AGENT},
	{"POST", "/api/v1/defi/teams/{id}/invitations", defi_team_invite, ROLE_AGENT},
	{"DELETE", "/api/v1/defi/teams/{id}/members/{user_id}", defi_team_remove, ROLE_AGENT},
	{"POST", "/api/v1/defi/teams/{id}/accept", defi_team_accept, ROLE_AGENT},
	{"POST", "/api/v1/defi/teams/{id}/decline", defi_team_decline, ROLE_AGENT},
	{"POST", "/api/v1/defi/teams/{id}/captain", defi_team_captain, ROLE_AGENT},
	{"POST", "/api/v1/defi/teams/{id}/submit", defi_team_submit, ROLE_AGENT},
	{"POST", "/api/v1/defi/teams/{id}/withdraw", defi_team_withdraw, ROLE_AGENT},
	{"POST", "/api/v1/defi/teams/{id}/decision", defi_team_decide, ROLE_COORDINATOR},
	{"GET", "/api/v1/me/defi", defi_mine, ROLE_AGENT},

	/* Projects: pages */
	{"GET", "/projets", projects_list, ROLE_PUBLIC},
	{"GET", "/projets/tableau", projects_board_page, ROLE_COORDINATOR, projects_index_fresh,
	 projects_board_personal},
	/* The board's move form names the project in its body ("slug"). */
	{"POST", "/projets/tableau/etape", projects_move, ROLE_COORDINATOR},
	{"GET", "/projets/entonnoir", projects_funnel_page, ROLE_COORDINATOR},
	{"GET", "/projets/export.csv", projects_export_csv, ROLE_COORDINATOR},
	{"POST", "/projets/{slug}/pratique", projects_publish_practice, ROLE_AGENT},
	{"POST", "/api/v1/projects/{id}/practice", projects_publish_practice, ROLE_AGENT},
	{"GET", "/projets/nouveau", projects_new, ROLE_AGENT},
	{"POST", "/projets/nouveau", projects_create, ROLE_AGENT},
	{"GET", "/projets/{slug}", projects_page, ROLE_PUBLIC, projects_index_fresh,
	 projects_page_personal},
	{"GET", "/projets/{slug}/modifier", projects_edit, ROLE_AGENT},
	{"POST", "/projets/{slug}/modifier", projects_update, ROLE_AGENT},
	{"POST", "/projets/{slug}/suivre", projects_follow, ROLE_COORDINATOR},
	{"POST", "/projets/{slug}/membres", projects_member_add, ROLE_AGENT},
	{"POST", "/projets/{slug}/membres/{user_id}/retirer", projects_member_remove, ROLE_AGENT},
	{"GET", "/projets/{slug}/membres/{user_id}/confirmer-retrait",
	 projects_member_remove_confirm, ROLE_AGENT},
	{"POST", "/projets/{slug}/journal", projects_journal_post, ROLE_AGENT, .multipart = true},
	{"POST", "/projets/{slug}/documents", projects_resource_add, ROLE_AGENT},
	{"POST", "/projets/{slug}/fichiers", projects_file_add, ROLE_AGENT, .multipart = true},
	{"POST", "/projets/{slug}/documents/{rid}/retirer", projects_resource_remove, ROLE_AGENT},
	{"GET", "/projets/{slug}/documents/{rid}/confirmer-retrait",
	 projects_resource_remove_confirm, ROLE_AGENT},
	{"POST", "/projets/{slug}/propositions", projects_propose, ROLE_AGENT, .multipart = true},
	{"POST", "/projets/{slug}/propositions/{pid}/accepter", projects_proposal_accept,
	 ROLE_COORDINATOR},
	{"POST", "/projets/{slug}/propositions/{pid}/refuser", projects_proposal_refuse,
	 ROLE_COORDINATOR},
	{"POST", "/projets/{slug}/etape", projects_move, ROLE_COORDINATOR},
	{"POST", "/projets/{slug}/etat", projects_state, ROLE_AGENT},
	{"GET", "/projets/{slug}/confirmer-abandon", projects_abandon_confirm, ROLE_AGENT},
	{"POST", "/projets/{slug}/indicateurs", projects_indicator_add, ROLE_AGENT},
	{"POST", "/projets/{slug}/indicateurs/{iid}/mesures", projects_measurement_add,
	 ROLE_AGENT},

	{"POST", "/defi/{year}/equipes/{id}/projet", projects_from_defi_team, ROLE_COORDINATOR},

	/* Projects: API */
	{"GET", "/api/v1/projects", projects_list, ROLE_PUBLIC},
	{"POST", "/api/v1/projects", projects_create, ROLE_AGENT},
	{"GET", "/api/v1/projects/{id}", projects_page, ROLE_PUBLIC},
	{"PUT", "/api/v1/projects/{id}", projects_update, ROLE_AGENT},
	{"POST", "/api/v1/projects/{id}/members", projects_member_add, ROLE_AGENT},
	{"DELETE", "/api/v1/projects/{id}/members/{user_id}", projects_member_remove, ROLE_AGENT},
	{"POST", "/api/v1/projects/{id}/journal", projects_journal_post, ROLE_AGENT,
	 .multipart = true},
	{"POST", "/api/v1/projects/{id}/resources", projects_resource_add, ROLE_AGENT},
	{"POST", "/api/v1/projects/{id}/files", projects_file_add, ROLE_AGENT, .multipart = true},
	{"DELETE", "/api/v1/projects/{id}/resources/{rid}", projects_resource_remove, ROLE_AGENT},
	{"POST", "/api/v1/projects/{id}/stage-proposals", projects_propose, ROLE_AGENT,
	 .multipart = true},
	{"POST", "/api/v1/projects/{id}/stage-proposals/{pid}/accept", projects_proposal_accept,
	 ROLE_COORDINATOR},
	{"POST", "/api/v1/projects/{id}/stage-proposals/{pid}/refuse", projects_proposal_refuse,
	 ROLE_COORDINATOR},
	{"POST", "/api/v1/projects/{id}/stage", projects_move, ROLE_COORDINATOR},
	{"POST", "/api/v1/projects/{id}/state", projects_state, ROLE_AGENT},
	{"POST", "/api/v1/projects/{id}/indicators", projects_indicator_add, ROLE_AGENT},
	{"POST", "/api/v1/projects/{id}/indicators/{iid}/measurements", projects_measurement_add,
	 ROLE_AGENT},
	{"POST", "/api/v1/defi/teams/{id}/project", projects_from_defi_team, ROLE_COORDINATOR},
};

const size_t ROUTES_COUNT = sizeof(ROUTES) / sizeof(ROUTES[0]);
