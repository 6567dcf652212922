#include "core/arena_json.h"
#include "site/ui.h"
#include "web/page.h"

/* The accessibility statement required of public-sector sites (RGAA). */
void site_accessibility(struct request *req)
{
	page_reply(req, 200, "accessibility", "Déclaration d’accessibilité", NULL,
		   arena_json(req->arena, json_object()));
}
