#include "defi/team_rules.h"

#include <stdio.h>
#include <string.h>

const char *const DEFI_STATUSES[][2] = {
	[DEFI_DRAFT] = {"brouillon", "Brouillon"},
	[DEFI_SUBMITTED] = {"deposee", "Candidature déposée"},
	[DEFI_SELECTED] = {"retenue", "Retenue"},
	[DEFI_WAITLISTED] = {"liste-attente", "Liste d’attente"},
	[DEFI_REJECTED] = {"non-retenue", "Non retenue"},
	[DEFI_WITHDRAWN] = {"desistee", "Désistée"},
};

int defi_status_from(const char *code)
{
	for (int s = 0; code && s < DEFI_STATUS_COUNT; s++)
		if (strcmp(DEFI_STATUSES[s][0], code) == 0)
			return s;
	return -1;
}

const char *defi_status_code(enum defi_status s)
{
	return s < DEFI_STATUS_COUNT ? DEFI_STATUSES[s][0] : DEFI_STATUSES[DEFI_DRAFT][0];
}

const char *defi_status_label(enum defi_status s, bool incomplete)
{
	if (s == DEFI_DRAFT && incomplete)
		return "Incomplète";
	return s < DEFI_STATUS_COUNT ? DEFI_STATUSES[s][1] : DEFI_STATUSES[DEFI_DRAFT][1];
}

enum defi_window defi_window_at(int64_t opens_ms, int64_t closes_ms, int64_t now_ms)
{
	if (now_ms < opens_ms)
		return DEFI_BEFORE_OPENING;
	return now_ms <= closes_ms ? DEFI_OPEN : DEFI_AFTER_CLOSE;
}

void defi_closed_message(enum defi_window w, const char *opens_fr, const char *closes_fr, char *out,
			 size_t n)
{
	if (w == DEFI_BEFORE_OPENING)
		snprintf(out, n,
			 "Les candidatures ne sont pas encore ouvertes\u202f: elles "
			 "ouvrent le %s.",
			 opens_fr);
	else
		snprintf(out, n,
			 "Les candidatures sont closes depuis le %s\u202f: seule la "
			 "coordination du Lab peut encore modifier les équipes.",
			 closes_fr);
}

/* Appends an error for field to out unless it is full; returns its
 * message buffer for the caller to write, or NULL. */
static char *add(struct defi_field_error *out, size_t *n, const char *field)
{
	if (*n >= DEFI_MAX_ERRORS)
		return NULL;
	snprintf(out[*n].field, sizeof(out[*n].field), "%s", field);
	return out[(*n)++].message;
}

/* Words that agree with a count: "1 membre confirmé", "2 membres confirmés". */
static const char *members_word(int count)
{
	return count > 1 ? "membres confirmés" : "membre confirmé";
}

static void check_size(const struct defi_team_facts *t, struct defi_field_error *out, size_t *n)
{
	char *m;
	if (t->confirmed < t->min_size && (m = add(out, n, "members")))
		snprintf(m, DEFI_ERROR_CHARS,
			 "Il manque %d %s\u202f: l’équipe en compte %d, "
			 "capitaine compris, et il en faut au moins %d.",
			 t->min_size - t->confirmed, members_word(t->min_size - t->confirmed),
			 t->confirmed, t->min_size);
	if (t->max_size > 0 && t->confirmed > t->max_size && (m = add(out, n, "members")))
		snprintf(m, DEFI_ERROR_CHARS,
			 "L’équipe compte %d membres confirmés\u202f: cette "
			 "édition en admet %d au plus.",
			 t->confirmed, t->max_size);
}

static void check_outsiders(const struct defi_team_facts *t, struct defi_field_error *out,
			    size_t *n)
{
	char *m;
	if (!t->n_outsiders || !(m = add(out, n, "organisation")))
		return;
	size_t len = (size_t)snprintf(m, DEFI_ERROR_CHARS,
				      "Tous les membres doivent "
				      "appartenir à %s\u202f; ce n’est pas le cas de ",
				      t->organisation_name);
	/* Whole names only, so the message stays valid UTF-8 however long
	 * the list: the room for " et d’autres." is always kept. */
	static const char MORE[] = " et d’autres.";
	for (size_t i = 0; i < t->n_outsiders && len < DEFI_ERROR_CHARS; i++) {
		const char *name = t->outsiders[i];
		if (len + strlen(name) + 2 + sizeof(MORE) >= DEFI_ERROR_CHARS) {
			snprintf(m + len, DEFI_ERROR_CHARS - len, "%s", MORE);
			return;
		}
		len += (size_t)snprintf(m + len, DEFI_ERROR_CHARS - len, "%s%s", i ? ", " : "",
					name);
	}
	if (len + 1 < DEFI_ERROR_CHARS)
		strcat(m, ".");
}

