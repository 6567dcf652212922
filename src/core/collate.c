#include "core/collate.h"

#include <ctype.h>
#include <string.h>

#include "core/arena.h"
#include "core/fold.h"

/* Returns the key of s: the folded text with apostrophes dropped, or
 * turned into separators when apostrophe_splits, and every other run of
 * ASCII punctuation or space one ' '. Bytes above 0x7F that text_fold
 * kept (other scripts) stay as they are. Allocates in a. */
static char *key_of(struct arena *a, const char *s, bool apostrophe_splits)
{
	char *folded = text_fold(a, s), *out = folded;
	bool pending_space = false;
	for (const char *p = folded; *p; p++) {
		unsigned char c = (unsigned char)*p;
		bool word_char = c >= 0x80 || isalnum(c);
		if (c == '\'' && !apostrophe_splits)
			continue;
		if (!word_char) {
			pending_space = out != folded;
			continue;
		}
		if (pending_space)
			*out++ = ' ';
		pending_space = false;
		*out++ = (char)c;
	}
	*out = '\0';
	return folded;
}

char *collate_key(struct arena *a, const char *s)
{
	return key_of(a, s, false);
}

char *collate_words(struct arena *a, const char *s)
{
	return key_of(a, s, true);
}

int collate_compare(const char *key_a, const char *name_a, const char *key_b, const char *name_b)
{
	int c = strcmp(key_a, key_b);
	return c ? c : strcmp(name_a, name_b);
}

/* Returns true when the n bytes of word begin a word of words. */
static bool begins_a_word(const char *words, const char *word, size_t n)
{
	for (const char *w = words; *w;) {
		if (strncmp(w, word, n) == 0)
			return true;
		const char *space = strchr(w, ' ');
		if (!space)
			break;
		w = space + 1;
	}
	return false;
}

bool collate_words_match(const char *words, const char *query)
{
	for (const char *q = query; *q;) {
		size_t n = strcspn(q, " ");
		if (!begins_a_word(words, q, n))
			return false;
		q += n;
		q += *q == ' ';
	}
	return true;
}
