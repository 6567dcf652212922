/* The route table: the one place that says method, path and required
 * role. Order matters only between patterns that could both match. */
#include "http/router.h"
#include "site/site.h"

const struct route ROUTES[] = {
	{"GET", "/", site_home, ROLE_PUBLIC},
	{"GET", "/accessibilite", site_accessibility, ROLE_PUBLIC},
	{"GET", "/ping", site_ping, ROLE_PUBLIC},
	{"GET", "/healthz", site_healthz, ROLE_PUBLIC},
};

const size_t ROUTES_COUNT = sizeof(ROUTES) / sizeof(ROUTES[0]);
