/* A project and the cousiSTORE practice made from it ("Publier comme
 * bonne pratique"): the practice is a draft pre-filled from the project
 * through web/practice_link.h, then follows the practices' own workflow;
 * the project keeps its practice_id, the practice its source, and the
 * project page shows the practice with the organisations that reuse it. */
#ifndef COUSILAB_PROJECT_PRACTICE_H
#define COUSILAB_PROJECT_PRACTICE_H

#include <jansson.h>

struct request;

/* Returns the practice maturity ("idee", "experimentee", "deployee",
 * "generalisee") of a project at stage code (NULL or unknown: "idee").
 * Static. Pure. */
const char *project_practice_maturity(const char *stage);

/* Adds to data what the project page shows of p's practice (partial
 * views/projects/practice.mustache): "practice" {slug, title,
 * status_label, published, reuse_count, adopters} when p has one its
 * visitor may see, and "can_publish_practice" when they may make one.
 * Returns 0, or -1 after replying 503. */
int project_practice_data_or_reply(struct request *req, const json_t *p, json_t *data);

#endif
