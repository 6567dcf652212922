/* The audit log's read-only page, named in src/routes.c. */
#ifndef COUSILAB_AUDIT_UI_H
#define COUSILAB_AUDIT_UI_H

struct request;

void audit_journal(struct request *req);

/* Returns the French label of a known audit action ("role.add" → "Rôle
 * ajouté"), or action itself. Static or borrowed. */
const char *audit_action_label(const char *action);

#endif
