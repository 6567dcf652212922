/* Random tokens and their hashes, for whatever a browser or a mail
 * carries back: session and API tokens, mailed links, CSRF tokens. */
#ifndef COUSILAB_TOKEN_H
#define COUSILAB_TOKEN_H

struct arena;

/* Returns a new 128-bit random token as 32 hex chars (arena), with
 * prefix prepended ("" for sessions, "csl_" for API tokens). */
char *token_new(struct arena *a, const char *prefix);

/* Returns the hex SHA-256 of token (arena). */
char *token_hash(struct arena *a, const char *token);

#endif
