/* The route table: the one place that says method, path and required
 * role. Order matters only between patterns that could both match. */
#include "accounts/accounts.h"
#include "http/router.h"
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

	/* Accounts API */
	{"GET", "/api/v1/me", accounts_api_me, ROLE_AGENT},
	{"GET", "/api/v1/organisations", accounts_api_organisations, ROLE_PUBLIC},
};

const size_t ROUTES_COUNT = sizeof(ROUTES) / sizeof(ROUTES[0]);
