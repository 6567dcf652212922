#include "core/arena_json.h"
#include "site/ui.h"
#include "web/page.h"

/* The home page presents the four parts of the platform; its words live
 * in the template. */
void site_home(struct request *req)
{
	page_reply(req, 200, "home", "Accueil", "home", arena_json(req->arena, json_object()));
}
