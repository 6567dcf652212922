/* What every page of the administration area (/admin/...) shares,
 * whichever feature owns the page (accounts, audit, mail): the
 * sub-navigation and the <option> data of its filters. */
#ifndef COUSILAB_WEB_ADMIN_H
#define COUSILAB_WEB_ADMIN_H

#include <jansson.h>
#include <stddef.h>

/* Returns a new data object for an administration page, with the
 * sub-navigation entry section ("users", "organisations", "journal",
 * "mail", or "home") marked current. New reference. */
json_t *admin_data(const char *section);

/* Returns <option> data [{value, label, selected}] for n code/label pairs,
 * marking the one equal to selected (may be NULL). New reference. */
json_t *admin_options(const char *const pairs[][2], size_t n, const char *selected);

#endif
