#include "defi/edition_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/utf8.h"
#include "defi/edition.h"

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool defi_is_date(const char *t)
{
	if (strlen(t) != 10 || t[4] != '-' || t[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (t[i] < '0' || t[i] > '9'))
			return false;
	int y = atoi(t), m = atoi(t + 5), d = atoi(t + 8);
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12 || d < 1)
		return false;
	return d <= days[m - 1] + (m == 2 && leap(y));
}

/* Appends (field, message) to out unless it is full. */
static void add(struct field_error *out, size_t *n, const char *field, const char *message)
{
	if (*n < DEFI_EDITION_MAX_ERRORS)
		out[(*n)++] = (struct field_error){field, message};
}

/* The required text fields: each gets its own message. */
static void check_texts(const struct defi_edition_input *in, struct field_error *out, size_t *n)
{
	if (!*in->title)
		add(out, n, "title",
		    "Donnez un titre à l’édition (par exemple «\u202fDéfi du Lab "
		    "2024\u202f»).");
	else if (utf8_chars(in->title) > DEFI_TITLE_MAX_CHARS)
		add(out, n, "title", "Le titre est trop long (150 caractères au plus).");
	if (!*in->theme)
		add(out, n, "theme", "Indiquez le thème de l’édition.");
	else if (utf8_chars(in->theme) > DEFI_THEME_MAX_CHARS)
		add(out, n, "theme", "Le thème est trop long (200 caractères au plus).");
	if (utf8_chars(in->description) > DEFI_DESCRIPTION_MAX_CHARS)
		add(out, n, "description",
		    "La présentation est trop longue (20 000 caractères "
		    "au plus).");
	if (!*in->location)
		add(out, n, "location", "Indiquez le lieu de l’évènement.");
	else if (utf8_chars(in->location) > DEFI_LOCATION_MAX_CHARS)
		add(out, n, "location", "Le lieu est trop long (200 caractères au plus).");
}

/* The event's days and the sign-up window. */
static void check_dates(const struct defi_edition_input *in, struct field_error *out, size_t *n)
{
	bool start_ok = defi_is_date(in->event_start), end_ok = defi_is_date(in->event_end);
	if (!start_ok)
		add(out, n, "event_start",
		    "Indiquez le premier jour de l’évènement, au format "
		    "jj/mm/aaaa.");
	if (!end_ok)
		add(out, n, "event_end",
		    "Indiquez le dernier jour de l’évènement, au format "
		    "jj/mm/aaaa.");
	if (start_ok && end_ok && strcmp(in->event_end, in->event_start) < 0)
		add(out, n, "event_end",
		    "Le dernier jour de l’évènement ne peut pas précéder "
		    "le premier.");
	if (start_ok && atoi(in->event_start) != in->year)
		add(out, n, "event_start",
		    "L’évènement doit avoir lieu pendant l’année de "
		    "l’édition.");
	if (!in->opens_set)
		add(out, n, "signup_opens_at",
		    "Indiquez la date et l’heure d’ouverture des "
		    "candidatures.");
	if (!in->closes_set)
		add(out, n, "signup_closes_at",
		    "Indiquez la date et l’heure de clôture des "
		    "candidatures.");
	if (in->opens_set && in->closes_set && in->closes_at <= in->opens_at)
		add(out, n, "signup_closes_at",
		    "La clôture des candidatures doit venir après "
		    "leur ouverture.");
}

static void check_sizes(const struct defi_edition_input *in, struct field_error *out, size_t *n)
{
	if (in->min_team < 1 || in->min_team > DEFI_TEAM_SIZE_LIMIT)
		add(out, n, "min_team_size",
		    "La taille minimale d’une équipe va de 1 à 50 "
		    "personnes.");
	if (in->max_team != 0 && (in->max_team < 1 || in->max_team > DEFI_TEAM_SIZE_LIMIT))
		add(out, n, "max_team_size",
		    "La taille maximale d’une équipe va de 1 à 50 "
		    "personnes (laissez vide pour n’en fixer aucune).");
	else if (in->max_team != 0 && in->max_team < in->min_team)
		add(out, n, "max_team_size",
		    "La taille maximale ne peut pas être inférieure à "
		    "la taille minimale.");
}

size_t defi_edition_check(const struct defi_edition_input *in, struct field_error *out)
{
	size_t n = 0;
	if (in->year < DEFI_YEAR_MIN || in->year > DEFI_YEAR_MAX)
		add(out, &n, "year", "Indiquez l’année de l’édition (de 2018 à 2100).");
	check_texts(in, out, &n);
	check_dates(in, out, &n);
	check_sizes(in, out, &n);
	for (size_t i = 0; i < in->n_questions; i++)
		if (utf8_chars(in->questions[i].label) > DEFI_QUESTION_MAX_CHARS)
			add(out, &n, "questions",
			    "Une question est trop longue (300 caractères "
			    "au plus).");
	return n;
}

/* Returns n of a code "q<n>", or 0 when code is not of that form. */
static long question_number(const char *code)
{
	if (!code || code[0] != 'q' || !code[1] || strlen(code) > 6 ||
	    strspn(code + 1, "0123456789") != strlen(code + 1))
		return 0;
	return strtol(code + 1, NULL, 10);
}

void defi_questions_number(struct arena *a, struct defi_edition_input *in)
{
	long top = 0;
	for (size_t i = 0; i < in->n_questions; i++) {
		long q = question_number(in->questions[i].code);
		if (q > top)
			top = q;
	}
	for (size_t i = 0; i < in->n_questions; i++) {
		struct defi_question *q = &in->questions[i];
		bool repeated = false;
		for (size_t j = 0; j < i && !repeated; j++)
			repeated = q->code && strcmp(q->code, in->questions[j].code) == 0;
		if (!question_number(q->code) || repeated)
			q->code = arena_printf(a, "q%ld", ++top);
	}
}

/* The JSON values below are the cache's (defi/edition.h): instants are
 * integers, UTC milliseconds. */
bool defi_edition_is_open(const json_t *edition, int64_t now_ms)
{
	const json_t *opens = json_object_get(edition, "signup_opens_at");
	const json_t *closes = json_object_get(edition, "signup_closes_at");
	return json_is_integer(opens) && json_is_integer(closes) &&
	       json_integer_value(opens) <= now_ms && now_ms <= json_integer_value(closes);
}

int defi_edition_min(const json_t *edition)
{
	const json_t *v = json_object_get(edition, "min_team_size");
	return json_is_integer(v) && json_integer_value(v) > 0 ? (int)json_integer_value(v)
							       : DEFI_DEFAULT_MIN_TEAM;
}

int defi_edition_max(const json_t *edition)
{
	const json_t *v = json_object_get(edition, "max_team_size");
	return json_is_integer(v) && json_integer_value(v) > 0 ? (int)json_integer_value(v) : 0;
}
