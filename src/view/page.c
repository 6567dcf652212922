#include "view/page.h"

#include <stdio.h>

#include "accounts/auth.h"
#include "accounts/user.h"
#include "app.h"
#include "assets.h"
#include "core/log.h"
#include "http/reply.h"
#include "view/mustache.h"

void page_common_fields(json_t *data, const char *title, const char *nav_key)
{
	json_object_set_new(data, "css", json_string(COUSILAB_CSS_PATH));
	json_object_set_new(data, "js", json_string(COUSILAB_JS_PATH));
	if (title && !json_object_get(data, "title"))
		json_object_set_new(data, "title", json_string(title));
	if (nav_key)
		json_object_set_new(data, "nav", json_pack("{s:b}", nav_key, 1));
}

/* Returns what templates know of the signed-in user: name and one
 * "is_<role>" flag per role held (admins hold them all). New reference. */
static json_t *user_data(const struct user *u)
{
	json_t *out = json_pack("{s:s, s:s, s:s}", "id", u->id ? u->id : "",
				"name", u->name ? u->name : "",
				"email", u->email ? u->email : "");
	for (int r = ROLE_AGENT; r < ROLE_COUNT; r++)
		if (user_has_role(u, (enum role)r))
			{
			char key[32];
			snprintf(key, sizeof(key), "is_%s", role_name((enum role)r));
			json_object_set_new(out, key, json_true());
		}
	return out;
}

int page_reply(struct request *req, int status, const char *name,
	       const char *title, const char *nav_key, json_t *data)
{
	page_common_fields(data, title, nav_key);
	/* A page shown to every anonymous visitor holds nobody's token. */
	if (!req->shared_reply)
		json_object_set_new(data, "csrf", json_string(csrf_token(req)));
	if (req->user)
		json_object_set_new(data, "user", user_data(req->user));
	buf_reset(&req->res.body);
	if (mustache_render(req->app->views, name, data, &req->res.body) != 0) {
		log_error(req->request_id, "view %s is missing", name);
		reply_text(req, 500, "text/plain; charset=utf-8",
			   "Erreur interne : page introuvable.\n");
		return -1;
	}
	req->res.status = status;
	req->res.content_type = "text/html; charset=utf-8";
	return 0;
}
