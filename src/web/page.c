#include "web/page.h"

#include <string.h>

#include "assets.h"
#include "core/app.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/log.h"
#include "http/reply.h"
#include "view/mustache.h"
#include "web/csrf.h"
#include "web/visitor.h"

void page_common_fields(json_t *data, const char *title, const char *nav_key)
{
	json_object_set_new(data, "css", json_string(COUSILAB_CSS_PATH));
	json_object_set_new(data, "js", json_string(COUSILAB_JS_PATH));
	if (title && !json_object_get(data, "title"))
		json_object_set_new(data, "title", json_string(title));
	if (nav_key)
		json_object_set_new(data, "nav", json_pack("{s:b}", nav_key, 1));
}

/* Renders name with data into the reply's body. On a page shared by
 * signed-in visitors, the tags named like the visitor's fragments are left
 * as holes (arena list in req->res). Returns 0, or -1 if name is unknown. */
static int render_body(struct request *req, const char *name, const json_t *data)
{
	struct buf *body = &req->res.body;
	buf_reset(body);
	req->res.holes = NULL;
	req->res.n_holes = 0;
	if (!req->shared_reply || !req->fragments)
		return mustache_render(req->app->views, name, data, body);
	size_t n = param_count(req->fragments), i = 0;
	const char **names = arena_alloc(req->arena, n * sizeof(*names));
	for (const struct param *f = req->fragments; f; f = f->next)
		names[i++] = f->name;
	struct mustache_holes holes = {.names = names, .n_names = n};
	if (mustache_render_holes(req->app->views, name, data, body, &holes) != 0)
		return -1;
	struct page_hole *at = arena_alloc(req->arena, (holes.count + 1) * sizeof(*at));
	for (i = 0; i < holes.count; i++)
		at[i] = (struct page_hole){holes.at[i].offset, names[holes.at[i].name]};
	req->res.holes = at;
	req->res.n_holes = holes.count;
	mustache_holes_free(&holes);
	return 0;
}

void page_reply_missing(struct request *req, const char *name)
{
	log_error(req->request_id, "view %s is missing", name);
	reply_text(req, 500, "text/plain; charset=utf-8", "Erreur interne : page introuvable.\n");
}

int page_reply(struct request *req, int status, const char *name, const char *title,
	       const char *nav_key, json_t *data)
{
	page_common_fields(data, title, nav_key);
	/* A shared page holds nobody's token: at most a hole for it. */
	if (!req->shared_reply)
		json_object_set_new(data, "csrf", json_string(csrf_token(req)));
	if (req->user)
		json_object_set_new(data, "user", visitor()->data(req->user));
	if (render_body(req, name, data) != 0) {
		log_error(req->request_id, "view %s is missing", name);
		reply_text(req, 500, "text/plain; charset=utf-8",
			   "Erreur interne : page introuvable.\n");
		return -1;
	}
	req->res.status = status;
	req->res.content_type = "text/html; charset=utf-8";
	return 0;
}

/* Adds fragment name → text to req->fragments (both copied into the arena). */
static void fragment_add(struct request *req, const char *name, const char *text, size_t len)
{
	struct param *f = arena_alloc(req->arena, sizeof(*f));
	*f = (struct param){.name = arena_strdup(req->arena, name),
			    .value = arena_strndup(req->arena, text, len),
			    .value_len = len,
			    .next = req->fragments};
	req->fragments = f;
}

const char *page_partial(struct request *req, const char *name, const json_t *data)
{
	struct buf text = BUF_INIT;
	const char *html = NULL;
	if (!mustache_render(req->app->views, name, data, &text))
		html = arena_strndup(req->arena, text.data ? text.data : "", text.len);
	buf_free(&text);
	return html;
}

/* Renders partial part with data as the fragment of its hole. Returns 0,
 * or -1 when it is missing (logged). */
static int fragment_render(struct request *req, const char *part, const json_t *data)
{
	const char *html = page_partial(req, part, data);
	if (!html) {
		log_error(req->request_id, "view %s is missing", part);
		return -1;
	}
	fragment_add(req, part, html, strlen(html));
	return 0;
}

int page_fragments(struct request *req, json_t *data, const char *const *parts)
{
	const char *csrf = csrf_token(req);
	json_object_set_new(data, "csrf", json_string(csrf));
	json_object_set_new(data, "user", visitor()->data(req->user));
	struct buf escaped = BUF_INIT;
	buf_append_html(&escaped, csrf, strlen(csrf));
	fragment_add(req, "csrf", escaped.data, escaped.len);
	buf_free(&escaped);
	int rc = fragment_render(req, PAGE_ACCOUNT_PART, data);
	for (size_t i = 0; rc == 0 && parts[i]; i++)
		rc = fragment_render(req, parts[i], data);
	return rc;
}

int page_personal(struct request *req)
{
	json_t *data = json_object();
	int rc = page_fragments(req, data, (const char *const[]){NULL});
	json_decref(data);
	return rc ? 1 : 0;
}
