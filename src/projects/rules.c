/* The pure rules of a project: its stage order and moves, who sees it and
 * who decides on it, and the checks of its typed values. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

#include "projects/project.h"

const char *const PROJECT_STAGES[PROJECT_STAGE_COUNT][2] = {
	[PROJECT_STAGE_IDEE] = {"idee", "Idée"},
	[PROJECT_STAGE_PROTOTYPE] = {"prototype", "Prototype"},
	[PROJECT_STAGE_EXPERIMENTATION] = {"experimentation", "Expérimentation dans l’organisme"},
	[PROJECT_STAGE_BRANCHE] = {"deploiement-branche", "Déploiement dans la branche"},
	[PROJECT_STAGE_INSTITUTION] = {"deploiement-institution", "Déploiement dans l’Institution"},
};

const char *const PROJECT_STATES[PROJECT_STATE_COUNT][2] = {
	[PROJECT_STATE_ACTIVE] = {"active", "Actif"},
	[PROJECT_STATE_PAUSED] = {"paused", "En pause"},
	[PROJECT_STATE_ABANDONED] = {"abandoned", "Abandonné"},
};

const char *const PROJECT_VISIBILITIES[PROJECT_VISIBILITY_COUNT][2] = {
	[PROJECT_VISIBILITY_TEAM] = {"team", "L’équipe et la coordination du Lab"},
	[PROJECT_VISIBILITY_STAFF] = {"staff", "Tous les agents connectés"},
	[PROJECT_VISIBILITY_PUBLIC] = {"public", "Public"},
};

const char *const PROJECT_ROLES[2][2] = {
	{"porteur", "Porteur ou porteuse"},
	{"membre", "Membre"},
};

/* Returns the index of code in the first column of n pairs, or -1. */
static int code_index(const char *const pairs[][2], int n, const char *code)
{
	for (int i = 0; code && i < n; i++)
		if (strcmp(pairs[i][0], code) == 0)
			return i;
	return -1;
}

int project_stage_from(const char *code)
{
	return code_index(PROJECT_STAGES, PROJECT_STAGE_COUNT, code);
}

int project_state_from(const char *code)
{
	return code_index(PROJECT_STATES, PROJECT_STATE_COUNT, code);
}

int project_visibility_from(const char *code)
{
	return code_index(PROJECT_VISIBILITIES, PROJECT_VISIBILITY_COUNT, code);
}

enum project_move_check project_move_check(enum project_stage from, enum project_stage to,
					   enum project_state state, bool has_note, bool proven)
{
	if (state != PROJECT_STATE_ACTIVE)
		return PROJECT_MOVE_NOT_ACTIVE;
	if (to == from)
		return PROJECT_MOVE_SAME;
	if (to > from + 1)
		return PROJECT_MOVE_JUMP;
	if (to < from)
		return has_note ? PROJECT_MOVE_OK : PROJECT_MOVE_NO_NOTE;
	/* The one forward step that asks for evidence of results: a project
	 * goes beyond its own organisation only once it has "fait ses
	 * preuves". */
	if (to >= PROJECT_STAGE_BRANCHE && !proven)
		return PROJECT_MOVE_NO_PROOF;
	return PROJECT_MOVE_OK;
}

const char *project_move_message(enum project_move_check c)
{
	switch (c) {
	case PROJECT_MOVE_OK: return "";
	case PROJECT_MOVE_SAME: return "Le projet est déjà à cette étape.";
	case PROJECT_MOVE_JUMP:
		return "Un projet avance d’une étape à la fois\u202f: proposez d’abord l’étape suivante.";
	case PROJECT_MOVE_NO_NOTE:
		return "Expliquez dans la note pourquoi le projet revient à une étape précédente.";
	case PROJECT_MOVE_NO_PROOF:
		return "Pour passer au déploiement dans la branche, le projet doit avoir fait ses "
		       "preuves\u202f: ajoutez au moins un indicateur avec une mesure.";
	case PROJECT_MOVE_NOT_ACTIVE:
		return "Le projet est en pause ou abandonné\u202f: réactivez-le avant de changer "
		       "d’étape.";
	}
	return "";
}

