#include "view/markdown.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"

char *markdown_to_html(struct arena *a, const char *md, int shift)
{
	if (!md || !*md)
		return arena_strdup(a, "");
	/* No CMARK_OPT_UNSAFE: cmark >= 0.29 omits raw HTML and unsafe URLs. */
	cmark_node *doc = cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT);
	cmark_iter *it = cmark_iter_new(doc);
	for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
		cmark_node *node = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(node) == CMARK_NODE_HEADING) {
			int level = cmark_node_get_heading_level(node) + shift;
			cmark_node_set_heading_level(node, level > 6 ? 6 : level);
		}
	}
	cmark_iter_free(it);
	char *html = cmark_render_html(doc, CMARK_OPT_DEFAULT);
	cmark_node_free(doc);
	char *out = arena_strdup(a, html);
	free(html);
	return out;
}
