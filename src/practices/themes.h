/* The practice themes ("themes", _id = code: name, description), read
 * through an in-process cache like the organisations directory: every
 * sheet, card, facet and form names them. */
#ifndef COUSILAB_THEMES_H
#define COUSILAB_THEMES_H

#include <bson/bson.h>
#include <jansson.h>

struct db_ctx;
struct request;

/* Returns every theme, sorted by name, as a JSON array of objects
 * (_id, name, description). New reference; NULL with error set when the
 * database fails and nothing is cached yet. */
json_t *themes_all(struct db_ctx *db, bson_error_t *error);

/* Returns the theme with that code from list, or NULL. Borrowed. */
json_t *theme_in(json_t *list, const char *code);

/* Makes every process reload the themes after a change. Returns 0 or -1. */
int themes_changed(struct request *req, bson_error_t *error);

#endif
