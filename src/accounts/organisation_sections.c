#include "accounts/organisation_sections.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/arena_json.h"
#include "web/page.h"

static const struct organisation_section *sections[ORGANISATION_SECTIONS_MAX];
static size_t sections_count;

void organisation_section_register(const struct organisation_section *section)
{
	if (sections_count == ORGANISATION_SECTIONS_MAX) {
		fprintf(stderr, "cousilab: too many organisation page sections\n");
		abort();
	}
	sections[sections_count++] = section;
}

json_t *organisation_sections_render_or_reply(struct request *req, const json_t *org)
{
	const char *code = json_string_value(json_object_get(org, "code"));
	json_t *out = arena_json(req->arena, json_array());
	for (size_t i = 0; i < sections_count; i++) {
		json_t *data = arena_json(req->arena, json_pack("{s:O}", "org", org));
		int failed = sections[i]->fill(req, code, data);
		const char *html = failed ? NULL : page_partial(req, sections[i]->partial, data);
		if (!html) {
			if (!failed)
				page_reply_missing(req, sections[i]->partial);
			return NULL;
		}
		json_array_append_new(out, json_pack("{s:s}", "html", html));
	}
	return out;
}
