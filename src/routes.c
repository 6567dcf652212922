/* The route table: the one place that says method, path and required
 * role. Order matters only between patterns that could both match. */
#include "accounts/accounts.h"
#include "accounts/admin.h"
#include "audit/journal.h"
#include "http/router.h"
#include "mail/outbox_ui.h"
#include "site/site.h"

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
	{"GET", "/mot-de-passe/oubli", accounts_reset_request_form, ROLE_PUBLIC},
	{"POST", "/mot-de-passe/oubli", accounts_reset_request, ROLE_PUBLIC},
	{"GET", "/mot-de-passe/nouveau", accounts_reset_form, ROLE_PUBLIC},
	{"POST", "/mot-de-passe/nouveau", accounts_reset, ROLE_PUBLIC},

	/* Accounts: the user's own account */
	{"GET", "/compte", accounts_account_page, ROLE_AGENT},
	{"POST", "/compte", accounts_account_update, ROLE_AGENT},
	{"POST", "/compte/mot-de-passe", accounts_account_password, ROLE_AGENT},
	{"POST", "/compte/sessions/{id}/terminer", accounts_account_session_end, ROLE_AGENT},
	{"POST", "/compte/jetons", accounts_account_token_create, ROLE_AGENT},
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
	{"POST", "/admin/utilisateurs/{id}/desactiver", admin_user_deactivate, ROLE_ADMIN},
	{"POST", "/admin/utilisateurs/{id}/reactiver", admin_user_reactivate, ROLE_ADMIN},
	{"GET", "/admin/organisations", admin_organisations, ROLE_ADMIN},
	{"POST", "/admin/organisations", admin_organisation_create, ROLE_ADMIN},
	{"GET", "/admin/organisations/nouvelle", admin_organisation_new, ROLE_ADMIN},
	{"GET", "/admin/organisations/{code}", admin_organisation, ROLE_ADMIN},
	{"POST", "/admin/organisations/{code}", admin_organisation_update, ROLE_ADMIN},
	{"POST", "/admin/organisations/{code}/desactiver", admin_organisation_deactivate,
	 ROLE_ADMIN},
	{"POST", "/admin/organisations/{code}/reactiver", admin_organisation_reactivate,
	 ROLE_ADMIN},
	{"GET", "/admin/journal", audit_journal, ROLE_ADMIN},
	{"GET", "/admin/courriels", mail_outbox, ROLE_ADMIN},
	{"POST", "/admin/courriels/{id}/relancer", mail_outbox_retry, ROLE_ADMIN},

	/* Organisations */
	{"GET", "/organisations/{code}", organisation_page, ROLE_AGENT},
};

const size_t ROUTES_COUNT = sizeof(ROUTES) / sizeof(ROUTES[0]);
