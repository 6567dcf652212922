#include "http/params.h"

#include <string.h>

#include "core/arena.h"
#include "core/utf8.h"
#include "http/parse_internal.h"

const char *param_get(const struct param *list, const char *name)
{
	if (!name)
		return NULL;
	for (; list; list = list->next)
		if (strcmp(list->name, name) == 0)
			return list->value;
	return NULL;
}

size_t param_count(const struct param *list)
{
	size_t n = 0;

	for (; list; list = list->next)
		n++;
	return n;
}

const char *parse_status_message(enum parse_status s)
{
	switch (s) {
	case PARSE_OK: return "";
	case PARSE_BAD_ENCODING: return "Les données envoyées sont mal encodées.";
	case PARSE_BAD_UTF8: return "Le texte envoyé n’est pas encodé en UTF-8 valide.";
	case PARSE_TOO_LARGE: return "Un champ ou un fichier dépasse la taille autorisée.";
	case PARSE_TOO_MANY: return "Le formulaire contient trop de champs ou de fichiers.";
	case PARSE_TRUNCATED: return "L’envoi a été interrompu avant la fin. Veuillez réessayer.";
	case PARSE_MALFORMED: return "La requête envoyée est mal formée.";
	case PARSE_IO:
		return "Les données envoyées n’ont pas pu être lues ou enregistrées. Veuillez réessayer.";
	case PARSE_HEADER_TOO_LARGE:
		return "En-tête de partie trop long\u202f: le nom du fichier ou d’un champ "
		       "envoyé dépasse la longueur autorisée (8 Kio par en-tête).";
	case PARSE_REFUSED: return "L’envoi a été refusé avant la fin de sa lecture.";
	}
	/* A value outside the enum is a bug elsewhere; still say something. */
	return "La requête n’a pas pu être traitée.";
}

void pb_init(struct param_builder *b)
{
	b->head = NULL;
	b->tail = &b->head;
	b->count = 0;
}

struct param *pb_push(struct arena *a, struct param_builder *b, const char *name, const char *value,
		      size_t value_len)
{
	struct param *p = arena_alloc(a, sizeof(*p));

	p->name = name;
	p->value = value;
	p->value_len = value_len;
	*b->tail = p;
	b->tail = &p->next;
	b->count++;
	return p;
}

enum parse_status text_check(const char *s, size_t n, size_t max)
{
	if (n > max)
		return PARSE_TOO_LARGE;
	if (!utf8_valid(s, n))
		return PARSE_BAD_UTF8;
	return PARSE_OK;
}

void trim_ows(const char *s, size_t *start, size_t *end)
{
	while (*start < *end && is_ows(s[*start]))
		(*start)++;
	while (*end > *start && is_ows(s[*end - 1]))
		(*end)--;
}

bool ascii_ieq(const char *s, size_t n, const char *lit)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char x = (unsigned char)s[i];
		unsigned char y = (unsigned char)lit[i];

		if (y == '\0')
			return false;
		if (x >= 'A' && x <= 'Z')
			x += 'a' - 'A';
		if (y >= 'A' && y <= 'Z')
			y += 'a' - 'A';
		if (x != y)
			return false;
	}
	return lit[i] == '\0';
}
