/* The words of project search (?q= on /projets and the API), through the
 * shared engine (search/index.h): title, summary and the lead
 * organisation's name, French-aware (accents, plurals, one typo). The
 * engine's index is rebuilt from the projects' index (projects/index.h)
 * whenever that one changes, at the first search after the change. */
#ifndef COUSILAB_PROJECT_SEARCH_H
#define COUSILAB_PROJECT_SEARCH_H

#include <jansson.h>

struct request;

/* Returns the ids of the summaries of index (projects_index's array, the
 * one this call is made with) that match q, best first, as a JSON object
 * id → rank (0 for the best); an empty object when none. New reference. */
json_t *projects_search(struct request *req, const json_t *index, const char *q);

#endif
