/* What the project pages show of a project: its card in lists, the
 * French labels of its codes, the theme choices. */
#ifndef COUSILAB_PROJECT_VIEW_H
#define COUSILAB_PROJECT_VIEW_H

#include <jansson.h>

struct request;

/* Returns the card of summary s (projects/index.h): title, link,
 * organisation's name, stage and state labels, days since its last
 * activity, stalled and pending flags. New reference. */
json_t *project_card(struct request *req, const json_t *s);

/* Returns the cousiSTORE themes as {code, name, checked} choices, checked
 * when their code is in chosen (a JSON array of codes, or one code as a
 * JSON string or a C string through project_theme_options). New
 * reference (empty when the themes cannot be read). */
json_t *project_theme_choices(struct request *req, const json_t *chosen);
json_t *project_theme_options(struct request *req, const char *selected);

/* Returns the name of theme code ("" when unknown). Arena-owned. */
const char *project_theme_name(struct request *req, const char *code);

/* Returns an amount ({euros, note}) as "12500 € — note", "" for none.
 * Arena-owned. */
const char *project_amount_text(struct request *req, const json_t *amount);

#endif
