/* Site-wide pages that belong to no feature: home, health, accessibility. */
#ifndef COUSILAB_SITE_UI_H
#define COUSILAB_SITE_UI_H

struct request;

void site_home(struct request *req);
void site_accessibility(struct request *req);
void site_ping(struct request *req);
void site_healthz(struct request *req);

#endif
