/* The sections other features add to an organisation's page
 * (/organisations/{code}): its practices, later its teams and projects.
 * accounts/ never includes a feature: each registers its section at
 * startup, and the page shows them in the order registered, between the
 * organisation's details and its members. */
#ifndef COUSILAB_ORGANISATION_SECTIONS_H
#define COUSILAB_ORGANISATION_SECTIONS_H

#include <jansson.h>

struct request;

enum { ORGANISATION_SECTIONS_MAX = 8 };

struct organisation_section {
	/* The partial that renders the section (a <section> with its h2),
	 * given what fill put in data and "org" ({code, name}). */
	const char *partial;
	/* Fills data (borrowed) with the section's data for organisation
	 * code. Returns 0, or -1 after replying (503). */
	int (*fill)(struct request *req, const char *code, json_t *data);
};

/* Adds section (borrowed: it must outlive the server); call before the
 * server starts (not thread-safe). Aborts past ORGANISATION_SECTIONS_MAX:
 * a startup bug. */
void organisation_section_register(const struct organisation_section *section);

/* Returns the HTML of every registered section for organisation org
 * ({code, name}, borrowed) as [{"html"}], in order, owned by the
 * request's arena; or NULL after replying (a section's own error, or
 * 500 for a missing view). */
json_t *organisation_sections_render_or_reply(struct request *req, const json_t *org);

#endif
