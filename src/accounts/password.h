/* Passwords: argon2id through libsodium, and the rules a new one must
 * meet (length, not a common password, not the user's own email). */
#ifndef COUSILAB_PASSWORD_H
#define COUSILAB_PASSWORD_H

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>

enum { PASSWORD_MIN_CHARS = 12, PASSWORD_MAX_BYTES = 512 };

struct common_passwords;

/* Loads the refused-password list: path (one per line, "#" comments; may
 * be NULL or missing) plus a built-in French list. Returns a heap set
 * (password_common_free), never NULL. */
struct common_passwords *password_common_load(const char *path);
void password_common_free(struct common_passwords *set);

/* Returns true when pw, lowercased, or pw without its trailing digits and
 * symbols ("azerty2024!"), is in the set. Pure. */
bool password_common_contains(const struct common_passwords *set, const char *pw);

/* Returns NULL when pw is acceptable for the account (email, name), or a
 * French sentence saying what is wrong (static storage). Pure. */
const char *password_problem(const char *pw, const char *email, const struct common_passwords *set);

/* Hashes pw with argon2id into out. Returns 0, or -1 when out of memory. */
int password_hash(const char *pw, char out[crypto_pwhash_STRBYTES]);

/* Returns true when pw matches the stored hash. Constant time in pw. */
bool password_verify(const char *hash, const char *pw);

#endif