const char *defi_answer_text(const json_t *answers, const char *code)
{
	size_t i;
	json_t *a;
	json_array_foreach(answers, i, a) {
		const char *c = json_string_value(json_object_get(a, "code"));
		if (c && code && strcmp(c, code) == 0) {
			const char *text = json_string_value(json_object_get(a, "text"));
			return text ? text : "";
		}
	}
	return "";
}

static void check_texts(const struct defi_team_facts *t, struct defi_field_error *out, size_t *n)
{
	char *m;
	if ((!t->name || !*t->name) && (m = add(out, n, "name")))
		snprintf(m, DEFI_ERROR_CHARS, "Donnez un nom à l’équipe.");
	if ((!t->pitch || !*t->pitch) && (m = add(out, n, "pitch")))
		snprintf(m, DEFI_ERROR_CHARS,
			 "Décrivez votre idée en quelques lignes\u202f: une "
			 "amorce suffit.");
	if ((!t->theme_fit || !*t->theme_fit) && (m = add(out, n, "theme_fit")))
		snprintf(m, DEFI_ERROR_CHARS,
			 "Dites en quoi votre idée répond au thème de "
			 "l’édition.");
	size_t i;
	json_t *q;
	json_array_foreach(t->questions, i, q) {
		const char *code = json_string_value(json_object_get(q, "code"));
		if (!code || !json_is_true(json_object_get(q, "required")) ||
		    *defi_answer_text(t->answers, code))
			continue;
		/* Named after the question's code, an ASCII slug the server made. */
		char field[DEFI_FIELD_CHARS];
		snprintf(field, sizeof(field), "answer-%s", code);
		const char *label = json_string_value(json_object_get(q, "label"));
		if ((m = add(out, n, field)))
			snprintf(m, DEFI_ERROR_CHARS, "Répondez à la question «\u202f%s\u202f».",
				 label ? label : code);
	}
}

size_t defi_submission_check(const struct defi_team_facts *t, struct defi_field_error *out)
{
	size_t n = 0;
	char *m;
	if (t->window != DEFI_OPEN && (m = add(out, &n, "window")))
		defi_closed_message(t->window, t->opens_fr, t->closes_fr, m, DEFI_ERROR_CHARS);
	check_size(t, out, &n);
	check_outsiders(t, out, &n);
	check_texts(t, out, &n);
	return n;
}

int defi_confirmed_count(const json_t *members)
{
	int n = 0;
	size_t i;
	json_t *m;
	json_array_foreach(members, i, m) {
		const char *state = json_string_value(json_object_get(m, "state"));
		n += state && strcmp(state, "confirmed") == 0;
	}
	return n;
}

bool defi_members_may_change(enum defi_status s)
{
	return s == DEFI_DRAFT || s == DEFI_SUBMITTED;
}

bool defi_falls_incomplete(enum defi_status s, int confirmed, int min_size, enum defi_window w)
{
	return s == DEFI_SUBMITTED && confirmed < min_size && w == DEFI_OPEN;
}

int defi_decision_from(const char *code)
{
	int s = defi_status_from(code);
	return s == DEFI_SELECTED || s == DEFI_WAITLISTED || s == DEFI_REJECTED ? s : -1;
}

bool defi_decision_allowed(enum defi_status s)
{
	return s == DEFI_SUBMITTED || s == DEFI_SELECTED || s == DEFI_WAITLISTED ||
	       s == DEFI_REJECTED;
}

bool defi_withdraw_allowed(enum defi_status s)
{
	return s == DEFI_DRAFT || s == DEFI_SUBMITTED || s == DEFI_SELECTED || s == DEFI_WAITLISTED;
}

/* Returns the index of the first element of the array key of obj whose
 * string field equals value, or -1. */
static int index_of(const json_t *obj, const char *key, const char *field, const char *value)
{
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(obj, key), i, m) {
		const char *v = json_string_value(json_object_get(m, field));
		if (v && value && strcmp(v, value) == 0)
			return (int)i;
	}
	return -1;
}

int defi_member_index(const json_t *team, const char *user_id)
{
	return index_of(team, "members", "user_id", user_id);
}

int defi_email_invite_index(const json_t *team, const char *email)
{
	return index_of(team, "email_invites", "email", email);
}

int defi_pending_email_index(const json_t *summary, const char *email)
{
	return index_of(summary, "pending", "email", email);
}
