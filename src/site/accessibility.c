#include "site/site.h"
#include "web/page.h"

/* The accessibility statement required of public-sector sites (RGAA). */
void site_accessibility(struct request *req)
{
	json_t *data = json_object();
	page_reply(req, 200, "accessibility", "Déclaration d’accessibilité",
		   NULL, data);
	json_decref(data);
}
