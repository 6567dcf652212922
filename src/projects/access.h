/* Who the visitor of a request is to a project: the bridge between a
 * request, a stored project (or its summary) and the pure rules of
 * projects/project.h. */
#ifndef COUSILAB_PROJECT_ACCESS_H
#define COUSILAB_PROJECT_ACCESS_H

#include <jansson.h>
#include <stdbool.h>

#include "projects/project.h"

struct request;

/* Returns the request's visitor (user id borrowed from the request). */
struct project_viewer project_viewer_of(const struct request *req);

/* Fills the audience of p, a project document (members [{user_id}]) or a
 * summary (member_ids), in the request's arena. p must outlive it. */
void project_audience_of(struct request *req, const json_t *p, struct project_audience *out);

/* Returns true when req's visitor may see p (document or summary). */
bool project_visible(struct request *req, const json_t *p);

/* Returns true when req's visitor is on p's team. */
bool project_on_team(struct request *req, const json_t *p);

/* Returns true when req's visitor may edit p: its team, its coordinator
 * and the Lab's coordinators. */
bool project_may_edit(struct request *req, const json_t *p);

/* Returns true when req's visitor may change p's team: a porteur, or the
 * Lab's coordination. */
bool project_may_manage_team(struct request *req, const json_t *p);

/* Returns true when req's visitor is a coordinator who does not follow p
 * yet (its page offers them to). */
bool project_may_follow(struct request *req, const json_t *p);

/* Returns true when req's visitor decides on p's proposals. */
bool project_decides(struct request *req, const json_t *p);

#endif
