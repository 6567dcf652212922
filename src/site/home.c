#include "site/site.h"
#include "web/page.h"

/* The home page presents the four parts of the platform; its words live
 * in the template. */
void site_home(struct request *req)
{
	json_t *data = json_object();
	page_reply(req, 200, "home", "Accueil", "home", data);
	json_decref(data);
}
