#include "files/rules.h"

#include <stdbool.h>
#include <string.h>

#include "core/arena.h"
#include "core/utf8.h"

#define MIB ((size_t)1024 * 1024)
#define T(t) (1u << (t))
#define IMAGES (T(FILE_PNG) | T(FILE_JPEG))
#define IMAGE_LIMIT (10 * MIB)

static const struct rule {
	const char *kind;
	const char *noun_fr; /* "un guide": completes "pour ..." */
	unsigned types;      /* the kind's own types, up to limit */
	size_t limit;
	bool images; /* also PNG/JPEG, up to IMAGE_LIMIT */
} RULES[] = {
	{"guide", "un guide", T(FILE_PDF) | T(FILE_ODT) | T(FILE_DOCX), 20 * MIB, true},
	{"modele", "un modèle", T(FILE_PDF) | T(FILE_ODT) | T(FILE_DOCX), 20 * MIB, true},
	{"checklist", "une checklist", T(FILE_PDF) | T(FILE_ODT) | T(FILE_DOCX), 20 * MIB, true},
	{"presentation", "une présentation", T(FILE_ODP) | T(FILE_PPTX) | T(FILE_PDF), 50 * MIB,
	 true},
	{"tableur", "un tableur", T(FILE_ODS) | T(FILE_XLSX), 20 * MIB, false},
	{"video", "une vidéo", T(FILE_MP4), 500 * MIB, false},
};

/* Returns the rule of kind, or NULL. */
static const struct rule *rule_of(const char *kind)
{
	for (size_t i = 0; kind && i < sizeof(RULES) / sizeof(*RULES); i++)
		if (!strcmp(RULES[i].kind, kind))
			return &RULES[i];
	return NULL;
}

static bool is_image(enum file_type t)
{
	return (unsigned)t < 32 && (T(t) & IMAGES);
}

size_t file_kind_limit(const char *kind, enum file_type t)
{
	const struct rule *r = rule_of(kind);
	if (!r || (unsigned)t >= 32)
		return 0;
	if (r->types & T(t))
		return r->limit;
	return r->images && is_image(t) ? IMAGE_LIMIT : 0;
}

size_t file_kind_max_size(const char *kind)
{
	const struct rule *r = rule_of(kind);
	if (!r)
		return 0;
	return r->images && IMAGE_LIMIT > r->limit ? IMAGE_LIMIT : r->limit;
}

const char *file_refusal(struct arena *a, const char *kind, enum file_type t, size_t size)
{
	if (t == FILE_EMPTY || size == 0)
		return "Ce fichier est vide.";
	if (t == FILE_EXECUTABLE)
		return "Les programmes exécutables ne sont pas acceptés.";
	if (t == FILE_CORRUPT)
		return "Ce fichier semble endommagé.";
	const struct rule *r = rule_of(kind);
	if (!r)
		return "Ce type de ressource ne prend pas de fichier.";
	size_t limit = file_kind_limit(kind, t);
	if (!limit)
		return arena_printf(a,
				    "Ce fichier n’est pas d’un type accepté pour %s "
				    "(reçu\u202f: %s).",
				    r->noun_fr, file_type_info(t)->label_fr);
	if (size > limit)
		return arena_printf(a, "Ce fichier dépasse la taille autorisée (%zu Mo pour %s).",
				    limit / MIB, is_image(t) ? "une image" : r->noun_fr);
	return NULL;
}

const char *file_name_refusal(struct arena *a, const char *name)
{
	long cp = utf8_refused_char(name, strlen(name), UTF8_ONE_LINE);
	return cp < 0 ? NULL : utf8_refusal_message(a, "Le nom de ce fichier", cp);
}