bool project_is_member(const struct project_audience *p, const struct project_viewer *v)
{
	for (size_t i = 0; v->user_id && i < p->n_members; i++)
		if (p->member_ids[i] && strcmp(p->member_ids[i], v->user_id) == 0)
			return true;
	return false;
}

bool project_may_see(const struct project_audience *p, const struct project_viewer *v)
{
	/* First: a page shared by coordinators is built for a nameless one
	 * (no user_id), who sees what each of them does. */
	if (v->coordinator)
		return true;
	switch (p->visibility) {
	case PROJECT_VISIBILITY_PUBLIC: return true;
	case PROJECT_VISIBILITY_STAFF: return v->signed_in || v->user_id != NULL;
	default: break;
	}
	if (!v->user_id)
		return false;
	return v->coordinator || project_is_member(p, v) ||
	       (p->coordinator_id && strcmp(p->coordinator_id, v->user_id) == 0);
}

bool project_may_decide(const struct project_audience *p, const struct project_viewer *v)
{
	if (!v->coordinator)
		return false;
	/* While nobody follows it, every coordinator (the nameless one a
	 * shared page is built for included) decides. */
	return !p->coordinator_id || !*p->coordinator_id ||
	       (v->user_id && strcmp(p->coordinator_id, v->user_id) == 0);
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool project_date_valid(const char *t)
{
	if (!t || strlen(t) != 10 || t[4] != '-' || t[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)t[i]))
			return false;
	int y = atoi(t), m = atoi(t + 5), d = atoi(t + 8);
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 2000 || y > 2099 || m < 1 || m > 12 || d < 1)
		return false;
	return d <= days[m - 1] + (m == 2 && leap(y));
}

int64_t project_days_since(int64_t then_ms, int64_t now_ms)
{
	return now_ms > then_ms ? (now_ms - then_ms) / 86400000 : 0;
}

bool project_is_stalled(int64_t last_ms, int64_t now_ms)
{
	return project_days_since(last_ms, now_ms) >= PROJECT_STALLED_DAYS;
}

bool project_parse_euros(const char *text, int64_t *euros)
{
	int64_t v = 0;
	int digits = 0;
	const unsigned char *p = (const unsigned char *)text;
	for (; *p; p++) {
		if (isdigit(*p)) {
			if (v > 100000000000LL)
				return false;
			v = v * 10 + (*p - '0');
			digits++;
		} else if (*p == ' ') {
			continue;
		} else if (p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0xAF) {
			p += 2; /* narrow no-break space, as French numbers are printed */
		} else if (p[0] == 0xC2 && p[1] == 0xA0) {
			p += 1; /* no-break space */
		} else {
			break;
		}
	}
	while (*p == ' ')
		p++;
	if (strcmp((const char *)p, "€") == 0)
		p += strlen("€");
	if (*p || digits == 0 || v > 1000000000000LL)
		return false;
	*euros = v;
	return true;
}

bool project_parse_number(const char *text, double *value)
{
	char buf[64];
	size_t n = strlen(text);
	if (n == 0 || n >= sizeof(buf))
		return false;
	for (size_t i = 0; i <= n; i++)
		buf[i] = text[i] == ',' ? '.' : text[i];
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)buf[i]) && buf[i] != '.' && !(i == 0 && buf[i] == '-'))
			return false;
	char *end;
	double v = strtod(buf, &end);
	if (*end || !isfinite(v))
		return false;
	*value = v;
	return true;
}

bool project_url_valid(const char *url)
{
	size_t n = url ? strlen(url) : 0;
	size_t scheme = n > 8 && strncasecmp(url, "https://", 8) == 0  ? 8
			: n > 7 && strncasecmp(url, "http://", 7) == 0 ? 7
								       : 0;
	if (!scheme || n > PROJECT_URL_MAX || strchr("/?#:", url[scheme]))
		return false;
	for (const unsigned char *c = (const unsigned char *)url; *c; c++)
		if (*c <= 0x20 || *c == 0x7f)
			return false;
	return true;
}
