#include <string.h>

#include "accounts/roles.h"
#include "accounts/user.h"
#include "core/arena.h"
#include "core/fold.h"
#include "core/labels.h"
#include "practices/practice.h"

const char *const PRACTICE_STATUSES[][2] = {
	[PRACTICE_DRAFT] = {"draft", "Brouillon"},
	[PRACTICE_SUBMITTED] = {"submitted", "Soumise à la coordination"},
	[PRACTICE_PUBLISHED] = {"published", "Publiée"},
	[PRACTICE_RETURNED] = {"returned", "Renvoyée à son auteur"},
	[PRACTICE_ARCHIVED] = {"archived", "Archivée"},
};

const char *const PRACTICE_MATURITIES[][2] = {
	{"idee", "Idée"},
	{"experimentee", "Expérimentée"},
	{"deployee", "Déployée"},
	{"generalisee", "Généralisée"},
};
const size_t PRACTICE_MATURITIES_COUNT = LABELS_COUNT(PRACTICE_MATURITIES);

static const char *const BRANCHES[] = {
	"maladie", "famille", "retraite", "recouvrement", "agricole", "autonomie", "interbranche",
};

int practice_status_from(const char *name)
{
	for (int s = 0; name && s < PRACTICE_STATUS_COUNT; s++)
		if (strcmp(PRACTICE_STATUSES[s][0], name) == 0)
			return s;
	return -1;
}

const char *practice_status_name(enum practice_status s)
{
	return s < PRACTICE_STATUS_COUNT ? PRACTICE_STATUSES[s][0] : "draft";
}

static void add(struct field_error *out, size_t *n, const char *field, const char *message)
{
	if (*n < PRACTICE_MAX_ERRORS)
		out[(*n)++] = (struct field_error){field, message};
}

static bool is_branch(const char *code)
{
	for (size_t i = 0; i < sizeof(BRANCHES) / sizeof(*BRANCHES); i++)
		if (strcmp(BRANCHES[i], code) == 0)
			return true;
	return false;
}

/* Checks one list of codes: size, duplicates, each known by known(). */
static void check_codes(const char *const *codes, size_t n, const char *field,
			bool (*known)(void *ctx, const char *code), void *ctx,
			const char *unknown_message, struct field_error *out, size_t *count)
{
	if (n > PRACTICE_MAX_LIST_ITEMS) {
		add(out, count, field, "Choisissez au plus 20 éléments.");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < i; j++)
			if (strcmp(codes[i], codes[j]) == 0) {
				add(out, count, field, "Un même élément est choisi deux fois.");
				return;
			}
		if (!known(ctx, codes[i])) {
			add(out, count, field, unknown_message);
			return;
		}
	}
}

static bool branch_known(void *ctx, const char *code)
{
	(void)ctx;
	return is_branch(code);
}

size_t practice_check(const struct practice_input *in, const struct practice_refs *refs,
		      struct field_error *out)
{
	size_t n = 0;
	const struct {
		const char *field, *value, *message;
	} required[] = {
		{"title", in->title, "Donnez un titre à la pratique."},
		{"summary", in->summary, "Résumez la pratique en quelques phrases."},
		{"problem", in->problem, "Décrivez le problème que la pratique résout."},
		{"description", in->description, "Décrivez la pratique et sa mise en œuvre."},
	};
	for (size_t i = 0; i < sizeof(required) / sizeof(*required); i++)
		if (!required[i].value || !*required[i].value)
			add(out, &n, required[i].field, required[i].message);
	if (!in->maturity || !*in->maturity)
		add(out, &n, "maturity", "Indiquez la maturité de la pratique.");
	else if (!label_find(PRACTICE_MATURITIES, PRACTICE_MATURITIES_COUNT, in->maturity))
		add(out, &n, "maturity", "Choisissez une maturité dans la liste.");
	if (in->n_organisations == 0)
		add(out, &n, "organisation_ids", "Indiquez au moins un organisme porteur.");
	if (in->n_themes == 0)
		add(out, &n, "themes", "Choisissez au moins une thématique.");
	check_codes(in->organisations, in->n_organisations, "organisation_ids",
		    refs->organisation_active, refs->ctx,
		    "Choisissez les organismes dans la liste.", out, &n);
	check_codes(in->branches, in->n_branches, "branches", branch_known, NULL,
		    "Choisissez les branches dans la liste.", out, &n);
	check_codes(in->themes, in->n_themes, "themes", refs->theme_known, refs->ctx,
		    "Choisissez les thématiques dans la liste.", out, &n);
	return n;
}

int practice_transition(enum practice_status status, enum practice_action action)
{
	switch (action) {
	case PRACTICE_ACTION_EDIT: return status == PRACTICE_ARCHIVED ? -1 : (int)status;
	case PRACTICE_ACTION_SUBMIT:
		return status == PRACTICE_DRAFT || status == PRACTICE_RETURNED ? PRACTICE_SUBMITTED
									       : -1;
	case PRACTICE_ACTION_PUBLISH: return status == PRACTICE_SUBMITTED ? PRACTICE_PUBLISHED : -1;
	case PRACTICE_ACTION_RETURN: return status == PRACTICE_SUBMITTED ? PRACTICE_RETURNED : -1;
	case PRACTICE_ACTION_ARCHIVE:
		return status == PRACTICE_PUBLISHED || status == PRACTICE_SUBMITTED
			       ? PRACTICE_ARCHIVED
			       : -1;
	default: return -1;
	}
}

bool practice_allowed(const struct user *user, const char *author_id, enum practice_status status,
		      enum practice_action action)
{
	bool coordinator = user_has_role(user, ROLE_COORDINATOR);
	bool author = user && user_is_active(user) && author_id && user->id &&
		      strcmp(user->id, author_id) == 0;
	switch ((int)action) {
	case PRACTICE_VIEW: return status == PRACTICE_PUBLISHED || author || coordinator;
	case PRACTICE_ACTION_EDIT:
		/* Authors edit until publication; coordinators curate always. */
		return coordinator ||
		       (author && (status == PRACTICE_DRAFT || status == PRACTICE_RETURNED ||
				   status == PRACTICE_SUBMITTED));
	case PRACTICE_ACTION_SUBMIT: return author || coordinator;
	default: return coordinator;
	}
}

/* Paths under /pratiques/ that are pages, not practices. */
static const char *const RESERVED_SLUGS[] = {
	"nouvelle", "diffusion", "a-valider", "mes-pratiques", "flux", "export", "recherche",
};

char *practice_slugify(struct arena *a, const char *title)
{
	const char *folded = text_fold(a, title);
	char *slug = arena_alloc(a, 81);
	size_t n = 0;
	bool dash = false;
	for (const char *p = folded; *p && n < 80; p++) {
		char c = *p;
		bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		if (alnum) {
			if (dash && n > 0 && n < 79)
				slug[n++] = '-';
			slug[n++] = c;
			dash = false;
		} else {
			dash = true;
		}
	}
	slug[n] = '\0';
	if (!n)
		return arena_strdup(a, "pratique");
	for (size_t i = 0; i < sizeof(RESERVED_SLUGS) / sizeof(*RESERVED_SLUGS); i++)
		if (strcmp(slug, RESERVED_SLUGS[i]) == 0)
			return arena_printf(a, "%s-pratique", slug);
	return slug;
}
