/* The editions' read API; its writes are the forms' handlers
 * (ui-edition-form.c), which answer JSON under /api/. */
#include "core/arena_json.h"
#include "core/clock.h"
#include "defi/edition.h"
#include "defi/edition_view.h"
#include "defi/ui.h"
#include "http/reply.h"

void defi_api_editions(struct request *req)
{
	json_t *all = defi_editions_or_reply(req);
	if (!all)
		return;
	reply_json_items(req, all, defi_edition_api, clock_now_ms());
}

void defi_api_edition(struct request *req)
{
	const json_t *e = defi_edition_of_route_or_reply(req);
	if (!e)
		return;
	reply_json(req, 200, arena_json(req->arena, defi_edition_api(e, clock_now_ms())));
}
