#include "web/confirm.h"

#include <jansson.h>

#include "web/page.h"

int confirm_page_reply(struct request *req, const struct confirm_page *c)
{
	json_t *fields = json_array();
	for (const char *const *f = c->fields; f && f[0] && f[1]; f += 2)
		json_array_append_new(fields, json_pack("{s:s, s:s}", "name", f[0], "value", f[1]));
	json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "heading", c->title,
				 "subject", c->subject ? c->subject : "", "consequence",
				 c->consequence, "action", c->action, "button", c->button, "cancel",
				 c->cancel, "fields", fields);
	int rc = page_reply(req, 200, "confirm", c->title, NULL, data);
	json_decref(data);
	return rc;
}
