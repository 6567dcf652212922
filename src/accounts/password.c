#include "accounts/password.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xalloc.h"

/* argon2id with OWASP's recommended floor (19 MiB, 2 passes): strong, yet
 * eight threads hashing at once stay well inside a small host's memory. */
#define PWHASH_OPSLIMIT 2
#define PWHASH_MEMLIMIT (19u * 1024u * 1024u)

/* Common in France and around Cousilab, beyond the English-centric list. */
static const char *const FRENCH_COMMON[] = {
	"azerty",  "azertyuiop",  "motdepasse",      "bonjour",    "soleil",     "doudou",
	"loulou",  "chouchou",    "marseille",       "toulouse",   "paris",      "nicolas",
	"camille", "julien",      "coucou",          "jetaime",    "chocolat",   "vacances",
	"secu",    "securite",    "securitesociale", "ameli",      "urssaf",     "cpam",
	"caf",     "carsat",      "ucanss",          "cousilab",   "innovation", "bienvenue",
	"qwertz",  "motdepasse1", "changeme",        "changezmoi",
};

struct common_passwords {
	char **words; /* sorted, lowercase */
	size_t count;
};

static int compare_words(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Returns a heap lowercase (ASCII) copy of s[0..n). */
static char *lowercase(const char *s, size_t n)
{
	char *out = xstrndup(s, n);
	for (char *p = out; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return out;
}

static void add_word(struct common_passwords *set, size_t *cap, const char *w, size_t n)
{
	if (set->count == *cap) {
		*cap = *cap ? *cap * 2 : 4096;
		set->words = xrealloc(set->words, *cap * sizeof(char *));
	}
	set->words[set->count++] = lowercase(w, n);
}

struct common_passwords *password_common_load(const char *path)
{
	struct common_passwords *set = xcalloc(1, sizeof(*set));
	size_t cap = 0;
	for (size_t i = 0; i < sizeof(FRENCH_COMMON) / sizeof(*FRENCH_COMMON); i++)
		add_word(set, &cap, FRENCH_COMMON[i], strlen(FRENCH_COMMON[i]));
	FILE *f = path ? fopen(path, "r") : NULL;
	if (f) {
		char line[256];
		while (fgets(line, sizeof(line), f)) {
			size_t n = strcspn(line, "\r\n");
			if (n && line[0] != '#')
				add_word(set, &cap, line, n);
		}
		fclose(f);
	}
	qsort(set->words, set->count, sizeof(char *), compare_words);
	return set;
}

void password_common_free(struct common_passwords *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->count; i++)
		free(set->words[i]);
	free(set->words);
	free(set);
}

static bool contains_exact(const struct common_passwords *set, const char *w)
{
	return bsearch(&w, set->words, set->count, sizeof(char *), compare_words) != NULL;
}

bool password_common_contains(const struct common_passwords *set, const char *pw)
{
	size_t n = strlen(pw);
	char *lower = lowercase(pw, n);
	bool found = contains_exact(set, lower);
	/* "Azerty2024!" is "azerty" with decoration. */
	size_t stem = n;
	while (stem > 0 && !isalpha((unsigned char)lower[stem - 1]))
		stem--;
	if (!found && stem >= 4 && stem < n) {
		lower[stem] = '\0';
		found = contains_exact(set, lower);
	}
	free(lower);
	return found;
}

/* Returns the number of UTF-8 code points in s. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

const char *password_problem(const char *pw, const char *email, const struct common_passwords *set)
{
	if (!pw || !*pw)
		return "Choisissez un mot de passe.";
	if (utf8_chars(pw) < PASSWORD_MIN_CHARS)
		return "Le mot de passe doit compter au moins 12 caractères.";
	if (strlen(pw) > PASSWORD_MAX_BYTES)
		return "Le mot de passe ne doit pas dépasser 512 octets.";
	if (set && password_common_contains(set, pw))
		return "Ce mot de passe est trop courant\u202f: choisissez-en un autre.";
	if (email && *email) {
		size_t local = strcspn(email, "@");
		if (strcasecmp(pw, email) == 0 ||
		    (local >= 4 && strncasecmp(pw, email, local) == 0 && strlen(pw) - local < 4))
			return "Le mot de passe ne doit pas reprendre votre adresse électronique.";
	}
	return NULL;
}

int password_hash(const char *pw, char out[crypto_pwhash_STRBYTES])
{
	return crypto_pwhash_str_alg(out, pw, strlen(pw), PWHASH_OPSLIMIT, PWHASH_MEMLIMIT,
				     crypto_pwhash_ALG_ARGON2ID13);
}

bool password_verify(const char *hash, const char *pw)
{
	return hash && crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}
