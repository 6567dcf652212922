#include "accounts/role_scope.h"

#include <string.h>

#include "core/arena.h"
#include "http/params.h"

/* Returns the length of the segment at s when it is well formed (up to
 * ':' or the end), or 0. */
static size_t segment_len(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-_");
	return n <= ROLE_SCOPE_SEGMENT_MAX && (s[n] == ':' || s[n] == '\0') ? n : 0;
}

bool role_scope_valid(const char *scope)
{
	if (!scope)
		return false;
	for (int segments = 1; segments <= ROLE_SCOPE_SEGMENTS_MAX; segments++) {
		size_t n = segment_len(scope);
		if (n == 0)
			return false;
		if (scope[n] == '\0')
			return true;
		scope += n + 1;
	}
	return false;
}

bool role_scope_covers(const char *grant, const char *wanted)
{
	if (!grant || !*grant)
		return true;
	size_t n = strlen(grant);
	return strncmp(grant, wanted, n) == 0 && (wanted[n] == '\0' || wanted[n] == ':');
}

const char *role_scope_from_params(struct arena *a, const char *template,
				   const struct param *params)
{
	const char *scope = "";
	const char *p = template;
	for (const char *open; (open = strchr(p, '{'));) {
		const char *close = strchr(open, '}');
		if (!close)
			return NULL;
		const char *name = arena_strndup(a, open + 1, (size_t)(close - open - 1));
		const char *value = param_get(params, name);
		/* One whole segment, or it would widen or shift the scope. */
		if (!value || !*value || segment_len(value) != strlen(value))
			return NULL;
		scope = arena_printf(a, "%s%.*s%s", scope, (int)(open - p), p, value);
		p = close + 1;
	}
	scope = arena_printf(a, "%s%s", scope, p);
	return role_scope_valid(scope) ? scope : NULL;
}

/* The kinds of scope the site knows, by their first segment. */
static const struct {
	const char *kind;
	const char *label;    /* the kind, then the second segment */
	const char *narrower; /* introduces the third segment */
} KINDS[] = {
	{"gpi", "Grand Prix", "catégorie"},
};

const char *role_scope_label(struct arena *a, const char *scope)
{
	size_t kind_len = strcspn(scope, ":");
	for (size_t i = 0; i < sizeof(KINDS) / sizeof(*KINDS); i++) {
		if (strlen(KINDS[i].kind) != kind_len ||
		    strncmp(KINDS[i].kind, scope, kind_len) != 0)
			continue;
		const char *rest = scope + kind_len;
		if (!*rest)
			return KINDS[i].label;
		rest++;
		size_t second = strcspn(rest, ":");
		if (!rest[second])
			return arena_printf(a, "%s %s", KINDS[i].label, rest);
		return arena_printf(a, "%s %.*s, %s %s", KINDS[i].label, (int)second, rest,
				    KINDS[i].narrower, rest + second + 1);
	}
	return scope;
}
