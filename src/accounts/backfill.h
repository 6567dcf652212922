/* Migration step "accounts_lookups" (migrations/0030_account_lookups.json):
 * builds the lookup documents of accounts created before they existed:
 * the address claims (user_emails) and each account's lists of sessions
 * and API tokens (user_sessions, user_tokens). */
#ifndef COUSILAB_BACKFILL_H
#define COUSILAB_BACKFILL_H

typedef struct _mongoc_database_t mongoc_database_t;

/* Builds them from users, sessions and api_tokens; existing claims are
 * kept and lists rewritten, so running it again is harmless. Returns 0,
 * or -1 after printing why to stderr. */
int accounts_lookups_backfill(mongoc_database_t *database);

#endif
