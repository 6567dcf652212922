/* Outbox monitoring for administrators, named in src/routes.c. */
#ifndef COUSILAB_MAIL_UI_H
#define COUSILAB_MAIL_UI_H

struct request;

void mail_outbox(struct request *req);
void mail_outbox_retry(struct request *req);

#endif
