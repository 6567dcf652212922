/* What the coordinators' pages share: the filters of an edition's teams
 * (status, branch, region, organisation) read from the query, and the
 * teams' rows joined with their organisation, from the in-process index
 * (defi/team_index.h) and directory: no page reads a team. */
#ifndef COUSILAB_DEFI_COORDINATION_H
#define COUSILAB_DEFI_COORDINATION_H

#include <bson/bson.h>
#include <jansson.h>
#include <stdbool.h>

struct request;

/* The filters as asked; "" for none. status is a status code, or
 * "incomplete" for the drafts that fell below the minimum. */
struct defi_filter {
	const char *status, *branch, *region, *organisation;
	/* The page's organisation picker: what was typed (NULL when its
	 * field was not sent), and why it names no organisation (NULL). */
	const char *organisation_text, *organisation_error;
};

/* The page's organisation filter, a picker (accounts/organisation_picker.h). */
extern const struct organisation_picker DEFI_ORGANISATION_FILTER;

/* Reads the filters of the request's query (statut, branche, region,
 * organisme; the API's status, branch, region, organisation). On the
 * page, an organisation typed in the picker (organisme_text) is resolved
 * by name or code and wins over the code sent with it, so that clearing
 * the field clears the filter without JavaScript. Unknown values are
 * kept: they simply match nothing. Arena strings. */
void defi_filter_read(struct request *req, struct defi_filter *f);

/* An edition's teams that pass a filter, and the directory they are
 * joined with. */
struct defi_rows {
	int year;
	json_t *teams;   /* the index's summaries (shared, read-only) */
	json_t *orgs;    /* organisations by code */
	json_t *matches; /* the summaries that pass, in the index's order (shared) */
	long confirmed;  /* their confirmed members, captains included */
};

/* Fills r with edition year's teams that pass f (NULL: all): a pass over
 * the index, without copies. Returns 0, or -1 after replying the
 * database's failure. r's values belong to the request's arena: the
 * caller never releases them. */
int defi_rows_get_or_reply(struct request *req, int year, const struct defi_filter *f,
			   struct defi_rows *r);

/* Returns the edition of the route's {year} (borrowed for the request)
 * after filling r with its teams that pass the request's filters, read
 * into f; with f NULL, every team. NULL after replying 404 or the
 * database's failure (r is then empty). */
const json_t *defi_rows_of_route_or_reply(struct request *req, struct defi_filter *f,
					  struct defi_rows *r);

/* Returns what pages and exports show of summary s of r: its fields plus
 * organisation_name, branch, branch_label, region, status_label and url,
 * without its lists of people. Only for the rows shown (a page, an
 * export). New reference. */
json_t *defi_row(struct request *req, const struct defi_rows *r, const json_t *s);

/* Returns the French label of a summary's status ("Incomplète" for an
 * incomplete draft). Static. */
const char *defi_row_status_label(const json_t *summary);

#endif
